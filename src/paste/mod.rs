//! What users paste: recognising the format and extracting event fields. Pure, no I/O.
//! (placeholder until the paste parser lands: every paste is a message)

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
}

impl PasteFormat {
    /// What the user copied from, in words.
    pub fn label(self) -> &'static str {
        match self {
            PasteFormat::Kb => "KB article layout",
            PasteFormat::Vista => "Event Viewer (Vista and later)",
            PasteFormat::Nt4 => "Event Viewer (NT 4.0 / 2000 / XP)",
            PasteFormat::Wevtutil => "wevtutil text",
            PasteFormat::Pwsh => "PowerShell Get-WinEvent",
            PasteFormat::Geteventlog => "PowerShell Get-EventLog",
            PasteFormat::Csv => "Event Viewer CSV export",
            PasteFormat::Xml => "event XML",
            PasteFormat::Message => "message text",
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
    let collapsed = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if collapsed.is_empty() {
        return Vec::new();
    }
    vec![PastedEvent {
        format: PasteFormat::Message,
        event_id: None,
        source: None,
        level: None,
        category: None,
        log: None,
        computer: None,
        time: None,
        description: Some(collapsed),
    }]
}

impl PastedEvent {
    /// A paste recognised as message text only.
    pub fn message(text: &str) -> Self {
        PastedEvent {
            format: PasteFormat::Message,
            event_id: None,
            source: None,
            level: None,
            category: None,
            log: None,
            computer: None,
            time: None,
            description: Some(text.split_whitespace().collect::<Vec<_>>().join(" "))
                .filter(|d| !d.is_empty()),
        }
    }
}
