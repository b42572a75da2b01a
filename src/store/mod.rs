//! The store: the only place SQL lives. Opening, migrating, and typed queries, over SQLite
//! (one file, the embedded default) or PostgreSQL (shared by any number of servers).
//!
//! One `Store` type hides which database it talks to: the domain code calls its methods and
//! never sees a pool. Inside, [`Db`] is an enum of the two pools and each method picks its
//! arm. Why not sqlx's `Any` driver: it decodes only a few primitive types (no `FromRow`
//! structs with `try_from`, no `bool` on SQLite's integers, no `BYTEA`/`tsvector`), and it
//! would hide the places the dialects differ. Instead a query the two share is written once
//! with `$1`-style parameters (sqlx's SQLite driver binds `$N` by number too) and run on
//! either pool by [`on_pool!`], which expands the same expression once per backend; the
//! queries that differ (bulk writes, full-text search, JSON lists) live side by side, the
//! PostgreSQL ones in [`pg`].

/// Runs the same query expression on whichever pool the store holds: `$pool` is bound to
/// a `&SqlitePool` or a `&PgPool` and `$body` is type-checked for each. With a `$site`
/// name first, the connections it takes are held under that label in the hold meter
/// (`bounded::at`); `$body` then must not use `?` or `return` (it runs in an async block).
macro_rules! on_pool {
    ($store:expr, $site:literal, |$pool:ident| $body:expr) => {
        $crate::store::bounded::at($site, async { on_pool!($store, |$pool| $body) }).await
    };
    ($store:expr, |$pool:ident| $body:expr) => {
        match &$store.db {
            $crate::store::Db::Sqlite($pool) => $body,
            $crate::store::Db::Pg($pool) => $body,
        }
    };
}

mod articles;
mod bounded;
mod browse;
mod cache;
mod deferred;
mod diagnoses;
mod error;
mod events;
mod generation;
mod packed;
mod pg;
mod queue;
mod resolutions;
mod search;
mod sessions;
mod staff;
mod words;
mod write;

pub use articles::{ArchiveStats, ArticleRow, ExistingArticle, StoredArticle, Summary};
pub use bounded::{HOLD_LIMIT, HoldStats, READ_LIMIT, SiteHolds};
pub use browse::{CategoryCount, DatedSummary, KindCount};
pub use cache::CachedArticle;
pub use error::StoreError;
pub use events::{
    ArticleProduct, EventArticle, EventCandidate, EventIdCount, EventQuote, SourceCount,
};
pub use packed::Packed;
pub use search::{
    MARK_END, MARK_START, ResultRow, SearchDocRow, SearchFilters, SearchHit, SearchPage, fts_query,
};
pub use sessions::{
    Advance, GiveUpCount, Handoff, LabelCount, NewSession, NewStep, ResolutionCount, SessionRow,
    StepRow,
};
pub use words::{GiveUp, Origin, Outcome, StepKind};
pub use write::{ImportedArticle, WriteOutcome};

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{PgPool, SqlitePool};
use std::path::Path;
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

/// A handle on the database: a connection pool, cheap to clone.
#[derive(Clone, Debug)]
pub struct Store {
    db: Db,
    /// How long a bounded read may run (see [`bounded`]).
    read_limit: Duration,
    /// Connection holds (SQLite pools only) and stopped reads (both backends).
    meter: Arc<bounded::HoldMeter>,
    /// Held by every write transaction this process starts: writers queue here, in order,
    /// instead of polling for SQLite's lock in its busy handler (which sleeps up to 100 ms
    /// a try). Another process's writer (an import beside the server) still meets the
    /// busy handler.
    writer: Arc<tokio::sync::Mutex<()>>,
    /// Session writes waiting for the writer task (`queue`).
    sessions: Arc<queue::Queue<queue::SessionWrite>>,
    /// Past resolutions by event key, read once a while (`resolutions`).
    resolutions: Arc<resolutions::ResolutionCache>,
    /// Articles decoded once, for this generation of the archive (`cache`).
    cache: Arc<cache::ArticleCache>,
    /// The archive's generation as last learnt, and its watcher (`generation`).
    generations: Arc<generation::Generations>,
}

