//! Articles decoded once and shared: the wizard reads the same few articles over and over
//! (a paste's candidates, the article it walks), and each read is four queries, an inflate
//! and a JSON decode. Kept for one generation of the archive, bounded in size.
//!
//! Bounded by two generations of entries rather than an exact LRU: lookups fill the young
//! map; when it is full the old one is dropped and the young one becomes old, and a hit in
//! the old map moves the entry back to the young one. What is used within the last
//! `capacity` fills stays; at most twice `capacity` entries are kept.
//!
//! Kept current two ways: this process's own imports ([`Store::write_articles`]) empty it
//! as they commit, and another process's import shows as a new generation
//! ([`Store::current_generation`], the generation watcher's value, no query), checked on
//! every read.

use super::{Store, StoreError, StoredArticle};
use crate::kb::{ArticleId, Diagnosis};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};

/// Entries per generation of the cache (so at most twice as many are kept). An article
/// decoded is small, so the whole cache stays a small part of the server's memory. The wizard's working set is a paste's
/// candidates and the article it walks, a few dozen per session.
pub const CAPACITY: usize = 128;

/// An article and its diagnosis, decoded.
#[derive(Debug, Clone, PartialEq)]
pub struct CachedArticle {
    /// The article as stored.
    pub stored: StoredArticle,
    /// Its stored diagnosis; `None` where the store has none (an older database).
    pub diagnosis: Option<Diagnosis>,
}

impl CachedArticle {
    /// The article.
    pub fn article(&self) -> &crate::kb::Article {
        &self.stored.article
    }
}

/// Decoded articles by id, for one generation of the archive.
#[derive(Debug)]
pub(super) struct ArticleCache {
    state: Mutex<State>,
}

#[derive(Debug)]
struct State {
    capacity: usize,
    /// The archive generation the entries belong to; `None` until looked up.
    generation: Option<i64>,
    /// Bumped whenever the entries are dropped: a read begun before cannot be kept after.
    epoch: u64,
    young: HashMap<ArticleId, Arc<CachedArticle>>,
    old: HashMap<ArticleId, Arc<CachedArticle>>,
    /// The (category, product, count) rows every search and browse page lists: a
    /// GROUP BY over every article (costly per page under load), the same until an import.
    facets: Option<Arc<FacetRows>>,
}

/// The rows of [`Store::categories`]' count: category, product, articles.
pub(super) type FacetRows = Vec<(String, String, i64)>;

impl Default for ArticleCache {
    fn default() -> Self {
        Self::with_capacity(CAPACITY)
    }
}

impl ArticleCache {
    pub(super) fn with_capacity(capacity: usize) -> Self {
        Self {
            state: Mutex::new(State {
                capacity: capacity.max(1),
                generation: None,
                epoch: 0,
                young: HashMap::new(),
                old: HashMap::new(),
                facets: None,
            }),
        }
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    #[cfg(test)]
    /// Whether the entries belong to no known generation (after an import through this
    /// store, until the next read notes one).
    fn stale(&self) -> bool {
        self.lock().generation.is_none()
    }

    /// Notes the archive's current generation, dropping the entries of another.
    fn observe(&self, generation: i64) {
        let mut s = self.lock();
        if s.generation != Some(generation) {
            s.clear();
            s.generation = Some(generation);
        }
    }

    /// The entry for `id`, and the epoch to hand [`ArticleCache::put`] after a miss.
    fn get(&self, id: ArticleId) -> (Option<Arc<CachedArticle>>, u64) {
        let mut s = self.lock();
        if let Some(hit) = s.young.get(&id) {
            return (Some(hit.clone()), s.epoch);
        }
        let epoch = s.epoch;
        match s.old.remove(&id) {
            Some(hit) => {
                s.insert(id, hit.clone());
                (Some(hit), epoch)
            }
            None => (None, epoch),
        }
    }

    /// Keeps `entry`, read after [`ArticleCache::get`] returned `epoch`, unless the
    /// entries were dropped meanwhile (an import committed during the read).
    fn put(&self, epoch: u64, id: ArticleId, entry: Arc<CachedArticle>) {
        let mut s = self.lock();
        if s.epoch == epoch {
            s.insert(id, entry);
        }
    }

    /// Drops every entry (an import committed).
    pub(super) fn invalidate(&self) {
        let mut s = self.lock();
        s.clear();
        s.generation = None;
    }

    /// The facet counts kept, and the epoch to hand [`ArticleCache::put_facets`].
    fn facets(&self) -> (Option<Arc<FacetRows>>, u64) {
        let s = self.lock();
        (s.facets.clone(), s.epoch)
    }

    /// Keeps `rows`, read after [`ArticleCache::facets`] returned `epoch`, unless an
    /// import dropped the entries meanwhile.
    fn put_facets(&self, epoch: u64, rows: Arc<FacetRows>) {
        let mut s = self.lock();
        if s.epoch == epoch {
            s.facets = Some(rows);
        }
    }

    /// How many entries are kept.
    fn len(&self) -> usize {
        let s = self.lock();
        s.young.len() + s.old.len()
    }
}

impl State {
    fn clear(&mut self) {
        self.young.clear();
        self.old.clear();
        self.facets = None;
        self.epoch += 1;
    }

