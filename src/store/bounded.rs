//! Bounded work on the pool: a SQLite progress handler stops a read that runs past its time
//! limit, and a meter records how long each pooled connection is held (acquire to release),
//! so that the bound can be checked under load rather than assumed.
//!
//! Each hold is labelled with the store call that took the connection (a task-local name set
//! by [`at`], "other" when none), and the meter keeps per label the holds, the longest and
//! those over the limit, so a long hold names its holder. A second meter, the scheduler lag
//! ([`Store::watch_lag`]), shows how late the runtime wakes a task: a hold whose label is a
//! cheap statement, beside a lag as long, is the CPU starved, not the statement.
//!
//! On PostgreSQL the same bound is the server's `statement_timeout`, set for the read's own
//! transaction only; a stopped statement (SQLSTATE 57014) is the same
//! [`StoreError::Interrupted`]. The hold meter is SQLite-only: its pool hooks tell
//! connections apart by their SQLite handle, which a PostgreSQL connection does not have.

use super::{Store, StoreError};
use sqlx::pool::{PoolConnection, PoolConnectionMetadata};
use sqlx::{PgPool, Postgres, Sqlite, SqliteConnection, SqlitePool, Transaction};
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

tokio::task_local! {
    /// The store call running on this task, naming the holds of the connections it takes.
    static SITE: &'static str;
}

/// The label of holds taken outside any [`at`].
pub const UNLABELLED: &str = "other";
/// Labels listed by [`HoldStats::longest`] at most.
const LONGEST: usize = 8;

/// Runs `work` with the pooled connections it takes labelled `site` in the hold meter.
pub(crate) async fn at<T>(site: &'static str, work: impl Future<Output = T>) -> T {
    SITE.scope(site, work).await
}

fn current_site() -> &'static str {
    SITE.try_with(|s| *s).unwrap_or(UNLABELLED)
}

/// How long a bounded read may run before SQLite stops it: half the hold limit, leaving
/// room for the acquire, the pool's ping and the release.
pub const READ_LIMIT: Duration = Duration::from_millis(50);
/// The longest any query should hold a pooled connection; longer holds are counted and
/// logged.
pub const HOLD_LIMIT: Duration = Duration::from_millis(100);
/// How long the lag watcher sleeps between two looks at the clock.
pub const LAG_TICK: Duration = Duration::from_millis(10);
/// Virtual-machine steps between two looks at the clock.
const PROGRESS_STEPS: i32 = 1000;

/// What the meter has seen of the holds under one label.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct SiteHolds {
    /// The store call (see [`at`]).
    pub site: &'static str,
    /// Its holds.
    pub holds: u64,
    /// Its longest hold, in microseconds.
    pub max_hold_us: u64,
    /// Its holds longer than [`HOLD_LIMIT`].
    pub over_limit: u64,
    /// All its holds together, in microseconds (with `holds`, the mean).
    pub total_us: u64,
}

impl SiteHolds {
    fn add(&mut self, us: u64) {
        self.holds += 1;
        self.max_hold_us = self.max_hold_us.max(us);
        self.total_us = self.total_us.saturating_add(us);
        if us > HOLD_LIMIT.as_micros() as u64 {
            self.over_limit += 1;
        }
    }
}

/// What the meter has seen since the store was opened.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct HoldStats {
    /// Connections handed out and given back.
    pub holds: u64,
    /// The longest hold, in microseconds.
    pub max_hold_us: u64,
    /// Holds longer than [`HOLD_LIMIT`].
    pub over_limit: u64,
    /// Bounded reads SQLite stopped at their time limit.
    pub interrupted: u64,
    /// The longest time a task woke late ([`Store::watch_lag`]; 0 when not watched), in
    /// microseconds: what CPU starvation alone adds to a hold.
    pub max_lag_us: u64,
    /// Wake-ups later than [`HOLD_LIMIT`].
    pub lags_over_limit: u64,
    /// The labels with the longest holds, longest first.
    pub longest: Vec<SiteHolds>,
}

