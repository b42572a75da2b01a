//! Matching pasted events to articles: the events index by (event id, source) ranked by how
//! alike the descriptions are, prose mentions as weaker candidates, full-text as fallback.

mod eval;
mod index;
mod lookup;
mod resolve;
mod similarity;
mod verdict;
mod words;

pub use eval::{EvalCase, EvalReport, evaluate};
pub use index::{EventIndex, QuoteEntry};
pub use lookup::EventQuery;
pub use similarity::{Shape, Similarity, Token, is_variable, precision_bound, shape, similarity};
pub use verdict::{Relation, Verdict};

use crate::kb::{self, ArticleId};
use crate::paste::{self, PasteFormat, PastedEvent};
use crate::store::{Store, StoreError, fts_query};
use serde::Serialize;
use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::RwLock;
use words::{WordCounts, significant_words};

/// Most results returned for one paste.
pub const MAX_RESULTS: usize = 20;
/// A description at least this alike counts as the same message.
const SAME_MESSAGE: f64 = 0.5;
/// A quote of the pasted id and source is about the pasted event when its message is at
/// least this alike: the same event with other insertion strings, not another problem.
const ABOUT_SAME_EVENT: f64 = 0.5;
/// Words of a paste sent to full-text search.
const FTS_WORDS: usize = 8;
/// The index is checked for staleness at most this often, so a running import does not
/// make every request rebuild it.
const RECHECK: Duration = Duration::from_secs(1);

/// Said after the verdict when a full-text search was stopped at the store's read limit.
const CUT_SHORT: &str = " The search of the articles' text took too long and was stopped, \
                         so there may be fewer results than usual.";

/// The full-text fallback's work for one paste. Words are worked out once per distinct
/// text, and the word counts looked up are bounded per paste: a paste of many events costs
/// what one does.
#[derive(Debug)]
struct FullText {
    searched: HashMap<String, Vec<String>>,
    budget: usize,
    /// A full-text search was stopped at the store's read limit.
    cut_short: bool,
}

impl Default for FullText {
    fn default() -> Self {
        Self {
            searched: HashMap::new(),
            budget: words::LOOKUPS_PER_PASTE,
            cut_short: false,
        }
    }
}

impl FullText {
    /// `outcome` with a word on the text search when it was cut short.
    fn noted(&self, mut outcome: MatchOutcome) -> MatchOutcome {
        if self.cut_short {
            outcome.summary.push_str(CUT_SHORT);
        }
        outcome
    }
}

/// One ranked article for a paste.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MatchResult {
    /// The article.
    pub id: ArticleId,
    /// Its title.
    pub title: String,
    /// Ranking score, higher is better: the sum over pasted events of how well it fits each.
    pub score: f64,
    /// Confidence that this is the right article, 0 to 1.
    pub confidence: f64,
    /// Why it matched, one phrase each.
    pub reasons: Vec<String>,
    /// How it relates to the pasted events: the strongest relation over them.
    #[serde(skip)]
    pub relation: Relation,
}

/// What a paste was recognised as and the articles it matched, best first.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MatchOutcome {
    /// The events recognised in the paste.
    pub events: Vec<PastedEvent>,
    /// Whether the first article is about the pasted event, only related, or nothing fits.
    pub verdict: Verdict,
    /// That verdict in words, to show before any list.
    pub summary: String,
    /// The ranked articles, at most `MAX_RESULTS`.
    pub results: Vec<MatchResult>,
}

impl MatchOutcome {
    /// What was recognised, one line per event: "Event 68 from MSExchangeCCMC, Error".
    pub fn recognised(&self) -> Vec<String> {
        self.events.iter().map(describe_pasted).collect()
    }

    /// The outcome as plain text, for the command line.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        for (event, line) in self.events.iter().zip(self.recognised()) {
            out.push_str(&format!("recognised: {line} ({})\n", event.format.label()));
        }
        out.push_str(&self.summary);
        out.push('\n');
        for (rank, r) in self.results.iter().enumerate() {
            out.push_str(&format!(
                "{:>2}. {} {} (confidence {:.0}%)\n",
                rank + 1,
                r.id,
                r.title,
                r.confidence * 100.0
            ));
            for why in &r.reasons {
                out.push_str(&format!("      {why}\n"));
            }
        }
        out
    }
}

/// One pasted event in a few words: "Event 68 from MSExchangeCCMC, Error".
pub fn describe_pasted(event: &PastedEvent) -> String {
    let mut s = match (event.event_id, event.source.as_deref()) {
        (Some(id), Some(src)) => format!("Event {id} from {src}"),
        (Some(id), None) => format!("Event {id}"),
        (None, Some(src)) => format!("An event from {src}"),
        (None, None) => "Text without an event id or source".to_string(),
    };
    if let Some(level) = event.level.as_deref().filter(|l| !l.is_empty()) {
        s.push_str(", ");
        s.push_str(level);
    }
    s
}

