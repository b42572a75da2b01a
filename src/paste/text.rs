//! Text helpers shared by every recogniser: joining words, reading numbers, splitting lines
//! and folding labels. They sit beneath the recognisers and call none of them.

/// Joins the words of `pieces` (each may hold several) with single spaces; `None` when there
/// are none.
pub(crate) fn collapse<'a>(pieces: impl IntoIterator<Item = &'a str>) -> Option<String> {
    let mut out = String::new();
    for piece in pieces {
        for w in piece.split_whitespace() {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(w);
        }
    }
    (!out.is_empty()).then_some(out)
}

/// A trimmed value, `None` when empty.
pub(crate) fn non_empty(v: &str) -> Option<String> {
    let t = v.trim();
    (!t.is_empty()).then(|| t.to_string())
}

/// The lines of a paste without their line breaks: CRLF, LF, or old Mac CR alone.
pub(crate) fn lines(text: &str) -> impl Iterator<Item = &str> {
    let sep = if text.contains('\n') { '\n' } else { '\r' };
    text.split(sep).map(|l| l.strip_suffix('\r').unwrap_or(l))
}

/// A leading number: decimal digits (`1000`, `1000 (0x3E8)`) or `0x` hex; `None` otherwise
/// or when it does not fit in 64 bits.
pub(crate) fn leading_number(v: &str) -> Option<u64> {
    let t = v.trim_start();
    if let Some(hex) = t.strip_prefix("0x").or_else(|| t.strip_prefix("0X")) {
        let n = hex.bytes().take_while(u8::is_ascii_hexdigit).count();
        return hex
            .get(..n)
            .filter(|h| !h.is_empty() && h.len() <= 16)
            .and_then(|h| u64::from_str_radix(h, 16).ok());
    }
    let n = t.bytes().take_while(u8::is_ascii_digit).count();
    t.get(..n)
        .filter(|d| !d.is_empty() && d.len() <= 20)
        .and_then(|d| d.parse().ok())
}

/// A leading event id that fits in 32 bits.
pub(crate) fn event_number(v: &str) -> Option<u32> {
    leading_number(v).and_then(|n| u32::try_from(n).ok())
}

/// A label or column name folded for lookup: lowercase, one space between words, typographic
/// apostrophes and the accents of German and French labels folded to ASCII.
pub(crate) fn fold_label(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for c in s.trim().chars() {
        if c.is_whitespace() {
            space = true;
            continue;
        }
        if space && !out.is_empty() {
            out.push(' ');
        }
        space = false;
        for l in c.to_lowercase() {
            match l {
                'é' | 'è' | 'ê' | 'ë' => out.push('e'),
                'à' | 'â' | 'ä' | 'á' | 'ã' => out.push('a'),
                'î' | 'ï' | 'í' => out.push('i'),
                'ô' | 'ö' | 'ó' | 'õ' => out.push('o'),
                'û' | 'ü' | 'ù' | 'ú' => out.push('u'),
                'ç' => out.push('c'),
                'ñ' => out.push('n'),
                // Full-width letters and digits of Japanese text fold to ASCII.
                '\u{ff01}'..='\u{ff5e}' => {
                    out.extend(char::from_u32(u32::from(l) - 0xfee0));
                }
                'ß' => out.push_str("ss"),
                '\u{2019}' | '\u{2018}' | '`' | '´' => out.push('\''),
                other => out.push(other),
            }
        }
    }
    out
}

/// Words before a bare "ID" that make it some other id (a process's, a logon's).
const OTHER_IDS: &[&str] = &[
    "process",
    "handle",
    "operation",
    "port",
    "thread",
    "session",
    "logon",
    "user",
    "job",
    "record",
    "task",
    "activity",
    "correlation",
    "instance",
    "report",
    "security",
    "package",
    "vendor",
    "device",
    "product",
    "class",
    "app",
    "application",
    "interface",
    "object",
    "transaction",
    "request",
    "client",
    "provider",
    "group",
    "bug",
    "issue",
    "case",
    "ticket",
    "build",
    "sub",
    "message",
];

/// Whether a bare "id" follows a word that makes it some other kind of id (`before` is the
/// text up to the "id").
pub(crate) fn other_id(before: &str) -> bool {
    let prev = before
        .trim_end()
        .rsplit(|c: char| !c.is_alphanumeric())
        .next()
        .unwrap_or("");
    OTHER_IDS.iter().any(|w| w.eq_ignore_ascii_case(prev))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers() {
        let cases: [(&str, Option<u64>); 8] = [
            ("68", Some(68)),
            ("  1000 (0x3E8)", Some(1000)),
            ("0x3E8", Some(1000)),
            ("7036,", Some(7036)),
            ("none", None),
            ("", None),
            ("0x", None),
            ("99999999999999999999999", None),
        ];
        for (v, want) in cases {
            assert_eq!(leading_number(v), want, "{v}");
        }
        assert_eq!(event_number("4294967296"), None);
    }

    #[test]
    fn folds_labels() {
        let cases = [
            ("Event  ID ", "event id"),
            ("ID de l’événement", "id de l'evenement"),
            ("Catégorie de la tâche", "categorie de la tache"),
            ("Schlüsselwörter", "schlusselworter"),
            ("\tLog\tName", "log name"),
        ];
        for (s, want) in cases {
            assert_eq!(fold_label(s), want);
        }
    }

    #[test]
    fn line_endings() {
        let cases: [(&str, Vec<&str>); 3] = [
            ("a\r\nb\r\n", vec!["a", "b", ""]),
            ("a\rb", vec!["a", "b"]),
            ("a\nb", vec!["a", "b"]),
        ];
        for (text, want) in cases {
            assert_eq!(lines(text).collect::<Vec<_>>(), want);
        }
    }
}