/// Acquire times and labels of the connections out of the pool, keyed by their SQLite
/// handle, and what the holds came to.
#[derive(Debug, Default)]
pub(super) struct HoldMeter {
    out: Mutex<HashMap<usize, (Instant, &'static str)>>,
    sites: Mutex<HashMap<&'static str, SiteHolds>>,
    holds: AtomicU64,
    max_us: AtomicU64,
    over: AtomicU64,
    interrupted: AtomicU64,
    max_lag_us: AtomicU64,
    lags_over: AtomicU64,
}

/// The address of a connection's SQLite handle: what tells connections apart in the hooks.
async fn handle_of(conn: &mut SqliteConnection) -> Result<usize, sqlx::Error> {
    Ok(conn.lock_handle().await?.as_raw_handle().as_ptr() as usize)
}

impl HoldMeter {
    /// Notes that `conn` leaves the pool now (the pool's `before_acquire` and
    /// `after_connect` hooks).
    pub(super) async fn acquired(&self, conn: &mut SqliteConnection) -> Result<(), sqlx::Error> {
        let key = handle_of(conn).await?;
        if let Ok(mut out) = self.out.lock() {
            out.insert(key, (Instant::now(), current_site()));
        }
        Ok(())
    }

    /// Notes that `conn` came back (the pool's `after_release` hook), records the hold,
    /// and says whether the connection is still inside a transaction (SQLite's autocommit
    /// flag, read under the same lock of the handle: no extra statement).
    pub(super) async fn released(
        &self,
        conn: &mut SqliteConnection,
        _: PoolConnectionMetadata,
    ) -> Result<bool, sqlx::Error> {
        let (key, in_transaction) = {
            let mut handle = conn.lock_handle().await?;
            let raw = handle.as_raw_handle().as_ptr();
            // SAFETY: `raw` is this connection's open handle, locked for the call.
            let autocommit = unsafe { libsqlite3_sys::sqlite3_get_autocommit(raw) };
            (raw as usize, autocommit == 0)
        };
        let since = self.out.lock().ok().and_then(|mut out| out.remove(&key));
        if let Some((held, site)) = since.map(|(t, site)| (t.elapsed(), site)) {
            self.record(site, held);
        }
        Ok(in_transaction)
    }

    /// Counts one hold of `held` by `site`.
    fn record(&self, site: &'static str, held: Duration) {
        let us = u64::try_from(held.as_micros()).unwrap_or(u64::MAX);
        self.holds.fetch_add(1, Ordering::Relaxed);
        self.max_us.fetch_max(us, Ordering::Relaxed);
        if let Ok(mut sites) = self.sites.lock() {
            let entry = sites.entry(site).or_insert_with(|| SiteHolds {
                site,
                ..SiteHolds::default()
            });
            entry.add(us);
        }
        if held > HOLD_LIMIT {
            self.over.fetch_add(1, Ordering::Relaxed);
            tracing::debug!(
                held_ms = us / 1000,
                site,
                "a pooled connection was held over the limit"
            );
        }
    }

    /// Counts a task woken `late` after its time.
    fn lagged(&self, late: Duration) {
        let us = u64::try_from(late.as_micros()).unwrap_or(u64::MAX);
        self.max_lag_us.fetch_max(us, Ordering::Relaxed);
        if late > HOLD_LIMIT {
            self.lags_over.fetch_add(1, Ordering::Relaxed);
        }
    }

    fn stats(&self) -> HoldStats {
        let mut longest: Vec<SiteHolds> = self
            .sites
            .lock()
            .map(|s| s.values().cloned().collect())
            .unwrap_or_default();
        longest.sort_by(|a, b| b.max_hold_us.cmp(&a.max_hold_us).then(a.site.cmp(b.site)));
        longest.truncate(LONGEST);
        HoldStats {
            holds: self.holds.load(Ordering::Relaxed),
            max_hold_us: self.max_us.load(Ordering::Relaxed),
            over_limit: self.over.load(Ordering::Relaxed),
            interrupted: self.interrupted.load(Ordering::Relaxed),
            max_lag_us: self.max_lag_us.load(Ordering::Relaxed),
            lags_over_limit: self.lags_over.load(Ordering::Relaxed),
            longest,
        }
    }
}

/// A pooled connection whose statements SQLite stops once the store's read limit has passed
/// since it was taken. Dropping it disarms the handler, so the connection's next user (an
/// import's write, say) is never stopped by it.
pub(super) struct Bounded {
    conn: PoolConnection<Sqlite>,
    armed: Arc<AtomicBool>,
}

impl Bounded {
    /// The connection, to run statements on.
    pub(super) fn conn(&mut self) -> &mut SqliteConnection {
        &mut self.conn
    }
}

impl Drop for Bounded {
    fn drop(&mut self) {
        self.armed.store(false, Ordering::Relaxed);
    }
}

impl Store {
    /// A connection for a read that may be expensive (full-text queries over user words):
    /// SQLite stops its statements after [`Store::read_limit`], and they fail with
    /// [`StoreError::Interrupted`], which callers turn into fewer results and a note.
    /// `site` labels its hold (see [`at`]).
    pub(super) async fn bounded(
        &self,
        pool: &SqlitePool,
        site: &'static str,
    ) -> Result<Bounded, StoreError> {
        let mut conn = at(site, pool.acquire()).await?;
        let armed = Arc::new(AtomicBool::new(true));
        let deadline = Instant::now() + self.read_limit;
        let (flag, meter) = (armed.clone(), self.meter.clone());
        // A zero limit (tests) stops a statement at its very first step.
        let steps = if self.read_limit.is_zero() {
            1
        } else {
            PROGRESS_STEPS
        };
        conn.lock_handle()
            .await?
            .set_progress_handler(steps, move || {
                // A handler left on a connection after its read answers "go on".
                let go_on = !flag.load(Ordering::Relaxed) || Instant::now() < deadline;
                if !go_on {
                    meter.interrupted.fetch_add(1, Ordering::Relaxed);
                }
                go_on
            });
        Ok(Bounded { conn, armed })
    }

