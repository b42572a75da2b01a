//! What the wizard reads from an article outside its diagnosis: its symptom in a line or
//! two beside a candidate, and the articles it says to troubleshoot "in the same way" as.
//! Pure: articles in, text out.

use crate::kb::{self, Article, ArticleId, Block, Item, Section};

/// Longest symptom summary shown beside a candidate, in characters.
const SYMPTOM_CHARS: usize = 240;

fn section<'a>(article: &'a Article, word: &str) -> Option<&'a Section> {
    article.sections.iter().find(|s| s.heading.contains(word))
}

/// The article's symptom in one or two sentences: the start of SYMPTOMS, else of the first
/// section. A sentence that announces what follows ("... the following error message:")
/// is completed with what follows (the message, the first items), never left on its colon.
pub fn symptom(article: &Article) -> String {
    let Some(s) = section(article, "SYMPTOM").or(article.sections.first()) else {
        return String::new();
    };
    let Some(at) = s.blocks.iter().position(|b| block_text(b).is_some()) else {
        return String::new();
    };
    let first = block_text(&s.blocks[at]).unwrap_or_default();
    let mut out = String::new();
    for (i, sentence) in kb::sentences(&first).into_iter().enumerate() {
        if i == 2 || (i > 0 && out.len() + sentence.len() > SYMPTOM_CHARS) {
            break;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(sentence);
    }
    if out.ends_with(':') {
        let follows = s.blocks.get(at + 1).and_then(follows_colon);
        out = complete(&out, follows.as_deref());
    }
    cut(out, SYMPTOM_CHARS)
}

/// The text of a block a symptom can start with.
fn block_text(b: &Block) -> Option<String> {
    match b {
        Block::Paragraph { text } => Some(text.clone()),
        Block::Steps { items, .. } | Block::Bullets { items } => items.first().map(Item::full_text),
        Block::Heading { .. } | Block::Preformatted { .. } => None,
    }
}

/// What a sentence ending in a colon announces, in a line: a quoted message's text, the
/// first items of a list, or the next paragraph's first sentence.
fn follows_colon(b: &Block) -> Option<String> {
    match b {
        Block::Preformatted { lines } => message_line(lines.iter().map(String::as_str)),
        Block::Steps { items, .. } | Block::Bullets { items } => {
            let shown: Vec<String> = items.iter().take(2).map(Item::full_text).collect();
            let more = if items.len() > 2 { "; …" } else { "" };
            (!shown.is_empty()).then(|| format!("{}{more}", shown.join("; ")))
        }
        // A short paragraph is the message itself; a long one is cut to its first sentence.
        Block::Paragraph { text } if text.chars().count() <= 160 => Some(text.clone()),
        Block::Paragraph { text } => kb::sentences(text).first().map(|s| s.to_string()),
        Block::Heading { .. } => None,
    }
}

/// The line of a quoted event or message that says what went wrong: the first sentence of
/// its description (on the "Description:" line or the lines after it), else the first line
/// that is not one of the event's fields ("Source: ...", "Event ID: ...") nor a lone
/// capitalised word ("STOP").
pub fn message_line<'a>(lines: impl IntoIterator<Item = &'a str>) -> Option<String> {
    const FIELDS: [&str; 12] = [
        "event id",
        "event type",
        "event source",
        "event category",
        "source",
        "type",
        "category",
        "date",
        "time",
        "user",
        "computer",
        "event",
    ];
    let lines: Vec<&str> = lines.into_iter().map(str::trim).collect();
    let key = |l: &str| {
        l.split_once(':')
            .map(|(k, _)| k.trim().to_ascii_lowercase())
            .unwrap_or_default()
    };
    if let Some(at) = lines.iter().position(|l| key(l) == "description") {
        let first = lines[at].split_once(':').map_or("", |(_, r)| r.trim());
        let rest = lines[at + 1..]
            .iter()
            .skip_while(|l| first.is_empty() && l.is_empty())
            .take_while(|l| !l.is_empty());
        let text = std::iter::once(first)
            .chain(rest.copied())
            .filter(|l| !l.is_empty())
            .collect::<Vec<_>>()
            .join(" ");
        if let Some(s) = kb::sentences(&text).first() {
            return Some(s.to_string());
        }
    }
    let banner = |l: &str| !l.contains(' ') && l.chars().all(|c| !c.is_lowercase());
    lines
        .iter()
        .find(|l| !l.is_empty() && !FIELDS.contains(&key(l).as_str()) && !banner(l))
        .map(|l| l.to_string())
}

/// `sentence`, which ends in a colon, completed by what it announces (quoted), or ended
/// with a full stop when nothing follows.
pub fn complete(sentence: &str, follows: Option<&str>) -> String {
    let bare = sentence.trim_end().trim_end_matches(':').trim_end();
    match follows.map(str::trim).filter(|f| !f.is_empty()) {
        Some(f) => format!("{bare}: \u{201c}{f}\u{201d}"),
        None => format!("{bare}."),
    }
}

/// `text` cut to `max` characters, marked as cut.
/// `text` cut to at most `max` characters at a word's end, marked with "…".
fn cut(text: String, max: usize) -> String {
    if text.chars().count() <= max {
        return text;
    }
    let mut out: String = text.chars().take(max - 1).collect();
    if let Some(at) = out.rfind(' ').filter(|&at| at > max / 2) {
        out.truncate(at);
    }
    out.trim_end_matches([',', ';', ':', ' ']).to_string() + "…"
}

