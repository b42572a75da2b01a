//! What users paste: recognising the format and extracting event fields. Pure, no I/O.
//!
//! Detection order: the event's XML alone, a CSV export (a header row naming columns), the
//! labelled-line layouts (KB articles, Event Viewer, wevtutil, PowerShell), else message text.

mod csv;
mod fields;
mod xml;

use serde::{Deserialize, Serialize};

/// Which tool the user copied from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PasteFormat {
    /// The KB-article layout.
    Kb,
    /// Event Viewer (Vista and later) "Copy details as text".
    Vista,
    /// NT 4.0 / 2000 / XP Event Detail copy.
    Nt4,
    /// `wevtutil qe /f:text`.
    Wevtutil,
    /// `Get-WinEvent | Format-List`.
    Pwsh,
    /// `Get-EventLog | Format-List`.
    Geteventlog,
    /// Event Viewer CSV export.
    Csv,
    /// The event's XML.
    Xml,
    /// Message text alone.
    Message,
    /// Event Viewer's help link (`events.asp?EvtID=…&EvtSrc=…`): an id and a source, never
    /// the message.
    Link,
}

impl PasteFormat {
    /// The human name of the tool the paste came from, for display.
    pub fn label(self) -> &'static str {
        match self {
            PasteFormat::Kb => "KB article layout",
            PasteFormat::Vista => "Event Viewer (Vista and later)",
            PasteFormat::Nt4 => "Event Viewer (NT 4.0, 2000, XP)",
            PasteFormat::Wevtutil => "wevtutil text",
            PasteFormat::Pwsh => "PowerShell Get-WinEvent",
            PasteFormat::Geteventlog => "PowerShell Get-EventLog",
            PasteFormat::Csv => "Event Viewer CSV export",
            PasteFormat::Xml => "Event XML",
            PasteFormat::Message => "Message text",
            PasteFormat::Link => "Event Viewer help link",
        }
    }
}

/// One event recognised in a paste.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PastedEvent {
    /// The format it was recognised in.
    pub format: PasteFormat,
    /// The event id.
    pub event_id: Option<u32>,
    /// The source.
    pub source: Option<String>,
    /// Type / level.
    pub level: Option<String>,
    /// Category.
    pub category: Option<String>,
    /// Log name.
    pub log: Option<String>,
    /// Computer.
    pub computer: Option<String>,
    /// Time.
    pub time: Option<String>,
    /// Description, one line.
    pub description: Option<String>,
}

/// Most events extracted from one paste.
pub const MAX_EVENTS: usize = 20;

/// Parses a paste into up to `MAX_EVENTS` events.
pub fn parse_paste(text: &str) -> Vec<PastedEvent> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
        return Vec::new();
    }
    let mut events = if xml::starts_like_xml(text) {
        xml::parse(text, true)
    } else {
        Vec::new()
    };
    if events.is_empty() {
        events = csv::parse(text);
    }
    if events.is_empty() {
        events = fields::parse(text);
    }
    // XML pasted after a line of prose still counts as XML.
    if events.is_empty() && xml::mentions_event(text) {
        events = xml::parse(text, true);
    }
    if events.is_empty() {
        events.push(PastedEvent::message(text));
    }
    events.truncate(MAX_EVENTS);
    events
}

impl PastedEvent {
    /// A paste recognised as message text only.
    pub fn message(text: &str) -> Self {
        PastedEvent {
            // A byte-order mark is not whitespace but is no part of the message either.
            description: collapse([text.trim_start_matches('\u{feff}')]),
            ..PastedEvent::empty(PasteFormat::Message)
        }
    }

    /// An event of `format` with no fields yet.
    fn empty(format: PasteFormat) -> Self {
        PastedEvent {
            format,
            event_id: None,
            source: None,
            level: None,
            category: None,
            log: None,
            computer: None,
            time: None,
            description: None,
        }
    }
}

