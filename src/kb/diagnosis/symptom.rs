//! The symptom to confirm (the quoted event or error message, else the symptom's first
//! sentences) and the products and versions an article applies to.

use super::causes::sentences;
use super::{ProductVersions, SymptomCheck, VersionCheck, section};
use crate::kb::{Article, Block};

/// Longest symptom summary, in characters.
const SUMMARY_CHARS: usize = 240;
/// Most quoted lines taken as the message.
const MESSAGE_LINES: usize = 14;

/// The symptom to confirm, from SYMPTOMS. A summary that announces a message or a list
/// ("you receive the following error message:") shows it, from the block after it, or
/// stops announcing it.
pub fn symptom_check(article: &Article) -> Option<SymptomCheck> {
    let s = section(article, "SYMPTOM")?;
    let mut blocks = s
        .blocks
        .iter()
        .filter(|b| !matches!(b, Block::Heading { .. }));
    let mut summary = summary(blocks.next()?);
    if summary.is_empty() {
        return None;
    }
    let mut message = quoted_message(&s.text).filter(|m| reads_as_message(m));
    if message.is_none() && announces(&summary) {
        match blocks.next() {
            Some(Block::Preformatted { lines }) => {
                let m = lines.join("\n");
                message = reads_as_message(&m).then_some(m);
            }
            Some(Block::Paragraph { text }) if text.len() <= SUMMARY_CHARS => {
                message = reads_as_message(text).then(|| text.clone());
            }
            Some(Block::Bullets { items } | Block::Steps { items, .. }) => {
                let listed: Vec<&str> = items.iter().take(4).map(|i| i.text.as_str()).collect();
                summary = format!("{} {}", summary, listed.join("; "));
            }
            _ => {}
        }
    }
    if message.is_none() && announces(&summary) {
        summary = unannounced(&summary);
    }
    Some(SymptomCheck { message, summary })
}

/// Whether a summary promises text after it ("... the following error message:").
pub fn announces(summary: &str) -> bool {
    // Quoted text is the product's own words ("Use The Following Services" list box).
    let unquoted: String = summary.split('"').step_by(2).collect();
    summary.trim_end().ends_with(':') || unquoted.to_lowercase().contains("the following")
}

/// The summary without its promise: "the following error message:" as "an error message".
fn unannounced(summary: &str) -> String {
    let mut out = summary.trim_end().trim_end_matches(':').to_string();
    for (from, to) in [
        ("one of the following", "one of several"),
        ("the following symptoms", "symptoms"),
        ("the following symptom", "a symptom"),
        ("the following error", "an error"),
        ("the following event", "an event"),
        ("the following", "a"),
        ("The following error", "An error"),
        ("The following event", "An event"),
        ("The following", "A"),
        ("these messages", "messages"),
        ("this message", "a message"),
    ] {
        out = out.replace(from, to);
    }
    if !out.ends_with(['.', '?', '!']) {
        out.push('.');
    }
    out
}

/// Whether quoted text reads as a message a user sees, not a URL, an INI or registry
/// line, a citation or a path.
fn reads_as_message(text: &str) -> bool {
    let lines: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    let odd = |l: &&str| {
        let lower = l.to_lowercase();
        lower.contains("://")
            || lower.starts_with("www.")
            || lower.starts_with("hkey_")
            || (l.starts_with('[') && l.ends_with(']'))
            || (l.contains('=') && !l.contains(' '))
            || (l.starts_with('Q') && l[1..].starts_with(|c: char| c.is_ascii_digit()))
    };
    let code = |l: &&str| {
        let lower = l.to_lowercase();
        l.ends_with([';', '{', '}'])
            || [
                "dim ",
                "sub ",
                "end ",
                "private ",
                "public ",
                "function ",
                "#",
                "//",
                "set ",
            ]
            .iter()
            .any(|k| lower.starts_with(k))
            || (l.contains(" = ") && l.contains('('))
    };
    let coded = lines.iter().filter(|l| code(l)).count();
    !lines.is_empty() && !lines.iter().all(odd) && coded * 2 < lines.len().max(1)
}