    /// A transaction for a bounded read on PostgreSQL: each of its statements stops after
    /// [`Store::read_limit`] (`statement_timeout`, local to the transaction, so the
    /// connection's next user is not bounded) and fails with [`StoreError::Interrupted`].
    /// The read only reads: dropping the transaction rolls it back.
    pub(super) async fn pg_bounded(
        &self,
        pool: &PgPool,
    ) -> Result<Transaction<'static, Postgres>, StoreError> {
        // 0 would mean "no limit" to PostgreSQL, and 1 ms lets a small read through: a zero
        // limit (tests) stops the read before its first statement, as on SQLite.
        if self.read_limit.is_zero() {
            return self.count_stopped(Err(StoreError::Interrupted));
        }
        let mut tx = pool.begin().await?;
        let ms = self.read_limit.as_millis().clamp(1, i32::MAX as u128);
        // SET takes no bind parameters; `ms` is a number.
        sqlx::query(&format!("SET LOCAL statement_timeout = {ms}"))
            .execute(&mut *tx)
            .await?;
        Ok(tx)
    }

    /// Passes `result` on, counting a read the database stopped (PostgreSQL's reads; the
    /// SQLite progress handler counts its own).
    pub(super) fn count_stopped<T>(&self, result: Result<T, StoreError>) -> Result<T, StoreError> {
        if matches!(result, Err(StoreError::Interrupted)) {
            self.meter.interrupted.fetch_add(1, Ordering::Relaxed);
        }
        result
    }

    /// The time limit of bounded reads ([`READ_LIMIT`] unless set otherwise).
    pub fn read_limit(&self) -> Duration {
        self.read_limit
    }

    /// The same store with another time limit for bounded reads (tests use a tiny one to
    /// see every full-text read stopped).
    pub fn with_read_limit(mut self, limit: Duration) -> Self {
        self.read_limit = limit;
        self
    }

    /// Measures, for as long as the store's pool lives, how late the runtime wakes a
    /// task that sleeps [`LAG_TICK`] at a time: the CPU starvation every hold suffers too.
    /// A server calls it once; the lag is 0 in [`HoldStats`] until then.
    pub fn watch_lag(&self) {
        let meter = Arc::downgrade(&self.meter);
        tokio::spawn(async move {
            loop {
                let start = Instant::now();
                tokio::time::sleep(LAG_TICK).await;
                let Some(meter) = meter.upgrade() else {
                    return;
                };
                meter.lagged(start.elapsed().saturating_sub(LAG_TICK));
            }
        });
    }