/// Joins the words of `pieces` (each may hold several) with single spaces; `None` when there
/// are none.
fn collapse<'a>(pieces: impl IntoIterator<Item = &'a str>) -> Option<String> {
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
fn non_empty(v: &str) -> Option<String> {
    let t = v.trim();
    (!t.is_empty()).then(|| t.to_string())
}

/// The lines of a paste without their line breaks: CRLF, LF, or old Mac CR alone.
fn lines(text: &str) -> impl Iterator<Item = &str> {
    let sep = if text.contains('\n') { '\n' } else { '\r' };
    text.split(sep).map(|l| l.strip_suffix('\r').unwrap_or(l))
}

/// A leading number: decimal digits (`1000`, `1000 (0x3E8)`) or `0x` hex; `None` otherwise
/// or when it does not fit in 64 bits.
fn leading_number(v: &str) -> Option<u64> {
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
fn event_number(v: &str) -> Option<u32> {
    leading_number(v).and_then(|n| u32::try_from(n).ok())
}

/// A label or column name folded for lookup: lowercase, one space between words, typographic
/// apostrophes and the accents of German and French labels folded to ASCII.
fn fold_label(s: &str) -> String {
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
                'à' | 'â' | 'ä' => out.push('a'),
                'î' | 'ï' => out.push('i'),
                'ô' | 'ö' => out.push('o'),
                'û' | 'ü' | 'ù' => out.push('u'),
                'ç' => out.push('c'),
                'ß' => out.push_str("ss"),
                '\u{2019}' | '\u{2018}' | '`' | '´' => out.push('\''),
                other => out.push(other),
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn formats(text: &str) -> Vec<PasteFormat> {
        parse_paste(text).iter().map(|e| e.format).collect()
    }

    #[test]
    fn detects_each_format() {
        use PasteFormat::*;
        let cases: [(&str, PasteFormat); 9] = [
            (
                "Event ID: 68\nSource: MSExchangeCCMC\nType: Error\nCategory: None\nDescription: It failed.",
                Kb,
            ),
            (
                "Log Name:      System\nSource:        Widget\nDate:          1/2/2020 3:04:05 PM\nEvent ID:      12\nTask Category: None\nLevel:         Error\nKeywords:      Classic\nUser:          N/A\nComputer:      HOST\nDescription:\nThe widget broke.",
                Vista,
            ),
            (
                "Event Type:\tError\nEvent Source:\tWidget\nEvent Category:\tNone\nEvent ID:\t12\nDate:\t\t1/2/2020\nTime:\t\t3:04:05 PM\nUser:\t\tN/A\nComputer:\tHOST\nDescription:\nThe widget broke.",
                Nt4,
            ),
            (
                "Event[0]:\n  Log Name: System\n  Source: Widget\n  Event ID: 12\n  Task: N/A\n  Level: Error\n  Description: \nThe widget broke.",
                Wevtutil,
            ),
            (
                "TimeCreated  : 1/2/2020 3:04:05 PM\nProviderName : Widget\nId           : 12\nMessage      : The widget broke.",
                Pwsh,
            ),
            (
                "Index              : 5\nEntryType          : Error\nInstanceId         : 12\nMessage            : The widget broke.\nSource             : Widget",
                Geteventlog,
            ),
            (
                "Level,Date and Time,Source,Event ID,Task Category\nError,1/2/2020 3:04:05 PM,Widget,12,None,The widget broke.",
                Csv,
            ),
            (
                "<Event><System><Provider Name=\"Widget\"/><EventID>12</EventID></System></Event>",
                Xml,
            ),
            ("The widget broke. Event ID 12 was logged.", Message),
        ];
        for (text, want) in cases {
            assert_eq!(formats(text), vec![want], "{text}");
        }
    }

    #[test]
    fn empty_and_blank_pastes_give_nothing() {
        for text in ["", "   \n\t\r\n", "\u{feff}", "\u{feff}  \n"] {
            assert!(parse_paste(text).is_empty(), "{text:?}");
        }
    }

    #[test]
    fn message_collapses_whitespace() {
        let cases = [
            ("  The  widget\r\n\tbroke. ", Some("The widget broke.")),
            ("\u{feff}Access is denied.", Some("Access is denied.")),
            ("   ", None),
        ];
        for (text, want) in cases {
            assert_eq!(PastedEvent::message(text).description.as_deref(), want);
        }
        let events = parse_paste("\u{feff}Access is denied.");
        assert_eq!(events[0].description.as_deref(), Some("Access is denied."));
    }

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

    #[test]
    fn labels_are_named() {
        assert_eq!(PasteFormat::Vista.label(), "Event Viewer (Vista and later)");
        assert_eq!(PasteFormat::Message.label(), "Message text");
    }

    /// Pastes stitched from fragments of every layout by a fixed pseudo-random sequence:
    /// nothing panics, at most `MAX_EVENTS` come back, descriptions are one collapsed line.
    #[test]
    fn stitched_fragments_never_break() {
        const FRAGMENTS: [&str; 34] = [
            "Event ID: ",
            "EventID:",
            "Event: ",
            "Source: ",
            "Description:",
            "Type: ",
            "\n",
            "\r\n",
            "\t",
            " ",
            "7036",
            "1073748860",
            "\"",
            ",",
            "\"\"",
            "Level,Source,Event ID\n",
            "<Event>",
            "</Event>",
            "<EventID>",
            "<Provider Name=\"",
            "&#x",
            "&amp;",
            "é",
            "Event[0]:\n",
            "Message      : ",
            "               ",
            "Data:\n0000: 00 01\n",
            "Event Xml:\n",
            "Log Name: ",
            "TimeCreated : ",
            "InstanceId : ",
            "\u{feff}",
            ":",
            "Ereignis-ID: ",
        ];
        let mut state: u64 = 0x2545_f491_4f6c_dd1d;
        for _ in 0..3000 {
            let mut text = String::new();
            // A small linear congruential generator: deterministic, no dependency.
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1);
            let len = (state >> 59) as usize + 1;
            for _ in 0..len * 3 {
                state = state
                    .wrapping_mul(6_364_136_223_846_793_005)
                    .wrapping_add(1);
                let pick = (state >> 33) as usize % FRAGMENTS.len();
                text.push_str(FRAGMENTS.get(pick).copied().unwrap_or(""));
            }
            let events = parse_paste(&text);
            assert!(events.len() <= MAX_EVENTS, "{text:?}");
            for e in &events {
                if let Some(d) = &e.description {
                    let one_line = !d.is_empty()
                        && d.trim() == d
                        && !d.contains("  ")
                        && !d.contains(['\n', '\r', '\t']);
                    assert!(one_line, "{d:?} from {text:?}");
                }
            }
        }
    }

    #[test]
    fn hostile_pastes_stay_bounded() {
        let unit = 256 * 1024;
        let repeat = |s: &str| s.repeat(unit / s.len() + 1);
        let hostile = [
            repeat("Event ID: 1\n"),
            repeat("Event ID: 1\nSource: S\n"),
            repeat("x"),
            repeat("\"a,\"\"b"),
            format!("Level,Source,Event ID\n{}", repeat("\"\"\",,\n")),
            format!("Level,Source,Event ID\n{}", repeat("Error,S,1\n")),
            repeat("<<<Event"),
            repeat("<Event><EventID>1</EventID></Event>"),
            repeat("<!--"),
            repeat("Event[0]:\n"),
            repeat("Message : a\n"),
            repeat("Description:\n"),
            repeat("Date: 1 Time: 2 Event ID: 3 Source: 4, "),
            repeat("é:ü\u{2019}"),
            repeat("Event Xml:\n<Event>"),
            repeat("Data:\n0000: 00\n"),
            repeat("&#x&#1;&amp"),
        ];
        for text in &hostile {
            let events = parse_paste(text);
            assert!(events.len() <= MAX_EVENTS, "{}", events.len());
            assert!(!events.is_empty());
        }
    }
}
