//! Facts derived from a parsed article: its title kind and the event ids it names in prose.

use super::{Article, ArticleId};

/// The kind prefix of a title (`XFOR` of `XFOR: Event ID 68 ...`), when it has one.
pub fn title_kind(title: &str) -> Option<&str> {
    let (prefix, _) = title.split_once(':')?;
    let ok = (2..=8).contains(&prefix.len())
        && prefix
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
        && prefix
            .bytes()
            .next()
            .is_some_and(|b| b.is_ascii_uppercase());
    ok.then_some(prefix)
}

/// Title phrases of catalogue articles: lists of fixes or bugs, READMEs, release notes.
const CATALOGUE_TITLES: &[&str] = &[
    "readme",
    "read me",
    "list of",
    "bug list",
    "buglist",
    "fix list",
    "fixlist",
    "release notes",
    "bugs fixed",
    "problems fixed",
    "issues fixed",
    "fixes in",
    "fixes included",
    "fixed in service pack",
    "fixed in the service pack",
    "contents of",
    "index of",
    "what's new",
];

/// Citations beyond which an article is an index of others rather than about one problem.
const CATALOGUE_CITATIONS: usize = 40;

/// Whether the article is a catalogue (a bug-fix list, a README, "list of", release notes, or
/// an index citing dozens of articles) rather than one problem: it names many problems'
/// words at once, so search and related-article lists put it after single-problem articles.
pub fn is_catalogue(article: &Article) -> bool {
    let title = article.title.to_lowercase();
    CATALOGUE_TITLES.iter().any(|p| title.contains(p))
        || article.references.len() > CATALOGUE_CITATIONS
}

/// Event ids named in the title or text as `Event ID 1000`, `event 1000` or `Event ID: 1000`,
/// sorted and deduplicated. Quoted blocks count too; the matcher weighs quotes separately.
pub fn mentioned_event_ids(article: &Article) -> Vec<u32> {
    let mut ids = event_ids_in(&article.title);
    for s in &article.sections {
        ids.extend(event_ids_in(&s.text));
    }
    ids.sort_unstable();
    ids.dedup();
    ids
}

/// Scans text for `event` (any case), an optional `id`, an optional `:` or `#`, then digits.
fn event_ids_in(text: &str) -> Vec<u32> {
    let mut out = Vec::new();
    let lower = text.to_ascii_lowercase();
    let mut rest = lower.as_str();
    while let Some(at) = rest.find("event") {
        let before_ok = at == 0 || !rest.as_bytes()[at - 1].is_ascii_alphanumeric();
        rest = &rest[at + 5..];
        if !before_ok {
            continue;
        }
        let mut t = rest.trim_start_matches([' ', '\t']);
        if let Some(after) = t.strip_prefix("id") {
            t = after.trim_start_matches([' ', '\t']);
        }
        t = t.trim_start_matches([':', '#', ' ', '\t']);
        let digits: &str = &t[..t.bytes().take_while(u8::is_ascii_digit).count()];
        let ends_word = t[digits.len()..]
            .bytes()
            .next()
            .is_none_or(|b| !b.is_ascii_alphanumeric());
        if (1..=5).contains(&digits.len())
            && ends_word
            && let Ok(n) = digits.parse()
        {
            out.push(n);
        }
    }
    out
}

