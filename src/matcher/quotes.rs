//! How the articles quoting events fit one pasted event: found by (id, source), by id alone
//! or by message, scored by how alike the messages are, with tie-breakers for how cleanly
//! and how typically an article quotes it; and the articles quoting other events of the
//! same source, as related.

use super::index::{EventIndex, QuoteEntry};
use super::rank::{Fit, offer};
use super::similarity::{
    Shape, Similarity, literal_words, precision_bound, shape, shared_with, similarity,
};
use super::verdict::Relation;
use super::{ABOUT_SAME_EVENT, SAME_MESSAGE};
use crate::kb::{self, ArticleId};
use crate::paste::{PasteFormat, PastedEvent};
use std::collections::{BTreeMap, HashMap, HashSet};

/// How the quotes of a pasted event were found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Lookup {
    /// The pasted id and source.
    Exact,
    /// The pasted id, quoted from another source (or none was pasted).
    Id,
    /// The pasted message, the paste having no id.
    Text,
}

impl Lookup {
    /// The score a quote found this way starts from.
    fn base(self) -> f64 {
        match self {
            Lookup::Exact => 0.6,
            Lookup::Id => 0.35,
            Lookup::Text => 0.0,
        }
    }
}

/// What a pasted event offers to compare with quotes.
struct Pasted<'a> {
    event: &'a PastedEvent,
    /// An event's XML (or Event Viewer's help link): no message to compare.
    xml: bool,
    /// The pasted message, when there is one to compare.
    message: Option<Shape>,
    /// The insertion strings an event's XML holds.
    inserts: Option<Shape>,
}

impl<'a> Pasted<'a> {
    fn of(event: &'a PastedEvent) -> Self {
        // An event's XML holds no message, only its insertion strings: they cannot be
        // compared with a quoted message, but the quote that contains them is the likelier
        // one. Event Viewer's help link holds neither: its message is unknown, not empty.
        let xml = matches!(event.format, PasteFormat::Xml | PasteFormat::Link);
        let description = event.description.as_deref();
        Pasted {
            event,
            xml,
            message: description.filter(|_| !xml).map(shape),
            inserts: description.filter(|_| xml).map(shape),
        }
    }
}

/// Candidates from the quoted events: by (id, source), else by id alone, else (no id) by
/// description over every quote.
pub(super) fn fits_from_quotes(index: &EventIndex, event: &PastedEvent) -> HashMap<ArticleId, Fit> {
    let pasted = Pasted::of(event);
    let key = event
        .source
        .as_deref()
        .map(kb::fold_source)
        .filter(|k| !k.is_empty());
    let (candidates, lookup) = match (event.event_id, &key) {
        (Some(id), Some(k)) if index.has(k, id) => (index.by_event(k, id), Lookup::Exact),
        (Some(id), _) => (index.by_id(id), Lookup::Id),
        (None, _) => (
            text_candidates(index, pasted.message.as_ref()),
            Lookup::Text,
        ),
    };
    let mut fits = HashMap::new();
    for q in candidates {
        if let Some(fit) = fit_of(&pasted, q, lookup) {
            offer(&mut fits, q.article, fit);
        }
    }
    if let (Some(k), Some(p)) = (&key, pasted.message.as_ref()) {
        add_unnumbered(index, k, p, &mut fits);
    }
    // No quote is the pasted text: the text may hold one inside the writer's own words.
    let found = fits.values().any(|f| f.score >= 0.5);
    if let (Lookup::Text, Some(p), false) = (lookup, pasted.message.as_ref(), found) {
        for q in held_candidates(index, p) {
            if let Some(fit) = fit_of(&pasted, q, lookup) {
                offer(&mut fits, q.article, fit);
            }
        }
    }
    fits
}

/// How far below a quote of the pasted id and source a quote without an id scores.
const UNNUMBERED_BELOW: f64 = 0.02;

/// Articles quoting the pasted message under the pasted source without an event id
/// (`Source: W3SVC` / `Error: ...`): as good as a quote of the pasted event when the
/// message is alike, since the source and message are all an event is known by there; a
/// little below a quote of the pasted id and source alike as much, which says more.
fn add_unnumbered(index: &EventIndex, key: &str, p: &Shape, fits: &mut HashMap<ArticleId, Fit>) {
    for q in index.unnumbered(key) {
        let s = similarity(p, &q.shape);
        if s.score < SAME_MESSAGE {
            continue;
        }
        let source = q.source.as_deref().unwrap_or(key);
        offer(
            fits,
            q.article,
            Fit {
                title: q.title.clone(),
                score: Lookup::Exact.base() - UNNUMBERED_BELOW + 0.4 * s.score + clarity(q),
                reason: format!(
                    "message {:.0}% alike to one from {source} quoted in the article without an event id",
                    s.score * 100.0
                ),
                relation: Relation::About,
            },
        );
    }
}

