//! Error codes a paste names, in its fields or its prose: a negative decimal (`-1018`), a
//! symbolic name (`JET_errDiskIO`, `ERROR_ACCESS_DENIED`, `STATUS_IO_TIMEOUT`) or an 8-digit
//! hex status (`0xC000000D`). They are the message's key terms: an article titled for the
//! code is about the error whatever words tell the story around it.

/// Most codes taken from one paste.
pub const MAX_CODES: usize = 8;
/// Bytes of a paste read for codes.
const SCAN_BYTES: usize = 16 * 1024;
/// Prefixes of symbolic error names in Windows headers.
const SYMBOL_PREFIXES: &[&str] = &["ERROR_", "STATUS_", "NERR_", "RPC_S_", "WSAE"];

/// The error codes `text` names, as written, once each (case folded), in order, at most
/// `MAX_CODES`.
pub fn error_codes(text: &str) -> Vec<String> {
    let end = (0..=SCAN_BYTES.min(text.len()))
        .rev()
        .find(|&i| text.is_char_boundary(i))
        .unwrap_or(0);
    let text = &text[..end];
    let mut codes: Vec<String> = Vec::new();
    for (at, token) in tokens(text) {
        if codes.len() >= MAX_CODES {
            break;
        }
        let before = text[..at].chars().next_back();
        let code = negative(token, before).or_else(|| hex(token).or_else(|| symbol(token)));
        if let Some(code) = code
            && !codes.iter().any(|c| c.eq_ignore_ascii_case(code))
        {
            codes.push(code.to_string());
        }
    }
    codes
}

/// The runs of letters, digits, `_` and `-` in `text`, with their byte offsets.
fn tokens(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let is_part = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == '-';
    text.char_indices()
        .filter(move |&(i, c)| is_part(c) && !text[..i].chars().next_back().is_some_and(is_part))
        .map(move |(i, _)| {
            let len = text[i..]
                .find(|c: char| !is_part(c))
                .unwrap_or(text.len() - i);
            (i, &text[i..i + len])
        })
}

/// `-1018`: a minus and 3 to 5 digits standing alone. Not a date or range part (`2003-11`
/// is one token), not a list dash (`- 1018`), not after a word joined by a space dash
/// (`Win-1252` is one token).
fn negative(token: &str, before: Option<char>) -> Option<&str> {
    let digits = token.strip_prefix('-')?;
    let alone = before.is_none_or(|c| c.is_whitespace() || "([\"'/,:;".contains(c));
    (alone && (3..=5).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit()))
        .then_some(token)
}

/// `0xC000000D`: `0x` and exactly eight hex digits (an NTSTATUS, HRESULT or Stop code, not
/// an offset or an address of another width).
fn hex(token: &str) -> Option<&str> {
    let digits = token
        .strip_prefix("0x")
        .or_else(|| token.strip_prefix("0X"))?;
    (digits.len() == 8 && digits.bytes().all(|b| b.is_ascii_hexdigit())).then_some(token)
}

/// `JET_errDiskIO` (a prefix, `_err`, a capital) or `ERROR_DISK_FULL` (a known prefix and
/// capitals): a symbolic error name.
fn symbol(token: &str) -> Option<&str> {
    let token = token.trim_end_matches('-');
    let jet_like = token.find("_err").is_some_and(|i| {
        i > 0
            && token[i + 4..]
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_uppercase())
    });
    let prefixed = SYMBOL_PREFIXES.iter().any(|p| {
        token.len() > p.len() + 2
            && token.starts_with(p)
            && token
                .bytes()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_')
    });
    (jet_like || prefixed).then_some(token)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_named_in_text() {
        let cases: &[(&str, &[&str])] = &[
            (
                "The store quit with error -1205 (JET_errOutOfGizmos) again.",
                &["-1205", "JET_errOutOfGizmos"],
            ),
            (
                "Top three:\n- -1401 JET_errFooBar\n- -1402 JET_errFooBaz",
                &["-1401", "JET_errFooBar", "-1402", "JET_errFooBaz"],
            ),
            (
                "Stop 0xDEAD00AA after the update, then 0xdead00aa again",
                &["0xDEAD00AA"],
            ),
            (
                "CreateFile failed: ERROR_SHARING_VIOLATION; the call said STATUS_GIZMO_GONE.",
                &["ERROR_SHARING_VIOLATION", "STATUS_GIZMO_GONE"],
            ),
            ("Logged on 2003-11-05 with code page Win-1252.", &[]),
            (
                "Temperature fell to -40 overnight; offset 0x00000000003dd000.",
                &[],
            ),
            ("- 1018 items were read; range 10-1018.", &[]),
            ("The ERROR_ prefix and my_error_log are not codes.", &[]),
            ("Pläne: Fehler -1806 im Speicher", &["-1806"]),
        ];
        for (text, want) in cases {
            assert_eq!(error_codes(text), *want, "{text}");
        }
    }

    #[test]
    fn codes_stay_bounded() {
        let many: String = (100..200).map(|n| format!("error -{n}0 ")).collect();
        assert_eq!(error_codes(&many).len(), MAX_CODES);
        assert!(error_codes(&"x".repeat(100_000)).is_empty());
    }
}