/// A symptom summary in one sentence, for the line that says what every step is about; a
/// sentence announcing the message is completed with the message's own line.
pub fn one_sentence(summary: &str, message: Option<&str>) -> String {
    let first = kb::sentences(summary).first().copied().unwrap_or_default();
    let line = if first.ends_with(':') {
        let follows = message.and_then(|m| message_line(m.lines()));
        complete(first, follows.as_deref())
    } else {
        first.to_string()
    };
    cut(line, SYMPTOM_CHARS)
}

/// The articles cited in or right after a sentence saying to troubleshoot this problem
/// "in the same way" as another: the KB's own "if this does not help, go there".
pub fn same_way_citations(article: &Article) -> Vec<ArticleId> {
    let mut out = Vec::new();
    for s in &article.sections {
        let paras: Vec<&str> = s.text.split("\n\n").collect();
        for (i, p) in paras.iter().enumerate() {
            let flat = p.split_whitespace().collect::<Vec<_>>().join(" ");
            if !flat.to_lowercase().contains("same way") {
                continue;
            }
            for q in paras[i..].iter().take(2) {
                for (_, id) in kb::citations(q) {
                    if id != article.id && !out.contains(&id) {
                        out.push(id);
                    }
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str) -> Vec<Block> {
        s.split("\n\n")
            .map(|p| Block::Paragraph { text: p.into() })
            .collect()
    }

    fn article(sections: Vec<(&str, &str, Vec<Block>)>) -> Article {
        Article {
            sections: sections
                .into_iter()
                .map(|(h, t, blocks)| Section {
                    heading: h.into(),
                    text: t.into(),
                    blocks,
                })
                .collect(),
            ..Article::titled(ArticleId(1), "T")
        }
    }

    #[test]
    fn symptom_is_the_first_sentences() {
        let a = article(vec![(
            "SYMPTOMS",
            "",
            text("The bridge stops. Mail queues up. Nobody knows why.\n\nEvent ID: 1"),
        )]);
        assert_eq!(symptom(&a), "The bridge stops. Mail queues up.");
    }

    #[test]
    fn a_symptom_never_ends_on_its_colon() {
        let pre = |lines: &[&str]| Block::Preformatted {
            lines: lines.iter().map(|l| l.to_string()).collect(),
        };
        let para = |t: &str| Block::Paragraph { text: t.into() };
        let bullets = |items: &[&str]| Block::Bullets {
            items: items
                .iter()
                .map(|t| Item {
                    number: None,
                    text: t.to_string(),
                    blocks: Vec::new(),
                })
                .collect(),
        };
        for (blocks, want) in [
            (
                vec![
                    para("The event log may record the following entry:"),
                    pre(&["Event ID: 68", "Source: X", "Description: Bridge failed."]),
                ],
                "The event log may record the following entry: \u{201c}Bridge failed.\u{201d}",
            ),
            (
                vec![
                    para("The event log records this:"),
                    pre(&[
                        "STOP",
                        "Event ID:70",
                        "Description:",
                        "",
                        "Bridge EXPORT ended with result code 3. The bridge is not set",
                        "up correctly.",
                    ]),
                ],
                "The event log records this: \u{201c}Bridge EXPORT ended with result code 3.\u{201d}",
            ),
            (
                vec![
                    para("You receive the following error message:"),
                    para("Device not ready. The scanner did not answer."),
                ],
                "You receive the following error message: \u{201c}Device not ready. The scanner did not answer.\u{201d}",
            ),
            (
                vec![
                    para("You receive the following error message:"),
                    pre(&["", "Cannot open the file."]),
                ],
                "You receive the following error message: \u{201c}Cannot open the file.\u{201d}",
            ),
            (
                vec![
                    para("You may see one of the following:"),
                    bullets(&["The screen flickers.", "The mouse stops.", "It beeps."]),
                ],
                "You may see one of the following: \u{201c}The screen flickers.; The mouse stops.; …\u{201d}",
            ),
            (
                vec![para("The following happens:")],
                "The following happens.",
            ),
            (vec![para("The bridge stops.")], "The bridge stops."),
        ] {
            let a = article(vec![("SYMPTOMS", "", blocks)]);
            let got = symptom(&a);
            assert_eq!(got, want);
            assert!(!got.ends_with(':'));
        }
    }

    #[test]
    fn one_sentence_of_a_summary() {
        for (summary, message, want) in [
            ("It stops. Then it starts.", None, "It stops."),
            (
                "The log records this entry:",
                Some("Event ID: 68\nSource: X\nDescription: Bridge failed."),
                "The log records this entry: \u{201c}Bridge failed.\u{201d}",
            ),
            (
                "The log records this entry:",
                None,
                "The log records this entry.",
            ),
            ("", None, ""),
        ] {
            assert_eq!(one_sentence(summary, message), want, "{summary}");
        }
    }

    #[test]
    fn same_way_sentences_name_their_article() {
        let a = article(vec![(
            "MORE INFORMATION",
            "Contact the vendor. See Q000002.\n\nNOTE: You can troubleshoot this in the same\n\
             way as Event ID 70, see:\n\n   Q000003 Title",
            vec![],
        )]);
        assert_eq!(same_way_citations(&a), [ArticleId(3)]);
    }
}
