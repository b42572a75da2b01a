//! What a paste's text says about its events beyond what the parser read. The parser cannot
//! know the archive's source names or event ids; the index can:
//! - an event read without its source takes a source the text names, when an article quotes
//!   that source with that id;
//! - an event without an id takes a number of the text that such a named source quotes, or
//!   a number heading a line ("8003", "7000: The … service") whose quotes read like the
//!   pasted message;
//! - prose that names a source next to a number that source quotes ("rdr errors with error
//!   number 3013") names one more event.

use super::SAME_MESSAGE;
use super::index::EventIndex;
use super::similarity::{shape, similarity};
use crate::paste::{PasteFormat, PastedEvent};
use std::collections::HashSet;

/// How much of a paste is searched for source names, in bytes.
const SCAN_BYTES: usize = 16 * 1024;
/// Most numbers of a paste tried as event ids.
const MAX_NUMBERS: usize = 40;
/// Most bytes between a source name and a number for prose to name them together.
const NEAR: usize = 60;
/// Words that say a number near a source is one of its events, not a count or a version.
const EVENT_WORDS: &[&str] = &[
    "error", "errors", "event", "events", "warning", "warnings", "id",
];

/// Fills sources and ids the text names, and adds events prose names by source, as
/// described above.
pub fn name_sources(index: &EventIndex, text: &str, events: &mut Vec<PastedEvent>) {
    let lower = scanned(text).to_lowercase();
    let words = Words {
        words: lower
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .collect(),
        lower: &lower,
    };
    // A layout with a source field that was left empty says the source is unknown; the
    // text around it names computers and services, not the source.
    let loose = |e: &&mut PastedEvent| {
        matches!(
            e.format,
            PasteFormat::Prose | PasteFormat::Message | PasteFormat::Wrapper
        )
    };
    for event in events.iter_mut().filter(loose) {
        match event.event_id {
            // A source the paste states is kept even when no article quotes it: the verdict
            // then says no article is about it.
            Some(id) => {
                if event.source.is_none()
                    && let Some(s) = named_source(index, &words, id)
                {
                    event.source = Some(s);
                }
            }
            None => {
                if let Some((id, s)) =
                    numbers(&lower).find_map(|n| named_source(index, &words, n).map(|s| (n, s)))
                {
                    event.event_id = Some(id);
                    event.source = Some(s);
                } else if let Some(id) = heading_id(index, text, event.description.as_deref()) {
                    event.event_id = Some(id);
                }
            }
        }
    }
    if events.iter().all(|e| e.format == PasteFormat::Prose) && !events.is_empty() {
        add_named_pairs(index, &lower, events);
    }
}

/// A number heading a line (alone, or before a colon) that articles quote as an event id
/// with a message like `description`.
fn heading_id(index: &EventIndex, text: &str, description: Option<&str>) -> Option<u32> {
    let pasted = shape(description?);
    line_heads(scanned(text)).find(|&n| {
        index
            .by_id(n)
            .iter()
            .any(|q| similarity(&pasted, &q.shape).score >= SAME_MESSAGE)
    })
}

/// The numbers that head a line alone or before a colon, at most `MAX_NUMBERS`.
fn line_heads(text: &str) -> impl Iterator<Item = u32> + '_ {
    text.lines()
        .filter_map(|line| {
            let t = line.trim();
            let digits = t.len() - t.trim_start_matches(|c: char| c.is_ascii_digit()).len();
            let rest = t[digits..].trim_start();
            let headed = rest.is_empty() || rest.starts_with(':');
            (headed && (1..=5).contains(&digits)).then(|| t[..digits].parse::<u32>().ok())?
        })
        .filter(|&n| n > 0 && n <= u32::from(u16::MAX))
        .take(MAX_NUMBERS)
}

/// Adds an event for each number that prose puts near a source name quoting it, with an
/// event word between them ("'rdr' errors with error number 3013"), that no event has yet.
fn add_named_pairs(index: &EventIndex, lower: &str, events: &mut Vec<PastedEvent>) {
    for (at, n) in positioned_numbers(lower) {
        if events.len() >= crate::paste::MAX_EVENTS || events.iter().any(|e| e.event_id == Some(n))
        {
            continue;
        }
        if let Some(source) = source_said_with(index, lower, at, n) {
            events.push(PastedEvent {
                event_id: Some(n),
                source: Some(source),
                format: PasteFormat::Prose,
                ..events[0].clone()
            });
        }
    }
}

/// The source quoting event `n` that the text names within `NEAR` bytes of the number at
/// `at`, with an event word between the name and the number.
fn source_said_with(index: &EventIndex, lower: &str, at: usize, n: u32) -> Option<String> {
    let start = floor_boundary(lower, at.saturating_sub(NEAR));
    let end = floor_boundary(lower, (at + NEAR).min(lower.len()));
    let window = &lower[start..end];
    let words = Words {
        lower: window,
        words: window
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .collect(),
    };
    let source = named_source(index, &words, n)?;
    let name = source.to_lowercase();
    let number_at = at - start;
    let said = window.match_indices(name.as_str()).any(|(i, _)| {
        let between = if i < number_at {
            window.get(i + name.len()..number_at)
        } else {
            window.get(number_at..i)
        };
        between.is_some_and(|b| {
            b.split(|c: char| !c.is_alphanumeric())
                .any(|w| EVENT_WORDS.contains(&w))
        })
    });
    said.then_some(source)
}

/// The largest char boundary of `s` at or before `i`.
fn floor_boundary(s: &str, i: usize) -> usize {
    (0..=i.min(s.len()))
        .rev()
        .find(|&j| s.is_char_boundary(j))
        .unwrap_or(0)
}

