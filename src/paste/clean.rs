//! Tidying a paste before any recogniser reads it: forum markup, quoting marks and the
//! boilerplate lines Event Viewer adds, none of which is part of the event.

use std::borrow::Cow;

/// Boilerplate sentences Event Viewer appends to a description (lower-cased starts); the
/// line holding one is cut from there on, and a following line holding only its link goes.
const BOILERPLATE: &[&str] = &[
    "for more information, see help and support center at",
    "for more information, click http://www.microsoft.com/contentredirect.asp",
    "for more information, see help and support center",
];

/// The paste without forum markup (`[code]`, `[quote]`, Markdown fences), without a quoting
/// mark that most of its lines share (`> `), and without Event Viewer's help-link lines.
/// Borrowed unchanged when there is nothing to remove.
pub(super) fn tidy(text: &str) -> Cow<'_, str> {
    let quote = shared_quote_mark(text);
    let mut out = String::with_capacity(text.len());
    let mut changed = false;
    let mut after_boilerplate = false;
    for line in text.split_inclusive('\n') {
        let (body, end) = split_end(line);
        let mut t: &str = body;
        if let Some(q) = quote {
            let s = t.trim_start();
            if let Some(rest) = s.strip_prefix(q) {
                t = rest.strip_prefix(' ').unwrap_or(rest);
            }
        }
        let cut = strip_markup(t);
        let cut = cut_boilerplate(&cut, &mut after_boilerplate);
        if cut.len() != body.len() {
            changed = true;
        }
        out.push_str(&cut);
        out.push_str(end);
    }
    if changed {
        Cow::Owned(out)
    } else {
        Cow::Borrowed(text)
    }
}

/// A line and its line break.
fn split_end(line: &str) -> (&str, &str) {
    let body = line.trim_end_matches(['\n', '\r']);
    (body, &line[body.len()..])
}

/// Marks that quote a line: mail and forum quoting, tables, and comment lines of a script.
const MARKS: [char; 3] = ['>', '|', '\''];

/// The quoting mark (`>`, `|` or `'`) that starts most non-blank lines, when one does.
fn shared_quote_mark(text: &str) -> Option<char> {
    let mut lines = 0usize;
    let mut marked = [0usize; 3];
    for line in text.lines().map(str::trim_start).filter(|l| !l.is_empty()) {
        lines += 1;
        for (n, mark) in marked.iter_mut().zip(MARKS) {
            if line.starts_with(mark) {
                *n += 1;
            }
        }
    }
    let at_least = (lines / 2).max(1);
    MARKS
        .into_iter()
        .zip(marked)
        .find(|&(_, n)| n >= at_least)
        .map(|(mark, _)| mark)
}

/// The line without BBCode tags (`[code]`, `[/quote]`, `[quote=name]`) and with a Markdown
/// fence line (```` ``` ````, ```` ```xml ````) emptied.
fn strip_markup(line: &str) -> Cow<'_, str> {
    let t = line.trim();
    if t.starts_with("```") && !t[3..].contains('`') && !t[3..].contains(' ') {
        return Cow::Borrowed("");
    }
    if !line.contains('[') {
        return Cow::Borrowed(line);
    }
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(open) = rest.find('[') {
        out.push_str(&rest[..open]);
        let after = &rest[open..];
        match after.find(']').filter(|&close| is_bbcode(&after[1..close])) {
            Some(close) => rest = &after[close + 1..],
            None => {
                out.push('[');
                rest = &after[1..];
            }
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// Whether the text between brackets is a forum tag.
fn is_bbcode(inner: &str) -> bool {
    let name = inner.trim_start_matches('/');
    let name = name.split(['=', ' ']).next().unwrap_or("");
    [
        "code", "quote", "pre", "font", "color", "size", "spoiler", "noparse",
    ]
    .iter()
    .any(|t| name.eq_ignore_ascii_case(t))
}

/// The line cut where Event Viewer's help sentence starts; a line holding only the link that
/// follows one is emptied.
fn cut_boilerplate<'a>(line: &'a str, after: &mut bool) -> Cow<'a, str> {
    let lower = line.to_ascii_lowercase();
    let was_after = std::mem::take(after);
    if was_after && lower.trim().starts_with("http") && !lower.trim().contains(' ') {
        return Cow::Owned(String::new());
    }
    match BOILERPLATE.iter().find_map(|b| lower.find(b)) {
        Some(at) => {
            *after = true;
            Cow::Owned(line.get(..at).unwrap_or("").trim_end().to_string())
        }
        None => Cow::Owned(line.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tidies_forum_pastes() {
        let cases = [
            ("Event ID: 5\nSource: S", "Event ID: 5\nSource: S"),
            ("[code]Event ID: 5[/code]", "Event ID: 5"),
            ("[quote=bob]Source: S\n[/quote]", "Source: S\n"),
            ("```text\nEvent ID: 5\n```\n", "\nEvent ID: 5\n\n"),
            (
                "> Event ID: 5\n> Source: S\n>\nthanks",
                "Event ID: 5\nSource: S\n\nthanks",
            ),
            (
                "It broke.\nFor more information, see Help and Support Center at\nhttp://go.microsoft.com/fwlink/events.asp.\nData:",
                "It broke.\n\n\nData:",
            ),
            (
                "Disk full. For more information, see Help and Support Center at http://go.microsoft.com/fwlink/events.asp.",
                "Disk full.",
            ),
            ("Array [0] stays", "Array [0] stays"),
            ("a > b\nc\nd", "a > b\nc\nd"),
            (
                "' Event ID: 5 Source: S\n' It broke.\n'",
                "Event ID: 5 Source: S\nIt broke.\n",
            ),
        ];
        for (text, want) in cases {
            assert_eq!(tidy(text), want, "{text:?}");
        }
    }

    #[test]
    fn clean_text_is_borrowed() {
        assert!(matches!(
            tidy("Event ID: 5\r\nSource: S\r\n"),
            Cow::Borrowed(_)
        ));
    }
}
