//! Event Viewer's query string, read by hand: names in any case, repeated or odd parameters
//! and bad percent-escapes never refuse the request, and the event id and source are parsed
//! once here into an [`EventQuery`].

use crate::matcher::EventQuery;

/// Longest source accepted; a longer one is no event source.
const MAX_SOURCE: usize = 256;
/// Longest product, version or type kept; longer ones are ignored.
const MAX_DETAIL: usize = 200;

/// The decoded `name=value` pairs of a query string, names lower-cased, in order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Params(Vec<(String, String)>);

impl Params {
    /// Splits a raw query (without the `?`) on `&`, each pair on its first `=`, and decodes
    /// `+` and `%XX`; a `%` not followed by two hex digits is kept as it is, and bytes that
    /// are not UTF-8 become U+FFFD.
    pub fn parse(raw: &str) -> Self {
        let pairs = raw
            .split('&')
            .filter(|p| !p.is_empty())
            .map(|p| {
                let (name, value) = p.split_once('=').unwrap_or((p, ""));
                (decode(name).trim().to_lowercase(), decode(value))
            })
            .collect();
        Params(pairs)
    }

    /// The first non-blank value of any of `names` (lower-case), trimmed: Event Viewer sends
    /// each once, so a repeated parameter is read as its first sending.
    pub fn get(&self, names: &[&str]) -> Option<&str> {
        self.0
            .iter()
            .filter(|(n, _)| names.contains(&n.as_str()))
            .map(|(_, v)| v.trim())
            .find(|v| !v.is_empty())
    }

    /// A short optional detail (product, version, type): `None` when missing, too long or
    /// holding control characters.
    pub fn detail(&self, names: &[&str]) -> Option<String> {
        self.get(names)
            .filter(|v| v.chars().count() <= MAX_DETAIL && !v.chars().any(char::is_control))
            .map(|v| v.split_whitespace().collect::<Vec<_>>().join(" "))
    }
}

fn decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let hex = |j: usize| bytes.get(j).and_then(|c| (*c as char).to_digit(16));
        match (b, hex(i + 1), hex(i + 2)) {
            (b'%', Some(h), Some(l)) => {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
            (b'+', _, _) => out.push(b' '),
            _ => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Why a link names no event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkProblem {
    /// No event id was sent.
    MissingId,
    /// The event id is not a number that fits in 32 bits.
    BadId(String),
    /// No source was sent.
    MissingSource,
    /// The source is too long or holds control characters.
    BadSource(String),
}

impl LinkProblem {
    /// What went wrong, for a person, naming the parameters as `names` calls them; values
    /// are cut short, never echoed whole.
    pub fn message(&self, names: &Names) -> String {
        let (id, source) = names.labels;
        match self {
            LinkProblem::MissingId => format!("The link names no event id ({id})."),
            LinkProblem::BadId(v) => format!(
                "\"{}\" is not an event id ({id}): event ids are whole numbers such as 68.",
                short(v)
            ),
            LinkProblem::MissingSource => format!("The link names no event source ({source})."),
            LinkProblem::BadSource(v) => {
                format!("\"{}\" is not an event source ({source}).", short(v))
            }
        }
    }
}

/// At most 60 characters of `v`, marked when cut.
pub fn short(v: &str) -> String {
    let mut s: String = v.chars().filter(|c| !c.is_control()).take(60).collect();
    if v.chars().count() > 60 {
        s.push('…');
    }
    s
}

/// An event id as Event Viewer may send it: decimal, `0x` hex or a negative 32-bit number;
/// above 65535 the high bits are qualifiers (as in `InstanceId`) and only the low 16 bits
/// are the event id: 3221225540 (0xC0000044) is event 68.
pub fn event_id(raw: &str) -> Option<u32> {
    let t = raw.trim();
    let n: u32 = if let Some(hex) = t.strip_prefix("0x").or_else(|| t.strip_prefix("0X")) {
        u32::from_str_radix(hex, 16).ok()?
    } else if let Some(neg) = t.strip_prefix('-') {
        let n: i64 = neg.parse().ok()?;
        i32::try_from(-n).ok()? as u32
    } else {
        t.parse().ok()?
    };
    Some(if n > 0xFFFF { n & 0xFFFF } else { n })
}

/// The event a link names, under the parameter names given (`evtid`, `evtsrc`, …).
pub struct Names<'a> {
    /// The event id.
    pub id: &'a [&'a str],
    pub source: &'a [&'a str],
    /// The event type.
    pub level: &'a [&'a str],
    pub product: &'a [&'a str],
    /// The product's version.
    pub version: &'a [&'a str],
    /// How messages name the id and source parameters.
    pub labels: (&'a str, &'a str),
}

