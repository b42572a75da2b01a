//! How articles fit pasted events and how the fits become one ranking: the better fit of an
//! article per event, sums over the events, the verdict on the best, and the nudges prose
//! gets (an article titled for the event, one sharing the paste's rarest words).

use super::verdict::{self, Relation};
use super::words::significant_words;
use super::{MAX_RESULTS, MatchOutcome, MatchResult};
use crate::kb::ArticleId;
use crate::paste::PastedEvent;
use std::collections::{HashMap, HashSet};

/// What an article whose title names the pasted event gains, when the paste is prose: a
/// user writing about an event in their own words asks about the event, and an article
/// titled for it is about it, more than one quoting it beside another problem.
const TITLED: f64 = 0.08;
/// Where an article that only names the event in its text starts when its title names it
/// too and nothing else the paste does not say: with a quote of the pasted id and source
/// (prose has no message to tell them apart). A title naming another problem beside the
/// event starts lower, down to half this when the paste says none of its other words.
const TITLED_MENTION: f64 = 0.6;
/// The most an article gains for holding the paste's rarest words, when the paste is prose
/// (the words around an event id say which of its articles fits: "shutdown.exe", "Terminal
/// Server").
const SHARED_WORDS: f64 = 0.06;

/// How one article fits one pasted event.
#[derive(Debug, Clone)]
pub(super) struct Fit {
    pub(super) title: String,
    pub(super) score: f64,
    pub(super) reason: String,
    pub(super) relation: Relation,
}

/// Keeps the better of two fits of one article to one event, and the closer relation of
/// the two (an article that shares the source and some words shares the source).
pub(super) fn offer(fits: &mut HashMap<ArticleId, Fit>, id: ArticleId, mut fit: Fit) {
    match fits.get_mut(&id) {
        Some(old) if old.score >= fit.score => old.relation = old.relation.min(fit.relation),
        Some(old) => {
            fit.relation = fit.relation.min(old.relation);
            *old = fit;
        }
        None => {
            fits.insert(id, fit);
        }
    }
}

/// Raises the fits of articles whose title names event `id` ("Event ID 2019: …",
/// "Troubleshooting Event ID 3013", "Events 5718 and 3013"), the more the more of the
/// title's other words the paste `text` holds: a title naming the event beside another
/// problem the paste never mentions is about that problem.
pub(super) fn favour_titles(fits: &mut HashMap<ArticleId, Fit>, id: u32, text: &str) {
    let pasted = stems(text);
    for fit in fits
        .values_mut()
        .filter(|f| title_names_event(&f.title, id))
    {
        let share = title_share(&fit.title, id, &pasted);
        if fit.relation == Relation::Mentions {
            fit.score = fit.score.max(TITLED_MENTION * (0.5 + 0.5 * share));
        }
        fit.score += TITLED * (0.25 + 0.75 * share);
        fit.reason
            .push_str(&format!("; its title names event {id}"));
    }
}

/// Title words that say only that an article is about an event, not which problem.
const PLAIN_TITLE_WORDS: &[&str] = &[
    "event",
    "id",
    "error",
    "err",
    "msg",
    "message",
    "troubleshoot",
    "troubleshooting",
    "how",
    "logged",
    "appear",
    "occur",
    "reported",
    "viewer",
    "log",
    "after",
    "about",
    "information",
];

/// Most bytes of a paste read for its words.
const STEMMED_BYTES: usize = 16 * 1024;

/// The lower-cased words of `text` without a plural `s`, from its first `STEMMED_BYTES`.
pub(super) fn stems(text: &str) -> HashSet<String> {
    let end = (0..=STEMMED_BYTES.min(text.len()))
        .rev()
        .find(|&i| text.is_char_boundary(i))
        .unwrap_or(0);
    text[..end]
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(stem)
        .collect()
}