    /// How long pooled connections have been held so far (SQLite only: zero holds on
    /// PostgreSQL), and how many reads were stopped.
    pub fn hold_stats(&self) -> HoldStats {
        self.meter.stats()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A statement of about `n` virtual-machine steps per row counted, whatever the data.
    const COUNT_TO: &str = "WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c \
                            WHERE i < ?1) SELECT count(*) FROM c";

    async fn count_to(conn: &mut SqliteConnection, n: i64) -> Result<i64, StoreError> {
        Ok(sqlx::query_scalar(COUNT_TO).bind(n).fetch_one(conn).await?)
    }

    #[tokio::test]
    async fn bounded_reads_stop_at_their_limit_and_leave_the_connection_unbounded() {
        // One connection: what the bounded read leaves on it, the next user meets.
        let store = Store::open_in_memory()
            .await
            .unwrap()
            .with_read_limit(Duration::from_millis(5));
        let mut b = store.bounded(store.pool(), "test").await.unwrap();
        assert_eq!(count_to(b.conn(), 10).await.unwrap(), 10);
        let long = count_to(b.conn(), 100_000_000).await;
        assert!(matches!(long, Err(StoreError::Interrupted)), "{long:?}");
        drop(b);
        assert_eq!(store.hold_stats().interrupted, 1);
        // Well past the limit, on the same connection: no longer bounded.
        let mut conn = store.pool().acquire().await.unwrap();
        assert_eq!(count_to(&mut conn, 300_000).await.unwrap(), 300_000);
    }

    #[tokio::test]
    async fn a_connection_left_inside_a_transaction_comes_back_outside_it() {
        // One connection: the next acquire gets the very one given back.
        let store = Store::open_in_memory().await.unwrap();
        let mut conn = store.pool().acquire().await.unwrap();
        sqlx::query("BEGIN").execute(&mut *conn).await.unwrap();
        sqlx::query("CREATE TABLE left_open (x)")
            .execute(&mut *conn)
            .await
            .unwrap();
        drop(conn);
        let mut conn = store.pool().acquire().await.unwrap();
        // A second BEGIN inside an open transaction would fail; the table was rolled back.
        sqlx::query("BEGIN").execute(&mut *conn).await.unwrap();
        let tables: i64 =
            sqlx::query_scalar("SELECT count(*) FROM sqlite_master WHERE name = 'left_open'")
                .fetch_one(&mut *conn)
                .await
                .unwrap();
        assert_eq!(tables, 0);
        sqlx::query("COMMIT").execute(&mut *conn).await.unwrap();
    }

    /// The meter's entry for `site`, once the release hooks (on tasks of their own) ran.
    async fn site_stats(store: &Store, site: &str, holds: u64) -> SiteHolds {
        for _ in 0..100 {
            let found = store
                .hold_stats()
                .longest
                .into_iter()
                .find(|s| s.site == site && s.holds >= holds);
            if let Some(s) = found {
                return s;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        panic!("no {holds} holds labelled {site}: {:?}", store.hold_stats());
    }

    #[tokio::test]
    async fn holds_are_labelled_by_the_store_call_that_took_them() {
        let store = Store::open_in_memory().await.unwrap();
        store.article_count().await.unwrap();
        store.article_count().await.unwrap();
        let counted = site_stats(&store, "article_count", 2).await;
        assert_eq!(counted.over_limit, 0, "{counted:?}");
        // A long hold names its holder, and one taken outside any label is "other".
        let slow = at("slow_test_call", async {
            let conn = store.pool().acquire().await.unwrap();
            tokio::time::sleep(HOLD_LIMIT + Duration::from_millis(20)).await;
            drop(conn);
        });
        slow.await;
        let slow = site_stats(&store, "slow_test_call", 1).await;
        assert_eq!(slow.over_limit, 1, "{slow:?}");
        assert!(slow.max_hold_us >= 120_000, "{slow:?}");
        drop(store.pool().acquire().await.unwrap());
        site_stats(&store, UNLABELLED, 1).await;
        let stats = store.hold_stats();
        assert_eq!(stats.longest[0].site, "slow_test_call", "{stats:?}");
    }

    #[tokio::test]
    async fn the_lag_watcher_sees_a_blocked_runtime() {
        let store = Store::open_in_memory().await.unwrap();
        assert_eq!(store.hold_stats().max_lag_us, 0);
        store.watch_lag();
        tokio::time::sleep(LAG_TICK).await;
        // The only worker thread of this runtime busy for 150 ms: the watcher wakes late.
        std::thread::sleep(Duration::from_millis(150));
        for _ in 0..100 {
            if store.hold_stats().lags_over_limit > 0 {
                break;
            }
            tokio::time::sleep(LAG_TICK).await;
        }
        let stats = store.hold_stats();
        assert!(stats.lags_over_limit >= 1, "{stats:?}");
        assert!(stats.max_lag_us >= 100_000, "{stats:?}");
    }

    #[tokio::test]
    async fn holds_are_metered_acquire_to_release() {
        let store = Store::open_in_memory().await.unwrap();
        let before = store.hold_stats();
        store.article_count().await.unwrap();
        let conn = store.pool().acquire().await.unwrap();
        tokio::time::sleep(HOLD_LIMIT + Duration::from_millis(20)).await;
        drop(conn);
        // The release hook runs on its own task.
        for _ in 0..100 {
            if store.hold_stats().over_limit > before.over_limit {
                break;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        let after = store.hold_stats();
        assert!(after.holds >= before.holds + 2, "{after:?}");
        assert_eq!(after.over_limit, before.over_limit + 1, "{after:?}");
        assert!(after.max_hold_us >= 120_000, "{after:?}");
    }
}