/// The first sentence or two of a block, cut to `SUMMARY_CHARS`.
fn summary(block: &Block) -> String {
    let first = match block {
        Block::Paragraph { text } | Block::Heading { text } => text.clone(),
        Block::Steps { items, .. } | Block::Bullets { items } => {
            items.first().map(|i| i.text.clone()).unwrap_or_default()
        }
        Block::Preformatted { lines } => lines.join(" "),
    };
    let mut out = String::new();
    for (i, sentence) in sentences(&first).into_iter().enumerate() {
        if i == 2 || (i > 0 && out.len() + sentence.len() > SUMMARY_CHARS) {
            break;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&sentence);
    }
    if out.chars().count() > SUMMARY_CHARS {
        out = out.chars().take(SUMMARY_CHARS - 1).collect::<String>() + "…";
    }
    out
}

fn indent(line: &str) -> usize {
    line.len() - line.trim_start().len()
}

/// The indented lines after a lead-in such as "you receive the following error message:".
fn quoted_message(text: &str) -> Option<String> {
    let lines: Vec<&str> = text.lines().collect();
    for (i, line) in lines.iter().enumerate() {
        let lead = line.trim_end();
        if !lead.ends_with(':') || indent(line) > 2 {
            continue;
        }
        let context = lines[i.saturating_sub(2)..=i].join(" ").to_lowercase();
        let cue = [
            "message",
            "error",
            "event",
            "following",
            "receive",
            "display",
            "appear",
        ];
        if !cue.iter().any(|w| context.contains(w)) {
            continue;
        }
        let base = indent(line);
        let quoted: Vec<&str> = lines[i + 1..]
            .iter()
            .take_while(|l| l.trim().is_empty() || indent(l) > base + 1)
            .copied()
            .collect();
        let body: Vec<&str> = quoted
            .iter()
            .map(|l| l.trim())
            .skip_while(|l| l.is_empty())
            .collect();
        let body: Vec<&str> = body
            .iter()
            .rev()
            .skip_while(|l| l.is_empty())
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .copied()
            .collect();
        if !body.is_empty() && body.len() <= MESSAGE_LINES {
            return Some(body.join("\n"));
        }
    }
    None
}

/// One "applies to" item as a product and its versions, when it names a version.
fn product_versions(item: &str) -> Option<ProductVersions> {
    // "the operating system: Microsoft Windows 95": the lead-in is not the product.
    let item = match item.split_once(": ") {
        Some((lead, rest)) if lead.starts_with(|c: char| c.is_lowercase()) => rest,
        _ => item,
    };
    // "..., on platform(s):" and "..., used with" close some lists of products; they name
    // none.
    let item = match item
        .find(", on platform")
        .or_else(|| item.find(", used with"))
    {
        Some(at) => &item[..at],
        None => item.trim_end_matches(':'),
    };
    let lower = item.to_lowercase();
    if let Some(at) = lower.find(" version") {
        let product = item[..at].trim().trim_end_matches(',').trim().to_string();
        let rest = &item[at..];
        let versions: Vec<String> = rest
            .split(|c: char| c == ',' || c.is_whitespace())
            .filter(|w| w.starts_with(|c: char| c.is_ascii_digit()))
            .map(|w| w.trim_end_matches('.').to_string())
            .collect();
        if !product.is_empty() && !versions.is_empty() {
            return Some(ProductVersions { product, versions });
        }
    }
    item.chars()
        .any(|c| c.is_ascii_digit())
        .then(|| ProductVersions {
            product: item.trim().to_string(),
            versions: Vec::new(),
        })
}

/// "Microsoft Exchange Server 5.0 or 5.5".
pub fn product_phrase(p: &ProductVersions) -> String {
    match p.versions.as_slice() {
        [] => p.product.clone(),
        [one] => format!("{} {one}", p.product),
        [init @ .., last] => format!("{} {} or {last}", p.product, init.join(", ")),
    }
}