/// The lower-cased text searched for names, and its words.
struct Words<'a> {
    lower: &'a str,
    words: HashSet<&'a str>,
}

/// The start of the text that is searched for names.
fn scanned(text: &str) -> &str {
    let end = (0..=SCAN_BYTES.min(text.len()))
        .rev()
        .find(|&i| text.is_char_boundary(i))
        .unwrap_or(0);
    &text[..end]
}

/// The longest source quoting event `id` whose name the text holds as whole words.
fn named_source(index: &EventIndex, text: &Words, id: u32) -> Option<String> {
    let mut best: Option<&str> = None;
    for q in index.by_id(id) {
        let Some(name) = q.source.as_deref() else {
            continue;
        };
        if name.len() < 3 || best.is_some_and(|b| b.len() >= name.len()) {
            continue;
        }
        // A cheap test first: the name's first word must be one of the text's words.
        let lower = name.to_lowercase();
        let first = lower
            .split(|c: char| !c.is_alphanumeric())
            .next()
            .unwrap_or("");
        if !first.is_empty() && !text.words.contains(first) {
            continue;
        }
        if holds_words(text.lower, &lower) {
            best = Some(name);
        }
    }
    best.map(str::to_string)
}

/// Whether `needle` stands in `hay` with no letter or digit right before or after it.
fn holds_words(hay: &str, needle: &str) -> bool {
    hay.match_indices(needle).any(|(at, _)| {
        let before = hay[..at].chars().next_back();
        let after = hay[at + needle.len()..].chars().next();
        before.is_none_or(|c| !c.is_alphanumeric()) && after.is_none_or(|c| !c.is_alphanumeric())
    })
}

/// The whole numbers of the text that could be event ids, at most `MAX_NUMBERS`: standing
/// as words of their own ("W3SVC/1" holds the number 1, "W3SVC" none).
fn numbers(lower: &str) -> impl Iterator<Item = u32> + '_ {
    positioned_numbers(lower).map(|(_, n)| n)
}

/// [`numbers`] with the byte offset of each.
fn positioned_numbers(lower: &str) -> impl Iterator<Item = (usize, u32)> + '_ {
    lower
        .split(|c: char| !c.is_alphanumeric())
        .map(move |w| (w.as_ptr() as usize - lower.as_ptr() as usize, w))
        .filter(|(_, w)| (1..=5).contains(&w.len()) && w.bytes().all(|b| b.is_ascii_digit()))
        .filter_map(|(at, w)| w.parse::<u32>().ok().map(|n| (at, n)))
        .filter(|&(_, n)| n > 0 && n <= u32::from(u16::MAX))
        .take(MAX_NUMBERS)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::paste::parse_paste;

    /// The (id, source) of each event after the parser and the index have read `text`.
    fn read(index: &EventIndex, text: &str) -> Vec<(Option<u32>, Option<String>)> {
        let mut events = parse_paste(text);
        name_sources(index, text, &mut events);
        events.into_iter().map(|e| (e.event_id, e.source)).collect()
    }

    #[test]
    fn a_number_heading_a_line_is_the_id_its_message_confirms() {
        let index = EventIndex::spooler();
        let cases: [(&str, Option<u32>); 5] = [
            // Values copied one a line, the id first.
            (
                "4410\nspooler thing\nThe print queue Sales3 could not reach its port LPT3 and was paused.",
                Some(4410),
            ),
            // The id before a colon, the message after it.
            (
                "we keep getting these:\n4410: The print queue Floor2 could not reach its port IP_10.1.1.9 and was paused.",
                Some(4410),
            ),
            // The number heads a line but its quotes say something else.
            (
                "4411\nThe print queue Sales3 could not reach its port LPT3 and was paused.",
                None,
            ),
            // A number inside a line is not a heading.
            (
                "queue 4410 said: The print queue Sales3 could not reach its port LPT3 and was paused.",
                None,
            ),
            // A count heading a line, and nothing quoted under it.
            ("3\nprinters went offline today", None),
        ];
        for (text, want) in cases {
            let got = read(&index, text);
            assert_eq!(got[0].0, want, "{text}");
        }
    }

    #[test]
    fn prose_names_one_more_event_by_its_source() {
        let index = EventIndex::spooler();
        let text = "Event ID 77 shows up first, then the box logs 'spoolx' errors with error number 4410 until we reboot.";
        let got = read(&index, text);
        assert_eq!(
            got,
            vec![(Some(77), None), (Some(4410), Some("SpoolX".to_string()))]
        );
        // No word saying it is an event: a version, not an event.
        let text = "Event ID 77 shows up first; we run spoolx 4410 on that box.";
        assert_eq!(read(&index, text).len(), 1, "{text}");
        // The source and the number too far apart.
        let text = format!(
            "Event ID 77 shows up first from spoolx. {} Later an error: 4410 pages printed.",
            "The weather was fine and nobody touched the server room all week long. ".repeat(2)
        );
        assert_eq!(read(&index, &text).len(), 1, "{text}");
    }

    #[test]
    fn whole_words_only() {
        let cases = [
            ("the srv event", "srv", true),
            ("srv:", "srv", true),
            ("the server", "srv", false),
            (
                "from service control manager.",
                "service control manager",
                true,
            ),
            ("msexchangeccmc68", "msexchangeccmc", false),
        ];
        for (hay, needle, want) in cases {
            assert_eq!(holds_words(hay, needle), want, "{hay}");
        }
        assert_eq!(
            numbers("event 68, 7000 and 1234567 or 0").collect::<Vec<_>>(),
            vec![68, 7000]
        );
        // Digits inside a word are no number of the text.
        assert_eq!(
            numbers("lm/w3svc/1/root on iis5 or x64").collect::<Vec<_>>(),
            vec![1]
        );
    }
}
