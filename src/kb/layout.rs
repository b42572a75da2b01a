//! The article's layout below the header: applies-to frame, sections, query words, trailer
//! and the disclaimer, found by line shape alone.

use super::TrailerField;
use super::blocks::{ListKind, marker};
use super::text::{collapse_ws, indent, is_blank, is_rule, push_words};

/// The first line of Microsoft's disclaimer, which is never content.
const DISCLAIMER: &str = "THE INFORMATION PROVIDED IN THE MICROSOFT KNOWLEDGE BASE";

/// Index of the line where the disclaimer (with the rule above it) starts, or `lines.len()`.
pub fn disclaimer_start(lines: &[&str]) -> usize {
    let Some(mut at) = lines.iter().rposition(|l| l.starts_with(DISCLAIMER)) else {
        // Without the disclaimer, drop at least a trailing copyright line.
        return lines
            .iter()
            .rposition(|l| !is_blank(l))
            .filter(|&i| lines[i].starts_with("Copyright Microsoft Corporation"))
            .unwrap_or(lines.len());
    };
    while at > 0 && is_blank(lines[at - 1]) {
        at -= 1;
    }
    if at > 0 && is_rule(lines[at - 1], '=', 20) {
        at -= 1;
    }
    at
}

/// Splits `Keywords          : kbusage` into a trimmed label and value.
pub fn trailer_field(line: &str) -> Option<(&str, &str)> {
    let (label, value) = line.split_once(':')?;
    let label = label.trim_end();
    let ok = !label.is_empty()
        && label.len() <= 30
        && label.starts_with(|c: char| c.is_ascii_alphabetic())
        && label
            .bytes()
            .all(|b| b.is_ascii_alphabetic() || b == b' ' || b == b'/');
    ok.then(|| (label, value.trim()))
}

/// Finds the trailer block (`Label : value` lines under a long `=` rule) that ends at `end`;
/// returns where the body stops (the rule) and the fields, or `end` and none.
pub fn split_trailer<'a>(lines: &[&'a str], end: usize) -> (usize, Vec<(&'a str, &'a str)>) {
    let mut fields = Vec::new();
    let mut i = end;
    while i > 0 {
        i -= 1;
        let line = lines[i];
        if is_blank(line) {
            continue;
        }
        if is_rule(line, '=', 20) {
            fields.reverse();
            return (i, fields);
        }
        match trailer_field(line) {
            Some(f) => fields.push(f),
            None => break,
        }
    }
    (end, Vec::new())
}

/// What the body's trailer-like lines hold: query words and old-style `KBCategory:` fields.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Tail {
    /// Words of every `Additional query words:` (or `reference words`) line.
    pub query_words: Vec<String>,
    /// `KBCategory:` and `KBSubcategory:` lines.
    pub fields: Vec<TrailerField>,
}

/// The words after `Additional query words:` (older articles say `reference words`).
fn query_words_line(line: &str) -> Option<&str> {
    line.strip_prefix("Additional query words:")
        .or_else(|| line.strip_prefix("Additional reference words:"))
}

/// Takes query-word lines (and the lines they wrap onto) and `KBCategory:`-style lines out of
/// the body, wherever they stand; they belong to the trailer.
pub fn take_tail<'a>(lines: &[&'a str]) -> (Vec<&'a str>, Tail) {
    let mut kept = Vec::with_capacity(lines.len());
    let mut tail = Tail::default();
    let mut in_words = false;
    for &line in lines {
        if let Some(words) = query_words_line(line) {
            tail.query_words.extend(self::words(words));
            in_words = true;
            continue;
        }
        if line.starts_with("KBCategory:") || line.starts_with("KBSubcategory:") {
            let (label, value) = line.split_once(':').expect("checked prefix");
            tail.fields.push(TrailerField {
                label: label.to_string(),
                value: value.trim().to_string(),
            });
            in_words = false;
            continue;
        }
        if in_words && !is_blank(line) && !is_rule(line, '=', 3) {
            tail.query_words.extend(words(line));
            continue;
        }
        in_words = false;
        kept.push(line);
    }
    (kept, tail)
}