/// The version question, from "applies to".
pub fn version_check(article: &Article) -> Option<VersionCheck> {
    let mut products: Vec<ProductVersions> = Vec::new();
    // Editors' notes ("*EDITOR Please do not choose this product*") name no product.
    for p in article
        .applies_to
        .iter()
        .filter(|i| !i.contains('*') && !i.to_lowercase().contains("please do not"))
        .filter_map(|i| product_versions(i))
    {
        // Several lines for one product ("SNA Server 2.11", "SNA Server 3.0") are one.
        match products.iter_mut().find(|q| q.product == p.product) {
            Some(q) => {
                for v in p.versions {
                    if !q.versions.contains(&v) {
                        q.versions.push(v);
                    }
                }
            }
            None => products.push(p),
        }
    }
    for p in &mut products {
        let mut seen = Vec::new();
        p.versions.retain(|v| {
            let new = !seen.contains(v);
            seen.push(v.clone());
            new
        });
    }
    // One product in one version (or a name that carries it, "Windows 95") tells the user
    // nothing the article's title and symptom have not: only a choice is worth asking.
    if let [one] = products.as_slice()
        && one.versions.len() <= 1
    {
        return None;
    }
    let phrases: Vec<String> = products.iter().map(product_phrase).collect();
    // The whole list, however long: a product left out would tell its users "no".
    let question = match phrases.as_slice() {
        [] => return None,
        [one] => format!("Are you running {one}?"),
        many => format!("Are you running one of these: {}?", many.join("; ")),
    };
    Some(VersionCheck { products, question })
}

#[cfg(test)]
mod tests {
    use super::super::test_support::article;
    use super::*;

    #[test]
    fn versions_from_applies_to() {
        let cases = [
            (
                "Microsoft Exchange Server, versions 5.0, 5.5",
                Some("Are you running Microsoft Exchange Server 5.0 or 5.5?"),
            ),
            (
                "Microsoft MS-DOS operating system versions 6.0, 6.2, 6.22",
                Some("Are you running Microsoft MS-DOS operating system 6.0, 6.2 or 6.22?"),
            ),
            // One product in one version: nothing to choose, so nothing asked.
            ("Microsoft Word 97 for Windows", None),
            ("Microsoft Exchange Server, version 5.5", None),
            (
                "Microsoft Word 97 for Windows\nMicrosoft Word 98 Macintosh Edition",
                Some(
                    "Are you running one of these: Microsoft Word 97 for Windows; \
                     Microsoft Word 98 Macintosh Edition?",
                ),
            ),
            (
                "the operating system: Microsoft Windows 95\nMicrosoft Windows 98",
                Some("Are you running one of these: Microsoft Windows 95; Microsoft Windows 98?"),
            ),
            ("Microsoft Mail for PC Networks", None),
        ];
        for (item, want) in cases {
            let a = article(item, &[("SYMPTOMS", "It fails.")]);
            assert_eq!(
                version_check(&a).map(|v| v.question).as_deref(),
                want,
                "{item}"
            );
        }
    }

    #[test]
    fn promises_without_what_they_promise_are_reworded() {
        for (summary, want) in [
            (
                "You may experience the following symptoms:",
                "You may experience symptoms.",
            ),
            (
                "You receive the following error message:",
                "You receive an error message.",
            ),
            ("The following code fails.", "A code fails."),
        ] {
            assert_eq!(unannounced(summary), want, "{summary}");
        }
    }

    #[test]
    fn quoted_messages_and_summaries() {
        let a = article(
            "",
            &[(
                "SYMPTOMS",
                "When you print, you receive the following error message:\n\n   \
                 Error Writing Bad File Number\n\nIt happens often.",
            )],
        );
        let s = symptom_check(&a).unwrap();
        assert_eq!(s.message.as_deref(), Some("Error Writing Bad File Number"));
        assert_eq!(
            s.summary,
            "When you print, you receive the following error message:"
        );
        let b = article(
            "",
            &[("SYMPTOMS", "The screen goes blank. Then it returns.")],
        );
        let s = symptom_check(&b).unwrap();
        assert_eq!(s.message, None);
        assert_eq!(s.summary, "The screen goes blank. Then it returns.");
    }
}