/// A word lower-cased, without a plural `s`.
fn stem(word: &str) -> String {
    let lower = word.to_lowercase();
    match lower.strip_suffix('s') {
        Some(base) if base.len() >= 3 && !base.ends_with('s') => base.to_string(),
        _ => lower,
    }
}

/// The share of a title's own words that the paste holds: the words beyond event `id` and
/// the plain words of any event title ("Troubleshooting Event ID 3013" has none, so 1).
fn title_share(title: &str, id: u32, pasted: &HashSet<String>) -> f64 {
    let number = id.to_string();
    share_held(title, pasted, |w| w != number)
}

/// The share of a title's words beyond the plain words of any event title that the paste
/// holds (1 when it has none).
pub(super) fn own_share(title: &str, pasted: &HashSet<String>) -> f64 {
    share_held(title, pasted, |_| true)
}

/// The share of `title`'s words that `keep` keeps, beyond the plain title words, that
/// `pasted` holds.
fn share_held(title: &str, pasted: &HashSet<String>, keep: impl Fn(&str) -> bool) -> f64 {
    let own: Vec<String> = significant_words(title)
        .iter()
        .map(|w| stem(w))
        .filter(|w| keep(w) && !PLAIN_TITLE_WORDS.contains(&w.as_str()))
        .collect();
    if own.is_empty() {
        return 1.0;
    }
    own.iter().filter(|w| pasted.contains(*w)).count() as f64 / own.len() as f64
}

/// Raises the fits of the articles in `hits` (full-text scores, best first) by how well
/// they hold the paste's rarest words, up to `SHARED_WORDS`.
pub(super) fn favour_words(fits: &mut HashMap<ArticleId, Fit>, hits: &[(ArticleId, f64)]) {
    let Some(best) = hits.first().map(|h| h.1).filter(|b| *b > 0.0) else {
        return;
    };
    for (id, score) in hits {
        if let Some(fit) = fits.get_mut(id) {
            fit.score += SHARED_WORDS * score / best;
            if !fit.reason.contains("rarest words") {
                fit.reason.push_str("; holds the paste's rarest words");
            }
        }
    }
}

/// Whether `title` names event `id`: an event word before the number, the number standing
/// as a word of its own.
pub(super) fn title_names_event(title: &str, id: u32) -> bool {
    let lower = title.to_lowercase();
    let Some(at) = lower.find("event") else {
        return false;
    };
    let number = id.to_string();
    lower[at..]
        .split(|c: char| !c.is_alphanumeric())
        .any(|w| w == number)
}

/// The outcome for `events` from how articles fit each: the ranking, the verdict on the
/// best and that verdict in words.
pub(super) fn outcome(
    per_event: Vec<HashMap<ArticleId, Fit>>,
    events: Vec<PastedEvent>,
) -> MatchOutcome {
    let results = combine(per_event);
    let verdict = verdict::verdict_of(results.first().map(|r| r.relation));
    // The sentence names the closest relation any listed article has.
    let closest = results.iter().map(|r| r.relation).min();
    MatchOutcome {
        summary: verdict::sentence(verdict, closest, &events),
        verdict,
        results,
        events,
    }
}

