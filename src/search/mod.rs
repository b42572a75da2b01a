//! Search over the archive in a person's own words: query understanding ([`query`]), an
//! in-memory index per archive generation ([`index`]), ranking ([`rank`]) and snippets
//! ([`snippet`]), all pure; [`Searcher`] keeps the index fresh and reads pages from the store.

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
use std::sync::{Arc, RwLock};

/// Articles read from the store per statement while building.
const CHUNK: i64 = 2000;
/// Below this many articles a stale index is rebuilt before answering, not behind it.
const INLINE_REBUILD: usize = 5000;

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
    current: Arc<RwLock<Option<Arc<Index>>>>,
    building: Arc<tokio::sync::Mutex<()>>,
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
    }
    ix.finish();
    Ok(ix)
}

impl Searcher {
    /// A searcher over `store`; the index is built on first use (or by [`Searcher::warm`]).
    pub fn new(store: Store) -> Self {
        Self {
            store,
            current: Arc::new(RwLock::new(None)),
            building: Arc::new(tokio::sync::Mutex::new(())),
        }
    }

    fn installed(&self) -> Option<Arc<Index>> {
        self.current.read().ok().and_then(|g| g.clone())
    }

    fn install(slot: &RwLock<Option<Arc<Index>>>, ix: Index) -> Arc<Index> {
        let ix = Arc::new(ix);
        if let Ok(mut g) = slot.write() {
            *g = Some(ix.clone());
        }
        ix
    }

    /// Builds the index in the background now, so that the first search does not wait.
    pub fn warm(&self) {
        self.rebuild_behind();
    }

    fn rebuild_behind(&self) {
        let Ok(guard) = self.building.clone().try_lock_owned() else {
            return;
        };
        let (store, slot) = (self.store.clone(), self.current.clone());
        tokio::spawn(async move {
            let _guard = guard;
            match build(&store).await {
                Ok(ix) => {
                    Self::install(&slot, ix);
                }
                Err(e) => tracing::warn!("search index rebuild failed: {e}"),
            }
        });
    }

    /// The index of the store's current generation: built now when there is none (or it is
    /// small), otherwise the installed one while a fresh one is built behind it.
    pub async fn index(&self) -> Result<Arc<Index>, StoreError> {
        if let Some(ix) = self.installed() {
            let generation = self.store.generation().await?;
            if generation == ix.generation {
                return Ok(ix);
            }
            if ix.len() >= INLINE_REBUILD {
                self.rebuild_behind();
                return Ok(ix);
            }
        }
        let _guard = self.building.lock().await;
        let generation = self.store.generation().await?;
        if let Some(ix) = self.installed().filter(|ix| ix.generation == generation) {
            return Ok(ix);
        }
        Ok(Self::install(&self.current, build(&self.store).await?))
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
        let ix = self.index().await?;
        let learnt = self.learnt(&query).await?;
        let ranking = rank_with(
            &ix,
            &query,
            filters,
            (offset, limit),
            &Weights::default(),
            &learnt,
        );
        let ids: Vec<ArticleId> = ranking.page.iter().map(|r| r.id).collect();
        let rows = self.store.result_rows(&ids).await?;
        let results = ranking
            .page
            .iter()
            .zip(&ids)
            .filter_map(|(r, id)| {
                let row = rows.iter().find(|row| row.id == *id)?;
                let head = format!("{} {}", row.title, row.symptoms);
                let source = if snippet::matched_words(&row.symptoms, &ranking.highlight).is_empty()
                {
                    &row.body
                } else {
                    &row.symptoms
                };
                Some(Found {
                    id: *id,
                    title: row.title.clone(),
                    date: row.date.clone(),
                    category: row.category.clone(),
                    snippet: snippet::snippet(source, &ranking.highlight),
                    matched: snippet::matched_words(&head, &ranking.highlight),
                    score: r.score,
                    all_words: r.all_words,
                })
            })
            .collect();
        Ok(Results {
            total: ranking.total,
            exact: ranking.exact,
            results,
            note: note(&query, &ranking, offset + limit),
            suggestions: suggestions(text, &ranking),
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