/// Every `Qnnnnn`/`Qnnnnnn` citation in `text` (a `Q` and five or six digits, standing as a
/// word: not inside a word, a file name like `Q12345_1`, or a number like `Q12345.6`), with
/// its byte range, in order. The archive's numbers start at 10022, so shorter `Q` numbers
/// (quarters `Q1`..`Q4`, file names) are never articles.
pub fn citations(text: &str) -> impl Iterator<Item = (std::ops::Range<usize>, ArticleId)> + '_ {
    let bytes = text.as_bytes();
    let word = |c: char| c.is_alphanumeric() || c == '_';
    let mut at = 0;
    std::iter::from_fn(move || {
        while let Some(off) = text.get(at..)?.find('Q') {
            let start = at + off;
            at = start + 1;
            let digits = bytes[start + 1..]
                .iter()
                .take_while(|b| b.is_ascii_digit())
                .count();
            let end = start + 1 + digits;
            let before_ok = text[..start].chars().next_back().is_none_or(|c| !word(c));
            let decimal =
                bytes.get(end) == Some(&b'.') && bytes.get(end + 1).is_some_and(u8::is_ascii_digit);
            let next = text[end..].chars().next();
            // Some citation lines lost the space before the title (`Q70818BUG: ...`).
            let glued = next.is_some_and(|c| c.is_ascii_uppercase()) && starts_line(text, start);
            let after_ok = (next.is_none_or(|c| !word(c)) || glued) && !decimal;
            if (5..=6).contains(&digits) && before_ok && after_ok {
                at = end;
                match text[start + 1..end].parse::<u32>() {
                    Ok(n) if n > 0 => return Some((start..end, ArticleId(n))),
                    _ => continue,
                }
            }
        }
        None
    })
}

/// Whether only spaces and tabs stand between the start of the line and `at`.
fn starts_line(text: &str, at: usize) -> bool {
    text[..at]
        .bytes()
        .rev()
        .take_while(|&b| b != b'\n')
        .all(|b| b == b' ' || b == b'\t')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_citations() {
        let cases: [(&str, &[u32]); 17] = [
            ("see Q166045 XFOR: title", &[166045]),
            ("Q000001,Q123456.", &[1, 123456]),
            ("XQ123456 Q1234567 Q123", &[]),
            ("(Q168465)", &[168465]),
            ("Q92438 External Mail Program's -Qx Option", &[92438]),
            ("see Q10022, Q010022 and (Q99999).", &[10022, 10022, 99999]),
            ("Q1 and Q4 sales, Q820_517.WPD", &[]),
            ("XQ92438 92Q92438 Q92438x Q92438_1 Q92438.5", &[]),
            ("Q00000 Q000000", &[]),
            ("end of sentence Q92438.", &[92438]),
            ("/ARTICLES/Q92438.ASP", &[92438]),
            ("", &[]),
            ("Qé Q", &[]),
            ("éQ12345 Q12345é", &[]),
            ("\u{201c}Q12345\u{201d}", &[12345]),
            ("   Q70818BUG: Title glued to the number", &[70818]),
            ("text\n  Q70818BUG: glued\nsee Q70819BUG", &[70818]),
        ];
        for (text, want) in cases {
            let got: Vec<u32> = citations(text).map(|(_, id)| id.0).collect();
            assert_eq!(got, want, "{text}");
        }
    }

    #[test]
    fn title_kinds() {
        let cases = [
            ("XFOR: Event ID 68 Running cc:Mail DirSync", Some("XFOR")),
            ("BUG: Something", Some("BUG")),
            ("HOWTO: Do it", Some("HOWTO")),
            ("FIX: Q1 fails", Some("FIX")),
            ("Windows NT: lower", None),
            ("No prefix at all", None),
            ("X: too short", None),
            ("", None),
        ];
        for (title, want) in cases {
            assert_eq!(title_kind(title), want, "{title}");
        }
    }

    #[test]
    fn event_ids_in_prose() {
        let cases: [(&str, &[u32]); 7] = [
            ("XFOR: Event ID 68 Running cc:Mail DirSync", &[68]),
            ("you see event 1000 and Event ID: 7036", &[1000, 7036]),
            ("EventID 9 and event id #12", &[9, 12]),
            ("prevent 55 is not an event", &[]),
            ("Event ID 123456 is too long", &[]),
            ("event 12abc", &[]),
            ("the events 12", &[]),
        ];
        for (text, want) in cases {
            assert_eq!(event_ids_in(text), want, "{text}");
        }
    }
}