/// How one article fits one pasted event.
#[derive(Debug, Clone)]
struct Fit {
    title: String,
    score: f64,
    reason: String,
    relation: Relation,
}

/// Matches pastes against the archive, keeping the quoted events in memory.
#[derive(Debug)]
pub struct Matcher {
    store: Store,
    index: RwLock<(Arc<EventIndex>, Instant)>,
    /// How many articles hold each word searched for, for this generation of the archive.
    doc_counts: WordCounts,
    /// How many word counts were looked up in the store, for checking the per-paste bound.
    lookups: std::sync::atomic::AtomicUsize,
    /// Own-words search, which shares the matcher's life (one per store, per process).
    searcher: crate::search::Searcher,
}

impl Matcher {
    /// A matcher over `store`; the index is built on first use.
    pub fn new(store: Store) -> Self {
        let searcher = crate::search::Searcher::new(store.clone());
        Self {
            store,
            index: RwLock::new((Arc::new(EventIndex::empty()), Instant::now() - RECHECK * 2)),
            doc_counts: WordCounts::default(),
            lookups: std::sync::atomic::AtomicUsize::new(0),
            searcher,
        }
    }

    /// Own-words search over the same store (the search page, the API and the wizard's
    /// "describe it in words").
    pub fn searcher(&self) -> &crate::search::Searcher {
        &self.searcher
    }

    /// The current index, rebuilt when another writer changed the archive.
    pub async fn index(&self) -> Result<Arc<EventIndex>, StoreError> {
        {
            let guard = self.index.read().await;
            if guard.1.elapsed() < RECHECK {
                return Ok(guard.0.clone());
            }
        }
        let mut guard = self.index.write().await;
        if guard.1.elapsed() < RECHECK {
            return Ok(guard.0.clone());
        }
        let generation = self.store.generation().await?;
        if generation != guard.0.generation || guard.0.is_empty_placeholder() {
            let quotes = self.store.all_event_quotes().await?;
            let mut index = EventIndex::build(generation, quotes);
            index.articles = self.store.article_count().await?;
            guard.0 = Arc::new(index);
            self.doc_counts.clear();
        }
        guard.1 = Instant::now();
        Ok(guard.0.clone())
    }

    /// Recognises the events in `text` and ranks the articles that fit them.
    pub async fn match_text(&self, text: &str) -> Result<MatchOutcome, StoreError> {
        let mut events = paste::parse_paste(text);
        let index = self.index().await?;
        resolve::name_sources(&index, text, &mut events);
        let mut work = FullText::default();
        let mut per_event: Vec<HashMap<ArticleId, Fit>> = Vec::with_capacity(events.len());
        for event in &events {
            per_event.push(self.fits_for(&index, event, text, &mut work).await?);
        }
        if events.is_empty() && !text.trim().is_empty() {
            let mut fits = HashMap::new();
            let message = PastedEvent::message(text);
            self.add_full_text(&mut fits, text, &message, &mut work)
                .await?;
            per_event.push(fits);
        }
        Ok(work.noted(outcome(per_event, events)))
    }

    /// How each candidate article fits one event: its quotes, articles naming its id and
    /// quoting its source, then (when nothing fits well) full-text search for its
    /// description or else `text`.
    async fn fits_for(
        &self,
        index: &EventIndex,
        event: &PastedEvent,
        text: &str,
        work: &mut FullText,
    ) -> Result<HashMap<ArticleId, Fit>, StoreError> {
        let mut fits = fits_from_quotes(index, event);
        if let Some(id) = event.event_id {
            self.add_mentions(&mut fits, id).await?;
        }
        add_same_source(index, event, &mut fits);
        if fits.values().all(|f| f.score < 0.5) {
            let words = event.description.as_deref().unwrap_or(text);
            self.add_full_text(&mut fits, words, event, work).await?;
        }
        Ok(fits)
    }

    async fn add_mentions(
        &self,
        fits: &mut HashMap<ArticleId, Fit>,
        event_id: u32,
    ) -> Result<(), StoreError> {
        for (id, title) in self.store.event_mentions(i64::from(event_id), 50).await? {
            offer(
                fits,
                id,
                Fit {
                    title,
                    score: 0.3,
                    reason: format!("names event {event_id} in its text"),
                    relation: Relation::Mentions,
                },
            );
        }
        Ok(())
    }

