//! Labelled-line layouts: KB articles, Event Viewer copies (Vista and NT 4.0), wevtutil text
//! and PowerShell Format-List, read with one label table and one line-by-line state machine.

use super::{
    MAX_EVENTS, PasteFormat, PastedEvent, collapse, event_number, fold_label, leading_number,
    lines, non_empty, xml,
};

/// What a label names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Key {
    /// `Event ID`, `Id`, `EventID`, `Ereignis-ID`, ...
    EventId,
    /// `InstanceId` of Get-EventLog: the id with its qualifier bits.
    InstanceId,
    /// `Source`, `ProviderName`, `Quelle`, ...
    Source,
    /// `Type`, `Level`, `EntryType`, `Ebene`, ...
    Level,
    /// `LevelDisplayName`: wins over the numeric `Level` of `Format-List *`.
    LevelName,
    /// `Category`, `Task Category`, `Task`, ...
    Category,
    /// `TaskDisplayName`: wins over the numeric `Task`.
    TaskName,
    /// `Log Name`, `LogName`, `Protokollname`, `Journal`, ...
    Log,
    /// `Computer`, `MachineName`, `Ordinateur`.
    Computer,
    /// `Date`, `TimeCreated`, `TimeGenerated`, `Datum`, ...
    Date,
    /// NT 4.0's separate `Time`.
    Time,
    /// `Description` and the following lines.
    Description,
    /// Format-List's `Message`: continuation lines are indented to the value column.
    Message,
    /// NT 4.0's `Data:` with hex lines under it; not description.
    Data,
    /// Vista's `Event Xml:` with the XML under it.
    EventXml,
    /// Known labels whose values are not kept (`User`, `Keywords`, `Index`, ...).
    Other,
}

/// Which layouts use a label; a record's hints decide its format.
type Hint = u8;
const ANY: Hint = 0;
/// Vista or wevtutil (`Log Name`, `Level`).
const TOOL: Hint = 1;
const VISTA: Hint = 2;
const WEVT: Hint = 4;
const NT4: Hint = 8;
const PWSH: Hint = 16;
const GEL: Hint = 32;
/// `Computer`, `User`: a tool's copy rather than an article's quote.
const HOST: Hint = 64;
/// A label that may also stand inside a value (`Date: 1/1/99   Event ID: 9`), as in
/// one-line blocks and the two-column NT 4.0 dialog that KB articles quote.
const INLINE: Hint = 128;

/// Label spellings, folded (see `fold_label`), with what they name and where they are used.
const LABELS: &[(&str, Key, Hint)] = &[
    ("event id", Key::EventId, INLINE),
    ("eventid", Key::EventId, INLINE),
    ("event", Key::EventId, INLINE),
    ("id", Key::EventId, PWSH),
    ("ereignis-id", Key::EventId, INLINE),
    ("ereignis id", Key::EventId, INLINE),
    ("ereigniskennung", Key::EventId, NT4 | INLINE),
    ("id de l'evenement", Key::EventId, INLINE),
    ("instanceid", Key::InstanceId, GEL),
    ("source", Key::Source, INLINE),
    ("event source", Key::Source, NT4 | INLINE),
    ("quelle", Key::Source, INLINE),
    ("ereignisquelle", Key::Source, NT4 | INLINE),
    ("source de l'evenement", Key::Source, NT4 | INLINE),
    ("providername", Key::Source, PWSH),
    ("type", Key::Level, INLINE),
    ("typ", Key::Level, INLINE),
    ("event type", Key::Level, NT4 | INLINE),
    ("ereignistyp", Key::Level, NT4 | INLINE),
    ("type de l'evenement", Key::Level, NT4 | INLINE),
    ("level", Key::Level, TOOL),
    ("ebene", Key::Level, TOOL),
    ("niveau", Key::Level, TOOL),
    ("entrytype", Key::Level, GEL),
    ("leveldisplayname", Key::LevelName, PWSH),
    ("category", Key::Category, INLINE),
    ("event category", Key::Category, NT4 | INLINE),
    ("ereigniskategorie", Key::Category, NT4 | INLINE),
    ("categorie de l'evenement", Key::Category, NT4 | INLINE),
    ("kategorie", Key::Category, INLINE),
    ("categorie", Key::Category, INLINE),
    ("task category", Key::Category, VISTA),
    ("aufgabenkategorie", Key::Category, VISTA),
    ("categorie de la tache", Key::Category, VISTA),
    ("task", Key::Category, WEVT),
    ("taskdisplayname", Key::TaskName, PWSH),
    ("log name", Key::Log, TOOL),
    ("protokollname", Key::Log, TOOL),
    ("protokoll", Key::Log, TOOL),
    ("nom du journal", Key::Log, TOOL),
    ("journal", Key::Log, TOOL),
    ("event log", Key::Log, INLINE),
    ("logname", Key::Log, PWSH),
    ("computer", Key::Computer, HOST | INLINE),
    ("ordinateur", Key::Computer, HOST | INLINE),
    ("machinename", Key::Computer, ANY),
    ("computer name", Key::Computer, HOST | INLINE),
    ("date", Key::Date, INLINE),
    ("datum", Key::Date, INLINE),
    ("timecreated", Key::Date, PWSH),
    ("timegenerated", Key::Date, GEL),
    ("time", Key::Time, INLINE),
    ("zeit", Key::Time, NT4 | INLINE),
    ("uhrzeit", Key::Time, INLINE),
    ("heure", Key::Time, NT4 | INLINE),
    ("description", Key::Description, INLINE),
    ("message text", Key::Description, INLINE),
    ("beschreibung", Key::Description, INLINE),
    ("message", Key::Message, ANY),
    ("data", Key::Data, ANY),
    ("daten", Key::Data, NT4),
    ("donnees", Key::Data, NT4),
    ("event xml", Key::EventXml, VISTA),
    ("ereignis-xml", Key::EventXml, VISTA),
    ("xml de l'evenement", Key::EventXml, VISTA),
    ("user", Key::Other, HOST | INLINE),
    ("benutzer", Key::Other, HOST | INLINE),
    ("utilisateur", Key::Other, HOST | INLINE),
    ("keywords", Key::Other, VISTA),
    ("schlusselworter", Key::Other, VISTA),
    ("mots cles", Key::Other, VISTA),
    ("mots-cles", Key::Other, VISTA),
    ("keyword", Key::Other, WEVT),
    ("opcode", Key::Other, WEVT),
    ("user name", Key::Other, WEVT),
    ("index", Key::Other, GEL),
    ("categorynumber", Key::Other, GEL),
    ("replacementstrings", Key::Other, GEL),
    ("timewritten", Key::Other, GEL),
    ("username", Key::Other, GEL),
    ("recordid", Key::Other, PWSH),
    ("providerid", Key::Other, PWSH),
    ("processid", Key::Other, PWSH),
    ("threadid", Key::Other, PWSH),
    ("userid", Key::Other, PWSH),
    ("containerlog", Key::Other, PWSH),
    ("opcodedisplayname", Key::Other, PWSH),
    ("keywordsdisplaynames", Key::Other, PWSH),
    ("activityid", Key::Other, PWSH),
    ("relatedactivityid", Key::Other, PWSH),
    ("matchedqueryids", Key::Other, PWSH),
    ("qualifiers", Key::Other, PWSH),
    ("version", Key::Other, PWSH),
    ("bookmark", Key::Other, PWSH),
    ("properties", Key::Other, PWSH),
    ("site", Key::Other, GEL),
    ("container", Key::Other, GEL),
];