/// Event Viewer's own names.
pub const EVENT_VIEWER: Names<'static> = Names {
    id: &["evtid"],
    source: &["evtsrc"],
    level: &["evttype"],
    product: &["prodname"],
    version: &["prodver"],
    labels: ("EvtID", "EvtSrc"),
};

/// The JSON twin's names (and the Troubleshoot form's).
pub const API: Names<'static> = Names {
    id: &["id"],
    source: &["source"],
    level: &["type"],
    product: &["product"],
    version: &["version"],
    labels: ("id", "source"),
};

/// The event named by `p`, or why it names none.
pub fn event_query(p: &Params, names: &Names) -> Result<EventQuery, LinkProblem> {
    let raw_id = p.get(names.id).ok_or(LinkProblem::MissingId)?;
    let event_id = event_id(raw_id).ok_or_else(|| LinkProblem::BadId(raw_id.to_string()))?;
    let raw_source = p.get(names.source).ok_or(LinkProblem::MissingSource)?;
    if raw_source.chars().count() > MAX_SOURCE || raw_source.chars().any(char::is_control) {
        return Err(LinkProblem::BadSource(raw_source.to_string()));
    }
    Ok(EventQuery {
        event_id,
        source: raw_source.split_whitespace().collect::<Vec<_>>().join(" "),
        level: p.detail(names.level),
        product: p.detail(names.product),
        version: p.detail(names.version),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queries_decode_leniently() {
        for (raw, name, want) in [
            (
                "EvtSrc=MSExchangeCCMC&EvtID=68",
                "evtsrc",
                Some("MSExchangeCCMC"),
            ),
            (
                "ProdName=Microsoft%20Exchange",
                "prodname",
                Some("Microsoft Exchange"),
            ),
            (
                "ProdName=Microsoft+Exchange",
                "prodname",
                Some("Microsoft Exchange"),
            ),
            ("EVTSRC=a&evtsrc=b", "evtsrc", Some("a")),
            ("evtsrc=&EvtSrc=b", "evtsrc", Some("b")),
            ("EvtSrc=100%", "evtsrc", Some("100%")),
            ("EvtSrc=%zz%4", "evtsrc", Some("%zz%4")),
            ("EvtSrc=%C3%A9v%C3%A9nement", "evtsrc", Some("événement")),
            ("EvtSrc=%FF", "evtsrc", Some("\u{fffd}")),
            ("Evt%53rc=x", "evtsrc", Some("x")),
            ("EvtSrc", "evtsrc", None),
            ("&&=&EvtSrc==x", "evtsrc", Some("=x")),
            ("", "evtsrc", None),
        ] {
            assert_eq!(Params::parse(raw).get(&[name]), want, "{raw}");
        }
    }

    #[test]
    fn event_ids_lose_their_qualifier_bits() {
        for (raw, want) in [
            ("68", Some(68)),
            (" 68 ", Some(68)),
            ("3221225540", Some(68)),
            ("0xC0000044", Some(68)),
            ("-1073741756", Some(68)),
            ("1073748860", Some(7036)),
            ("65535", Some(65535)),
            ("0", Some(0)),
            ("4294967296", None),
            ("68abc", None),
            ("abc", None),
            ("", None),
            ("-", None),
            ("6.8", None),
        ] {
            assert_eq!(event_id(raw), want, "{raw}");
        }
    }

    #[test]
    fn links_name_an_event_or_say_why_not() {
        let q = |raw: &str| event_query(&Params::parse(raw), &EVENT_VIEWER);
        let ok = q("EvtSrc=MSExchange%20%20CCMC&EvtID=68&ProdName=Microsoft%20Exchange&ProdVer=5.5&LCID=1033")
            .unwrap();
        assert_eq!(ok.event_id, 68);
        assert_eq!(ok.source, "MSExchange CCMC");
        assert_eq!(ok.product.as_deref(), Some("Microsoft Exchange"));
        assert_eq!(ok.version.as_deref(), Some("5.5"));
        assert_eq!(ok.level, None);
        assert_eq!(q("EvtSrc=x"), Err(LinkProblem::MissingId));
        assert_eq!(q("EvtID=68"), Err(LinkProblem::MissingSource));
        assert_eq!(
            q("EvtID=sixty&EvtSrc=x"),
            Err(LinkProblem::BadId("sixty".into()))
        );
        let long = format!("EvtID=1&EvtSrc={}", "s".repeat(2048));
        assert!(matches!(q(&long), Err(LinkProblem::BadSource(_))));
        let long = format!("EvtID=1&EvtSrc=x&ProdName={}", "p".repeat(2048));
        assert_eq!(q(&long).unwrap().product, None);
        let message = LinkProblem::BadSource("s".repeat(2048)).message(&EVENT_VIEWER);
        assert!(
            message.len() < 200 && message.contains("(EvtSrc)"),
            "{message}"
        );
        assert!(LinkProblem::MissingId.message(&API).contains("(id)"));
    }
}