/// How one quote fits the pasted event, when it fits at all.
fn fit_of(pasted: &Pasted, q: &QuoteEntry, lookup: Lookup) -> Option<Fit> {
    let event = pasted.event;
    let sim = pasted.message.as_ref().map(|p| similarity(p, &q.shape));
    let inside = pasted
        .message
        .as_ref()
        .zip(sim)
        .is_some_and(|(p, s)| contained(p, &q.shape, &s));
    let (score, mut reason) = match (lookup, sim) {
        (Lookup::Text, Some(s)) if s.score >= SAME_MESSAGE => (
            0.2 + 0.6 * s.score + clarity(q),
            describe_text_fit(q, s.score),
        ),
        (Lookup::Text, Some(s)) if inside => (
            0.2 + 0.45 * s.prefix_recall + clarity(q),
            describe_held_fit(q, s.common),
        ),
        (Lookup::Text, _) => return None,
        (_, Some(s)) => (
            lookup.base() + 0.4 * s.score + clarity(q) + no_source_bonus(event, q),
            describe_event_fit(q, lookup, Some(s.score)),
        ),
        (_, None) => (
            no_message_score(pasted, q, lookup),
            describe_event_fit(q, lookup, None),
        ),
    };
    // Tie-breakers between quotes that fit equally well: values the paste shares verbatim
    // (an error code, a file name), then how many articles quote the very same message (a
    // message many articles quote is the likelier one to be pasted), then a type that
    // agrees.
    let agrees = matches!((&event.level, &q.kind), (Some(a), Some(b)) if a.eq_ignore_ascii_case(b));
    let score = score
        + 0.01 * sim.map_or(0.0, |s| s.exact_values)
        + 0.003 * f64::from(q.twins).ln()
        + if agrees { 0.01 } else { 0.0 };
    if let Some(p) = pasted.message.as_ref().filter(|_| score > 0.5) {
        reason.push_str(&variables_note(p));
    }
    if let Some(nt) = q
        .written_for
        .as_deref()
        .filter(|_| from_later_windows(event))
    {
        reason.push_str(&format!("; article written for {nt}"));
    }
    Some(Fit {
        title: q.title.clone(),
        score,
        reason,
        // A message held inside a longer text ranks the articles quoting it, but the values
        // around it (which service, which file) are the writer's, unchecked: related only.
        relation: if inside && lookup == Lookup::Text {
            Relation::SameId
        } else {
            relation_of(event, lookup, sim)
        },
    })
}

/// The share of a quoted message's words, up to the last one the paste reached, that the
/// paste holds in order for it to hold the message (users copy its first lines).
const HELD: f64 = 0.8;
/// A paste holds a quoted message only with at least this many of its literal words, in
/// order: fewer are a common phrase, not a message.
const HELD_WORDS: usize = 6;
/// Most quotes aligned when looking for one inside a longer text.
const HELD_ALIGNED: usize = 100;

/// Whether a paste much longer than a quoted message holds it, or its start: a user quoting
/// the message inside their own words ("the most common is The server failed to load
/// application …"). The writer's other words cannot lower the match, as they lower
/// `similarity`'s score.
fn contained(pasted: &Shape, quoted: &Shape, sim: &Similarity) -> bool {
    literal_words(pasted) >= 2 * literal_words(quoted)
        && sim.common >= HELD_WORDS
        && sim.prefix_recall >= HELD
}

/// The quotes a longer paste may hold (see [`contained`]): those sharing the most words
/// with it, at least `HELD_WORDS`, at most `HELD_ALIGNED` of them.
fn held_candidates<'a>(index: &'a EventIndex, pasted: &Shape) -> Vec<&'a QuoteEntry> {
    let most = literal_words(pasted) / 2;
    let mut sharing: Vec<(usize, &QuoteEntry)> = index
        .all()
        .filter(|q| (HELD_WORDS..=most).contains(&literal_words(&q.shape)))
        .map(|q| (shared_with(pasted, &q.shape), q))
        .filter(|(n, _)| *n >= HELD_WORDS)
        .collect();
    sharing.sort_by_key(|b| std::cmp::Reverse(b.0));
    sharing.truncate(HELD_ALIGNED);
    sharing.into_iter().map(|(_, q)| q).collect()
}