// Rows are tracked in a 128-bit set.
const _: () = assert!(LABELS.len() <= 128);

/// Longest label text looked at before a colon, in characters.
const MAX_LABEL_CHARS: usize = 40;
/// Most trailing description lines moved to the next event when its id shows up.
const MAX_CARRIED: usize = 12;

/// One recognised label on a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Labelled<'a> {
    key: Key,
    hint: Hint,
    /// The text after the colon, untrimmed.
    value: &'a str,
    /// Leading whitespace of the line, in bytes.
    indent: usize,
    /// Its row in `LABELS`, so a repeated label of the same key starts the next event.
    row: usize,
}

/// Looks a folded label up in the table: its key, hint and row.
fn lookup(folded: &str) -> Option<(Key, Hint, usize)> {
    LABELS
        .iter()
        .position(|(spelling, _, _)| *spelling == folded)
        .and_then(|row| LABELS.get(row).map(|&(_, key, hint)| (key, hint, row)))
}

/// Whether a value starts with a digit, which `Event:` and `Id:` need to count as labels.
fn starts_numeric(v: &str) -> bool {
    v.trim_start().starts_with(|c: char| c.is_ascii_digit())
}

/// Recognises `Label: value` at the start of a line (after indentation or a bullet).
fn label_of(line: &str) -> Option<Labelled<'_>> {
    let t = line.trim_start();
    let indent = line.len() - t.len();
    let t = ["- ", "* ", "\u{2022} "]
        .iter()
        .find_map(|b| t.strip_prefix(b))
        .unwrap_or(t);
    let colon = t
        .char_indices()
        .take(MAX_LABEL_CHARS)
        .find(|&(_, c)| c == ':')
        .map(|(i, _)| i)?;
    let name = fold_label(t.get(..colon)?);
    let (key, hint, row) = lookup(&name)?;
    let value = t.get(colon + 1..)?;
    if (name == "event" || name == "id") && !starts_numeric(value) {
        return None;
    }
    Some(Labelled {
        key,
        hint,
        value,
        indent,
        row,
    })
}

/// The next inline label inside a header value: where its text starts, and the label.
fn inline_label(value: &str) -> Option<(usize, Labelled<'_>)> {
    for (colon, _) in value.match_indices(':') {
        let before = value.get(..colon)?;
        // Try the one, two and three words before the colon, longest first.
        let mut starts = Vec::with_capacity(3);
        let mut in_word = false;
        for (n, (i, c)) in before.char_indices().rev().enumerate() {
            if n > MAX_LABEL_CHARS || starts.len() == 3 {
                break;
            }
            if c.is_whitespace() || c == ',' || c == ';' {
                if in_word {
                    starts.push(i + c.len_utf8());
                }
                in_word = false;
            } else {
                in_word = true;
            }
        }
        let after = value.get(colon + 1..)?;
        for &start in starts.iter().rev() {
            let Some((key, hint, row)) = before.get(start..).map(fold_label).and_then(|n| {
                lookup(&n)
                    .filter(|&(_, h, _)| h & INLINE != 0)
                    .filter(|_| n != "event" || starts_numeric(after))
            }) else {
                continue;
            };
            let label = Labelled {
                key,
                hint,
                value: after,
                indent: 0,
                row,
            };
            return Some((start, label));
        }
    }
    None
}

/// A header value without the separators left by one-line blocks (`68,` `None;`).
fn clean_value(v: &str) -> &str {
    v.trim().trim_end_matches([',', ';']).trim_end()
}

