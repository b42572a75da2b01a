//! What users paste: recognising the format and extracting event fields. Pure, no I/O.
//!
//! A paste is tidied (`clean`), then offered to each shape's recogniser in turn (`RECOGNISERS`);
//! the first that finds events wins, and any event whose description is Event Viewer's
//! "description cannot be found" wrapper is unwrapped. Every recogniser has the same
//! signature and reads the text with the helpers in `text`, which call none of them.

mod clean;
mod codes;
mod csv;
mod fields;
mod friendly;
mod prose;
mod rows;
mod syslog;
mod text;
mod wrapper;
mod xml;

pub use codes::error_codes;
use serde::{Deserialize, Serialize};
use text::collapse;

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
    /// A list-view row or a CSV line without its header.
    Row,
    /// A forwarded event: Snare, NXLog, syslog.
    Syslog,
    /// Event Viewer's Friendly View.
    Friendly,
    /// Event Viewer's "description cannot be found" text.
    Wrapper,
    /// An event named in prose: "event 68 from MSExchangeCCMC".
    Prose,
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
            PasteFormat::Row => "Event Viewer list row",
            PasteFormat::Syslog => "Forwarded event (syslog)",
            PasteFormat::Friendly => "Event Viewer Friendly View",
            PasteFormat::Wrapper => "Event Viewer \"description cannot be found\" text",
            PasteFormat::Prose => "Event named in prose",
            PasteFormat::Link => "Event Viewer help link",
        }
    }

    /// Whether the paste's layout dates it to Windows Vista or later.
    pub fn is_vista_or_later(self) -> bool {
        matches!(
            self,
            PasteFormat::Vista
                | PasteFormat::Wevtutil
                | PasteFormat::Pwsh
                | PasteFormat::Xml
                | PasteFormat::Friendly
        )
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

/// One shape's recogniser: the events it finds in a tidied paste, none when the paste is
/// not in its shape.
type Recogniser = fn(&str) -> Vec<PastedEvent>;

/// The recognisers, most specific first. Prose comes last: it reads any text that names an
/// event id, so every layout that says more must have had its turn.
const RECOGNISERS: &[(&str, Recogniser)] = &[
    ("xml", xml_first),
    ("csv", csv::parse),
    ("syslog", syslog::parse),
    ("fields", fields::parse),
    ("rows", rows::parse),
    ("friendly", friendly::parse),
    ("xml after prose", xml_anywhere),
    ("wrapper", wrapper::parse),
    ("prose", prose::parse),
];

/// The event's XML when the paste starts with it.
fn xml_first(text: &str) -> Vec<PastedEvent> {
    if xml::starts_like_xml(text) {
        xml::parse(text, true)
    } else {
        Vec::new()
    }
}

/// The event's XML pasted after a line of prose.
fn xml_anywhere(text: &str) -> Vec<PastedEvent> {
    if xml::mentions_event(text) {
        xml::parse(text, true)
    } else {
        Vec::new()
    }
}

/// Parses a paste into up to `MAX_EVENTS` events.
pub fn parse_paste(text: &str) -> Vec<PastedEvent> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
        return Vec::new();
    }
    let tidy = clean::tidy(text);
    let mut events = RECOGNISERS
        .iter()
        .map(|(_, recognise)| recognise(&tidy))
        .find(|events| !events.is_empty())
        .unwrap_or_else(|| vec![PastedEvent::message(&tidy)]);
    for event in &mut events {
        if wrapper::unwrap(event) && event.format == PasteFormat::Message {
            event.format = PasteFormat::Wrapper;
        }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn formats(text: &str) -> Vec<PasteFormat> {
        parse_paste(text).iter().map(|e| e.format).collect()
    }

    #[test]
    fn detects_each_format() {
        use PasteFormat::*;
        let cases: [(&str, PasteFormat); 10] = [
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
            ("The widget broke. Event ID 12 was logged.", Prose),
            ("The widget broke.", Message),
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