/// The pool behind a store, one arm per backend.
#[derive(Clone, Debug)]
pub(crate) enum Db {
    /// A SQLite file (or memory).
    Sqlite(SqlitePool),
    /// A PostgreSQL database.
    Pg(PgPool),
}

/// How to name the database `db` in messages: the path, or the URL without its password.
pub fn describe(db: &Path) -> String {
    match postgres_url(db) {
        Some(url) => pg::redact(url),
        None => db.display().to_string(),
    }
}

/// Opening a write transaction, the way each backend wants it.
pub(crate) trait BeginWrite {
    /// The backend.
    type Db: sqlx::Database;
    /// Begins a transaction that will write.
    async fn begin_write(&self) -> Result<sqlx::Transaction<'static, Self::Db>, sqlx::Error>;
}

impl BeginWrite for SqlitePool {
    type Db = sqlx::Sqlite;
    async fn begin_write(&self) -> Result<sqlx::Transaction<'static, Self::Db>, sqlx::Error> {
        // IMMEDIATE takes the write lock up front, waiting for it under busy_timeout, rather
        // than fail beside a running import when a read inside turns into a write.
        self.begin_with("BEGIN IMMEDIATE").await
    }
}

impl BeginWrite for PgPool {
    type Db = sqlx::Postgres;
    async fn begin_write(&self) -> Result<sqlx::Transaction<'static, Self::Db>, sqlx::Error> {
        // Row locks order concurrent writers; nothing to take up front.
        self.begin().await
    }
}

/// The PostgreSQL URL `db` names, when it names one (`postgres://` or `postgresql://`);
/// anything else is a SQLite file path.
pub fn postgres_url(db: &Path) -> Option<&str> {
    let s = db.to_str()?;
    (s.starts_with("postgres://") || s.starts_with("postgresql://")).then_some(s)
}