/// Whether `lines[i]` is a section heading: an upper-case line at the margin underlined with
/// `=` of about its length (long `=` rules under prose are separators, not underlines).
pub fn is_heading(lines: &[&str], i: usize) -> bool {
    let (Some(&line), Some(&under)) = (lines.get(i), lines.get(i + 1)) else {
        return false;
    };
    let head = line.trim_end();
    if head.is_empty() || indent(line) > 0 || head.starts_with('|') || !is_rule(under, '=', 3) {
        return false;
    }
    let has_letter = head.bytes().any(|b| b.is_ascii_alphabetic());
    let no_lower = !head.bytes().any(|b| b.is_ascii_lowercase());
    let width = head.chars().count().abs_diff(under.trim().len());
    has_letter && no_lower && width <= 5
}

/// Whether a line opens the applies-to frame.
fn is_applies_intro(line: &str) -> bool {
    let t = line.trim();
    t.ends_with("applies to:") && (t.starts_with("The ") || t.starts_with("This "))
}

/// Whether a line is an echo of the old header (`3.50`, `WINDOWS`, `kbusage kbhowto`,
/// `2.00 2.5x | 2.5x`) that some articles carry above the applies-to frame.
pub fn is_header_echo(line: &str) -> bool {
    let echo_word = |w: &str| {
        w == "|"
            || w.bytes().any(|b| b.is_ascii_digit())
            || w.get(..2).is_some_and(|p| p.eq_ignore_ascii_case("kb"))
            || w.bytes()
                .all(|b| b.is_ascii_uppercase() || b == b'-' || b == b'/')
    };
    !is_blank(line) && line.split_whitespace().all(echo_word)
}

/// Drops header-echo lines (and blank lines and rules) from the start of the body.
fn skip_header_echo<'s, 'a>(lines: &'s [&'a str]) -> &'s [&'a str] {
    let n = lines
        .iter()
        .take_while(|l| is_blank(l) || is_header_echo(l) || is_rule(l, '-', 5))
        .count();
    &lines[n..]
}

/// The items of the applies-to frame starting after its intro line; returns them and the index
/// of the first line after the frame.
pub fn applies_to(lines: &[&str], start: usize) -> (Vec<String>, usize) {
    let mut end = start;
    let mut seen_item = false;
    while end < lines.len() {
        let line = lines[end];
        if is_rule(line, '-', 5) || is_rule(line, '=', 5) || is_heading(lines, end) {
            break;
        }
        // Unframed lists end where prose starts again at the margin.
        if seen_item && !is_blank(line) && indent(line) == 0 && marker(line).is_none() {
            break;
        }
        seen_item |= marker(line).is_some();
        end += 1;
    }
    let items = applies_items(&lines[start..end]);
    let after = if end < lines.len() && is_rule(lines[end], '-', 5) {
        end + 1
    } else {
        end
    };
    (items, after)
}

/// The items of an applies-to list, nested ones flattened (`MFC, included with:` then each
/// product under it), wrapped lines joined; lines without a dash are items of their own.
pub fn applies_items(lines: &[&str]) -> Vec<String> {
    let mut items: Vec<String> = Vec::new();
    let mut open = false;
    for &line in lines {
        if is_blank(line) {
            open = false;
            continue;
        }
        let text = match marker(line) {
            Some(m) if m.kind == ListKind::Bullets => {
                open = false;
                m.rest
            }
            _ => line,
        };
        match items.last_mut() {
            Some(item) if open => push_words(item, text),
            _ => items.push(collapse_ws(text)),
        }
        open = true;
    }
    items
}

/// The body cut up: applies-to items and `(heading, lines)` sections; text before the first
/// heading becomes a section with an empty heading.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Body<'a> {
    /// Applies-to items.
    pub applies_to: Vec<String>,
    /// Sections with their raw lines.
    pub sections: Vec<(String, Vec<&'a str>)>,
}

