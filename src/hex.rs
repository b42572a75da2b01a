//! Lower-case hex for bytes, and back: session ids, cookie signatures and nonces, client
//! keys. A leaf: it imports nothing from the crate, and every layer may use it.

use std::fmt::Write;

/// `bytes` as lower-case hex, two digits a byte.
pub fn encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(out, "{b:02x}");
    }
    out
}

/// The bytes of an even-length hex string (either case); `None` for anything else.
pub fn decode(s: &str) -> Option<Vec<u8>> {
    if !s.len().is_multiple_of(2) || !s.is_ascii() {
        return None;
    }
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_refuses_what_is_not_hex() {
        for (bytes, text) in [
            (&[][..], ""),
            (&[0x00][..], "00"),
            (&[0x0f, 0xa0, 0xff][..], "0fa0ff"),
        ] {
            assert_eq!(encode(bytes), text);
            assert_eq!(decode(text).as_deref(), Some(bytes));
        }
        assert_eq!(decode("0FA0FF"), Some(vec![0x0f, 0xa0, 0xff]));
        for bad in ["0", "abc", "zz", "é1", "0x12"] {
            assert_eq!(decode(bad), None, "{bad}");
        }
    }
}
