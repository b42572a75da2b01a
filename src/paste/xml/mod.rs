//! The event's XML (`<Event><System><Provider Name=.../>...`): a small forgiving tag scanner,
//! entity decoding, and the fields of each `<Event>`.

use super::text::{collapse, event_number, leading_number};
use super::{MAX_EVENTS, PasteFormat, PastedEvent};

/// Whether the paste opens with markup (after whitespace).
pub(super) fn starts_like_xml(text: &str) -> bool {
    text.trim_start().starts_with('<')
}

/// Whether the paste holds an event's XML somewhere.
pub(super) fn mentions_event(text: &str) -> bool {
    text.contains("<EventID") || text.contains("<Provider ")
}

/// One piece of markup.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tok<'a> {
    /// `<name attrs>` or `<name attrs/>`.
    Open {
        name: &'a str,
        attrs: &'a str,
        empty: bool,
    },
    /// `</name>`.
    Close(&'a str),
    /// Character data, entities still encoded.
    Text(&'a str),
    /// CDATA content, taken as is.
    Raw(&'a str),
}

/// Scans markup left to right. Never looks back: a `<` without its `>` before the next `<`
/// is text, so broken markup stays linear.
struct Tokens<'a> {
    rest: &'a str,
}

/// The local part of a possibly prefixed name (`e:Event` → `Event`).
fn local(name: &str) -> &str {
    name.rsplit(':').next().unwrap_or(name)
}

/// Where a tag's text ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TagEnd {
    /// At this `>`.
    At(usize),
    /// It does not: another `<` at this offset comes first.
    Stray(usize),
    /// Never: the text runs out first (or inside a quoted value).
    Never,
}

/// Finds the `>` closing a tag whose text is `body`, skipping quoted attribute values
/// (`Name="<Link service name>"` is a value, not markup).
fn tag_end(body: &str) -> TagEnd {
    let mut quote: Option<char> = None;
    let mut after_eq = false;
    for (i, c) in body.char_indices() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None => match c {
                '>' => return TagEnd::At(i),
                '<' => return TagEnd::Stray(i),
                '"' | '\'' if after_eq => quote = Some(c),
                _ => {}
            },
        }
        if !c.is_whitespace() {
            after_eq = quote.is_none() && c == '=';
        }
    }
    TagEnd::Never
}

impl<'a> Iterator for Tokens<'a> {
    type Item = Tok<'a>;

    fn next(&mut self) -> Option<Tok<'a>> {
        loop {
            let s = self.rest;
            if s.is_empty() {
                return None;
            }
            // Comments, processing instructions and CDATA run to their own terminator.
            let special = [("<!--", "-->"), ("<?", "?>"), ("<![CDATA[", "]]>")]
                .into_iter()
                .find_map(|(open, close)| {
                    let body = s.strip_prefix(open)?;
                    let (inner, after) = body.split_once(close).unwrap_or((body, ""));
                    Some((open, inner, after))
                });
            if let Some((open, inner, after)) = special {
                self.rest = after;
                if open == "<![CDATA[" {
                    return Some(Tok::Raw(inner));
                }
                continue;
            }
            let Some(body) = s.strip_prefix('<') else {
                let end = s.find('<').unwrap_or(s.len());
                let (text, after) = s.split_at_checked(end).unwrap_or((s, ""));
                self.rest = after;
                return Some(Tok::Text(text));
            };
            let end = match tag_end(body) {
                TagEnd::At(i) => i,
                TagEnd::Stray(i) => {
                    // A stray `<`: text up to the next one.
                    let (text, after) = s.split_at_checked(i + 1).unwrap_or((s, ""));
                    self.rest = after;
                    return Some(Tok::Text(text));
                }
                TagEnd::Never => {
                    self.rest = "";
                    return Some(Tok::Text(s));
                }
            };
            let (tag, after) = body.split_at_checked(end).unwrap_or((body, ""));
            self.rest = after.get(1..).unwrap_or("");
            if tag.starts_with('!') {
                continue;
            }
            if let Some(name) = tag.strip_prefix('/') {
                return Some(Tok::Close(local(name.trim())));
            }
            let empty = tag.ends_with('/');
            let tag = tag.strip_suffix('/').unwrap_or(tag);
            let name_end = tag.find(char::is_whitespace).unwrap_or(tag.len());
            let (name, attrs) = tag.split_at_checked(name_end).unwrap_or((tag, ""));
            return Some(Tok::Open {
                name: local(name),
                attrs,
                empty,
            });
        }
    }
}

