//! Rendered article pages kept in memory, so a page helpdesk staff open again and again is
//! served without touching the database; any import empties it.

use crate::kb::ArticleId;
use crate::store::{Store, StoreError};
use axum::body::Bytes;
use std::collections::HashMap;
use tokio::sync::RwLock;

/// HTML kept at most; past it the cache starts over. A few hundred typical pages: the
/// articles a helpdesk has open this hour. By bytes, not pages: a bound by page count let
/// the cache grow large under the load script, which reads articles at random.
const MAX_BYTES: usize = 8 << 20;

/// Rendered pages by article, valid for one generation of the store.
#[derive(Debug, Default)]
pub struct PageCache {
    state: RwLock<CacheState>,
}

#[derive(Debug, Default)]
struct CacheState {
    generation: Option<i64>,
    pages: HashMap<ArticleId, Bytes>,
    /// The pages' HTML, in bytes.
    bytes: usize,
}

impl CacheState {
    fn clear(&mut self) {
        self.pages.clear();
        self.bytes = 0;
    }
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
            state.clear();
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
        if state.bytes + page.len() > MAX_BYTES {
            state.clear();
        }
        state.bytes += page.len();
        if let Some(old) = state.pages.insert(id, page) {
            state.bytes -= old.len();
        }
    }

    /// The generation the cached pages belong to, once known.
    pub async fn generation(&self) -> Option<i64> {
        self.state.read().await.generation
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn pages_are_kept_within_the_byte_bound() {
        let cache = PageCache::default();
        cache.state.write().await.generation = Some(1);
        let page = Bytes::from(vec![b'x'; MAX_BYTES / 4]);
        // (article, generation, pages kept after the put, bytes kept after the put)
        let steps = [
            (1, 1, 1, MAX_BYTES / 4),
            (1, 1, 1, MAX_BYTES / 4),
            (2, 1, 2, MAX_BYTES / 2),
            (3, 0, 2, MAX_BYTES / 2),
            (3, 1, 3, 3 * MAX_BYTES / 4),
            (4, 1, 4, MAX_BYTES),
            (5, 1, 1, MAX_BYTES / 4),
        ];
        for (id, generation, pages, bytes) in steps {
            cache.put(ArticleId(id), generation, page.clone()).await;
            let state = cache.state.read().await;
            assert_eq!(
                (state.pages.len(), state.bytes),
                (pages, bytes),
                "after {id}"
            );
        }
    }
}
