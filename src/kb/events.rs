//! Event-log entries quoted in an article body (`Event ID: 68`, `Source: ...`, ...).

use super::EventQuote;
use super::text::{indent, is_blank, push_words};

/// A field label of a quoted event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Label {
    /// `Event ID`, `EventID`, `Event Id`, or `Event` followed by a number.
    Id,
    /// `Source`, `Event Source`.
    Source,
    /// `Type`, `Event Type`.
    Type,
    /// `Category`, `Event Category`.
    Category,
    /// `Description` (and the RAS lists' `Message Text`).
    Description,
    /// `Data`: binary data follows; it is not kept.
    Data,
    /// `Explanation`: SNA Server and RAS messages go on with it; inside an open
    /// description it is part of the text.
    Explanation,
    /// `Date`, `Time`, `User`, `Computer`: part of the block, not kept.
    Other,
}

/// Label spellings, longest first so `Event ID` wins over `Event`; a space matches any
/// run of spaces or tabs, including none (`EventID`). The RAS message lists
/// (`RAS EVENT ID:` / `SYMBOL NAME :` / `MESSAGE TEXT:` / `EXPLANATION :` / `USER ACTION :`)
/// are event blocks too.
const LABELS: [(&str, Label); 18] = [
    ("symbol name", Label::Other),
    ("user action", Label::Other),
    ("explanation", Label::Explanation),
    ("event category", Label::Category),
    ("event source", Label::Source),
    ("event type", Label::Type),
    ("event id", Label::Id),
    ("message text", Label::Description),
    ("description", Label::Description),
    ("category", Label::Category),
    ("computer", Label::Other),
    ("source", Label::Source),
    ("event", Label::Id),
    ("type", Label::Type),
    ("data", Label::Data),
    ("date", Label::Other),
    ("time", Label::Other),
    ("user", Label::Other),
];

/// The letters the spellings in [`LABELS`] start with.
const LABEL_INITIALS: &[u8] = b"cdemstu";

/// Matches `spelling` at the start of `s` case-insensitively; returns the bytes matched.
fn match_spelling(s: &str, spelling: &str) -> Option<usize> {
    let b = s.as_bytes();
    let mut i = 0;
    for &c in spelling.as_bytes() {
        if c == b' ' {
            while i < b.len() && (b[i] == b' ' || b[i] == b'\t') {
                i += 1;
            }
        } else if i < b.len() && b[i].eq_ignore_ascii_case(&c) {
            i += 1;
        } else {
            return None;
        }
    }
    Some(i)
}

/// Recognises a label and its colon at the start of `s`; returns it and the value after it.
pub fn label_at(s: &str) -> Option<(Label, &str)> {
    // Most lines are ruled out by their first letter.
    if !LABEL_INITIALS.contains(&s.as_bytes().first()?.to_ascii_lowercase()) {
        return None;
    }
    for (spelling, label) in LABELS {
        let Some(n) = match_spelling(s, spelling) else {
            continue;
        };
        let rest = s[n..].trim_start_matches([' ', '\t']);
        let Some(value) = rest.strip_prefix(':') else {
            continue;
        };
        // `Event:` is a label only when a number follows (`Event: 1000`).
        if spelling == "event" && !value.trim_start().starts_with(|c: char| c.is_ascii_digit()) {
            return None;
        }
        return Some((label, value));
    }
    None
}

/// The labelled fields of one line, e.g. `Date: 1/2/99  Event ID: 7` gives Date and Id;
/// `None` when the line does not start with a label. A one-word prefix before `Event ID`
/// (`MSExchangeMTA Event ID: 208`) comes back as a Source.
pub fn field_line(line: &str) -> Option<Vec<(Label, &str)>> {
    let mut t = line.trim();
    // Event lines are sometimes written as bullets.
    if let Some(rest) = t.strip_prefix("- ") {
        t = rest.trim_start();
    }
    let mut fields = Vec::new();
    let (first, mut value) = match label_at(t) {
        Some(found) => found,
        None => {
            let (word, after) = t.split_once([' ', '\t'])?;
            // Source names are CamelCase or capitals (`MSExchangeMTA`, `RAS`), which keeps
            // prose like `The Event ID: 9 is logged` out.
            let word_ok = word.len() >= 2
                && word.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
                && word.bytes().skip(1).any(|b| b.is_ascii_uppercase());
            match label_at(after.trim_start()) {
                Some((Label::Id, v)) if word_ok => {
                    fields.push((Label::Source, word));
                    (Label::Id, v)
                }
                _ => return None,
            }
        }
    };
    let mut label = first;
    // Split further labels off the value, but never inside a description.
    while label != Label::Description {
        let Some((at, next, rest)) = next_label(value) else {
            break;
        };
        fields.push((label, clean_value(&value[..at])));
        label = next;
        value = rest;
    }
    let v = if label == Label::Description {
        value.trim()
    } else {
        clean_value(value)
    };
    fields.push((label, v));
    Some(fields)
}

