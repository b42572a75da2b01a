//! Bounded work on the pool: a SQLite progress handler stops a read that runs past its time
//! limit, and a meter records how long each pooled connection is held (acquire to release),
//! so that the bound can be checked under load rather than assumed.
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

/// How long a bounded read may run before SQLite stops it: half the hold limit, leaving
/// room for the acquire, the pool's ping and the release.
pub const READ_LIMIT: Duration = Duration::from_millis(50);
/// The longest any query should hold a pooled connection; longer holds are counted and
/// logged.
pub const HOLD_LIMIT: Duration = Duration::from_millis(100);
/// Virtual-machine steps between two looks at the clock.
const PROGRESS_STEPS: i32 = 1000;

/// What the meter has seen since the store was opened.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct HoldStats {
    /// Connections handed out and given back.
    pub holds: u64,
    /// The longest hold, in microseconds.
    pub max_hold_us: u64,
    /// Holds longer than [`HOLD_LIMIT`].
    pub over_limit: u64,
    /// Bounded reads SQLite stopped at their time limit.
    pub interrupted: u64,
}

/// Acquire times of the connections out of the pool, keyed by their SQLite handle.
#[derive(Debug, Default)]
pub(super) struct HoldMeter {
    out: Mutex<HashMap<usize, Instant>>,
    holds: AtomicU64,
    max_us: AtomicU64,
    over: AtomicU64,
    interrupted: AtomicU64,
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
            out.insert(key, Instant::now());
        }
        Ok(())
    }

    /// Notes that `conn` came back (the pool's `after_release` hook) and records the hold.
    pub(super) async fn released(&self, conn: &mut SqliteConnection, _: PoolConnectionMetadata) {
        let Ok(key) = handle_of(conn).await else {
            return;
        };
        let since = self.out.lock().ok().and_then(|mut out| out.remove(&key));
        let Some(held) = since.map(|t| t.elapsed()) else {
            return;
        };
        let us = u64::try_from(held.as_micros()).unwrap_or(u64::MAX);
        self.holds.fetch_add(1, Ordering::Relaxed);
        self.max_us.fetch_max(us, Ordering::Relaxed);
        if held > HOLD_LIMIT {
            self.over.fetch_add(1, Ordering::Relaxed);
            tracing::debug!(
                held_ms = us / 1000,
                "a pooled connection was held over the limit"
            );
        }
    }

    fn stats(&self) -> HoldStats {
        HoldStats {
            holds: self.holds.load(Ordering::Relaxed),
            max_hold_us: self.max_us.load(Ordering::Relaxed),
            over_limit: self.over.load(Ordering::Relaxed),
            interrupted: self.interrupted.load(Ordering::Relaxed),
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
    pub(super) async fn bounded(&self, pool: &SqlitePool) -> Result<Bounded, StoreError> {
        let mut conn = pool.acquire().await?;
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
        let mut b = store.bounded(store.pool()).await.unwrap();
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
