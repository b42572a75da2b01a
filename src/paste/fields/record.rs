//! One event being collected from labelled lines: its fields, where its description stands,
//! and the format its labels point to.

use super::labels::*;
use crate::paste::text::{collapse, event_number, non_empty};
use crate::paste::{PasteFormat, PastedEvent, xml};

/// Most trailing description lines moved to the next event when its id shows up.
const MAX_CARRIED: usize = 12;

/// Where a record's description stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Desc {
    /// No description label yet.
    None,
    /// A bare label; the text may come on the next lines or after blank lines.
    Waiting,
    /// Text is being collected.
    Open,
    /// Done.
    Closed,
}

/// The fields of one event being collected, borrowed from the paste.
#[derive(Debug)]
pub(super) struct Record<'a> {
    pub(super) event_id: Option<u32>,
    pub(super) instance_id: Option<u32>,
    pub(super) source: Option<&'a str>,
    pub(super) level: Option<&'a str>,
    pub(super) level_name: Option<&'a str>,
    pub(super) category: Option<&'a str>,
    pub(super) task_name: Option<&'a str>,
    pub(super) log: Option<&'a str>,
    pub(super) computer: Option<&'a str>,
    pub(super) date: Option<&'a str>,
    pub(super) time: Option<&'a str>,
    pub(super) desc: Vec<&'a str>,
    pub(super) desc_state: Desc,
    /// Format-List rules for the description: continuation lines are indented.
    pub(super) desc_list: bool,
    pub(super) desc_indent: usize,
    pub(super) blank_in_desc: bool,
    /// Keys seen, one bit each, so a repeated key starts the next event.
    pub(super) seen: u32,
    /// Rows of `LABELS` seen for keys not tracked by `seen`.
    pub(super) seen_rows: Rows,
    /// Keys found inside another label's value: counted, but repeating them on a line of
    /// their own corrects them rather than starting the next event.
    pub(super) seen_inline: u32,
    pub(super) hints: Hint,
    pub(super) wevtutil: bool,
    pub(super) in_data: bool,
    pub(super) xml: Option<String>,
    pub(super) xml_done: bool,
}

impl<'a> Record<'a> {
    /// An empty record.
    pub(super) fn new() -> Self {
        Record {
            event_id: None,
            instance_id: None,
            source: None,
            level: None,
            level_name: None,
            category: None,
            task_name: None,
            log: None,
            computer: None,
            date: None,
            time: None,
            desc: Vec::new(),
            desc_state: Desc::None,
            desc_list: false,
            desc_indent: 0,
            blank_in_desc: false,
            seen: 0,
            seen_rows: Rows::default(),
            seen_inline: 0,
            hints: 0,
            wevtutil: false,
            in_data: false,
            xml: None,
            xml_done: false,
        }
    }

    /// The bit a key is tracked by; `Description` and `Message` share one.
    pub(super) fn bit(key: Key) -> u32 {
        match key {
            Key::EventId => 1,
            Key::InstanceId => 2,
            Key::Source => 4,
            Key::Level => 8,
            Key::LevelName => 16,
            Key::Category => 32,
            Key::TaskName => 64,
            Key::Log => 128,
            Key::Computer => 256,
            Key::Date => 512,
            Key::Time => 1024,
            Key::Description | Key::Message => 2048,
            Key::EventXml => 4096,
            // Repeating these (`User:` and `User Name:`, several `Data:`) is normal.
            Key::Data | Key::Other => 0,
        }
    }

    /// Whether the key was seen on a line of its own.
    pub(super) fn has(&self, key: Key) -> bool {
        self.seen & Record::bit(key) != 0
    }

    /// Whether the key was seen on a line of its own or inside a value.
    pub(super) fn seen_any(&self, key: Key) -> bool {
        (self.seen | self.seen_inline) & Record::bit(key) != 0
    }

    /// Whether this label was seen: by key, or by row for the untracked keys.
    pub(super) fn repeats(&self, l: &Labelled) -> bool {
        match l.key {
            Key::Data | Key::Other => self.seen_rows.has(l.row),
            key => self.has(key),
        }
    }

    /// A tool's copy (not an article's quote): its description may hold blank lines and
    /// labelled lines of its own, and ends only where the tool's layout says.
    pub(super) fn is_tool_copy(&self) -> bool {
        self.format() != PasteFormat::Kb
    }

