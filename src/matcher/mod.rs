//! Matching pasted events to articles: the events index by (event id, source) ranked by how
//! alike the descriptions are, prose mentions as weaker candidates, full-text as fallback.

mod codes;
mod eval;
mod index;
mod lookup;
mod quotes;
mod rank;
mod resolve;
mod similarity;
mod verdict;
pub use verdict::subject as event_subject;
mod words;

pub use eval::{EvalCase, EvalReport, evaluate};
pub use index::{EventIndex, QuoteEntry};
pub use lookup::EventQuery;
pub use similarity::{Shape, Similarity, Token, is_variable, precision_bound, shape, similarity};
pub use verdict::{Relation, Verdict};

use crate::kb::ArticleId;
use crate::paste::{self, PasteFormat, PastedEvent};
use crate::store::{Store, StoreError, fts_query};
use quotes::{add_same_source, fits_from_quotes};
use rank::{Fit, offer, outcome};
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
/// A quote found by its message alone is about the pasted event when at least this alike:
/// no id or source corroborates it, so half the words (a shared template of an audit or
/// logon message) is not enough to say the article is about this event.
const TEXT_ABOUT: f64 = 0.7;
/// A quote of the pasted id and source is about the pasted event when its message is at
/// least this alike: the same event with other insertion strings, not another problem.
const ABOUT_SAME_EVENT: f64 = 0.5;
/// Full-text hits looked at for the articles that fit prose: enough to reach the few
/// candidates of an event among the many articles sharing a word or two.
const PROSE_HITS: usize = 200;
/// Full-text hits for a paste's error codes whose titles are read for the codes.
const CODE_HITS: i64 = 40;
/// Words of a paste sent to full-text search.
const FTS_WORDS: usize = 8;
/// The index is checked for staleness at most this often, so a running import does not
/// make every request rebuild it.
const RECHECK: Duration = Duration::from_secs(1);

/// Said after the verdict when a full-text search was stopped at the store's read limit.
pub const CUT_SHORT: &str = " The search of the articles' text took too long and was stopped, \
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

/// Matches pastes against the archive, keeping the quoted events in memory.
#[derive(Debug)]
pub struct Matcher {
    store: Store,
    index: RwLock<(Arc<EventIndex>, Instant)>,
    /// How many articles hold each word searched for, for this generation of the archive.
    doc_counts: WordCounts,
    /// How many word counts were looked up in the store, for checking the per-paste bound.
    lookups: std::sync::atomic::AtomicUsize,
}

impl Matcher {
    /// A matcher over `store`; the index is built on first use.
    pub fn new(store: Store) -> Self {
        Self {
            store,
            index: RwLock::new((Arc::new(EventIndex::empty()), Instant::now() - RECHECK * 2)),
            doc_counts: WordCounts::default(),
            lookups: std::sync::atomic::AtomicUsize::new(0),
        }
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
        let generation = self.store.current_generation().await?;
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
        // A paste with an event id no article is about may hold more events than were read
        // (one without an id was already looked for inside the text).
        let known: Vec<u32> = events.iter().filter_map(|e| e.event_id).collect();
        let about = |f: &HashMap<ArticleId, Fit>| f.values().any(|f| f.relation == Relation::About);
        if !known.is_empty() && !per_event.iter().any(about) {
            let fitting = per_event.iter().flat_map(|f| f.keys().copied()).collect();
            per_event.extend(quotes::held_events(&index, text, &known, &fitting));
        }
        if !codes::knows_event(&per_event) {
            self.add_code_titles(&mut per_event, &events, text, &mut work)
                .await?;
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
        if event.format == PasteFormat::Prose {
            // Prose names an event and tells its story around it: the articles titled for
            // the event, and those holding the story's rarest words, fit it best.
            if let Some(id) = event.event_id {
                rank::favour_titles(&mut fits, id, text);
            }
            let hits = self.full_text_hits(text, event, work, PROSE_HITS).await?;
            rank::favour_words(&mut fits, &hits);
        }
        Ok(fits)
    }

    /// Raises the articles titled for an error code the paste names (or for its event id
    /// read as a code), in the first event's fits: called when no article knows the event.
    async fn add_code_titles(
        &self,
        per_event: &mut [HashMap<ArticleId, Fit>],
        events: &[PastedEvent],
        text: &str,
        work: &mut FullText,
    ) -> Result<(), StoreError> {
        let codes = codes::pasted_codes(text, events);
        let (Some(fits), Some(q)) = (per_event.first_mut(), codes::codes_query(&codes)) else {
            return Ok(());
        };
        let hits = match self.store.search_ids(&q, CODE_HITS).await {
            Err(StoreError::Interrupted) => {
                work.cut_short = true;
                return Ok(());
            }
            other => other?,
        };
        let titled = self.titles(&hits).await?;
        codes::favour_code_titles(fits, &titled, &codes, text);
        Ok(())
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

    /// Articles found by full-text search for the rarest words of `text` (and the event's
    /// source), at most `MAX_RESULTS`, as weak fits.
    async fn add_full_text(
        &self,
        fits: &mut HashMap<ArticleId, Fit>,
        text: &str,
        event: &PastedEvent,
        work: &mut FullText,
    ) -> Result<(), StoreError> {
        let hits = self.full_text_hits(text, event, work, MAX_RESULTS).await?;
        let Some(best) = hits.first().map(|h| h.1).filter(|b| *b > 0.0) else {
            return Ok(());
        };
        let titles: HashMap<ArticleId, String> = self.titles(&hits).await?.into_iter().collect();
        for (id, score) in hits {
            let fit = Fit {
                title: titles.get(&id).cloned().unwrap_or_default(),
                score: 0.25 * score / best,
                reason: "words of the paste found in the article".into(),
                relation: Relation::Words,
            };
            offer(fits, id, fit);
        }
        Ok(())
    }

    /// The titles of the articles among `hits` (ranked ids with scores) that the store has.
    async fn titles(
        &self,
        hits: &[(ArticleId, f64)],
    ) -> Result<Vec<(ArticleId, String)>, StoreError> {
        let ids: Vec<ArticleId> = hits.iter().map(|h| h.0).collect();
        let summaries = self.store.summaries(&ids).await?;
        Ok(summaries.into_iter().map(|s| (s.id, s.title)).collect())
    }

    /// Full-text hits for the rarest words of `text` and the event's source, best first,
    /// at most `limit`; none when the search was stopped at the store's read limit.
    async fn full_text_hits(
        &self,
        text: &str,
        event: &PastedEvent,
        work: &mut FullText,
        limit: usize,
    ) -> Result<Vec<(ArticleId, f64)>, StoreError> {
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
            return Ok(Vec::new());
        };
        match self.store.search_ids(&q, limit as i64).await {
            // Stopped at the store's read limit: the paste's other candidates stand, and
            // the summary says the text search was cut short.
            Err(StoreError::Interrupted) => {
                work.cut_short = true;
                Ok(Vec::new())
            }
            other => other,
        }
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
