//! Text helpers shared by the parsers: decoding, whitespace folding and line shapes.

use std::borrow::Cow;

/// Decodes article bytes: UTF-8 where valid, else Windows-1252 (the archive's legacy encoding).
pub fn decode_text(bytes: &[u8]) -> Cow<'_, str> {
    match std::str::from_utf8(bytes) {
        Ok(s) => Cow::Borrowed(s),
        // Windows-1252 maps every byte to a character, so nothing is ever replaced by '?'.
        Err(_) => {
            encoding_rs::WINDOWS_1252
                .decode_without_bom_handling(bytes)
                .0
        }
    }
}

/// Folds an event source for lookup: lowercase with all whitespace removed.
pub fn fold_source(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Joins the words of `s` with single spaces (tabs and line breaks included).
pub fn collapse_ws(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    push_words(&mut out, s);
    out
}

/// Appends the words of `s` to `out`, one space between words, none at the ends.
pub fn push_words(out: &mut String, s: &str) {
    for w in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
}

/// Whether a line holds nothing but whitespace.
pub fn is_blank(line: &str) -> bool {
    line.trim().is_empty()
}

/// The column a line's text starts at; a tab counts as one column, as the files rarely mix them.
pub fn indent(line: &str) -> usize {
    line.len() - line.trim_start().len()
}

/// Whether a line is a rule drawn with `ch` (at least `min` of them, nothing else but spaces).
pub fn is_rule(line: &str, ch: char, min: usize) -> bool {
    let t = line.trim();
    t.len() >= min && t.chars().all(|c| c == ch)
}

/// Splits text into lines without their CR or LF.
pub fn lines(text: &str) -> Vec<&str> {
    text.split('\n')
        .map(|l| l.strip_suffix('\r').unwrap_or(l))
        .collect()
}

/// Cuts running text after each `. `, `? ` or `! ` followed by a capital letter. A period
/// closing an initialism ("U.S. Service Pack", "e.g. Windows") or a lone capital ("drive A.")
/// ends no sentence: cutting there lost the release a STATUS names.
pub fn sentences(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let bytes = text.as_bytes();
    for i in 0..bytes.len() {
        let ends = matches!(bytes[i], b'.' | b'?' | b'!')
            && bytes.get(i + 1) == Some(&b' ')
            && bytes.get(i + 2).is_some_and(|b| b.is_ascii_uppercase())
            && !(bytes[i] == b'.' && is_abbreviation(&text[start..i]));
        if ends {
            out.push(text[start..=i].trim());
            start = i + 1;
        }
    }
    let rest = text[start..].trim();
    if !rest.is_empty() {
        out.push(rest);
    }
    out
}

/// Whether the last word of `before` (the text up to a period) is an initialism ("U.S",
/// "e.g") or a lone letter, whose period is not a full stop; "4.0" is a version, and is.
fn is_abbreviation(before: &str) -> bool {
    let word = before
        .rsplit(char::is_whitespace)
        .next()
        .unwrap_or_default();
    let word = word.trim_start_matches(['(', '"', '\'']);
    // Initialisms have a letter or two between dots; "Import.exe" is a file name and ends
    // a sentence like any word.
    let short =
        |w: &str| (1..=2).contains(&w.chars().count()) && w.chars().all(char::is_alphabetic);
    (word.contains('.') && word.split('.').all(short)) || (word.chars().count() == 1 && short(word))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentences_end_at_full_stops_only() {
        let cases: &[(&str, &[&str])] = &[
            ("One. Two? Three! Four", &["One.", "Two?", "Three!", "Four"]),
            (
                "Fixed in the latest U.S. Service Pack. Install it.",
                &["Fixed in the latest U.S. Service Pack.", "Install it."],
            ),
            (
                "Use a tool (e.g. Regedit) first. Then restart.",
                &["Use a tool (e.g. Regedit) first.", "Then restart."],
            ),
            (
                "Copy it to drive A. Then run it.",
                &["Copy it to drive A. Then run it."],
            ),
            ("Windows NT 4.0. Next", &["Windows NT 4.0.", "Next"]),
            (
                "Run Import.exe. It fails.",
                &["Run Import.exe.", "It fails."],
            ),
            ("no capital. after", &["no capital. after"]),
            ("", &[]),
        ];
        for (text, want) in cases {
            assert_eq!(sentences(text), *want, "{text:?}");
        }
    }

    #[test]
    fn decodes_utf8_and_1252() {
        let cases: [(&[u8], &str); 4] = [
            (b"plain", "plain"),
            (b"Bob\x92s", "Bob\u{2019}s"),
            ("caf\u{e9}".as_bytes(), "caf\u{e9}"),
            (b"caf\xe9 \x93q\x94", "caf\u{e9} \u{201c}q\u{201d}"),
        ];
        for (bytes, want) in cases {
            assert_eq!(decode_text(bytes), want);
        }
    }

    #[test]
    fn folds_sources() {
        let cases = [
            ("MSExchange MTA", "msexchangemta"),
            ("MSExchangeMTA", "msexchangemta"),
            (" SNA\tServer ", "snaserver"),
            ("", ""),
        ];
        for (raw, want) in cases {
            assert_eq!(fold_source(raw), want, "{raw}");
        }
    }

    #[test]
    fn line_shapes() {
        assert_eq!(collapse_ws("  a \t b\n c  "), "a b c");
        assert_eq!(indent("   x"), 3);
        assert_eq!(indent(""), 0);
        assert!(is_rule("=====", '=', 3));
        assert!(!is_rule("==", '=', 3));
        assert!(!is_rule("==-==", '=', 3));
        assert!(is_blank(" \t"));
        assert_eq!(lines("a\r\nb\r\n"), ["a", "b", ""]);
    }
}