impl Store {
    /// Opens (creating if missing) the database file at `path`, in WAL mode with foreign keys on,
    /// and brings its schema up to date.
    pub async fn open(path: &Path) -> Result<Self, StoreError> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty())
            && !dir.is_dir()
        {
            // A file where the directory should be (`notes.txt/kbfix.db`) is its own mistake.
            return Err(if dir.exists() {
                StoreError::NotADirectory(dir.to_path_buf())
            } else {
                StoreError::MissingDir(dir.to_path_buf())
            });
        }
        let options = SqliteConnectOptions::new()
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            // A concurrent import holds the write lock for one batch at a time; wait for it.
            .busy_timeout(Duration::from_secs(30))
            // SQLite's own default, said here because it bounds the server's memory: 2 MB
            // per pooled connection, reads finding the rest in the system's file cache (a
            // larger cache per connection held much memory under load and sped nothing
            // measurable).
            .pragma("cache_size", "-2000");
        Self::connect(options, 8)
            .await
            .map_err(|e| StoreError::open(path, e))
    }

    /// Opens a private in-memory database (for tests and one-off tools).
    pub async fn open_in_memory() -> Result<Self, StoreError> {
        let options = SqliteConnectOptions::from_str("sqlite::memory:")
            .map_err(StoreError::Sqlx)?
            .foreign_keys(true);
        // One connection: every connection to :memory: would be a database of its own.
        Self::connect(options, 1).await
    }

    async fn connect(options: SqliteConnectOptions, max: u32) -> Result<Self, StoreError> {
        let meter = Arc::new(bounded::HoldMeter::default());
        let (on_connect, on_acquire, on_release) = (meter.clone(), meter.clone(), meter.clone());
        let pool = SqlitePoolOptions::new()
            .max_connections(max)
            .min_connections(1)
            .acquire_timeout(Duration::from_secs(30))
            // Every hold is metered, acquire to release: a new connection is handed out
            // straight after connecting, an idle one after this check.
            .after_connect(move |conn, _| {
                let meter = on_connect.clone();
                Box::pin(async move { meter.acquired(conn).await })
            })
            .before_acquire(move |conn, _| {
                let meter = on_acquire.clone();
                Box::pin(async move { meter.acquired(conn).await.map(|()| true) })
            })
            // A connection must come back to the pool outside any transaction, whatever
            // happened to the request that used it (a read cancelled between its own
            // `BEGIN` and `COMMIT` would otherwise pin an old snapshot and hold back WAL
            // checkpoints). sqlx's own transactions queue their rollback when dropped, so
            // this `ROLLBACK` runs only when SQLite says one is still open: not a
            // statement on every release.
            .after_release(move |conn, meta| {
                let meter = on_release.clone();
                Box::pin(async move {
                    if meter.released(conn, meta).await.unwrap_or(true) {
                        let _ = sqlx::query("ROLLBACK").execute(&mut *conn).await;
                    }
                    Ok(true)
                })
            })
            .connect_with(options)
            .await?;
        sqlx::migrate!("./migrations").run(&pool).await?;
        Ok(Self {
            db: Db::Sqlite(pool),
            read_limit: bounded::READ_LIMIT,
            meter,
            writer: Arc::default(),
            sessions: Arc::default(),
            resolutions: Arc::default(),
            cache: Arc::default(),
            generations: Arc::default(),
        })
    }

    /// Opens the database `db` names: a PostgreSQL URL (see [`postgres_url`]) or a SQLite
    /// file path.
    pub async fn open_any(db: &Path) -> Result<Self, StoreError> {
        match postgres_url(db) {
            Some(url) => Self::open_postgres(url).await,
            None => Self::open(db).await,
        }
    }

    /// Connects to the PostgreSQL database at `url` and brings its schema up to date (under
    /// an advisory lock, so servers starting together migrate once).
    pub async fn open_postgres(url: &str) -> Result<Self, StoreError> {
        let pool = pg::connect(url).await?;
        // The hold meter's hooks key connections by their SQLite handle, so a PostgreSQL
        // pool is not metered: its `hold_stats` count only the reads stopped by
        // `statement_timeout` (see `bounded`).
        Ok(Self {
            db: Db::Pg(pool),
            read_limit: bounded::READ_LIMIT,
            meter: Arc::default(),
            writer: Arc::default(),
            sessions: Arc::default(),
            resolutions: Arc::default(),
            cache: Arc::default(),
            generations: Arc::default(),
        })
    }

    /// Whether this store is on PostgreSQL (several servers may share it).
    pub fn is_shared(&self) -> bool {
        matches!(self.db, Db::Pg(_))
    }

    /// The SQLite pool, for tests and tools that inspect the file's tables directly.
    ///
    /// # Panics
    /// On a PostgreSQL store: such callers are SQLite-only by nature.
    pub fn pool(&self) -> &SqlitePool {
        match &self.db {
            Db::Sqlite(pool) => pool,
            Db::Pg(_) => panic!("Store::pool is the SQLite pool; this store is PostgreSQL"),
        }
    }

    /// Checks that the database answers (for `/healthz`).
    pub async fn ping(&self) -> Result<(), StoreError> {
        on_pool!(self, "ping", |pool| sqlx::query("SELECT 1")
            .execute(pool)
            .await
            .map(drop))?;
        Ok(())
    }

    /// The same pool with a generation of its own, for the generation watcher: a clone
    /// would keep the shared one alive.
    fn clone_without_generations(&self) -> Self {
        Self {
            generations: Arc::default(),
            ..self.clone()
        }
    }

    /// Copies the whole WAL into the database file and truncates it to nothing (SQLite;
    /// nothing to do on PostgreSQL), waiting up to the busy timeout for readers on older
    /// snapshots. After an import the WAL was left at hundreds of megabytes until the next
    /// checkpoint that found no reader (issue 26). Returns whether it completed.
    pub async fn checkpoint_truncate(&self) -> Result<bool, StoreError> {
        let Db::Sqlite(pool) = &self.db else {
            return Ok(true);
        };
        let _turn = self.writer.lock().await;
        // (busy, WAL frames, frames checkpointed): busy 1 when a reader held it back.
        let (busy, _, _): (i64, i64, i64) = sqlx::query_as("PRAGMA wal_checkpoint(TRUNCATE)")
            .fetch_one(pool)
            .await?;
        Ok(busy == 0)
    }

    /// Closes every connection (on SQLite, checkpointing the WAL), the session writer's
    /// after writing what is queued.
    pub async fn close(&self) {
        self.sessions.close().await;
        on_pool!(self, |pool| pool.close().await);
    }
}
