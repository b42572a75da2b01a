//! The `.reg` file that points Event Viewer's help link at this server, and the address it
//! points at. Pure: the handler supplies the address.

use std::fmt;
use std::str::FromStr;

/// The key Event Viewer reads the redirection values from. Microsoft's Vista documentation
/// spells it `EventViewer`; Windows itself reads `Event Viewer`, so the file sets both.
pub const KEYS: [&str; 2] = [
    r"HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\Windows NT\CurrentVersion\Event Viewer",
    r"HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\Windows NT\CurrentVersion\EventViewer",
];

/// Windows XP and Server 2003 show the page in Help and Support Center, which opens the URL
/// given after `online=`: their documented default program and parameters.
pub const XP_PROGRAM: &str = r"%SystemRoot%\PCHealth\HelpCtr\Binaries\HelpCtr.exe";
/// See [`XP_PROGRAM`].
pub const XP_PARAMETERS: &str = "-url hcp://services/redirect?online=";

/// Which Windows the file is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Windows {
    /// Vista and later: no program, so the default browser opens the URL.
    Vista,
    /// XP and Server 2003: Help and Support Center opens it.
    Xp,
}

/// This server's address as users' machines reach it: `http` or `https`, a host, perhaps a
/// port and a path prefix; no trailing slash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicUrl(String);

/// Why an address is not usable as the public URL.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct BadPublicUrl(String);

impl FromStr for PublicUrl {
    type Err = BadPublicUrl;

    /// Accepts `http://` or `https://` then a host of letters, digits, `.`, `-`, `:` and
    /// brackets, then an optional path of printable ASCII without quotes, `?` or `#`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim().trim_end_matches('/');
        let rest = t
            .strip_prefix("https://")
            .or_else(|| t.strip_prefix("http://"))
            .ok_or_else(|| BadPublicUrl(format!("{s:?} must start with http:// or https://")))?;
        let (host, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
        if !valid_host(host) {
            return Err(BadPublicUrl(format!("{s:?} has no valid host name")));
        }
        let path_ok = path
            .bytes()
            .all(|b| b.is_ascii_graphic() && !b"\"'\\?#<>`".contains(&b));
        if !path_ok {
            return Err(BadPublicUrl(format!(
                "{s:?}: the path may hold only plain URL characters"
            )));
        }
        Ok(PublicUrl(t.to_string()))
    }
}

impl PublicUrl {
    /// The address of a request's `Host` header, `None` when it is not a plain host name.
    pub fn from_host(host: &str, https: bool) -> Option<Self> {
        valid_host(host).then(|| {
            let scheme = if https { "https" } else { "http" };
            PublicUrl(format!("{scheme}://{host}"))
        })
    }

    /// The address of a path on this server.
    pub fn join(&self, path: &str) -> String {
        format!("{}{path}", self.0)
    }
}

impl fmt::Display for PublicUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

fn valid_host(host: &str) -> bool {
    !host.is_empty()
        && host.len() <= 255
        && host
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b".-:[]".contains(&b))
}

/// A `.reg` string value: backslashes and quotes escaped.
fn quoted(v: &str) -> String {
    format!("\"{}\"", v.replace('\\', r"\\").replace('"', "\\\""))
}

/// An expandable string (`REG_EXPAND_SZ`) as `.reg` files write one: `hex(2):` and its
/// UTF-16LE bytes with the closing NUL.
fn expandable(v: &str) -> String {
    let bytes: Vec<String> = v
        .encode_utf16()
        .chain([0])
        .flat_map(u16::to_le_bytes)
        .map(|b| format!("{b:02x}"))
        .collect();
    format!("hex(2):{}", bytes.join(","))
}

