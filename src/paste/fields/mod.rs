//! Labelled-line layouts: KB articles, Event Viewer copies (Vista and NT 4.0), wevtutil text
//! and PowerShell Format-List, read with one label table and one line-by-line state machine.

mod labels;
mod record;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_tools;

use super::text::{event_number, leading_number, lines};
use super::{MAX_EVENTS, PastedEvent};
use labels::*;
use record::{Desc, Record};

/// The line-by-line reader: the record being collected and the events finished so far.
struct Parser<'a> {
    cur: Record<'a>,
    out: Vec<PastedEvent>,
    /// The line before was one of the record's header fields.
    after_header: bool,
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
        let after_header = std::mem::take(&mut self.after_header);
        if matches!(self.cur.desc_state, Desc::Waiting | Desc::Open)
            && self.description_line(line, blank, labelled.as_ref())
        {
            return;
        }
        match labelled.filter(|_| !blank) {
            Some(l) => {
                self.after_header = is_header(l.key);
                self.labelled_line(l);
            }
            None if !blank && after_header => self.cur.unlabelled_message(line),
            None => {}
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
            self.start_next(&l);
        }
        self.cur.set(l, inline);
    }

    /// Ends the record because `l` repeats one of its keys. Lines an open description
    /// swallowed before a repeated event id are the next event's fields: they go with it.
    fn start_next(&mut self, l: &Labelled<'a>) {
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
        if self.cur.repeats(l) {
            self.next_record();
        }
    }
}

impl<'a> Record<'a> {
    /// Stores the value of one field and notes that its key was seen.
    fn set(&mut self, l: Labelled<'a>, inline: bool) {
        if matches!(self.desc_state, Desc::Open) {
            self.desc_state = Desc::Closed;
        }
        let value = clean_value(l.value);
        match l.key {
            Key::EventId => self.event_id = self.event_id.or(event_number(value)),
            Key::InstanceId => {
                // Get-EventLog's InstanceId keeps the qualifier bits above the id.
                self.instance_id =
                    leading_number(value).and_then(|n| u32::try_from(n & 0xFFFF).ok());
            }
            Key::Source => self.source = Some(value),
            Key::Level => self.level = Some(value),
            Key::LevelName => self.level_name = Some(value),
            Key::Category => self.category = Some(value),
            Key::TaskName => self.task_name = Some(value),
            Key::Log => self.log = Some(value),
            Key::Computer => self.computer = Some(value),
            Key::Date => self.date = Some(value),
            Key::Time => self.time = Some(value),
            Key::Description | Key::Message => self.open_description(&l),
            Key::Data => {
                self.desc_state = close(self.desc_state);
                self.in_data = true;
            }
            Key::EventXml => {
                self.desc_state = close(self.desc_state);
                let mut x = String::from(l.value.trim());
                x.push('\n');
                self.xml = Some(x);
                self.xml_done = false;
            }
            Key::Other => {}
        }
        if inline {
            self.seen_inline |= Record::bit(l.key);
        } else {
            self.seen |= Record::bit(l.key);
        }
        self.seen_rows.set(l.row);
        self.hints |= l.hint & !INLINE;
    }

    /// Takes an unlabelled line right under an article's header (`Event ID: 10004; Source:
    /// DCOM` then the message) as the start of its description, when it has an id and no
    /// description yet. A tool's copy always labels its description, so it is left alone.
    fn unlabelled_message(&mut self, line: &'a str) {
        if self.desc_state == Desc::None && self.event_id.is_some() && !self.is_tool_copy() {
            self.desc.push(line.trim());
            self.desc_state = Desc::Open;
        }
    }

    /// Starts the description at its label: the text after the label is its first line,
    /// and a label with nothing after it waits for the lines below.
    fn open_description(&mut self, l: &Labelled<'a>) {
        let text = l.value.trim();
        if !text.is_empty() {
            self.desc.push(text);
        }
        self.desc_state = if text.is_empty() {
            Desc::Waiting
        } else {
            Desc::Open
        };
        self.desc_list = l.key == Key::Message;
        self.desc_indent = l.indent;
        self.blank_in_desc = false;
    }
}

/// Whether a key is one of an event's header fields, which an article's quote may follow
/// with the message itself, unlabelled.
fn is_header(key: Key) -> bool {
    !matches!(
        key,
        Key::Description | Key::Message | Key::Data | Key::EventXml | Key::Other
    )
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
        after_header: false,
    };
    for line in lines(text) {
        if p.out.len() >= MAX_EVENTS {
            break;
        }
        for piece in unflatten(line) {
            p.line(piece);
        }
    }
    p.next_record();
    p.out.truncate(MAX_EVENTS);
    p.out
}