/// Sums each article's fits over the pasted events (covering more events ranks higher),
/// best first, ties by article number for a stable order.
fn combine(per_event: Vec<HashMap<ArticleId, Fit>>) -> Vec<MatchResult> {
    let n = per_event.len().max(1) as f64;
    let mut total: HashMap<ArticleId, MatchResult> = HashMap::new();
    for fits in per_event {
        for (id, fit) in fits {
            let r = total.entry(id).or_insert_with(|| MatchResult {
                id,
                title: fit.title.clone(),
                score: 0.0,
                confidence: 0.0,
                reasons: Vec::new(),
                relation: fit.relation,
            });
            r.relation = r.relation.min(fit.relation);
            r.score += fit.score;
            r.confidence += fit.score.min(1.0) / n;
            if !r.reasons.contains(&fit.reason) {
                r.reasons.push(fit.reason);
            }
        }
    }
    let mut results: Vec<MatchResult> = total.into_values().collect();
    results.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.id.cmp(&b.id)));
    results.truncate(MAX_RESULTS);
    for r in &mut results {
        r.score = (r.score * 1000.0).round() / 1000.0;
        r.confidence = (r.confidence * 100.0).round() / 100.0;
    }
    results
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fit(title: &str, score: f64) -> Fit {
        Fit {
            title: title.into(),
            score,
            reason: "event 99".into(),
            relation: Relation::SameId,
        }
    }

    fn id(n: u32) -> ArticleId {
        ArticleId::try_from(i64::from(n)).unwrap()
    }

    #[test]
    fn titles_that_name_an_event() {
        let cases = [
            ("Event ID 4410: Spooler Cannot Reach the Queue", 4410, true),
            (
                "Troubleshooting Event 77 on Backup Domain Controllers",
                77,
                true,
            ),
            ("Events 120 and 4410 After a Restart", 4410, true),
            ("Event ID 4410/4411 on Print Servers", 4411, true),
            ("Event ID 44100 on Print Servers", 4410, false),
            ("Printer Port 4410 Cannot Be Opened", 4410, false),
            ("4410 Error Before the Event Log Starts", 4410, false),
        ];
        for (title, n, want) in cases {
            assert_eq!(title_names_event(title, n), want, "{title}");
        }
    }

    #[test]
    fn the_share_of_a_title_the_paste_holds() {
        let pasted = stems("The spooler logs event 4410 every night; the queues stall.");
        let cases = [
            // Nothing beyond the event: all of it.
            ("Troubleshooting Event ID 4410", 1.0),
            ("Event ID 4410", 1.0),
            // Its words in the paste, plurals folded.
            ("Event ID 4410: Spooler Queue Stalls", 1.0),
            // Half its own words are the paste's.
            ("Event ID 4410 on a Spooler Cluster", 0.5),
            // Another problem, another event.
            ("Slow Network and Events 5718 and 4410", 0.0),
        ];
        for (title, want) in cases {
            let got = title_share(title, 4410, &pasted);
            assert!((got - want).abs() < 0.01, "{title}: {got}");
        }
    }

    #[test]
    fn a_title_on_the_pasted_event_alone_beats_one_on_another_problem() {
        let mut fits = HashMap::from([
            (id(1), fit("Troubleshooting Event ID 4410", 0.6)),
            (id(2), fit("Slow Network and Events 5718 and 4410", 0.6)),
        ]);
        favour_titles(&mut fits, 4410, "the spooler logs event 4410 then hangs");
        assert!(fits[&id(1)].score > fits[&id(2)].score);
        // Both still rise over an untitled fit.
        assert!(fits[&id(2)].score > 0.6);
    }

    #[test]
    fn titled_and_wordy_articles_rise() {
        let mut fits = HashMap::from([
            (id(1), fit("Spooler Stops After a Driver Update", 0.62)),
            (
                id(2),
                fit("Event ID 4410: Spooler Cannot Reach the Queue", 0.6),
            ),
            (id(3), fit("Printing Is Slow", 0.61)),
        ]);
        favour_titles(
            &mut fits,
            4410,
            "event 4410 again: the spooler cannot reach its queue",
        );
        assert!(fits[&id(2)].score > fits[&id(1)].score);
        assert!(fits[&id(2)].reason.ends_with("its title names event 4410"));
        favour_words(&mut fits, &[(id(3), 9.0), (id(1), 3.0), (id(7), 1.0)]);
        assert!(fits[&id(3)].score > fits[&id(1)].score);
        assert!(
            !fits.contains_key(&id(7)),
            "only articles already fitting rise"
        );
        assert_eq!(fits[&id(2)].reason.matches("rarest").count(), 0);
    }
}