    /// Whether a labelled line ends an open description instead of belonging to it.
    pub(super) fn ends_description(&self, l: &Labelled) -> bool {
        match l.key {
            Key::EventXml => true,
            Key::Data => l.value.trim().is_empty() || is_hex_line(l.value),
            // PowerShell's bare `Id:` ends only a PowerShell record's message; in other
            // descriptions it is text (`Attribute ID: 28`).
            Key::EventId | Key::InstanceId => {
                event_number(l.value).is_some()
                    && (l.hint & (PWSH | GEL) == 0 || self.hints & (PWSH | GEL) != 0)
            }
            Key::Source | Key::Level | Key::Category | Key::Description | Key::Log => {
                !self.is_tool_copy()
            }
            _ => false,
        }
    }

    /// Takes the labelled header lines trailing the description: they belong to the next
    /// event, whose id has just shown up (Vista's `Log Name:`, `Source:` come before it).
    pub(super) fn take_carried(&mut self) -> Vec<&'a str> {
        let mut carried = Vec::new();
        // The carried lines must read as one header: no key twice.
        let mut keys = Record::new();
        while carried.len() < MAX_CARRIED {
            let Some(&last) = self.desc.last() else {
                break;
            };
            let header = last.trim().is_empty()
                || label_of(last).is_some_and(|l| {
                    let fits = !matches!(l.key, Key::Description | Key::Message | Key::EventId)
                        && !keys.repeats(&l);
                    keys.seen |= Record::bit(l.key);
                    keys.seen_rows.set(l.row);
                    fits
                });
            if !header {
                break;
            }
            carried.push(last);
            self.desc.pop();
        }
        carried.reverse();
        carried
    }

    /// The layout this record was written in.
    pub(super) fn format(&self) -> PasteFormat {
        let h = self.hints;
        if h & GEL != 0 || self.has(Key::InstanceId) {
            PasteFormat::Geteventlog
        } else if h & PWSH != 0 {
            PasteFormat::Pwsh
        } else if self.wevtutil || (h & WEVT != 0 && h & VISTA == 0) {
            PasteFormat::Wevtutil
        } else if h & (VISTA | TOOL) != 0 {
            PasteFormat::Vista
        } else if self.desc_list {
            // A `Message` property says PowerShell even when no other property names the
            // cmdlet; Get-EventLog spells its id `EventID`.
            let gel_id = lookup("eventid").is_some_and(|(_, _, row)| self.seen_rows.has(row));
            if gel_id {
                PasteFormat::Geteventlog
            } else {
                PasteFormat::Pwsh
            }
        } else if h & NT4 != 0
            && (h & HOST != 0 || self.seen_any(Key::Date) || self.seen_any(Key::Time))
        {
            PasteFormat::Nt4
        } else {
            PasteFormat::Kb
        }
    }

    /// The event, when the record holds enough to be one: an id, or a source and another
    /// field, or three fields.
    pub(super) fn finish(self) -> Option<PastedEvent> {
        let fields = ((self.seen | self.seen_inline) & !Record::bit(Key::EventXml)).count_ones();
        let mut event = PastedEvent::empty(self.format());
        event.event_id = self.event_id.or(self.instance_id);
        event.source = self.source.and_then(non_empty);
        event.level = self.level_name.or(self.level).and_then(non_empty);
        event.category = self.task_name.or(self.category).and_then(non_empty);
        event.log = self.log.and_then(non_empty);
        event.computer = self.computer.and_then(non_empty);
        event.time = match (self.date, self.time) {
            (Some(d), Some(t)) => collapse([d, t]),
            (d, t) => d.or(t).and_then(non_empty),
        };
        event.description = collapse(self.desc.iter().copied());
        // Under `Event Xml:` alone (the rest of the copy left out) the XML is the paste.
        let xml_only = fields == 0;
        if xml_only {
            event.format = PasteFormat::Xml;
        }
        if let Some(from_xml) = self
            .xml
            .as_deref()
            // A copy's own description stands, even when empty: the insertion strings are no
            // better (measured on the dev pastes).
            .and_then(|x| xml::parse(x, xml_only).into_iter().next())
        {
            fill(&mut event, from_xml);
        }
        let enough =
            event.event_id.is_some() || (fields >= 2 && event.source.is_some()) || fields >= 3;
        enough.then_some(event)
    }
}

/// Fills the fields the text left out from the event's XML (never the format).
pub(super) fn fill(event: &mut PastedEvent, from: PastedEvent) {
    event.event_id = event.event_id.or(from.event_id);
    let take = |a: &mut Option<String>, b: Option<String>| {
        if a.is_none() {
            *a = b;
        }
    };
    take(&mut event.source, from.source);
    take(&mut event.level, from.level);
    take(&mut event.category, from.category);
    take(&mut event.log, from.log);
    take(&mut event.computer, from.computer);
    take(&mut event.time, from.time);
    take(&mut event.description, from.description);
}