/// The value of attribute `name` in a tag's attribute text, entities decoded.
fn attr(attrs: &str, name: &str) -> Option<String> {
    let mut rest = attrs;
    loop {
        rest = rest.trim_start();
        let eq = rest.find('=')?;
        let key = rest.get(..eq)?.trim();
        let after = rest.get(eq + 1..)?.trim_start();
        let quote = after.chars().next().filter(|c| *c == '"' || *c == '\'')?;
        let body = after.get(1..)?;
        let (value, next) = body.split_once(quote).unwrap_or((body, ""));
        if local(key) == name {
            return Some(decode_entities(value));
        }
        rest = next;
    }
}

/// Decodes the five XML entities and character references; anything else stays as written.
pub(super) fn decode_entities(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(rest.get(..amp).unwrap_or(""));
        let tail = rest.get(amp..).unwrap_or("");
        // An entity is short; never look further than this for its `;`.
        let semi = tail
            .char_indices()
            .take(12)
            .find(|&(_, c)| c == ';')
            .map(|(i, _)| i);
        let decoded = semi.and_then(|i| {
            let name = tail.get(1..i)?;
            let c = match name {
                "lt" => '<',
                "gt" => '>',
                "amp" => '&',
                "quot" => '"',
                "apos" => '\'',
                _ => {
                    let num = name.strip_prefix('#')?;
                    let code = match num.strip_prefix(['x', 'X']) {
                        Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                        None => num.parse().ok()?,
                    };
                    char::from_u32(code)?
                }
            };
            Some((c, i + 1))
        });
        match decoded {
            Some((c, len)) => {
                out.push(c);
                rest = tail.get(len..).unwrap_or("");
            }
            None => {
                out.push('&');
                rest = tail.get(1..).unwrap_or("");
            }
        }
    }
    out.push_str(rest);
    out
}

/// The name of a numeric `<Level>`.
fn level_name(level: &str, keywords: Option<&str>) -> Option<String> {
    let name = match leading_number(level)? {
        1 => "Critical",
        2 => "Error",
        3 => "Warning",
        4 => "Information",
        5 => "Verbose",
        // Level 0 is "log always"; the Security log's audits say success or failure in
        // their keywords.
        0 => {
            let bits = keywords
                .and_then(|k| k.trim().strip_prefix("0x"))
                .and_then(|h| u64::from_str_radix(h, 16).ok())
                .unwrap_or(0);
            if bits & 0x0020_0000_0000_0000 != 0 {
                "Audit Success"
            } else if bits & 0x0010_0000_0000_0000 != 0 {
                "Audit Failure"
            } else {
                "Information"
            }
        }
        _ => return None,
    };
    Some(name.to_string())
}

/// The element whose text is being read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Leaf {
    EventId,
    Level,
    Keywords,
    Channel,
    Computer,
    /// `RenderingInfo`'s text: its `Message`, `Level` and `Task`.
    Message,
    RenderedLevel,
    RenderedTask,
    /// An `<EventData>` insertion string.
    Data,
}

/// The fields of one `<Event>` being read.
#[derive(Debug, Default)]
struct XmlEvent {
    event_id: String,
    provider: Option<String>,
    level: String,
    keywords: String,
    channel: String,
    computer: String,
    time: Option<String>,
    message: String,
    rendered_level: String,
    rendered_task: String,
    /// The insertion strings, space-separated.
    data: String,
}

impl XmlEvent {
    fn text_of(&mut self, leaf: Leaf) -> &mut String {
        match leaf {
            Leaf::EventId => &mut self.event_id,
            Leaf::Level => &mut self.level,
            Leaf::Keywords => &mut self.keywords,
            Leaf::Channel => &mut self.channel,
            Leaf::Computer => &mut self.computer,
            Leaf::Message => &mut self.message,
            Leaf::RenderedLevel => &mut self.rendered_level,
            Leaf::RenderedTask => &mut self.rendered_task,
            Leaf::Data => {
                self.data.push(' ');
                &mut self.data
            }
        }
    }