    /// The rarest `FTS_WORDS` of `words`, in their order, leaving out words most articles
    /// hold: an OR query costs what its words' posting lists cost, and a word in half the
    /// archive ranks nothing. Counts not yet known are looked up while the paste's budget
    /// lasts.
    async fn rarest(
        &self,
        mut words: Vec<String>,
        work: &mut FullText,
    ) -> Result<Vec<String>, StoreError> {
        let articles = self.index().await?.articles.max(1);
        let mut counted = Vec::with_capacity(words.len());
        for w in &words {
            let n = match self.doc_counts.get(w) {
                Some(n) => n,
                None if work.budget > 0 => {
                    work.budget -= 1;
                    self.lookups
                        .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    match self.store.term_documents(w).await {
                        Ok(n) => {
                            self.doc_counts.insert(w, n);
                            n
                        }
                        // Too common to count within the read limit: left out of the search.
                        Err(StoreError::Interrupted) => {
                            work.cut_short = true;
                            continue;
                        }
                        Err(e) => return Err(e),
                    }
                }
                None => continue,
            };
            counted.push((w.clone(), n));
        }
        counted.sort_by_key(|(_, n)| *n);
        let keep: std::collections::HashSet<&String> = counted
            .iter()
            .enumerate()
            // The three rarest always, then any word in fewer than one article in twenty.
            .filter(|(i, (_, n))| *n > 0 && (*i < 3 || *n * 20 < articles))
            .take(FTS_WORDS)
            .map(|(_, (w, _))| w)
            .collect();
        words.retain(|w| keep.contains(w));
        Ok(words)
    }

    async fn add_full_text(
        &self,
        fits: &mut HashMap<ArticleId, Fit>,
        text: &str,
        event: &PastedEvent,
        work: &mut FullText,
    ) -> Result<(), StoreError> {
        // The source name is a strong word to search with when the event index had nothing.
        let mut words = significant_words(event.source.as_deref().unwrap_or(""));
        words.extend(significant_words(text));
        words.dedup();
        let key = words.join(" ");
        let words = match work.searched.get(&key) {
            Some(w) => w.clone(),
            None => {
                let w = self.rarest(words, work).await?;
                work.searched.insert(key, w.clone());
                w
            }
        };
        let Some(q) = fts_query(&words.join(" "), " OR ", FTS_WORDS) else {
            return Ok(());
        };
        let hits = match self.store.search_ids(&q, MAX_RESULTS as i64).await {
            Ok(hits) => hits,
            // Stopped at the store's read limit: the paste's other candidates stand, and
            // the summary says the text search was cut short.
            Err(StoreError::Interrupted) => {
                work.cut_short = true;
                return Ok(());
            }
            Err(e) => return Err(e),
        };
        let Some(best) = hits.first().map(|h| h.1).filter(|b| *b > 0.0) else {
            return Ok(());
        };
        let titles: HashMap<ArticleId, String> = self
            .store
            .summaries(&hits.iter().map(|h| h.0).collect::<Vec<_>>())
            .await?
            .into_iter()
            .map(|s| (s.id, s.title))
            .collect();
        for (id, score) in hits {
            offer(
                fits,
                id,
                Fit {
                    title: titles.get(&id).cloned().unwrap_or_default(),
                    score: 0.25 * score / best,
                    reason: "words of the paste found in the article".into(),
                    relation: Relation::Words,
                },
            );
        }
        Ok(())
    }

