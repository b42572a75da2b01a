//! Search over the archive in a person's own words: query understanding ([`query`]), an
//! in-memory index per archive generation ([`index`]), ranking ([`rank`]) and snippets
//! ([`snippet`]), all pure; [`Searcher`] keeps the index fresh and reads pages from the store.

pub mod admission;
mod compact;
pub mod index;
pub mod query;
pub mod rank;
mod rerank;
pub mod snippet;

pub use index::{Index, IndexDoc};
pub use query::{Query, parse};
pub use rank::{Filters, Learnt, Ranking, Weights, rank, rank_with};

use crate::kb::ArticleId;
use crate::store::{Store, StoreError};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::watch;

/// Articles read from the store per statement while building: a short read, well inside
/// the bound on holding a pooled connection (`store::HOLD_LIMIT`) even on a loaded
/// machine; chunks many times larger held one past it.
const CHUNK: i64 = 100;
/// Below this many articles a search waits for a stale index's rebuild (up to
/// [`INLINE_WAIT`]) rather than answer from it.
const INLINE_REBUILD: usize = 5000;
/// The longest a search waits for a rebuild; then it answers from the index it has. No
/// longer than a search itself takes: during a fresh import (a small index, rebuilt after
/// every batch on a busy machine) a wait of seconds here made searches slow (issue 26).
const INLINE_WAIT: Duration = Duration::from_millis(100);

/// Said while the server builds its search index.
const BUILDING: &str = "The server is still building its search index (it does so at start).";

/// One result, ready to show.
#[derive(Debug, Clone, PartialEq)]
pub struct Found {
    /// The article.
    pub id: ArticleId,
    /// Its title.
    pub title: String,
    /// Its date.
    pub date: String,
    /// Its category.
    pub category: String,
    /// Text around the matched words, wrapped in the store's highlight marks.
    pub snippet: String,
    /// The searched words its title and symptoms hold, as written there.
    pub matched: Vec<String>,
    /// Relevance, higher is better.
    pub score: f64,
    /// It holds every word searched for.
    pub all_words: bool,
}

/// A page of results and what to tell the person about the query.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Results {
    /// Articles holding any of the words.
    pub total: usize,
    /// Of them, those holding all the words.
    pub exact: usize,
    /// This page.
    pub results: Vec<Found>,
    /// What happened to the words (corrected, left out, only some matched), when anything.
    pub note: Option<String>,
    /// Queries to try instead ("did you mean").
    pub suggestions: Vec<String>,
}

/// Keeps the index of the store's current generation and answers searches with it.
#[derive(Debug)]
pub struct Searcher {
    store: Store,
    /// The installed index; a rebuild replaces it whole, and waiters watch for it.
    current: Arc<watch::Sender<Option<Arc<Index>>>>,
    building: Arc<tokio::sync::Mutex<()>>,
    admission: admission::Admission,
}

/// Reads the whole archive into a new index, a slice at a time.
async fn build(store: &Store) -> Result<Index, StoreError> {
    let generation = store.generation().await?;
    let mut ix = Index::new(generation);
    let mut after = 0;
    loop {
        let rows = store.search_documents(after, CHUNK).await?;
        let Some(last) = rows.last() else { break };
        after = last.id;
        let docs: Vec<IndexDoc> = rows
            .into_iter()
            .filter_map(|r| {
                Some(IndexDoc {
                    id: ArticleId::try_from(r.id).ok()?,
                    title: r.title,
                    symptoms: r.symptoms,
                    body: r.body,
                    category: r.category,
                    products: format!("{} {}", r.product, r.applies),
                    query_words: r.query_words,
                    product: r.product,
                    kind: r.kind,
                    catalogue: r.catalogue,
                })
            })
            .collect();
        ix = tokio::task::spawn_blocking(move || {
            for d in &docs {
                ix.add(d);
            }
            ix
        })
        .await?;
        // A rebuild is background work: searches and pages on this runtime go first.
        tokio::task::yield_now().await;
    }
    let ix = tokio::task::spawn_blocking(move || {
        ix.finish();
        crate::memory::release_freed();
        ix
    })
    .await?;
    Ok(ix)
}