    /// The event, when it names an id or a provider; `data_text` lets the insertion strings
    /// stand in for a missing message.
    fn finish(self, data_text: bool) -> Option<PastedEvent> {
        let mut e = PastedEvent::empty(PasteFormat::Xml);
        e.event_id = event_number(&self.event_id);
        e.source = self.provider.as_deref().and_then(|p| collapse([p]));
        e.level = collapse([self.rendered_level.as_str()])
            .or_else(|| level_name(&self.level, Some(&self.keywords)));
        e.category = collapse([self.rendered_task.as_str()]);
        e.log = collapse([self.channel.as_str()]);
        e.computer = collapse([self.computer.as_str()]);
        e.time = self.time.as_deref().and_then(|t| collapse([t]));
        // The XML carries no message text unless it was rendered (`RenderingInfo`). The
        // `<Data>` insertion strings are the message's variable words: a weak description,
        // but on the dev pastes it ranks the right article first more often than none.
        e.description = collapse([self.message.as_str()])
            .or_else(|| data_text.then(|| collapse([self.data.as_str()])).flatten());
        (e.event_id.is_some() || e.source.is_some()).then_some(e)
    }
}

/// Reads the events of an XML paste (`<Event>` elements, or a bare `<System>`), at most
/// `MAX_EVENTS`; `data_text` lets the insertion strings stand in for a missing message.
pub(super) fn parse(text: &str, data_text: bool) -> Vec<PastedEvent> {
    let mut reader = Reader {
        data_text,
        out: Vec::new(),
        cur: None,
        leaf: None,
        in_rendering: false,
        started: 0,
    };
    for tok in (Tokens { rest: text }) {
        // Bounds the work on a paste of thousands of empty `<Event>` elements.
        if reader.out.len() >= MAX_EVENTS || reader.started > MAX_EVENTS * 50 {
            break;
        }
        match tok {
            Tok::Open { name, attrs, empty } => reader.open(name, attrs, empty),
            Tok::Close(name) => reader.close(name),
            Tok::Text(t) => reader.text(&decode_entities(t)),
            Tok::Raw(t) => reader.text(t),
        }
    }
    if reader.out.len() < MAX_EVENTS {
        reader.finish_event();
    }
    reader.out
}

/// The state of reading an XML paste: the events read, the one being read, and the leaf
/// element whose text is being collected.
struct Reader {
    data_text: bool,
    out: Vec<PastedEvent>,
    cur: Option<XmlEvent>,
    leaf: Option<Leaf>,
    /// Inside `<RenderingInfo>`, where the names mean the rendered values.
    in_rendering: bool,
    /// `<Event>` elements started.
    started: usize,
}

impl Reader {
    /// An opening tag: a new event, a provider's or time's attributes, or a leaf to read.
    fn open(&mut self, name: &str, attrs: &str, empty: bool) {
        self.leaf = None;
        if name == "Event" {
            self.started += 1;
            self.finish_event();
            self.cur = Some(XmlEvent::default());
            self.in_rendering = false;
            return;
        }
        let ev = self.cur.get_or_insert_with(XmlEvent::default);
        match name {
            "RenderingInfo" => self.in_rendering = !empty,
            "Provider" if !self.in_rendering => {
                // Classic sources are named in EventSourceName when Name is the provider's
                // full name.
                ev.provider = attr(attrs, "EventSourceName").or_else(|| attr(attrs, "Name"));
            }
            "TimeCreated" => ev.time = attr(attrs, "SystemTime"),
            _ => {}
        }
        if !empty {
            self.leaf = leaf_of(name, self.in_rendering);
        }
    }

    /// A closing tag: the end of an event or of the rendered values.
    fn close(&mut self, name: &str) {
        self.leaf = None;
        match name {
            "Event" => self.finish_event(),
            "RenderingInfo" => self.in_rendering = false,
            _ => {}
        }
    }

    /// Text inside the current leaf, decoded.
    fn text(&mut self, t: &str) {
        if let (Some(l), Some(ev)) = (self.leaf, self.cur.as_mut()) {
            ev.text_of(l).push_str(t);
        }
    }

    /// Ends the event being read, keeping it when it holds one.
    fn finish_event(&mut self) {
        if let Some(done) = self.cur.take().and_then(|e| e.finish(self.data_text)) {
            self.out.push(done);
        }
    }
}

/// The leaf an element's text fills, by its name and whether it is a rendered value.
fn leaf_of(name: &str, in_rendering: bool) -> Option<Leaf> {
    match (name, in_rendering) {
        ("EventID", false) => Some(Leaf::EventId),
        ("Level", false) => Some(Leaf::Level),
        ("Keywords", false) => Some(Leaf::Keywords),
        ("Channel", false) => Some(Leaf::Channel),
        ("Computer", false) => Some(Leaf::Computer),
        ("Message", true) => Some(Leaf::Message),
        ("Level", true) => Some(Leaf::RenderedLevel),
        ("Task", true) => Some(Leaf::RenderedTask),
        ("Data", false) => Some(Leaf::Data),
        _ => None,
    }
}

#[cfg(test)]
mod tests;
