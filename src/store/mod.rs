//! The SQLite store: the only place SQL lives. Opening, migrating, and typed queries.

mod articles;
mod browse;
mod diagnoses;
mod error;
mod events;
mod packed;
mod queue;
mod search;
mod sessions;
mod write;

pub use articles::{ArchiveStats, ArticleRow, ExistingArticle, StoredArticle, Summary};
pub use browse::{CategoryCount, DatedSummary, KindCount};
pub use error::StoreError;
pub use events::{
    ArticleProduct, EventArticle, EventCandidate, EventIdCount, EventQuote, SourceCount,
};
pub use packed::Packed;
pub use search::{
    MARK_END, MARK_START, ResultRow, SearchDocRow, SearchFilters, SearchHit, SearchPage, fts_query,
};
pub use sessions::{
    Advance, LabelCount, NewSession, NewStep, ResolutionCount, SessionRow, StepRow,
};
pub use write::{ImportedArticle, WriteOutcome};

use sqlx::SqlitePool;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use std::path::Path;
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

/// A handle on the database: a connection pool, cheap to clone.
#[derive(Clone, Debug)]
pub struct Store {
    pool: SqlitePool,
    /// Held by every write transaction this process starts: writers queue here, in order,
    /// instead of polling for SQLite's lock in its busy handler (which sleeps up to 100 ms
    /// a try). Another process's writer (an import beside the server) still meets the
    /// busy handler.
    writer: Arc<tokio::sync::Mutex<()>>,
    /// Session writes waiting for the writer's turn (`queue`).
    pending: queue::Pending,
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
            .pragma("cache_size", "-32000");
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
        let pool = SqlitePoolOptions::new()
            .max_connections(max)
            .min_connections(1)
            .acquire_timeout(Duration::from_secs(30))
            // A connection must come back to the pool outside any transaction, whatever
            // happened to the request that used it; ending one that is not open fails
            // harmlessly.
            .after_release(|conn, _| {
                Box::pin(async move {
                    let _ = sqlx::query("ROLLBACK").execute(&mut *conn).await;
                    Ok(true)
                })
            })
            .connect_with(options)
            .await?;
        sqlx::migrate!("./migrations").run(&pool).await?;
        Ok(Self {
            pool,
            writer: Arc::default(),
            pending: queue::Pending::default(),
        })
    }

    /// The underlying pool, for the domain modules that keep their own tables in `store`.
    pub fn pool(&self) -> &SqlitePool {
        &self.pool
    }

    /// Closes every connection, checkpointing the WAL.
    pub async fn close(&self) {
        self.pool.close().await;
    }
}