/// Splits body lines (header, trailer and query words already removed) into its parts.
pub fn split_body<'a>(lines: &[&'a str]) -> Body<'a> {
    let headings: Vec<usize> = (0..lines.len()).filter(|&i| is_heading(lines, i)).collect();
    let first = headings.first().copied().unwrap_or(lines.len());
    let mut body = Body::default();
    let mut untitled: Vec<&str> = Vec::new();
    match lines[..first].iter().position(|l| is_applies_intro(l)) {
        Some(at) => {
            let before = skip_header_echo(&lines[..at]);
            untitled.extend(before.iter().filter(|l| !is_rule(l, '-', 5)));
            let (items, after) = applies_to(lines, at + 1);
            body.applies_to = items;
            untitled.extend(&lines[after.min(first)..first]);
        }
        None => untitled.extend(skip_header_echo(&lines[..first])),
    }
    let untitled: Vec<&str> = untitled
        .into_iter()
        .filter(|l| !is_rule(l, '=', 20))
        .collect();
    if untitled.iter().any(|l| !is_blank(l)) {
        body.sections
            .push((String::new(), trim_blank_lines(&untitled).to_vec()));
    }
    for (n, &h) in headings.iter().enumerate() {
        let end = headings.get(n + 1).copied().unwrap_or(lines.len());
        let heading = collapse_ws(lines[h]);
        body.sections.push((
            heading,
            trim_blank_lines(&lines[(h + 2).min(end)..end]).to_vec(),
        ));
    }
    body
}

/// Drops leading and trailing blank lines.
pub fn trim_blank_lines<'s, 'a>(lines: &'s [&'a str]) -> &'s [&'a str] {
    let start = lines
        .iter()
        .position(|l| !is_blank(l))
        .unwrap_or(lines.len());
    let end = lines
        .iter()
        .rposition(|l| !is_blank(l))
        .map_or(start, |e| e + 1);
    &lines[start..end]
}

/// A section's text: its lines joined with `\n`, trailing spaces dropped.
pub fn section_text(lines: &[&str]) -> String {
    let mut out = String::new();
    for (i, l) in lines.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        out.push_str(l.trim_end());
    }
    out
}