/// Most further events a paste is read as holding.
const MOST_HELD_EVENTS: usize = 4;

/// The events a paste holds beyond the pasted ones `known`, as fits of the articles already
/// `fitting` it: quoted messages its text holds (see [`contained`]), one map per event id,
/// related only. A paste may copy several events where the parser read one, and the article
/// addressing all of them fits it best.
pub(super) fn held_events(
    index: &EventIndex,
    text: &str,
    known: &[u32],
    fitting: &HashSet<ArticleId>,
) -> Vec<HashMap<ArticleId, Fit>> {
    let event = PastedEvent::message(text);
    let pasted = Pasted::of(&event);
    let Some(p) = pasted.message.as_ref() else {
        return Vec::new();
    };
    let mut by_id: BTreeMap<u32, HashMap<ArticleId, Fit>> = BTreeMap::new();
    for q in mostly_held(index, p) {
        if known.contains(&q.event_id)
            || !fitting.contains(&q.article)
            || !contained(p, &q.shape, &similarity(p, &q.shape))
        {
            continue;
        }
        if let Some(fit) = fit_of(&pasted, q, Lookup::Text) {
            offer(by_id.entry(q.event_id).or_default(), q.article, fit);
        }
    }
    by_id.into_values().take(MOST_HELD_EVENTS).collect()
}

/// Like [`held_candidates`], but best first by the share of the quote's words the paste
/// holds, at least `HELD` of them: a short message held whole is not crowded out by long
/// ones sharing more of a long paste's common words.
fn mostly_held<'a>(index: &'a EventIndex, pasted: &Shape) -> Vec<&'a QuoteEntry> {
    let most = literal_words(pasted) / 2;
    let mut sharing: Vec<(f64, &QuoteEntry)> = index
        .all()
        .filter(|q| (HELD_WORDS..=most).contains(&literal_words(&q.shape)))
        .map(|q| {
            let n = shared_with(pasted, &q.shape);
            (n as f64 / literal_words(&q.shape) as f64, q)
        })
        .filter(|(share, _)| *share >= HELD)
        .collect();
    sharing.sort_by(|a, b| b.0.total_cmp(&a.0));
    sharing.truncate(HELD_ALIGNED);
    sharing.into_iter().map(|(_, q)| q).collect()
}

/// The score of a quote when no message was pasted: the id and source decide, and among
/// their quotes the most typical one (most articles quote it alike). XML never carries the
/// text; any other layout with an empty description matches quotes without one.
fn no_message_score(pasted: &Pasted, q: &QuoteEntry, lookup: Lookup) -> f64 {
    let empty_fits = !pasted.xml && (q.shape.tokens.is_empty() || !q.labelled);
    let holds_inserts = pasted
        .inserts
        .as_ref()
        .map_or(0.0, |d| similarity(d, &q.shape).precision);
    lookup.base()
        + if empty_fits { 0.1 } else { 0.0 }
        + 0.02 * f64::from(q.support).ln()
        + 0.02 * holds_inserts
        + if q.inline { 0.0 } else { 0.004 }
        + no_source_bonus(pasted.event, q)
}

/// "; "a", "b" treated as variable", for the first three variables of the pasted message.
fn variables_note(p: &Shape) -> String {
    let vars: Vec<String> = p
        .variables
        .iter()
        .take(3)
        .map(|v| format!("\"{v}\""))
        .collect();
    if vars.is_empty() {
        String::new()
    } else {
        format!("; {} treated as variable", vars.join(", "))
    }
}

/// Articles quoting other events of the pasted source: related, never about this event.
pub(super) fn add_same_source(
    index: &EventIndex,
    event: &PastedEvent,
    fits: &mut HashMap<ArticleId, Fit>,
) {
    const SAME_SOURCE: usize = 8;
    let Some(source) = event.source.as_deref() else {
        return;
    };
    let key = kb::fold_source(source);
    if key.is_empty() {
        return;
    }
    let mut added = 0;
    for q in index.by_source(&key) {
        if Some(q.event_id) == event.event_id || fits.contains_key(&q.article) {
            continue;
        }
        let name = q.source.as_deref().unwrap_or(source);
        offer(
            fits,
            q.article,
            Fit {
                title: q.title.clone(),
                score: 0.05 + 0.01 * f64::from(q.support).ln(),
                reason: format!("quotes event {} from {name}, not this event", q.event_id),
                relation: Relation::SameSource,
            },
        );
        added += 1;
        if added >= SAME_SOURCE {
            break;
        }
    }
}