/// Starts a rebuild unless one is running. It rebuilds again while the generation
/// moved during the last build (an import going on), and installs each index whole:
/// searches meanwhile answer from the one before.
fn rebuild_behind(
    store: &Store,
    slot: &Arc<watch::Sender<Option<Arc<Index>>>>,
    building: &Arc<tokio::sync::Mutex<()>>,
) {
    let Ok(guard) = building.clone().try_lock_owned() else {
        return;
    };
    let (store, slot) = (store.clone(), slot.clone());
    tokio::spawn(async move {
        let _guard = guard;
        loop {
            match build(&store).await {
                Ok(ix) => {
                    let built = ix.generation;
                    slot.send_replace(Some(Arc::new(ix)));
                    match store.current_generation().await {
                        Ok(now) if now > built => continue,
                        _ => break,
                    }
                }
                Err(e) => {
                    tracing::warn!("search index rebuild failed: {e}");
                    break;
                }
            }
        }
    });
}

impl Searcher {
    /// A searcher over `store`; the index is built on first use (or by [`Searcher::warm`]).
    pub fn new(store: Store) -> Self {
        Self {
            store,
            current: Arc::new(watch::Sender::new(None)),
            building: Arc::new(tokio::sync::Mutex::new(())),
            admission: admission::Admission::default(),
        }
    }

    fn installed(&self) -> Option<Arc<Index>> {
        self.current.borrow().clone()
    }

    /// The generation of the index searches use now, once one is built.
    pub fn installed_generation(&self) -> Option<i64> {
        self.current.borrow().as_ref().map(|ix| ix.generation)
    }

    /// Builds the index in the background now, so that the first search does not wait,
    /// and again whenever the store's generation watcher learns of an import (through
    /// this server or another), so that searches after it find a fresh index.
    pub fn warm(&self) {
        self.rebuild_behind();
        let mut changes = self.store.generation_changes();
        let (store, slot, building) = (
            self.store.clone(),
            Arc::downgrade(&self.current),
            self.building.clone(),
        );
        tokio::spawn(async move {
            while changes.changed().await.is_ok() {
                // The searcher is gone: so is the server.
                let Some(slot) = slot.upgrade() else { break };
                rebuild_behind(&store, &slot, &building);
            }
        });
    }

    fn rebuild_behind(&self) {
        rebuild_behind(&self.store, &self.current, &self.building);
    }

    /// The index of the store's current generation: a fresh one when it is ready or small
    /// enough to build at once (bounded by [`INLINE_WAIT`]), otherwise the installed one
    /// while a fresh one is built behind it.
    pub async fn index(&self) -> Result<Arc<Index>, StoreError> {
        if let Some(ix) = self.ready_index().await? {
            return Ok(ix);
        }
        // Nothing to answer from yet: wait for the first build, however long.
        let mut changes = self.current.subscribe();
        self.rebuild_behind();
        let waited = changes.wait_for(Option::is_some).await;
        match waited.ok().and_then(|ix| ix.clone()) {
            Some(ix) => Ok(ix),
            None => Err(StoreError::Corrupt("the search index was dropped".into())),
        }
    }

    /// Searches for `text`: the page at `offset`, `limit` long, with notes and suggestions.
    pub async fn search(
        &self,
        text: &str,
        filters: &Filters,
        offset: usize,
        limit: usize,
    ) -> Result<Results, StoreError> {
        let query = parse(text);
        if let Some(id) = query.article {
            return self.article(id).await;
        }
        if query.groups.is_empty() {
            return Ok(Results::default());
        }
        let Some(ix) = self.ready_index().await? else {
            return self.while_building(text, filters, offset, limit).await;
        };
        // Read before admission: a search waiting for the slow lane holds no connection.
        let learnt = self.learnt(&query).await?;
        // Expensive queries wait for the slow lane and rank off the runtime's workers.
        let ticket = self.admission.admit(&ix, &query).await;
        let (q, f) = (query.clone(), filters.clone());
        let ranking = ticket
            .run(move || rank_with(&ix, &q, &f, (offset, limit), &Weights::default(), &learnt))
            .await;
        let ids: Vec<ArticleId> = ranking.page.iter().map(|r| r.id).collect();
        let rows = self.store.result_rows(&ids).await?;
        let (ranking, results) = ticket
            .run(move || {
                let found = found(&ranking, &rows);
                (ranking, found)
            })
            .await;
        Ok(Results {
            total: ranking.total,
            exact: ranking.exact,
            results,
            note: note(&query, &ranking, offset + limit),
            suggestions: suggestions(text, &ranking),
        })
    }