/// The whitespace-separated words of a value (`kbExchange500 kbExchange550`).
pub fn words(value: &str) -> Vec<String> {
    value.split_whitespace().map(str::to_string).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ls(s: &str) -> Vec<&str> {
        s.lines().collect()
    }

    #[test]
    fn disclaimer() {
        let cases = [
            (
                "a\n\n=====================\n\nTHE INFORMATION PROVIDED IN THE MICROSOFT KNOWLEDGE BASE IS\nx",
                2,
            ),
            ("a\nb", 2),
            ("a\n\nCopyright Microsoft Corporation 1999.", 2),
            ("", 0),
        ];
        for (src, want) in cases {
            assert_eq!(disclaimer_start(&ls(src)), want, "{src}");
        }
    }

    #[test]
    fn trailers() {
        let lines = ls(
            "body\n======================\nKeywords          : kbusage \nIssue type        : kbprb\n\n",
        );
        let (end, fields) = split_trailer(&lines, lines.len());
        assert_eq!(end, 1);
        assert_eq!(fields, [("Keywords", "kbusage"), ("Issue type", "kbprb")]);
        let prose = ls("======================\nSome prose here.\nKeywords : x");
        assert_eq!(split_trailer(&prose, prose.len()), (3, vec![]));
        assert_eq!(split_trailer(&[], 0), (0, vec![]));
        assert_eq!(
            trailer_field("Solution Type     : kbfix"),
            Some(("Solution Type", "kbfix"))
        );
        assert_eq!(trailer_field("   show ruler: (yes)"), None);
    }

    #[test]
    fn tails() {
        let lines = ls(
            "text\n\nAdditional query words: a b\nc d\n\nKBCategory: kbx\nmore\n\nAdditional query words:\n",
        );
        let (kept, tail) = take_tail(&lines);
        assert_eq!(kept, ["text", "", "", "more", ""]);
        assert_eq!(tail.query_words, ["a", "b", "c", "d"]);
        assert_eq!(
            tail.fields,
            [TrailerField {
                label: "KBCategory".into(),
                value: "kbx".into()
            }]
        );
    }

    #[test]
    fn headings() {
        let cases = [
            ("SYMPTOMS\n========", true),
            ("MORE INFORMATION\n================", true),
            ("AUDIO PROBLEMS\n===============", true),
            ("3. NOTES ON SETUP\n=================", true),
            ("Sub heading\n===========", false),
            ("   INDENTED\n   ========", false),
            (
                "WINDOWS\n======================================================",
                false,
            ),
            ("SUMMARY\n-------", false),
            ("| A | B |\n=========", false),
            ("SUMMARY", false),
            ("1234\n====", false),
        ];
        for (src, want) in cases {
            assert_eq!(is_heading(&ls(src), 0), want, "{src}");
        }
    }

    #[test]
    fn bodies() {
        let src = "3.50\n\nkbtool\n------------\nThe information in this article applies to:\n\n - Product One,\n   version 1.0\n - Product Two\n------------\n\nSYMPTOMS\n========\n\nIt fails.\n\nCAUSE\n=====\nBad.\n";
        let body = split_body(&ls(src));
        assert_eq!(body.applies_to, ["Product One, version 1.0", "Product Two"]);
        let heads: Vec<&str> = body.sections.iter().map(|(h, _)| h.as_str()).collect();
        assert_eq!(heads, ["SYMPTOMS", "CAUSE"]);
        assert_eq!(body.sections[0].1, ["It fails."]);

        let bare = split_body(&ls("Just text\nhere.\n\nSUMMARY\n=======\nx"));
        assert!(bare.applies_to.is_empty());
        assert_eq!(
            bare.sections[0],
            (String::new(), vec!["Just text", "here."])
        );

        let unframed = split_body(&ls(
            "The information in this article applies to:\n - P\nProse starts.\n",
        ));
        assert_eq!(unframed.applies_to, ["P"]);
        assert_eq!(unframed.sections[0].1, ["Prose starts."]);
        assert_eq!(split_body(&[]), Body::default());
    }

    #[test]
    fn applies_lists() {
        let lines = ls(
            " - MFC, included with:\n    - Product A,\n      version 1\n    - Product B\n - Plain One\n\nNo dash here",
        );
        assert_eq!(
            applies_items(&lines),
            [
                "MFC, included with:",
                "Product A, version 1",
                "Product B",
                "Plain One",
                "No dash here"
            ]
        );
        assert!(applies_items(&[]).is_empty());
    }

    #[test]
    fn header_echo() {
        let cases = [
            ("3.50", true),
            ("WINDOWS", true),
            ("MS-DOS               | WINDOWS", true),
            ("kbusage kbref kbhowto kbfaq", true),
            ("1.x 2.x 3.00 3.00a", true),
            ("", false),
            ("This article discusses a Beta", false),
            ("NOTE: read this", false),
        ];
        for (line, want) in cases {
            assert_eq!(is_header_echo(line), want, "{line}");
        }
        let lines = ls("2.00\nWINDOWS\n\nReal text.\n3.1");
        assert_eq!(skip_header_echo(&lines), ["Real text.", "3.1"]);
    }

    #[test]
    fn texts() {
        assert_eq!(section_text(&["a  ", "   b"]), "a\n   b");
        assert_eq!(trim_blank_lines(&["", "a", " ", "b", ""]), ["a", " ", "b"]);
        assert!(trim_blank_lines(&["", " "]).is_empty());
        assert_eq!(words(" a\tb "), ["a", "b"]);
    }
}