/// The file's text: the redirection URL set to `url` (this server's `/events.asp`) under
/// both spellings of the key, and the program and its parameters for `windows`.
pub fn reg_text(url: &str, windows: Windows) -> String {
    let (program, parameters, how) = match windows {
        Windows::Vista => (
            quoted(""),
            "",
            "Windows Vista and later: no program, so the default browser opens the link.",
        ),
        Windows::Xp => (
            expandable(XP_PROGRAM),
            XP_PARAMETERS,
            "Windows XP and Server 2003: Help and Support Center opens the link.",
        ),
    };
    let mut out = String::from("Windows Registry Editor Version 5.00\r\n\r\n");
    out.push_str(&format!(
        "; kbfix: Event Viewer's online help link opens {url}\r\n; {how}\r\n"
    ));
    for key in KEYS {
        out.push_str(&format!("\r\n[{key}]\r\n"));
        out.push_str(&format!("\"MicrosoftRedirectionURL\"={}\r\n", quoted(url)));
        out.push_str(&format!("\"MicrosoftRedirectionProgram\"={program}\r\n"));
        out.push_str(&format!(
            "\"MicrosoftRedirectionProgramCommandLineParameters\"={}\r\n",
            quoted(parameters)
        ));
    }
    out
}

/// The file's bytes as Registry Editor writes them: UTF-16LE after a byte-order mark.
pub fn reg_bytes(text: &str) -> Vec<u8> {
    [0xFEFFu16]
        .into_iter()
        .chain(text.encode_utf16())
        .flat_map(u16::to_le_bytes)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn public_urls_are_plain_addresses() {
        for (raw, want) in [
            ("https://kb.example.com", Some("https://kb.example.com")),
            (
                "http://kb.example.com:8080/",
                Some("http://kb.example.com:8080"),
            ),
            (
                "https://example.com/kbfix/",
                Some("https://example.com/kbfix"),
            ),
            ("http://[::1]:3914", Some("http://[::1]:3914")),
            ("kb.example.com", None),
            ("ftp://kb.example.com", None),
            ("https://", None),
            ("https://kb\".example", None),
            ("https://kb.example/a\"b", None),
            ("https://kb.example/a?b", None),
            ("https://kb.example/a b", None),
        ] {
            let got = raw.parse::<PublicUrl>().ok().map(|u| u.to_string());
            assert_eq!(got.as_deref(), want, "{raw}");
        }
        assert_eq!(
            PublicUrl::from_host("kb:3914", false)
                .unwrap()
                .join("/events.asp"),
            "http://kb:3914/events.asp"
        );
        assert!(PublicUrl::from_host("kb\"\r\n[HKEY", true).is_none());
        assert!(PublicUrl::from_host("", true).is_none());
    }

    #[test]
    fn reg_files_set_every_value_under_both_keys() {
        let text = reg_text("https://kb.example/events.asp", Windows::Vista);
        assert!(text.starts_with("Windows Registry Editor Version 5.00\r\n\r\n"));
        for key in KEYS {
            assert!(text.contains(&format!("[{key}]\r\n")), "{key}");
        }
        assert_eq!(
            text.matches("\"MicrosoftRedirectionURL\"=\"https://kb.example/events.asp\"\r\n")
                .count(),
            2
        );
        assert_eq!(
            text.matches("\"MicrosoftRedirectionProgram\"=\"\"\r\n")
                .count(),
            2
        );
        let xp = reg_text("https://kb.example/events.asp", Windows::Xp);
        assert_eq!(
            xp.matches(
                "\"MicrosoftRedirectionProgramCommandLineParameters\"=\"-url hcp://services/redirect?online=\""
            )
            .count(),
            2
        );
        // "%S" of %SystemRoot% in UTF-16LE, and the closing NUL.
        assert!(xp.contains("\"MicrosoftRedirectionProgram\"=hex(2):25,00,53,00,"));
        assert!(xp.contains(",00,00\r\n"));
    }

    #[test]
    fn values_are_escaped_and_the_file_is_utf16() {
        assert_eq!(quoted(r#"a\b"c"#), r#""a\\b\"c""#);
        assert_eq!(expandable("%"), "hex(2):25,00,00,00");
        assert_eq!(reg_bytes("W"), vec![0xFF, 0xFE, b'W', 0]);
    }
}
