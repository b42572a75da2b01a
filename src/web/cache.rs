//! Rendered article pages kept in memory, so a page helpdesk staff open again and again is
//! served without touching the database; any import empties it.

use crate::kb::ArticleId;
use crate::store::{Store, StoreError};
use axum::body::Bytes;
use std::collections::HashMap;
use tokio::sync::RwLock;

/// Pages kept at most; past it the cache starts over (a few tens of MB of HTML).
const MAX_PAGES: usize = 4096;

/// Rendered pages by article, valid for one generation of the store.
#[derive(Debug, Default)]
pub struct PageCache {
    state: RwLock<CacheState>,
}

#[derive(Debug, Default)]
struct CacheState {
    generation: Option<i64>,
    pages: HashMap<ArticleId, Bytes>,
}

impl PageCache {
    /// The cached page of `id`, if it is still current. The store's generation comes from its
    /// watcher (no query), so every call checks it: an import through this server shows at
    /// once, one through another process as soon as the watcher hears of it.
    pub async fn get(&self, store: &Store, id: ArticleId) -> Result<Option<Bytes>, StoreError> {
        let now = store.current_generation().await?;
        {
            let state = self.state.read().await;
            if state.generation == Some(now) {
                return Ok(state.pages.get(&id).cloned());
            }
        }
        let mut state = self.state.write().await;
        if state.generation != Some(now) {
            state.pages.clear();
            state.generation = Some(now);
        }
        Ok(state.pages.get(&id).cloned())
    }

    /// Keeps the page of `id` rendered at generation `generation`.
    pub async fn put(&self, id: ArticleId, generation: i64, page: Bytes) {
        let mut state = self.state.write().await;
        // A page rendered before an import finished must not outlive it.
        if state.generation != Some(generation) {
            return;
        }
        if state.pages.len() >= MAX_PAGES {
            state.pages.clear();
        }
        state.pages.insert(id, page);
    }

    /// The generation the cached pages belong to, once known.
    pub async fn generation(&self) -> Option<i64> {
        self.state.read().await.generation
    }
}