    fn insert(&mut self, id: ArticleId, entry: Arc<CachedArticle>) {
        if self.young.len() >= self.capacity && !self.young.contains_key(&id) {
            self.old = std::mem::take(&mut self.young);
        }
        self.old.remove(&id);
        self.young.insert(id, entry);
    }
}

impl Store {
    /// One article with its diagnosis, decoded once and shared until an import changes
    /// the archive (see [`cache`](self)); `None` when it is not in the archive.
    pub async fn cached_article(
        &self,
        id: ArticleId,
    ) -> Result<Option<Arc<CachedArticle>>, StoreError> {
        self.check_generation().await?;
        let (hit, epoch) = self.cache.get(id);
        if hit.is_some() {
            return Ok(hit);
        }
        let Some((stored, diagnosis)) = self.article_with_diagnosis(id).await? else {
            return Ok(None);
        };
        let entry = Arc::new(CachedArticle { stored, diagnosis });
        self.cache.put(epoch, id, entry.clone());
        Ok(Some(entry))
    }

    /// The (category, product, count) rows, counted once per generation of the archive.
    pub(super) async fn facet_rows(&self) -> Result<Arc<FacetRows>, StoreError> {
        self.check_generation().await?;
        let (kept, epoch) = self.cache.facets();
        if let Some(rows) = kept {
            return Ok(rows);
        }
        let rows = Arc::new(self.count_facets().await?);
        self.cache.put_facets(epoch, rows.clone());
        Ok(rows)
    }

    /// Drops what the cache holds when another process's import moved the generation.
    async fn check_generation(&self) -> Result<(), StoreError> {
        let generation = self.current_generation().await?;
        self.cache.observe(generation);
        Ok(())
    }

    /// How many decoded articles are kept (for tests and `/healthz`).
    pub fn cached_articles(&self) -> usize {
        self.cache.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(id: u32) -> Arc<CachedArticle> {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/Q900068.TXT");
        let mut article = crate::kb::parse_article(&std::fs::read(path).unwrap()).unwrap();
        article.id = ArticleId(id);
        Arc::new(CachedArticle {
            stored: StoredArticle {
                article,
                kind: String::new(),
            },
            diagnosis: None,
        })
    }

    fn fill(cache: &ArticleCache, id: u32) {
        let (hit, epoch) = cache.get(ArticleId(id));
        assert!(hit.is_none(), "Q{id} was kept");
        cache.put(epoch, ArticleId(id), entry(id));
    }

    #[test]
    fn keeps_at_most_twice_its_capacity_and_what_was_used_lately() {
        let cache = ArticleCache::with_capacity(4);
        cache.observe(1);
        for id in 1..=5 {
            fill(&cache, id);
        }
        // Q1 is among the old entries now; used again, it moves back among the young ones
        // and outlives Q2..Q4, filled with it but not used since.
        assert!(cache.get(ArticleId(1)).0.is_some());
        for id in 6..=8 {
            fill(&cache, id);
        }
        assert!(cache.get(ArticleId(1)).0.is_some());
        assert!(cache.get(ArticleId(2)).0.is_none());
        for id in 9..=40 {
            fill(&cache, id);
            assert!(cache.len() <= 8, "{} entries", cache.len());
        }
        assert!((37..=40).all(|id| cache.get(ArticleId(id)).0.is_some()));
    }

    #[test]
    fn a_new_generation_or_an_import_drops_every_entry() {
        let cache = ArticleCache::with_capacity(8);
        cache.observe(1);
        fill(&cache, 1);
        cache.observe(1);
        assert!(cache.get(ArticleId(1)).0.is_some(), "same generation");
        cache.observe(2);
        assert!(cache.get(ArticleId(1)).0.is_none(), "a new generation");
        fill(&cache, 1);
        cache.invalidate();
        assert_eq!(cache.len(), 0);
        assert!(cache.stale(), "the generation is looked up again");
    }

    #[tokio::test]
    async fn a_reimport_replaces_the_cached_article() {
        use crate::store::ImportedArticle;
        let store = Store::open_in_memory().await.unwrap();
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/Q900068.TXT");
        let bytes = std::fs::read(path).unwrap();
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let article = crate::kb::parse_article(&bytes).unwrap();
        let id = article.id;
        let import = |a: crate::kb::Article, hash: &str| {
            ImportedArticle::new(a, hash.into(), &text, false).unwrap()
        };
        store
            .write_articles(vec![import(article.clone(), "h1")])
            .await
            .unwrap();
        let first = store.cached_article(id).await.unwrap().unwrap();
        assert!(
            first.diagnosis.is_some(),
            "the stored diagnosis comes with it"
        );
        let again = store.cached_article(id).await.unwrap().unwrap();
        assert!(Arc::ptr_eq(&first, &again), "read once, then shared");
        let mut changed = article;
        changed.title = "A title the re-import brought".into();
        store
            .write_articles(vec![import(changed, "h2")])
            .await
            .unwrap();
        let after = store.cached_article(id).await.unwrap().unwrap();
        assert_eq!(after.article().title, "A title the re-import brought");
        assert_eq!(store.cached_articles(), 1);
        assert!(
            store
                .cached_article(ArticleId(999_999))
                .await
                .unwrap()
                .is_none()
        );
    }

    #[test]
    fn a_read_begun_before_an_import_is_not_kept_after_it() {
        let cache = ArticleCache::with_capacity(8);
        cache.observe(1);
        let (_, epoch) = cache.get(ArticleId(7));
        // The import commits while the article is being read.
        cache.invalidate();
        cache.put(epoch, ArticleId(7), entry(7));
        assert_eq!(cache.len(), 0);
    }
}