/// Whether a line belongs to a hex dump under `Data:` (`0000: 00 01 ...`, `0008: 9f302940`).
fn is_hex_line(line: &str) -> bool {
    let t = line.trim();
    let Some((head, rest)) = t.split_once(':') else {
        return false;
    };
    head.len() >= 4
        && head.bytes().all(|b| b.is_ascii_hexdigit())
        && rest
            .trim_start()
            .starts_with(|c: char| c.is_ascii_hexdigit())
}

/// Whether a line reads like a Format-List property line (`Name   : value`) of any name:
/// one word, then the colon.
fn is_list_property(line: &str) -> bool {
    line.trim_start().split_once(':').is_some_and(|(name, _)| {
        let name = name.trim_end();
        name.len() <= MAX_LABEL_CHARS
            && name.starts_with(|c: char| c.is_ascii_alphabetic())
            && name.bytes().all(|b| b.is_ascii_alphanumeric())
    })
}

/// Whether a line opens a wevtutil block: `Event[0]:`.
fn is_wevtutil_marker(line: &str) -> bool {
    line.trim()
        .strip_prefix("Event[")
        .and_then(|r| r.strip_suffix("]:"))
        .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

/// Where a record's description stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Desc {
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
struct Record<'a> {
    event_id: Option<u32>,
    instance_id: Option<u32>,
    source: Option<&'a str>,
    level: Option<&'a str>,
    level_name: Option<&'a str>,
    category: Option<&'a str>,
    task_name: Option<&'a str>,
    log: Option<&'a str>,
    computer: Option<&'a str>,
    date: Option<&'a str>,
    time: Option<&'a str>,
    desc: Vec<&'a str>,
    desc_state: Desc,
    /// Format-List rules for the description: continuation lines are indented.
    desc_list: bool,
    desc_indent: usize,
    blank_in_desc: bool,
    /// Keys seen, one bit each, so a repeated key starts the next event.
    seen: u32,
    /// Rows of `LABELS` seen for keys not tracked by `seen`.
    seen_rows: u128,
    /// Keys found inside another label's value: counted, but repeating them on a line of
    /// their own corrects them rather than starting the next event.
    seen_inline: u32,
    hints: Hint,
    wevtutil: bool,
    in_data: bool,
    xml: Option<String>,
    xml_done: bool,
}

