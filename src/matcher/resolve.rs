//! Sources named in a paste's text: an event read without its source takes a source the text names, when an article quotes that source with
//! that id; an event without an id takes a number of the text that such a named source
//! quotes. The parser cannot know the archive's source names; the index can.

use super::index::EventIndex;
use crate::paste::{PasteFormat, PastedEvent};

/// How much of a paste is searched for source names, in bytes.
const SCAN_BYTES: usize = 16 * 1024;
/// Most numbers of a paste tried as event ids.
const MAX_NUMBERS: usize = 40;

/// Fills sources (and ids) the text names, as described above.
pub fn name_sources(index: &EventIndex, text: &str, events: &mut [PastedEvent]) {
    let lower = scanned(text).to_lowercase();
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
                    && let Some(s) = named_source(index, &lower, id)
                {
                    event.source = Some(s);
                }
            }
            None => {
                if let Some((id, s)) =
                    numbers(&lower).find_map(|n| named_source(index, &lower, n).map(|s| (n, s)))
                {
                    event.event_id = Some(id);
                    event.source = Some(s);
                }
            }
        }
    }
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
fn named_source(index: &EventIndex, lower: &str, id: u32) -> Option<String> {
    let mut best: Option<&str> = None;
    for q in index.by_id(id) {
        let Some(name) = q.source.as_deref() else {
            continue;
        };
        if name.len() < 3 || best.is_some_and(|b| b.len() >= name.len()) {
            continue;
        }
        if holds_words(lower, &name.to_lowercase()) {
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

/// The whole numbers of the text that could be event ids, at most `MAX_NUMBERS`.
fn numbers(lower: &str) -> impl Iterator<Item = u32> + '_ {
    lower
        .split(|c: char| !c.is_ascii_digit())
        .filter(|d| (1..=5).contains(&d.len()))
        .filter_map(|d| d.parse::<u32>().ok())
        .filter(|&n| n > 0 && n <= u32::from(u16::MAX))
        .take(MAX_NUMBERS)
}

#[cfg(test)]
mod tests {
    use super::*;

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
    }
}