/// The quotes that may hold a pasted message: those whose cheap bound allows it, at most
/// `ALIGNED` of them, best bound first (a paste of mostly variable values passes the bound
/// for thousands of quotes, and aligning each would cost more than the rest of a match).
fn text_candidates<'a>(index: &'a EventIndex, pasted: Option<&Shape>) -> Vec<&'a QuoteEntry> {
    const ALIGNED: usize = 300;
    const LONG_PASTE: usize = 120;
    let Some(p) = pasted else {
        return index.all().collect();
    };
    let mut bounded: Vec<(f64, &QuoteEntry)> = index
        .all()
        .map(|q| (precision_bound(p, &q.shape), q))
        .filter(|(b, _)| *b >= SAME_MESSAGE)
        .collect();
    // Short messages align cheaply, and many quotes tie on the bound: keep them all.
    if bounded.len() > ALIGNED && p.tokens.len() > LONG_PASTE {
        bounded.sort_by(|a, b| b.0.total_cmp(&a.0));
        bounded.truncate(ALIGNED);
    }
    bounded.into_iter().map(|(_, q)| q).collect()
}

/// Whether a quote found by `lookup` is about the pasted event: the same id and source with a message alike (or none
/// pasted to compare), the same id with no source pasted and the message alike, or the
/// very message.
fn relation_of(event: &PastedEvent, lookup: Lookup, sim: Option<Similarity>) -> Relation {
    // Prose around an id is no message to compare with, nor are the insertion strings that
    // a missing-description wrapper lists.
    let comparable =
        sim.filter(|_| !matches!(event.format, PasteFormat::Prose | PasteFormat::Wrapper));
    let alike = |at_least: f64| comparable.is_none_or(|s| s.score >= at_least);
    let about = match lookup {
        Lookup::Exact => alike(ABOUT_SAME_EVENT),
        Lookup::Id => event.source.is_none() && comparable.is_some_and(|s| s.score >= SAME_MESSAGE),
        Lookup::Text => sim.is_some_and(|s| s.score >= SAME_MESSAGE),
    };
    if about {
        Relation::About
    } else {
        Relation::SameId
    }
}

/// Whether the paste comes from Windows Vista or later: its layout, a log name, or a year
/// after 2003 in its time.
fn from_later_windows(event: &PastedEvent) -> bool {
    let late_year = event.time.as_deref().is_some_and(|t| {
        t.split(|c: char| !c.is_ascii_digit())
            .filter(|d| d.len() == 4)
            .filter_map(|d| d.parse::<u32>().ok())
            .any(|y| (2004..2100).contains(&y))
    });
    event.format.is_vista_or_later() || late_year
}

/// A tie-breaker for how cleanly the article quotes the event: a description that followed
/// its `Description:` label is exactly the quoted text (unlabelled lines under a block may
/// be prose), and one field a line is a quote copied whole (fields run together on one line
/// are often a summary written by hand).
fn clarity(q: &QuoteEntry) -> f64 {
    (if q.labelled { 0.004 } else { 0.0 }) + if q.inline { 0.0 } else { 0.004 }
}

/// A paste without a source agrees a little better with quotes that name none either.
fn no_source_bonus(event: &PastedEvent, q: &QuoteEntry) -> f64 {
    if event.source.is_none() && q.source.is_none() {
        0.02
    } else {
        0.0
    }
}

fn describe_event_fit(q: &QuoteEntry, lookup: Lookup, sim: Option<f64>) -> String {
    let source = q.source.as_deref().unwrap_or("an unnamed source");
    let mut s = match lookup {
        Lookup::Exact => format!("event {} from {source}", q.event_id),
        _ => format!(
            "event {} (quoted from {source}, not the pasted source)",
            q.event_id
        ),
    };
    if let Some(sim) = sim {
        s.push_str(&format!("; description {:.0}% alike", sim * 100.0));
    }
    s
}

fn describe_held_fit(q: &QuoteEntry, words: usize) -> String {
    let source = q.source.as_deref().unwrap_or("an unnamed source");
    format!(
        "the paste holds {words} words of the message of event {} from {source} quoted in the article",
        q.event_id
    )
}

fn describe_text_fit(q: &QuoteEntry, sim: f64) -> String {
    let source = q.source.as_deref().unwrap_or("an unnamed source");
    format!(
        "message {:.0}% alike to event {} from {source} quoted in the article",
        sim * 100.0,
        q.event_id
    )
}

#[cfg(test)]
mod tests;