impl<'a> Record<'a> {
    /// An empty record.
    fn new() -> Self {
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
            seen_rows: 0,
            seen_inline: 0,
            hints: 0,
            wevtutil: false,
            in_data: false,
            xml: None,
            xml_done: false,
        }
    }

    /// The bit a key is tracked by; `Description` and `Message` share one.
    fn bit(key: Key) -> u32 {
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
    fn has(&self, key: Key) -> bool {
        self.seen & Record::bit(key) != 0
    }

    /// Whether the key was seen on a line of its own or inside a value.
    fn seen_any(&self, key: Key) -> bool {
        (self.seen | self.seen_inline) & Record::bit(key) != 0
    }

    /// Whether this label was seen: by key, or by row for the untracked keys.
    fn repeats(&self, l: &Labelled) -> bool {
        match l.key {
            Key::Data | Key::Other => self.seen_rows & (1u128 << (l.row % 128)) != 0,
            key => self.has(key),
        }
    }

    /// A tool's copy (not an article's quote): its description may hold blank lines and
    /// labelled lines of its own, and ends only where the tool's layout says.
    fn is_tool_copy(&self) -> bool {
        self.format() != PasteFormat::Kb
    }

    /// Whether a labelled line ends an open description instead of belonging to it.
    fn ends_description(&self, l: &Labelled) -> bool {
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
    fn take_carried(&mut self) -> Vec<&'a str> {
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
                    keys.seen_rows |= 1u128 << (l.row % 128);
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
    fn format(&self) -> PasteFormat {
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
            let gel_id = lookup("eventid")
                .is_some_and(|(_, _, row)| self.seen_rows & (1u128 << (row % 128)) != 0);
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
    fn finish(self) -> Option<PastedEvent> {
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
fn fill(event: &mut PastedEvent, from: PastedEvent) {
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

/// The line-by-line reader: the record being collected and the events finished so far.
struct Parser<'a> {
    cur: Record<'a>,
    out: Vec<PastedEvent>,
}

impl<'a> Parser<'a> {
    /// Ends the current record and starts an empty one.
    fn next_record(&mut self) {
        let done = std::mem::replace(&mut self.cur, Record::new());
        if let Some(event) = done.finish() {
            self.out.push(event);
        }
    }

    /// Reads one line of the paste into the current record (or the next).
    fn line(&mut self, line: &'a str) {
        let blank = line.trim().is_empty();
        if is_wevtutil_marker(line) {
            self.next_record();
            self.cur.wevtutil = true;
            return;
        }
        if !self.cur.xml_done
            && let Some(x) = self.cur.xml.as_mut()
        {
            // The XML part runs to `</Event>`, or to the next copy when it was cut short
            // (`Log Name:` or an id; a rendered message inside it may hold other labels).
            let next_copy = label_of(line).is_some_and(|l| {
                l.key == Key::Log || (l.key == Key::EventId && event_number(l.value).is_some())
            });
            if !next_copy {
                x.push_str(line);
                x.push('\n');
                self.cur.xml_done = line.trim_end().ends_with("</Event>");
                return;
            }
            self.cur.xml_done = true;
        }
        if self.cur.in_data {
            if blank || is_hex_line(line) {
                return;
            }
            self.cur.in_data = false;
        }
        let labelled = label_of(line);
        if matches!(self.cur.desc_state, Desc::Waiting | Desc::Open)
            && self.description_line(line, blank, labelled.as_ref())
        {
            return;
        }
        if let Some(l) = labelled.filter(|_| !blank) {
            self.labelled_line(l);
        }
    }

    /// Offers a line to the open description; false when it is not part of it.
    fn description_line(&mut self, line: &'a str, blank: bool, l: Option<&Labelled>) -> bool {
        let r = &mut self.cur;
        if r.desc_list {
            // Format-List: wrapped lines are indented to the value column; a blank line
            // separates records unless indented text follows it.
            let indent = line.len() - line.trim_start().len();
            if blank {
                r.blank_in_desc = true;
                return true;
            }
            // Format-List wraps values onto indented lines, so a line at the label's column
            // is the next property, named in the table or not.
            let label_here = l.is_some_and(|l| l.indent <= r.desc_indent)
                || (indent <= r.desc_indent && is_list_property(line));
            if indent > r.desc_indent || (!label_here && !r.blank_in_desc) {
                r.desc.push(line);
                r.desc_state = Desc::Open;
                r.blank_in_desc = false;
                return true;
            }
            r.desc_state = Desc::Closed;
            return false;
        }
        if blank {
            // An article's quote ends at a blank line and its text may start after one; a
            // tool's description may hold blank lines but starts right under its label, so a
            // blank there means it is empty (and what follows is no part of it).
            let ends = match r.desc_state {
                Desc::Open => !r.is_tool_copy(),
                Desc::Waiting => r.is_tool_copy(),
                _ => false,
            };
            if ends {
                r.desc_state = Desc::Closed;
            }
            return true;
        }
        if let Some(l) = l {
            if r.ends_description(l) {
                return false;
            }
            // Under a bare `Description:`, a header label not seen yet is still a header.
            if r.desc_state == Desc::Waiting
                && !matches!(l.key, Key::Other | Key::Data)
                && !r.has(l.key)
            {
                return false;
            }
        }
        r.desc.push(line);
        r.desc_state = Desc::Open;
        true
    }

    /// Records a labelled line and any labels inside its value.
    fn labelled_line(&mut self, first: Labelled<'a>) {
        // Only an article's quote packs labels into one line; a tool's layout does not, and
        // its values are kept whole (`Event Source:<tab>Foo Type: Bar` is a source).
        let splits =
            first.hint & (TOOL | VISTA | WEVT | NT4 | PWSH | GEL) == 0 && !self.cur.is_tool_copy();
        let mut l = first;
        let mut inline = false;
        // Guards against a value that keeps yielding labels: each step moves forward.
        for _ in 0..64 {
            let split = if splits && l.hint & INLINE != 0 && l.key != Key::Description {
                inline_label(l.value)
            } else {
                None
            };
            match split {
                Some((at, next)) => {
                    let value = l.value.get(..at).unwrap_or("");
                    self.field(Labelled { value, ..l }, inline);
                    l = next;
                    inline = true;
                }
                None => break,
            }
        }
        self.field(l, inline);
    }

    /// Records one field; a key the record already has starts the next event. A field
    /// found inside another's value never does, nor overrides one already there.
    fn field(&mut self, l: Labelled<'a>, inline: bool) {
        if inline && self.cur.seen_any(l.key) {
            return;
        }
        if !inline && self.cur.repeats(&l) {
            let carried = if self.cur.desc_state == Desc::Open && l.key == Key::EventId {
                self.cur.take_carried()
            } else {
                Vec::new()
            };
            self.next_record();
            for line in carried {
                if let Some(c) = label_of(line) {
                    self.field(c, false);
                }
            }
            // A carried line may itself have repeated a key; this one starts afresh then.
            if self.cur.repeats(&l) {
                self.next_record();
            }
        }
        let r = &mut self.cur;
        if matches!(r.desc_state, Desc::Open) {
            r.desc_state = Desc::Closed;
        }
        let value = clean_value(l.value);
        match l.key {
            Key::EventId => r.event_id = r.event_id.or(event_number(value)),
            Key::InstanceId => {
                // Get-EventLog's InstanceId keeps the qualifier bits above the id.
                r.instance_id = leading_number(value).and_then(|n| u32::try_from(n & 0xFFFF).ok());
            }
            Key::Source => r.source = Some(value),
            Key::Level => r.level = Some(value),
            Key::LevelName => r.level_name = Some(value),
            Key::Category => r.category = Some(value),
            Key::TaskName => r.task_name = Some(value),
            Key::Log => r.log = Some(value),
            Key::Computer => r.computer = Some(value),
            Key::Date => r.date = Some(value),
            Key::Time => r.time = Some(value),
            Key::Description | Key::Message => {
                let text = l.value.trim();
                if !text.is_empty() {
                    r.desc.push(text);
                }
                r.desc_state = if text.is_empty() {
                    Desc::Waiting
                } else {
                    Desc::Open
                };
                r.desc_list = l.key == Key::Message;
                r.desc_indent = l.indent;
                r.blank_in_desc = false;
            }
            Key::Data => {
                r.desc_state = close(r.desc_state);
                r.in_data = true;
            }
            Key::EventXml => {
                r.desc_state = close(r.desc_state);
                let mut x = String::from(l.value.trim());
                x.push('\n');
                r.xml = Some(x);
                r.xml_done = false;
            }
            Key::Other => {}
        }
        if inline {
            r.seen_inline |= Record::bit(l.key);
        } else {
            r.seen |= Record::bit(l.key);
        }
        r.seen_rows |= 1u128 << (l.row % 128);
        r.hints |= l.hint & !INLINE;
    }
}

/// A description state after a label that ends it.
fn close(d: Desc) -> Desc {
    match d {
        Desc::Waiting | Desc::Open => Desc::Closed,
        other => other,
    }
}

/// Reads the labelled-line events of a paste, at most `MAX_EVENTS`; none when the paste has
/// no event fields (then it is message text).
pub(super) fn parse(text: &str) -> Vec<PastedEvent> {
    let mut p = Parser {
        cur: Record::new(),
        out: Vec::new(),
    };
    for line in lines(text) {
        if p.out.len() >= MAX_EVENTS {
            break;
        }
        p.line(line);
    }
    p.next_record();
    p.out.truncate(MAX_EVENTS);
    p.out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (format, id, source, level, category, log, computer, time, description)
    type Row<'a> = (
        PasteFormat,
        Option<u32>,
        Option<&'a str>,
        Option<&'a str>,
        Option<&'a str>,
        Option<&'a str>,
        Option<&'a str>,
        Option<&'a str>,
        Option<&'a str>,
    );

    fn row(e: &PastedEvent) -> Row<'_> {
        (
            e.format,
            e.event_id,
            e.source.as_deref(),
            e.level.as_deref(),
            e.category.as_deref(),
            e.log.as_deref(),
            e.computer.as_deref(),
            e.time.as_deref(),
            e.description.as_deref(),
        )
    }

    fn check(cases: &[(&str, Vec<Row>)]) {
        for (text, want) in cases {
            let got = parse(text);
            let got: Vec<Row> = got.iter().map(row).collect();
            assert_eq!(&got, want, "\n{text}");
        }
    }

    use PasteFormat::*;

    #[test]
    fn label_lines() {
        let cases: [(&str, Option<(Key, &str)>); 16] = [
            ("Event ID: 68", Some((Key::EventId, " 68"))),
            ("EventID:68", Some((Key::EventId, "68"))),
            ("Event Id :\t68", Some((Key::EventId, "\t68"))),
            ("  Event:  1000", Some((Key::EventId, "  1000"))),
            ("Event: none", None),
            ("Id           : 5", Some((Key::EventId, " 5"))),
            ("Id: abc", None),
            ("- Source: Foo", Some((Key::Source, " Foo"))),
            ("Task Category: None", Some((Key::Category, " None"))),
            ("ID de l’événement : 7", Some((Key::EventId, " 7"))),
            ("Ereignis-ID: 7", Some((Key::EventId, " 7"))),
            ("C:\\winnt\\system32", None),
            ("Error: access denied", None),
            ("0000: 00 01", None),
            ("", None),
            (
                "a very long line of prose that has a colon only far away: here",
                None,
            ),
        ];
        for (line, want) in cases {
            assert_eq!(label_of(line).map(|l| (l.key, l.value)), want, "{line}");
        }
    }

    #[test]
    fn inline_labels() {
        let cases: [(&str, Option<(usize, Key)>); 6] = [
            (" 1/1/99   Event ID: 9", Some((10, Key::EventId))),
            (" 68, Source: Foo", Some((5, Key::Source))),
            (" 10:19:35 PM", None),
            (" Foo Bar", None),
            (" x Event: abc", None),
            (" N/A\tComputer: HOST", Some((5, Key::Computer))),
        ];
        for (value, want) in cases {
            assert_eq!(
                inline_label(value).map(|(at, l)| (at, l.key)),
                want,
                "{value}"
            );
        }
    }

    #[test]
    fn list_properties() {
        let cases = [
            ("TimeCreated  : 1/2/2020", true),
            ("Site : ", true),
            ("  Id: 5", true),
            ("Error 5: denied", false),
            ("C:\\temp", true),
            ("no colon here", false),
            ("Logon Type:  3", false),
        ];
        for (line, want) in cases {
            assert_eq!(is_list_property(line), want, "{line}");
        }
    }

    #[test]
    fn hex_lines() {
        let cases = [
            ("0000: 00 01 02 03", true),
            ("0008: 9f302940 48b3244b", true),
            ("  0010: ab", true),
            ("Data:", false),
            ("0000:", false),
            ("12: 00", false),
            ("Dead: beef", true),
        ];
        for (line, want) in cases {
            assert_eq!(is_hex_line(line), want, "{line}");
        }
    }

    #[test]
    fn kb_layout() {
        check(&[
            (
                "Event ID: 68\nSource: MSExchangeCCMC\nType: Error\nCategory: None\nDescription: Could not\nreach the host.",
                vec![(
                    Kb,
                    Some(68),
                    Some("MSExchangeCCMC"),
                    Some("Error"),
                    Some("None"),
                    None,
                    None,
                    None,
                    Some("Could not reach the host."),
                )],
            ),
            (
                "EventID:\t12\nEvent Source:\tWidget\nEvent Type:  Warning\nEvent Category: Disk\nDescription:\n\nThe disk is slow.\n\nThis article describes...",
                vec![(
                    Kb,
                    Some(12),
                    Some("Widget"),
                    Some("Warning"),
                    Some("Disk"),
                    None,
                    None,
                    None,
                    Some("The disk is slow."),
                )],
            ),
            (
                "   Event Id : 7\n   Source : Widget\n   Description : One\n   two.",
                vec![(
                    Kb,
                    Some(7),
                    Some("Widget"),
                    None,
                    None,
                    None,
                    None,
                    None,
                    Some("One two."),
                )],
            ),
            (
                "Event: 1000\r\nSource: Widget\r\nDescription: Broke.\r\n",
                vec![(
                    Kb,
                    Some(1000),
                    Some("Widget"),
                    None,
                    None,
                    None,
                    None,
                    None,
                    Some("Broke."),
                )],
            ),
            (
                "Event ID: 68, Source: MSExchangeCCMC, Type: Error",
                vec![(
                    Kb,
                    Some(68),
                    Some("MSExchangeCCMC"),
                    Some("Error"),
                    None,
                    None,
                    None,
                    None,
                    None,
                )],
            ),
            (
                "Description: Broke hard.\nEvent ID: 3\nSource: S",
                vec![(
                    Kb,
                    Some(3),
                    Some("S"),
                    None,
                    None,
                    None,
                    None,
                    None,
                    Some("Broke hard."),
                )],
            ),
            (
                "Event ID: 1\nSource: A\nDescription: First.\n\nEvent ID: 2\nSource: B\nDescription: Second.",
                vec![
                    (
                        Kb,
                        Some(1),
                        Some("A"),
                        None,
                        None,
                        None,
                        None,
                        None,
                        Some("First."),
                    ),
                    (
                        Kb,
                        Some(2),
                        Some("B"),
                        None,
                        None,
                        None,
                        None,
                        None,
                        Some("Second."),
                    ),
                ],
            ),
            (
                "Source: A\nEvent ID: 1\nDescription: First.\nSource: B\nEvent ID: 2\nDescription: Second.",
                vec![
                    (
                        Kb,
                        Some(1),
                        Some("A"),
                        None,
                        None,
                        None,
                        None,
                        None,
                        Some("First."),
                    ),
                    (
                        Kb,
                        Some(2),
                        Some("B"),
                        None,
                        None,
                        None,
                        None,
                        None,
                        Some("Second."),
                    ),
                ],
            ),
            (
                "Event ID: 9405\nSource: MTA\nDescription: An error. Error: Access violation\nat 0x0.",
                vec![(
                    Kb,
                    Some(9405),
                    Some("MTA"),
                    None,
                    None,
                    None,
                    None,
                    None,
                    Some("An error. Error: Access violation at 0x0."),
                )],
            ),
            (
                "Date: 1/1/99   Event ID: 9\nTime: 1:00   Source: Srv\nUser: N/A   Type: Error\nComputer: X   Category: None\nDescription: Failed.",
                vec![(
                    Kb,
                    Some(9),
                    Some("Srv"),
                    Some("Error"),
                    Some("None"),
                    None,
                    Some("X"),
                    Some("1/1/99 1:00"),
                    Some("Failed."),
                )],
            ),
            (
                "Event ID: 5\nSource: Widget Type: Warning\nType: Error\nDescription: Text.",
                vec![(
                    Kb,
                    Some(5),
                    Some("Widget"),
                    Some("Error"),
                    None,
                    None,
                    None,
                    None,
                    Some("Text."),
                )],
            ),
            (
                "Event ID: 2143\nSource: MTA\nDescription: Object\nID: 28. Attribute\nvalue.",
                vec![(
                    Kb,
                    Some(2143),
                    Some("MTA"),
                    None,
                    None,
                    None,
                    None,
                    None,
                    Some("Object ID: 28. Attribute value."),
                )],
            ),
            (
                "Event ID: 624\nSource: SNA Server\nDescription: ",
                vec![(
                    Kb,
                    Some(624),
                    Some("SNA Server"),
                    None,
                    None,
                    None,
                    None,
                    None,
                    None,
                )],
            ),
        ]);
    }

    #[test]
    fn not_events() {
        for text in [
            "The service failed. Error: 5 Access is denied.",
            "Source: somewhere",
            "C:\\Program Files\\x: not found",
            "",
        ] {
            assert!(parse(text).is_empty(), "{text}");
        }
    }

    #[test]
    fn vista_copy() {
        let base = "Log Name:      Application\nSource:        Widget Service\nDate:          3/4/2021 5:06:07 PM\nEvent ID:      1001\nTask Category: None\nLevel:         Error\nKeywords:      Classic\nUser:          N/A\nComputer:      host.example.local\nDescription:\n";
        let full = (
            Vista,
            Some(1001),
            Some("Widget Service"),
            Some("Error"),
            Some("None"),
            Some("Application"),
            Some("host.example.local"),
            Some("3/4/2021 5:06:07 PM"),
            Some("The widget failed. Account Name: bob Source: elsewhere"),
        );
        let text1 = format!("{base}The widget failed.\n\nAccount Name: bob\nSource: elsewhere\n");
        let text2 = format!(
            "{base}The widget failed.\n\nAccount Name: bob\nSource: elsewhere\nEvent Xml:\n<Event xmlns=\"http://schemas.microsoft.com/win/2004/08/events/event\">\n  <System>\n    <Provider Name=\"Widget Service\" />\n    <EventID Qualifiers=\"49152\">1001</EventID>\n  </System>\n</Event>"
        );
        let two = format!("{text1}{text1}");
        let cut_short = format!(
            "{base}Text.\nEvent Xml:\n<Event><RenderingInfo><Message>Source: x\nUser: y\n{base}Text.\n"
        );
        let empty_then_prose = format!("{base}\nThanks for any help.\n");
        let xml_only = "Event Xml:\n<Event><System><Provider Name=\"Widget\"/><EventID>77</EventID></System><EventData><Data>x</Data></EventData></Event>";
        let xml_fills = "Log Name: Application\nSource: Widget\nEvent ID:\nLevel: Error\nDescription:\n\nEvent Xml:\n<Event><System><Provider Name=\"Widget\"/><EventID>77</EventID><Computer>HOST</Computer></System></Event>";
        let german = "Protokollname: System\nQuelle:        Widget\nDatum:         04.03.2021 17:06:07\nEreignis-ID:   1001\nAufgabenkategorie: Keine\nEbene:         Fehler\nSchlüsselwörter: Klassisch\nBenutzer:      Nicht zutreffend\nComputer:      host\nBeschreibung:\nDas Widget ist ausgefallen.";
        let french = "Nom du journal :  System\nSource :          Widget\nDate :            04/03/2021 17:06:07\nID de l’événement : 1001\nCatégorie de la tâche : Aucun\nNiveau :          Erreur\nMots clés :       Classique\nUtilisateur :     N/A\nOrdinateur :      host\nDescription :\nLe widget a échoué.";
        check(&[
            (text1.as_str(), vec![full]),
            (text2.as_str(), vec![full]),
            (two.as_str(), vec![full, full]),
            (
                xml_fills,
                vec![(
                    Vista,
                    Some(77),
                    Some("Widget"),
                    Some("Error"),
                    None,
                    Some("Application"),
                    Some("HOST"),
                    None,
                    None,
                )],
            ),
            (
                cut_short.as_str(),
                vec![
                    (
                        Vista,
                        Some(1001),
                        Some("Widget Service"),
                        Some("Error"),
                        Some("None"),
                        Some("Application"),
                        Some("host.example.local"),
                        Some("3/4/2021 5:06:07 PM"),
                        Some("Text."),
                    ),
                    (
                        Vista,
                        Some(1001),
                        Some("Widget Service"),
                        Some("Error"),
                        Some("None"),
                        Some("Application"),
                        Some("host.example.local"),
                        Some("3/4/2021 5:06:07 PM"),
                        Some("Text."),
                    ),
                ],
            ),
            (
                empty_then_prose.as_str(),
                vec![(
                    Vista,
                    Some(1001),
                    Some("Widget Service"),
                    Some("Error"),
                    Some("None"),
                    Some("Application"),
                    Some("host.example.local"),
                    Some("3/4/2021 5:06:07 PM"),
                    None,
                )],
            ),
            (
                xml_only,
                vec![(
                    Xml,
                    Some(77),
                    Some("Widget"),
                    None,
                    None,
                    None,
                    None,
                    None,
                    Some("x"),
                )],
            ),
            (
                german,
                vec![(
                    Vista,
                    Some(1001),
                    Some("Widget"),
                    Some("Fehler"),
                    Some("Keine"),
                    Some("System"),
                    Some("host"),
                    Some("04.03.2021 17:06:07"),
                    Some("Das Widget ist ausgefallen."),
                )],
            ),
            (
                french,
                vec![(
                    Vista,
                    Some(1001),
                    Some("Widget"),
                    Some("Erreur"),
                    Some("Aucun"),
                    Some("System"),
                    Some("host"),
                    Some("04/03/2021 17:06:07"),
                    Some("Le widget a échoué."),
                )],
            ),
        ]);
    }

    #[test]
    fn nt4_copy() {
        let one = "Event Type:\tWarning\nEvent Source:\tWidget\nEvent Category:\tNone\nEvent ID:\t4321\nDate:\t\t1/2/2003\nTime:\t\t4:05:06 AM\nUser:\t\tN/A\nComputer:\tHOST\nDescription:\nThe widget is\nslow.\n\nFor more information, see Help.\nData:\n0000: 00 01 02 03\n0008: 04 05 06 07\n";
        let want = (
            Nt4,
            Some(4321),
            Some("Widget"),
            Some("Warning"),
            Some("None"),
            None,
            Some("HOST"),
            Some("1/2/2003 4:05:06 AM"),
            Some("The widget is slow. For more information, see Help."),
        );
        let two = format!("{one}\n{one}");
        let spaces = one.replace('\t', "    ");
        let german = "Typ:\tFehler\nQuelle:\tWidget\nKategorie:\tKeine\nEreigniskennung:\t7\nDatum:\t\t02.01.2003\nZeit:\t\t04:05:06\nBenutzer:\tNicht zutreffend\nComputer:\tHOST\nBeschreibung:\nDas Widget ist\nausgefallen.\nDaten:\n0000: 00 01 02 03\n";
        let odd = one.replace("Warning", "Warning Category:");
        let empty = "Event Type:\tError\nEvent Source:\tWidget\nEvent Category:\tNone\nEvent ID:\t9\nDate:\t\t1/2/2003\nTime:\t\t4:05:06 AM\nUser:\t\tN/A\nComputer:\tHOST\nDescription:\n\nData:\n0000: 00 01 02 03\n";
        check(&[
            (one, vec![want]),
            (two.as_str(), vec![want, want]),
            (spaces.as_str(), vec![want]),
            (
                german,
                vec![(
                    Nt4,
                    Some(7),
                    Some("Widget"),
                    Some("Fehler"),
                    Some("Keine"),
                    None,
                    Some("HOST"),
                    Some("02.01.2003 04:05:06"),
                    Some("Das Widget ist ausgefallen."),
                )],
            ),
            (
                odd.as_str(),
                vec![(
                    Nt4,
                    Some(4321),
                    Some("Widget"),
                    Some("Warning Category:"),
                    Some("None"),
                    None,
                    Some("HOST"),
                    Some("1/2/2003 4:05:06 AM"),
                    Some("The widget is slow. For more information, see Help."),
                )],
            ),
            (
                empty,
                vec![(
                    Nt4,
                    Some(9),
                    Some("Widget"),
                    Some("Error"),
                    Some("None"),
                    None,
                    Some("HOST"),
                    Some("1/2/2003 4:05:06 AM"),
                    None,
                )],
            ),
        ]);
    }

    #[test]
    fn wevtutil_text() {
        let text = "Event[0]:\n  Log Name: System\n  Source: Widget\n  Date: 2020-01-02T03:04:05.000\n  Event ID: 12\n  Task: N/A\n  Level: Error\n  Opcode: Info\n  Keyword: Classic\n  User: N/A\n  User Name: N/A\n  Computer: HOST\n  Description: \nThe widget broke.\n\nAgain.\nEvent[1]:\n  Log Name: System\n  Source: \n  Date: 2020-01-02T03:04:06.000\n  Event ID: 13\n  Task: N/A\n  Level: Warning\n  Computer: HOST\n  Description: It is slow.\n";
        check(&[(
            text,
            vec![
                (
                    Wevtutil,
                    Some(12),
                    Some("Widget"),
                    Some("Error"),
                    Some("N/A"),
                    Some("System"),
                    Some("HOST"),
                    Some("2020-01-02T03:04:05.000"),
                    Some("The widget broke. Again."),
                ),
                (
                    Wevtutil,
                    Some(13),
                    None,
                    Some("Warning"),
                    Some("N/A"),
                    Some("System"),
                    Some("HOST"),
                    Some("2020-01-02T03:04:06.000"),
                    Some("It is slow."),
                ),
            ],
        )]);
    }

    #[test]
    fn get_winevent_format_list() {
        let short = "TimeCreated  : 1/2/2020 3:04:05 AM\nProviderName : Widget\nId           : 12\nMessage      : The widget broke because the\n               disk is full.\n\nTimeCreated  : 1/2/2020 3:04:06 AM\nProviderName : Widget\nId           : 13\nMessage      : \n\n";
        let selected = "EventID : 12\nSource  : Widget\nMessage : It broke.\n";
        let unknown =
            "Message      : Text\n               more.\nSomeNewField : x\nId           : 12\n";
        let star = "Message              : First line.\n                       \n                       Logon Type:  3\nId                   : 4625\nVersion              : 0\nLevel                : 0\nTask                 : 12544\nProviderName         : Microsoft-Windows-Security-Auditing\nLogName              : Security\nMachineName          : host\nTimeCreated          : 1/2/2020 3:04:05 AM\nLevelDisplayName     : Information\nTaskDisplayName      : Logon\n";
        check(&[
            (
                short,
                vec![
                    (
                        Pwsh,
                        Some(12),
                        Some("Widget"),
                        None,
                        None,
                        None,
                        None,
                        Some("1/2/2020 3:04:05 AM"),
                        Some("The widget broke because the disk is full."),
                    ),
                    (
                        Pwsh,
                        Some(13),
                        Some("Widget"),
                        None,
                        None,
                        None,
                        None,
                        Some("1/2/2020 3:04:06 AM"),
                        None,
                    ),
                ],
            ),
            (
                selected,
                vec![(
                    Geteventlog,
                    Some(12),
                    Some("Widget"),
                    None,
                    None,
                    None,
                    None,
                    None,
                    Some("It broke."),
                )],
            ),
            (
                unknown,
                vec![(
                    Pwsh,
                    Some(12),
                    None,
                    None,
                    None,
                    None,
                    None,
                    None,
                    Some("Text more."),
                )],
            ),
            (
                star,
                vec![(
                    Pwsh,
                    Some(4625),
                    Some("Microsoft-Windows-Security-Auditing"),
                    Some("Information"),
                    Some("Logon"),
                    Some("Security"),
                    Some("host"),
                    Some("1/2/2020 3:04:05 AM"),
                    Some("First line. Logon Type: 3"),
                )],
            ),
        ]);
    }

    #[test]
    fn get_eventlog_format_list() {
        let text = "Index              : 1\nEntryType          : Information\nInstanceId         : 1073748860\nMessage            : The Widget service entered\n                     the running state.\nCategory           : (0)\nCategoryNumber     : 0\nSource             : Service Control Manager\nTimeGenerated      : 1/2/2020 3:04:05 AM\nMachineName        : HOST\n\nIndex              : 2\nEventID            : 7\nEntryType          : Error\nInstanceId         : 3221225479\nMessage            : \nSource             : Widget\n";
        check(&[(
            text,
            vec![
                (
                    Geteventlog,
                    Some(7036),
                    Some("Service Control Manager"),
                    Some("Information"),
                    Some("(0)"),
                    None,
                    Some("HOST"),
                    Some("1/2/2020 3:04:05 AM"),
                    Some("The Widget service entered the running state."),
                ),
                (
                    Geteventlog,
                    Some(7),
                    Some("Widget"),
                    Some("Error"),
                    None,
                    None,
                    None,
                    None,
                    None,
                ),
            ],
        )]);
    }

    #[test]
    fn caps_events() {
        let text = "Event ID: 1\nSource: S\n".repeat(50);
        assert_eq!(parse(&text).len(), MAX_EVENTS);
    }
}
