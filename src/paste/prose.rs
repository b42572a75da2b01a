//! Events named in prose: "event 68 from MSExchangeCCMC", "Event ID 2019 Srv:", "EventID 7000
//! (Service Control Manager)", "Source: Srv, ID: 2019", in the languages Event Viewer speaks.
//! A number is an event id only where the text says so: a keyword right before it.

use super::text::{collapse, other_id};
use super::{PasteFormat, PastedEvent};

/// Words that say the number after them is an event id, ASCII-lower-cased, longest first so
/// that "event id 68" is read once.
const ID_WORDS: &[&str] = &[
    "identificação do evento",
    "identificador de evento",
    "id de l'événement",
    "id de l’événement",
    "id d'événement",
    "id del evento",
    "id. del evento",
    "id. de evento",
    "id do evento",
    "ereigniskennung",
    "ereignis-id",
    "イベント id",
    "イベントid",
    "이벤트 id",
    "event id",
    "event-id",
    "eventid",
    "événement",
    "ereignis",
    "evento",
    "event",
    "id",
];

/// Capitalised words that start sentences or name logs, never a source on their own.
const NOT_SOURCES: &[&str] = &[
    "the",
    "this",
    "that",
    "these",
    "an",
    "a",
    "my",
    "our",
    "we",
    "i",
    "it",
    "and",
    "or",
    "in",
    "on",
    "at",
    "of",
    "for",
    "to",
    "is",
    "was",
    "with",
    "every",
    "each",
    "when",
    "after",
    "then",
    "also",
    "see",
    "same",
    "windows",
    "system",
    "security",
    "setup",
    "log",
    "logs",
    "viewer",
    "error",
    "warning",
    "information",
    "critical",
    "event",
    "events",
    "id",
    "source",
    "from",
    "type",
    "description",
    "category",
    "but",
    "so",
    "if",
    "here",
    "there",
    "please",
    "thanks",
];

/// Most events read from one paste's prose.
const MAX_PROSE_EVENTS: usize = 5;

/// One id named in the text: where its mention starts and ends, and the id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Mention {
    pub(super) start: usize,
    pub(super) end: usize,
    pub(super) id: u32,
}

/// The events the prose names, one per distinct id, each with the source named next to it
/// and its message: a quoted sentence near it, else the text around it.
pub(super) fn parse(text: &str) -> Vec<PastedEvent> {
    let mentions = mentions(text);
    let mut ids: Vec<u32> = Vec::new();
    // Event 0 is a placeholder more often than an event ("Event ID ( 0 )").
    for m in mentions.iter().filter(|m| m.id != 0) {
        if !ids.contains(&m.id) && ids.len() < MAX_PROSE_EVENTS {
            ids.push(m.id);
        }
    }
    let single = ids.len() == 1;
    ids.iter()
        .filter_map(|&id| {
            let here: Vec<&Mention> = mentions.iter().filter(|m| m.id == id).collect();
            let first = here.first()?;
            let source = here
                .iter()
                .find_map(|m| source_near(text, m))
                .or_else(|| labelled_source(text));
            // The stretch of text about this id: all of it when it names one id, else from its
            // mention to the next other one.
            let stretch = if single {
                text
            } else {
                let next = mentions
                    .iter()
                    .find(|m| m.start > first.start && m.id != id)
                    .map_or(text.len(), |m| m.start);
                text.get(first.start..next).unwrap_or(text)
            };
            let description = quoted(stretch).or_else(|| collapse([stretch]));
            Some(PastedEvent {
                event_id: Some(id),
                source,
                description,
                ..PastedEvent::empty(PasteFormat::Prose)
            })
        })
        .collect()
}

/// Every "keyword number" in the text, in order.
pub(super) fn mentions(text: &str) -> Vec<Mention> {
    let lower = text.to_ascii_lowercase();
    let mut out: Vec<Mention> = Vec::new();
    for word in ID_WORDS {
        for (at, _) in lower.match_indices(word) {
            let boundary = lower[..at]
                .chars()
                .next_back()
                .is_none_or(|c| !c.is_ascii_alphanumeric());
            if !boundary || (*word == "id" && other_id(&lower[..at])) {
                continue;
            }
            let Some((end, id)) = number_after(&lower, at + word.len()) else {
                continue;
            };
            if out.iter().any(|m| m.end == end) {
                continue;
            }
            out.push(Mention { start: at, end, id });
            if out.len() >= 200 {
                break;
            }
        }
    }
    out.sort_by_key(|m| m.start);
    out
}

