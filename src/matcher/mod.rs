//! Matching pasted events to articles: quoted events first, full-text search as fallback.
//! (first cut: full-text only; the event index lands with the paste parser)

use crate::kb::ArticleId;
use crate::paste::{self, PastedEvent};
use crate::store::{Store, StoreError, fts_query};
use serde::Serialize;

/// Most results returned for one paste.
pub const MAX_RESULTS: usize = 20;

/// One ranked article for a paste.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MatchResult {
    /// The article.
    pub id: ArticleId,
    /// Its title.
    pub title: String,
    /// Ranking score, higher is better.
    pub score: f64,
    /// Confidence that this is the right article, 0 to 1.
    pub confidence: f64,
    /// Why it matched, one phrase each.
    pub reasons: Vec<String>,
}

/// What a paste was recognised as and the articles it matched, best first.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MatchOutcome {
    /// The events recognised in the paste.
    pub events: Vec<PastedEvent>,
    /// The ranked articles, at most `MAX_RESULTS`.
    pub results: Vec<MatchResult>,
}

/// Matches pastes against the archive.
#[derive(Debug, Clone)]
pub struct Matcher {
    store: Store,
}

impl Matcher {
    /// A matcher over `store`.
    pub fn new(store: Store) -> Self {
        Self { store }
    }

    /// Recognises the events in `text` and ranks the articles that fit them.
    pub async fn match_text(&self, text: &str) -> Result<MatchOutcome, StoreError> {
        let events = paste::parse_paste(text);
        let mut results = Vec::new();
        if let Some(q) = fts_query(text, " OR ", 32) {
            let ids = self.store.search_ids(&q, MAX_RESULTS as i64).await?;
            let titles = self.store.summaries(&ids.iter().map(|(id, _)| *id).collect::<Vec<_>>()).await?;
            for (id, score) in ids {
                let title = titles.iter().find(|s| s.id == id).map(|s| s.title.clone()).unwrap_or_default();
                results.push(MatchResult {
                    id,
                    title,
                    score,
                    confidence: 0.3,
                    reasons: vec!["words of the paste found in the article".into()],
                });
            }
        }
        Ok(MatchOutcome { events, results })
    }
}