    /// How many word counts were looked up in the store since this matcher was made.
    pub fn word_lookups(&self) -> usize {
        self.lookups.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// How many word counts are remembered (bounded by `words::MAX_REMEMBERED`).
    pub fn remembered_words(&self) -> usize {
        self.doc_counts.len()
    }
}

/// Articles quoting other events of the pasted source: related, never about this event.
fn add_same_source(index: &EventIndex, event: &PastedEvent, fits: &mut HashMap<ArticleId, Fit>) {
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

/// The outcome for `events` from how articles fit each: the ranking, the verdict on the
/// best and that verdict in words.
fn outcome(per_event: Vec<HashMap<ArticleId, Fit>>, events: Vec<PastedEvent>) -> MatchOutcome {
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

/// Candidates from the quoted events: by (id, source), else by id alone, else (no id) by
/// description over every quote.
fn fits_from_quotes(index: &EventIndex, event: &PastedEvent) -> HashMap<ArticleId, Fit> {
    // An event's XML holds no message, only its insertion strings: they cannot be compared
    // with a quoted message, but the quote that contains them is the likelier one. Event
    // Viewer's help link holds neither: its message is unknown, not empty.
    let xml = matches!(event.format, PasteFormat::Xml | PasteFormat::Link);
    let pasted = event.description.as_deref().filter(|_| !xml).map(shape);
    let inserts = event.description.as_deref().filter(|_| xml).map(shape);
    let key = event
        .source
        .as_deref()
        .map(kb::fold_source)
        .filter(|k| !k.is_empty());
    let mut fits = HashMap::new();
    let (candidates, base, how): (Vec<&QuoteEntry>, f64, &str) = match (event.event_id, &key) {
        (Some(id), Some(k)) if index.has(k, id) => (index.by_event(k, id), 0.6, "exact"),
        (Some(id), _) => (index.by_id(id), 0.35, "id"),
        (None, _) => (text_candidates(index, pasted.as_ref()), 0.0, "text"),
    };
    for q in candidates {
        let sim = pasted.as_ref().map(|p| similarity(p, &q.shape));
        let (score, why) = match (how, sim) {
            ("text", Some(s)) if s.score >= SAME_MESSAGE => (
                0.2 + 0.6 * s.score + clarity(q),
                describe_text_fit(q, s.score),
            ),
            ("text", _) => continue,
            (_, Some(s)) => (
                base + 0.4 * s.score + clarity(q) + no_source_bonus(event, q),
                describe_event_fit(q, how, Some(s.score)),
            ),
            // No description pasted: the id and source decide, and among their quotes the
            // most typical one (most articles quote it alike). XML never carries the text;
            // any other layout with an empty description matches quotes without one.
            (_, None) => {
                let empty_fits = !xml && (q.shape.tokens.is_empty() || !q.labelled);
                let holds_inserts = inserts
                    .as_ref()
                    .map_or(0.0, |d| similarity(d, &q.shape).precision);
                (
                    base + if empty_fits { 0.1 } else { 0.0 }
                        + 0.02 * f64::from(q.support).ln()
                        + 0.02 * holds_inserts
                        + if q.inline { 0.0 } else { 0.004 }
                        + no_source_bonus(event, q),
                    describe_event_fit(q, how, None),
                )
            }
        };
        let relation = relation_of(event, how, sim);
        // Tie-breakers between quotes that fit equally well: values the paste shares
        // verbatim (an error code, a file name), then how many articles quote the very same
        // message (a message many articles quote is the likelier one to be pasted).
        let score =
            score + 0.01 * sim.map_or(0.0, |s| s.exact_values) + 0.003 * f64::from(q.twins).ln();
        let mut reason = why;
        if let Some(p) = &pasted {
            let vars: Vec<String> = p
                .variables
                .iter()
                .take(3)
                .map(|v| format!("\"{v}\""))
                .collect();
            if !vars.is_empty() && score > 0.5 {
                reason.push_str(&format!("; {} treated as variable", vars.join(", ")));
            }
        }
        // A type that agrees is a small tie-breaker between otherwise equal quotes.
        let agrees =
            matches!((&event.level, &q.kind), (Some(a), Some(b)) if a.eq_ignore_ascii_case(b));
        if let Some(nt) = q
            .written_for
            .as_deref()
            .filter(|_| from_later_windows(event))
        {
            reason.push_str(&format!("; article written for {nt}"));
        }
        offer(
            &mut fits,
            q.article,
            Fit {
                title: q.title.clone(),
                score: score + if agrees { 0.01 } else { 0.0 },
                reason,
                relation,
            },
        );
    }
    fits
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

/// Whether a quote found by `how` ("exact": id and source; "id": id alone; "text": the
/// message) is about the pasted event: the same id and source with a message alike (or none
/// pasted to compare), the same id with no source pasted and the message alike, or the
/// very message.
fn relation_of(event: &PastedEvent, how: &str, sim: Option<Similarity>) -> Relation {
    // Prose around an id is no message to compare with, nor are the insertion strings that
    // a missing-description wrapper lists.
    let comparable =
        sim.filter(|_| !matches!(event.format, PasteFormat::Prose | PasteFormat::Wrapper));
    let alike = |at_least: f64| comparable.is_none_or(|s| s.score >= at_least);
    let about = match how {
        "exact" => alike(ABOUT_SAME_EVENT),
        "id" => event.source.is_none() && comparable.is_some_and(|s| s.score >= SAME_MESSAGE),
        _ => sim.is_some_and(|s| s.score >= SAME_MESSAGE),
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

fn describe_event_fit(q: &QuoteEntry, how: &str, sim: Option<f64>) -> String {
    let source = q.source.as_deref().unwrap_or("an unnamed source");
    let mut s = match how {
        "exact" => format!("event {} from {source}", q.event_id),
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

fn describe_text_fit(q: &QuoteEntry, sim: f64) -> String {
    let source = q.source.as_deref().unwrap_or("an unnamed source");
    format!(
        "message {:.0}% alike to event {} from {source} quoted in the article",
        sim * 100.0,
        q.event_id
    )
}

/// Keeps the better of two fits of one article to one event, and the closer relation of
/// the two (an article that shares the source and some words shares the source).
fn offer(fits: &mut HashMap<ArticleId, Fit>, id: ArticleId, mut fit: Fit) {
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