    /// The index to search, or `None` while the first one is being built (the server's
    /// start): searches then answer from the store's full-text index rather than wait.
    ///
    /// A stale index is rebuilt behind. A search waits for that rebuild only when the
    /// index is small (a fresh or test database, where it takes milliseconds), and for at
    /// most [`INLINE_WAIT`]: on a loaded machine during an import, the rebuild runs behind
    /// the import's every batch and no search should wait on it.
    async fn ready_index(&self) -> Result<Option<Arc<Index>>, StoreError> {
        let generation = self.store.current_generation().await?;
        let installed = self.installed();
        if let Some(ix) = installed.as_ref().filter(|ix| ix.generation >= generation) {
            return Ok(Some(ix.clone()));
        }
        if installed.is_none() && self.building.try_lock().is_err() {
            return Ok(None);
        }
        let mut changes = self.current.subscribe();
        self.rebuild_behind();
        if installed
            .as_ref()
            .is_some_and(|ix| ix.len() >= INLINE_REBUILD)
        {
            return Ok(installed);
        }
        let fresh =
            |ix: &Option<Arc<Index>>| ix.as_ref().is_some_and(|ix| ix.generation >= generation);
        match tokio::time::timeout(INLINE_WAIT, changes.wait_for(fresh)).await {
            Ok(Ok(ix)) => Ok(ix.clone()),
            // Still building: the index before it, or the full-text fallback.
            _ => Ok(self.installed()),
        }
    }

    /// A plain full-text answer (any of the words, bm25) while the index is being built: a
    /// bounded read, so an expensive query gets a note instead of holding a connection.
    async fn while_building(
        &self,
        text: &str,
        filters: &Filters,
        offset: usize,
        limit: usize,
    ) -> Result<Results, StoreError> {
        let Some(q) = crate::store::fts_query(text, " OR ", query::MAX_GROUPS) else {
            return Ok(Results::default());
        };
        let f = crate::store::SearchFilters {
            category: filters.category.clone(),
            product: filters.product.clone(),
            kind: filters.kind.clone(),
        };
        let page = match self.store.search(&q, &f, limit as i64, offset as i64).await {
            Ok(page) => page,
            Err(StoreError::Interrupted) => {
                return Ok(Results {
                    note: Some(format!(
                        "{BUILDING} This search took too long meanwhile; please try again in a few seconds."
                    )),
                    ..Results::default()
                });
            }
            Err(e) => return Err(e),
        };
        let total = usize::try_from(page.total).unwrap_or(0);
        // Snippets as the index's answers get them: cut here from the stored text (the
        // full-text index keeps none), around the words typed.
        let ranking = Ranking {
            page: page
                .results
                .iter()
                .map(|h| rank::Ranked {
                    id: h.id,
                    score: h.score,
                    all_words: false,
                })
                .collect(),
            highlight: query::tokens(text).iter().map(|t| query::stem(t)).collect(),
            ..Ranking::default()
        };
        let ids: Vec<ArticleId> = ranking.page.iter().map(|r| r.id).collect();
        let rows = self.store.result_rows(&ids).await?;
        Ok(Results {
            total,
            exact: total,
            results: found(&ranking, &rows),
            note: Some(format!(
                "{BUILDING} These are plain full-text results for any of the words."
            )),
            suggestions: Vec::new(),
        })
    }