/// Finds the next label inside a value, standing after whitespace or a comma.
fn next_label(value: &str) -> Option<(usize, Label, &str)> {
    let b = value.as_bytes();
    (1..b.len()).find_map(|i| {
        let starts_word = matches!(b[i - 1], b' ' | b'\t' | b',') && b[i].is_ascii_alphabetic();
        if !starts_word {
            return None;
        }
        label_at(&value[i..]).map(|(l, rest)| (i, l, rest))
    })
}

/// Trims a field value and the separators left by one-line blocks (`68,` `68 -`).
fn clean_value(v: &str) -> &str {
    v.trim().trim_end_matches([',', ';', '-']).trim_end()
}

/// Parses a leading decimal event id (`1000`, `1000 (0x3E8)`).
fn event_number(v: &str) -> Option<u32> {
    let t = v.trim_start();
    let n = t.bytes().take_while(u8::is_ascii_digit).count();
    if n == 0 || n > 9 {
        return None;
    }
    t[..n].parse().ok()
}

/// Whether a line is part of a hex dump under `Data:` (`0000: 00 01 ...`, `0010: ...`).
fn is_hex_line(line: &str) -> bool {
    let t = line.trim();
    let Some((head, _)) = t.split_once(':') else {
        return t.bytes().all(|b| b.is_ascii_hexdigit() || b == b' ');
    };
    head.len() >= 4 && head.bytes().all(|b| b.is_ascii_hexdigit())
}

/// Where a description stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Desc {
    /// No description label yet.
    None,
    /// A bare `Description:` line; the text may come after blank lines.
    Waiting,
    /// Text has started; a blank line or a dedent ends it.
    Open,
    /// Done.
    Closed,
}

/// One block of labelled lines being collected.
struct Group {
    quote: EventQuote,
    seen: Vec<Label>,
    indent: usize,
    desc: Desc,
    desc_text: String,
    in_data: bool,
}

impl Group {
    fn new(indent: usize) -> Self {
        Group {
            quote: EventQuote {
                event_id: 0,
                source: None,
                kind: None,
                category: None,
                description: None,
                description_labelled: false,
                inline_fields: false,
            },
            seen: Vec::new(),
            indent,
            desc: Desc::None,
            desc_text: String::new(),
            in_data: false,
        }
    }

    fn has_id(&self) -> bool {
        self.seen.contains(&Label::Id)
    }

    /// Whether the block names a source: a message quoted under its source alone
    /// (`Source: W3SVC` / `Error: ...`) is still an event, of unknown id.
    fn has_source(&self) -> bool {
        self.quote.source.is_some()
    }

    /// Records one field; returns false when the label repeats, which starts a new event.
    fn add(&mut self, label: Label, value: &str) -> bool {
        if label != Label::Other && label != Label::Data && self.seen.contains(&label) {
            return false;
        }
        let opt = || (!value.is_empty()).then(|| value.to_string());
        match label {
            Label::Id => match event_number(value) {
                Some(n) => self.quote.event_id = n,
                // `Event ID: none` is not an id; keep the group open without one.
                None => return true,
            },
            Label::Source => self.quote.source = opt(),
            Label::Type => self.quote.kind = opt(),
            Label::Category => self.quote.category = opt(),
            Label::Description => {
                self.quote.description_labelled = true;
                push_words(&mut self.desc_text, value);
                self.desc = if self.desc_text.is_empty() {
                    Desc::Waiting
                } else {
                    Desc::Open
                };
            }
            Label::Data => {
                self.close_desc();
                self.in_data = true;
            }
            Label::Other | Label::Explanation => self.close_desc(),
        }
        if label != Label::Data {
            self.in_data = false;
        }
        self.seen.push(label);
        true
    }

    fn close_desc(&mut self) {
        if matches!(self.desc, Desc::Open | Desc::Waiting) {
            self.desc = Desc::Closed;
        }
    }

