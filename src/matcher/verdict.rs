//! The honest answer about a paste: whether an article is about the pasted event, or only
//! related to it, or nothing fits; and the sentence that says so before any list.

use crate::paste::PastedEvent;
use serde::{Deserialize, Serialize};

/// What the ranked articles are to the pasted event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    /// An article quotes or names this event and fits the pasted text.
    Match,
    /// No article is about this event, but some share its source, id, message words or
    /// symptom.
    Related,
    /// Nothing relevant.
    None,
}

/// How one article relates to one pasted event, strongest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Relation {
    /// The article quotes this event (or its very message) and fits the pasted text.
    About,
    /// The article names this event id in its text.
    Mentions,
    /// The article quotes the same event id from another source, or a message unlike it.
    SameId,
    /// The article quotes other events from the same source.
    SameSource,
    /// The article shares words with the paste.
    Words,
}

impl Relation {
    /// The phrase after "No article in the archive is about …; ".
    fn phrase(self) -> &'static str {
        match self {
            Relation::About | Relation::SameId => {
                "these quote the same event id with another source or message"
            }
            Relation::Mentions => "these name the event id in their text",
            Relation::SameSource => "these share its source",
            Relation::Words => "these share words with it",
        }
    }
}

/// The verdict from the relation of the best-ranked article, when there is one.
pub fn verdict_of(best: Option<Relation>) -> Verdict {
    match best {
        Some(Relation::About) => Verdict::Match,
        Some(_) => Verdict::Related,
        None => Verdict::None,
    }
}

/// The sentence shown before the list: what the articles are to the pasted event.
pub fn sentence(verdict: Verdict, best: Option<Relation>, events: &[PastedEvent]) -> String {
    let what = subject(events);
    match (verdict, best) {
        (Verdict::Match, _) => format!("These articles are about {what}."),
        (Verdict::Related, Some(r)) => {
            format!("No article in the archive is about {what}; {}.", r.phrase())
        }
        _ => format!("Nothing in the archive matches {what}."),
    }
}

/// The pasted event in words: "event 1000 from Application Error", "event 68", "this text".
pub fn subject(events: &[PastedEvent]) -> String {
    let best = events
        .iter()
        .find(|e| e.event_id.is_some() && e.source.is_some())
        .or_else(|| events.iter().find(|e| e.event_id.is_some()))
        .or_else(|| events.iter().find(|e| e.source.is_some()));
    match best.map(|e| (e.event_id, e.source.as_deref())) {
        Some((Some(id), Some(src))) => format!("event {id} from {src}"),
        Some((Some(id), None)) => format!("event {id}"),
        Some((None, Some(src))) => format!("this event from {src}"),
        _ => "this event".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::paste::parse_paste;

    #[test]
    fn sentences_say_what_the_list_is() {
        let events = parse_paste("Event ID: 1000\nSource: Gizmo Error\nDescription: It broke.");
        let cases = [
            (
                Some(Relation::About),
                "These articles are about event 1000 from Gizmo Error.",
            ),
            (
                Some(Relation::SameSource),
                "No article in the archive is about event 1000 from Gizmo Error; these share its source.",
            ),
            (
                None,
                "Nothing in the archive matches event 1000 from Gizmo Error.",
            ),
        ];
        for (best, want) in cases {
            assert_eq!(sentence(verdict_of(best), best, &events), want);
        }
        assert_eq!(
            sentence(Verdict::None, None, &[]),
            "Nothing in the archive matches this event."
        );
    }
}