    /// The articles that resolved past wizard sessions started from the same words.
    pub async fn learnt(&self, query: &Query) -> Result<Vec<Learnt>, StoreError> {
        let key = query.key();
        if key.is_empty() {
            return Ok(Vec::new());
        }
        let rows = self.store.search_resolutions(&key).await?;
        Ok(rows
            .into_iter()
            .filter_map(|(id, n)| Some((ArticleId::try_from(id).ok()?, n)))
            .collect())
    }

    /// The answer to a query that is an article number: that article, when stored.
    async fn article(&self, id: ArticleId) -> Result<Results, StoreError> {
        let rows = self.store.result_rows(&[id]).await?;
        let Some(row) = rows.into_iter().next() else {
            return Ok(Results {
                note: Some(format!("The archive has no article {id}.")),
                ..Results::default()
            });
        };
        let text = if row.symptoms.is_empty() {
            &row.body
        } else {
            &row.symptoms
        };
        Ok(Results {
            total: 1,
            exact: 1,
            results: vec![Found {
                id,
                snippet: snippet::snippet(text, &Default::default()),
                title: row.title,
                date: row.date,
                category: row.category,
                matched: Vec::new(),
                score: 1.0,
                all_words: true,
            }],
            note: Some(format!("Article {id}, by its number.")),
            suggestions: Vec::new(),
        })
    }
}

/// The page's results from the ranking and the stored rows: snippets and matched words.
fn found(ranking: &Ranking, rows: &[crate::store::ResultRow]) -> Vec<Found> {
    ranking
        .page
        .iter()
        .filter_map(|r| {
            let row = rows.iter().find(|row| row.id == r.id)?;
            let head = format!("{} {}", row.title, row.symptoms);
            let source = if snippet::matched_words(&row.symptoms, &ranking.highlight).is_empty() {
                &row.body
            } else {
                &row.symptoms
            };
            Some(Found {
                id: r.id,
                title: row.title.clone(),
                date: row.date.clone(),
                category: row.category.clone(),
                snippet: snippet::snippet(source, &ranking.highlight),
                matched: snippet::matched_words(&head, &ranking.highlight),
                score: r.score,
                all_words: r.all_words,
            })
        })
        .collect()
}

/// What to tell the person about their words, in one or two sentences.
fn note(query: &Query, r: &Ranking, shown: usize) -> Option<String> {
    let mut parts = Vec::new();
    for (word, fix) in &r.corrected {
        parts.push(match fix {
            Some(f) => format!(
                "\u{201c}{word}\u{201d} is in few articles or none; searched for \u{201c}{f}\u{201d} too."
            ),
            None => format!("No article has \u{201c}{word}\u{201d}."),
        });
    }
    if !r.dropped.is_empty() {
        parts.push(format!(
            "A long query: left out its most common words ({}).",
            r.dropped.join(", ")
        ));
    }
    if query.only_stopwords && r.total > 0 {
        parts.push(
            "These words are all very common: add a product name, an error number or the \
             message's text for better results."
                .to_string(),
        );
    } else if r.total > r.exact && r.exact < shown {
        parts.push(if r.exact == 0 {
            "No article has all of these words; showing articles with some of them.".to_string()
        } else {
            format!(
                "Only {} article{} all of these words; then articles with some of them.",
                r.exact,
                if r.exact == 1 { " has" } else { "s have" }
            )
        });
    }
    (!parts.is_empty()).then(|| parts.join(" "))
}

/// The query with each misspelt word replaced by the archive's spelling, when any was.
fn suggestions(text: &str, r: &Ranking) -> Vec<String> {
    let fixes: Vec<(&String, &String)> = r
        .corrected
        .iter()
        .filter_map(|(w, f)| Some((w, f.as_ref()?)))
        .collect();
    if fixes.is_empty() {
        return Vec::new();
    }
    let fixed = query::tokens(text)
        .into_iter()
        .map(|t| {
            fixes
                .iter()
                .find(|(w, _)| **w == t)
                .map_or(t.clone(), |(_, f)| (*f).clone())
        })
        .collect::<Vec<_>>()
        .join(" ");
    vec![fixed]
}