    /// The quote, when the block is an event: it has an id, or ([`NO_EVENT_ID`]) a source
    /// and a message.
    fn finish(mut self) -> Option<EventQuote> {
        let sourced_message = self.has_source() && !self.desc_text.is_empty();
        if !self.has_id() && !sourced_message {
            return None;
        }
        if !self.has_id() {
            self.quote.event_id = NO_EVENT_ID;
        }
        if !self.desc_text.is_empty() {
            self.quote.description = Some(self.desc_text);
        }
        Some(self.quote)
    }
}

/// The id of a quote that names its source and message but no id: no event id comes near
/// it (Windows' ids are 16 bits), and the store's column stays a plain integer. Articles
/// do quote a real `Event ID: 0`.
pub const NO_EVENT_ID: u32 = u32::MAX;

/// Collects quoted events from body lines, in order, exact duplicates dropped.
pub fn find_events(lines: &[&str]) -> Vec<EventQuote> {
    let mut f = Finder {
        out: Vec::new(),
        group: None,
        prev_blank: true,
        prev_field: false,
        blank_run: 0,
    };
    for &line in lines {
        if is_blank(line) {
            f.blank();
        } else {
            f.line(line);
        }
    }
    if let Some(g) = f.group.take() {
        f.push(g);
    }
    f.out
}

/// The walk over a section's lines: the events found and the one being read.
struct Finder {
    out: Vec<EventQuote>,
    group: Option<Group>,
    prev_blank: bool,
    /// Whether the last non-blank line was a field line, and how many blanks followed it.
    prev_field: bool,
    blank_run: usize,
}

impl Finder {
    fn push(&mut self, g: Group) {
        if let Some(q) = g.finish()
            && !self.out.contains(&q)
        {
            self.out.push(q);
        }
    }

    /// A blank line closes an open description and any hex dump.
    fn blank(&mut self) {
        self.blank_run += 1;
        if let Some(g) = self.group.as_mut() {
            if g.desc == Desc::Open {
                g.desc = Desc::Closed;
            }
            g.in_data = false;
        }
        self.prev_blank = true;
    }

    fn line(&mut self, line: &str) {
        let after_fields = self.prev_field && self.blank_run <= 1;
        self.blank_run = 0;
        let ind = indent(line);
        let fields = field_line(line);
        // `Description: Logon Failed.` / `Explanation: Connection request failed ...`:
        // SNA Server's messages carry their explanation as part of the text.
        if let Some(g) = self.group.as_mut()
            && g.desc == Desc::Open
            && !self.prev_blank
            && matches!(fields.as_deref(), Some([(Label::Explanation, _), ..]))
        {
            push_words(&mut g.desc_text, line);
            self.prev_blank = false;
            self.prev_field = false;
            return;
        }
        match fields {
            Some(fields) => {
                self.fields(fields, ind);
                self.prev_blank = false;
                self.prev_field = true;
            }
            None => self.text(line, ind, after_fields),
        }
    }

    /// Field lines join the current group, or start a new one where a field repeats.
    fn fields(&mut self, fields: Vec<(Label, &str)>, ind: usize) {
        let inline = fields.len() > 1;
        for (label, value) in fields {
            let g = self.group.get_or_insert_with(|| Group::new(ind));
            if !g.add(label, value) {
                let done = self.group.take().expect("group exists");
                self.push(done);
                let mut fresh = Group::new(ind);
                fresh.add(label, value);
                self.group = Some(fresh);
            }
            if inline && let Some(g) = self.group.as_mut() {
                g.quote.inline_fields = true;
            }
        }
    }

    /// Unlabelled text: the group's description, a hex dump inside it, or the end of it.
    fn text(&mut self, line: &str, ind: usize, after_fields: bool) {
        if let Some(g) = self.group.as_mut() {
            let desc_goes_on = match g.desc {
                Desc::Waiting => ind >= g.indent,
                Desc::Open => !self.prev_blank && ind >= g.indent,
                // Unlabelled indented text right under an indented block (or one blank line
                // below it) is its description: `Event ID: 9405` / `Category: ...` / blank / text.
                Desc::None => {
                    after_fields
                        && g.indent > 0
                        && ind >= g.indent
                        && (g.has_id() || g.has_source())
                }
                Desc::Closed => false,
            };
            if g.in_data && !self.prev_blank && is_hex_line(line) {
                self.prev_blank = false;
                return;
            }
            if desc_goes_on && !is_hex_line(line) {
                push_words(&mut g.desc_text, line);
                g.desc = Desc::Open;
                self.prev_blank = false;
                self.prev_field = false;
                return;
            }
            let done = self.group.take().expect("group exists");
            self.push(done);
        }
        self.prev_blank = false;
        self.prev_field = false;
    }
}

#[cfg(test)]
mod tests;