/// The number right after a keyword: past spaces, a colon, `#`, `=`, `no.` or a quote; 1 to 5
/// digits not followed by a letter, digit or decimal part.
fn number_after(lower: &str, from: usize) -> Option<(usize, u32)> {
    let rest = lower.get(from..)?;
    // "Event" must not run on into another word ("events", "eventlog").
    if rest.starts_with(|c: char| c.is_ascii_alphabetic()) {
        return None;
    }
    let skipped = rest
        .trim_start_matches([' ', '\t', ':', '#', '=', '-', '\'', '"', '(', '\u{ff1a}'])
        .trim_start_matches("no.")
        .trim_start_matches(['\u{2018}', '\u{2019}', '\u{201c}', '\u{201d}', ' ']);
    if rest.len() - skipped.len() > 6 {
        return None;
    }
    let digits = skipped.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 || digits > 5 {
        return None;
    }
    let after = &skipped[digits..];
    let runs_on = after.starts_with(|c: char| c.is_ascii_alphanumeric())
        || (after.starts_with(['.', ',', ':'])
            && after[1..].starts_with(|c: char| c.is_ascii_digit()))
        || after.starts_with('%');
    if runs_on {
        return None;
    }
    let id: u32 = skipped[..digits].parse().ok()?;
    (id <= u32::from(u16::MAX)).then_some((lower.len() - after.len(), id))
}

/// The source named right next to a mention: "from X", "(X)", "X:" or capitalised words
/// after it ("EventID 2019 Error Srv"), ", Source, X", or one word before ("Srv event 2019").
fn source_near(text: &str, m: &Mention) -> Option<String> {
    let after = text.get(m.end..)?;
    let line = after.split(['\n', '\r']).next().unwrap_or("");
    let t = line.trim_start_matches([' ', '\t', ',', '-']);
    let lower = t.to_ascii_lowercase();
    for lead in [
        "from source ",
        "from the ",
        "from ",
        "source: ",
        "source, ",
        "source ",
        "in source:",
    ] {
        if lower.starts_with(lead) {
            return words_as_source(&t[lead.len()..]);
        }
    }
    if let Some(inner) = t.strip_prefix('(') {
        let close = inner.find(')')?;
        let name = inner[..close].trim();
        return (!name.is_empty() && name.len() <= 40 && !name.bytes().all(|b| b.is_ascii_digit()))
            .then(|| name.to_string());
    }
    // "Event ID 2019 Srv: The server…": one word and a colon.
    if let Some((word, _)) = t.split_once(':')
        && !word.is_empty()
        && !word.contains(' ')
        && word.starts_with(|c: char| c.is_ascii_uppercase())
        && !NOT_SOURCES.contains(&word.to_ascii_lowercase().as_str())
    {
        return Some(word.to_string());
    }
    if let Some(s) = words_as_source(skip_level(t)) {
        return Some(s);
    }
    word_before(text, m.start)
}

/// The text past a leading level word ("Error Srv" → "Srv").
fn skip_level(t: &str) -> &str {
    for level in ["Error ", "Warning ", "Information ", "error ", "warning "] {
        if let Some(rest) = t.strip_prefix(level) {
            return rest;
        }
    }
    t
}

/// Up to four capitalised words (or quoted text) at the start of `t`, as a source name.
fn words_as_source(t: &str) -> Option<String> {
    let t = t.trim_start();
    if let Some(q) = t.chars().next().filter(|c| "'\"`‘“„«".contains(*c)) {
        let inner = &t[q.len_utf8()..];
        let close = inner.find(|c: char| "'\"`’”“»".contains(c))?;
        let name = inner[..close].trim();
        return (!name.is_empty() && name.len() <= 60).then(|| name.to_string());
    }
    let mut words = Vec::new();
    for raw in t.split([' ', '\t']).take(4) {
        let w = raw.trim_end_matches([',', '.', ';', ':', ')']);
        let capital = w.starts_with(|c: char| c.is_uppercase() || c == '.')
            || w.chars().skip(1).any(char::is_uppercase);
        let sentence_word =
            words.is_empty() && NOT_SOURCES.contains(&w.to_ascii_lowercase().as_str());
        if w.is_empty() || !capital || sentence_word || !w.is_ascii() {
            break;
        }
        words.push(w);
        if raw.len() != w.len() {
            break;
        }
    }
    (!words.is_empty()).then(|| words.join(" "))
}

/// One capitalised word right before a mention ("Srv event 2019").
fn word_before(text: &str, start: usize) -> Option<String> {
    let before = text.get(..start)?.trim_end_matches([' ', '\t']);
    let word = before.rsplit([' ', '\t', '\n', '(', '"']).next()?;
    let capital = word.starts_with(|c: char| c.is_uppercase())
        || word.chars().skip(1).any(char::is_uppercase);
    (capital
        && word.len() > 1
        && word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c))
        && !NOT_SOURCES.contains(&word.to_ascii_lowercase().as_str()))
    .then(|| word.to_string())
}

