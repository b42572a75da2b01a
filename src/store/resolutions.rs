//! Past resolutions by event key, as the wizard orders candidates and causes by them: read
//! once and shared, so a session start costs no query for them. An entry lasts until a
//! session of this process is answered (an answer can resolve a session, or undo a
//! resolution by going back) and at most [`FRESH`], the delay before the sessions another
//! process writes (servers sharing a PostgreSQL database) count here.

use super::{ResolutionCount, Store, StoreError};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

/// How long counts read are used before they are read again.
pub const FRESH: Duration = Duration::from_secs(1);
/// Event keys kept at most; past that the entries are dropped and refilled.
const KEYS: usize = 1024;

/// The counts read for one event key.
type Counts = Arc<Vec<ResolutionCount>>;

/// Resolution counts by event key.
#[derive(Debug, Default)]
pub(super) struct ResolutionCache {
    state: Mutex<State>,
}

#[derive(Debug, Default)]
struct State {
    /// Bumped whenever the entries are dropped: a read begun before cannot be kept after.
    epoch: u64,
    /// The counts and when their read began.
    entries: HashMap<String, (Instant, Counts)>,
}

impl ResolutionCache {
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The counts for `key` if read less than [`FRESH`] before `now`, and the epoch to
    /// hand [`ResolutionCache::put`] after a miss.
    fn get(&self, key: &str, now: Instant) -> (Option<Counts>, u64) {
        let s = self.lock();
        let hit = s
            .entries
            .get(key)
            .filter(|(read, _)| now.saturating_duration_since(*read) < FRESH)
            .map(|(_, counts)| counts.clone());
        (hit, s.epoch)
    }

    /// Keeps `counts`, whose read began at `read` after [`ResolutionCache::get`] returned
    /// `epoch`, unless the entries were dropped meanwhile (a session was answered).
    fn put(&self, epoch: u64, key: &str, read: Instant, counts: Counts) {
        let mut s = self.lock();
        if s.epoch != epoch {
            return;
        }
        if s.entries.len() >= KEYS && !s.entries.contains_key(key) {
            s.entries.clear();
        }
        s.entries.insert(key.to_string(), (read, counts));
    }

    /// Drops every entry (a session of this process was answered).
    pub(super) fn invalidate(&self) {
        let mut s = self.lock();
        s.entries.clear();
        s.epoch += 1;
    }
}

impl Store {
    /// [`Store::resolution_counts`], read at most once a [`FRESH`] period per key and
    /// read again after any answer through this store.
    pub async fn recent_resolution_counts(&self, event_key: &str) -> Result<Counts, StoreError> {
        let read = Instant::now();
        let (hit, epoch) = self.resolutions.get(event_key, read);
        if let Some(counts) = hit {
            return Ok(counts);
        }
        let counts = Arc::new(self.resolution_counts(event_key).await?);
        self.resolutions.put(epoch, event_key, read, counts.clone());
        Ok(counts)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counts(sessions: i64) -> Counts {
        Arc::new(vec![ResolutionCount {
            article: 900070,
            cause: Some(2),
            sessions,
        }])
    }

    fn sessions(hit: Option<Counts>) -> Option<i64> {
        hit.map(|c| c[0].sessions)
    }

    #[test]
    fn counts_are_kept_per_key_for_the_fresh_period() {
        let cache = ResolutionCache::default();
        let t = Instant::now();
        let (hit, epoch) = cache.get("68:msexchangeccmc", t);
        assert!(hit.is_none());
        cache.put(epoch, "68:msexchangeccmc", t, counts(3));
        for (key, at, want) in [
            ("68:msexchangeccmc", t, Some(3)),
            ("68:msexchangeccmc", t + FRESH / 2, Some(3)),
            ("70:msexchangeccmc", t, None),
            ("68:msexchangeccmc", t + FRESH, None),
        ] {
            assert_eq!(sessions(cache.get(key, at).0), want, "{key} at {at:?}");
        }
    }

    #[test]
    fn an_answer_drops_the_counts_and_a_read_begun_before_it() {
        let cache = ResolutionCache::default();
        let t = Instant::now();
        let (_, epoch) = cache.get("k", t);
        cache.put(epoch, "k", t, counts(1));
        let (_, before) = cache.get("other", t);
        cache.invalidate();
        assert!(cache.get("k", t).0.is_none(), "dropped by the answer");
        // Read while the answer was committing: not kept.
        cache.put(before, "other", t, counts(1));
        assert!(cache.get("other", t).0.is_none());
        let (_, after) = cache.get("k", t);
        cache.put(after, "k", t, counts(2));
        assert_eq!(sessions(cache.get("k", t).0), Some(2));
    }

    #[test]
    fn at_most_a_bounded_number_of_keys_are_kept() {
        let cache = ResolutionCache::default();
        let t = Instant::now();
        for i in 0..KEYS * 3 {
            let key = format!("{i}:source");
            let (_, epoch) = cache.get(&key, t);
            cache.put(epoch, &key, t, counts(1));
            assert!(cache.lock().entries.len() <= KEYS);
        }
        assert_eq!(
            sessions(cache.get(&format!("{}:source", KEYS * 3 - 1), t).0),
            Some(1)
        );
    }
}