/// A source the text labels anywhere: "Source: X", "Quelle „X“", "X のソース".
fn labelled_source(text: &str) -> Option<String> {
    let lower = text.to_ascii_lowercase();
    for lead in [
        "source:", "source ", "quelle:", "quelle ", "origen:", "origem:", "fonte:",
    ] {
        for (at, _) in lower.match_indices(lead) {
            let boundary = lower[..at]
                .chars()
                .next_back()
                .is_none_or(|c| !c.is_alphanumeric());
            let found = boundary
                .then(|| words_as_source(text.get(at + lead.len()..).unwrap_or("")))
                .flatten();
            if found.is_some() {
                return found;
            }
        }
    }
    let at = text.find("のソース")?;
    let before = &text[..at];
    let start = before
        .char_indices()
        .rev()
        .find(|(_, c)| !c.is_ascii())
        .map_or(0, |(i, c)| i + c.len_utf8());
    let name = before[start..].trim();
    (!name.is_empty() && name.len() <= 60).then(|| name.to_string())
}

/// The first quoted stretch of four words or more: what the user copied from the event.
fn quoted(text: &str) -> Option<String> {
    const PAIRS: [(char, char); 5] = [
        ('"', '"'),
        ('\u{201c}', '\u{201d}'),
        ('\u{201e}', '\u{201c}'),
        ('«', '»'),
        ('「', '」'),
    ];
    for (open, close) in PAIRS {
        let mut rest = text;
        while let Some(at) = rest.find(open) {
            let inner = &rest[at + open.len_utf8()..];
            let Some(end) = inner.find(close) else {
                break;
            };
            let q = &inner[..end];
            if q.split_whitespace().count() >= 4 {
                return collapse([q]);
            }
            rest = &inner[end + close.len_utf8()..];
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The id and source of each event read.
    type Read = Vec<(Option<u32>, Option<String>)>;

    fn ids_and_sources(text: &str) -> Read {
        parse(text)
            .into_iter()
            .map(|e| (e.event_id, e.source))
            .collect()
    }

    #[test]
    fn ids_named_in_prose() {
        let s = |x: &str| Some(x.to_string());
        let cases: Vec<(&str, Read)> = vec![
            (
                "my exchange 5.5 box keeps logging event 68 from MSExchangeCCMC every night",
                vec![(Some(68), s("MSExchangeCCMC"))],
            ),
            (
                "Event ID 2019 Srv: The server was unable to allocate from the nonpaged pool",
                vec![(Some(2019), s("Srv"))],
            ),
            (
                "we get EventID 7000 (Service Control Manager) at boot",
                vec![(Some(7000), s("Service Control Manager"))],
            ),
            (
                "Srv event 2019 again on the file server",
                vec![(Some(2019), s("Srv"))],
            ),
            ("Source: Srv, ID: 2019", vec![(Some(2019), s("Srv"))]),
            (
                "it logs an error ID 1000 Application Error at each boot",
                vec![(Some(1000), s("Application Error"))],
            ),
            (
                "I see EventID 2019 Error Srv in the log",
                vec![(Some(2019), s("Srv"))],
            ),
            (
                "Event 7034: \"The foo service terminated unexpectedly.\"",
                vec![(Some(7034), None)],
            ),
            (
                "beim Ereignis aus der Quelle „NetBT“ mit der Ereigniskennung 4319",
                vec![(Some(4319), s("NetBT"))],
            ),
            (
                "イベントログにApplication ErrorのソースでID:1000のログが記録されます",
                vec![(Some(1000), s("Application Error"))],
            ),
            (
                "event id 7000 and then event id 7009 after it",
                vec![(Some(7000), None), (Some(7009), None)],
            ),
        ];
        for (text, want) in cases {
            assert_eq!(ids_and_sources(text), want, "{text}");
        }
    }

    #[test]
    fn numbers_that_are_not_event_ids() {
        for text in [
            "The service failed with error 1053 after 30000 milliseconds",
            "Faulting process id: 0x1a2b, thread ID 4411",
            "my exchange 5.5 box has 68 mailboxes",
            "eventlog 6008 and events 12 were seen",
            "Process ID 4242 exited; Logon ID 55",
            "Object Open: New Handle ID: 868 Operation ID: {0,94189} Port ID 25",
            "Event 1.5 of the schedule",
        ] {
            assert!(parse(text).is_empty(), "{text}");
        }
    }

    #[test]
    fn quoted_message_is_the_description() {
        let e = parse(
            "It keeps logging event id 2019 \u{201c}The server was unable to allocate from the system nonpaged pool\u{201d} every day",
        );
        assert_eq!(
            e.first().and_then(|e| e.description.as_deref()),
            Some("The server was unable to allocate from the system nonpaged pool")
        );
    }
}
