//! The store's error type.

use std::path::{Path, PathBuf};

/// What can go wrong talking to the database.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The directory that should hold the database file does not exist.
    #[error("cannot open the database: directory {0} does not exist")]
    MissingDir(PathBuf),
    /// What should be the database file's directory is a file.
    #[error("cannot open the database: {0} is not a directory")]
    NotADirectory(PathBuf),
    /// The database file could not be opened or is not a database.
    #[error("cannot open the database {path}: {reason}")]
    Open {
        /// The database file.
        path: PathBuf,
        /// A short human reason.
        reason: String,
    },
    /// The PostgreSQL database could not be reached, logged into or migrated.
    #[error("cannot open the database {url}: {reason}")]
    OpenUrl {
        /// The URL, its password hidden.
        url: String,
        /// A short human reason.
        reason: String,
    },
    /// The schema could not be brought up to date.
    #[error("cannot migrate the database: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// A query failed.
    #[error("database error: {0}")]
    Sqlx(sqlx::Error),
    /// A bounded read ran past its time limit and the database stopped it (see
    /// `store::bounded`).
    #[error("a database read ran past its time limit and was stopped")]
    Interrupted,
    /// A JSON column held something that does not decode.
    #[error("corrupt stored JSON: {0}")]
    Json(#[from] serde_json::Error),
    /// A stored value (other than JSON) does not decode.
    #[error("corrupt stored data: {0}")]
    Corrupt(String),
    /// A write running on its own task stopped before finishing.
    #[error("a database write stopped: {0}")]
    Task(#[from] tokio::task::JoinError),
}

impl From<sqlx::Error> for StoreError {
    fn from(e: sqlx::Error) -> Self {
        match &e {
            // SQLITE_INTERRUPT: the progress handler of a bounded read said stop.
            // 57014 (query_canceled): PostgreSQL's statement_timeout did, on a bounded read.
            sqlx::Error::Database(db) if matches!(db.code().as_deref(), Some("9" | "57014")) => {
                StoreError::Interrupted
            }
            // A stored word its type does not know (`words`), or a value of the wrong type:
            // the data is wrong, not the database.
            sqlx::Error::ColumnDecode { index, source } => {
                StoreError::Corrupt(format!("column {index}: {source}"))
            }
            _ => StoreError::Sqlx(e),
        }
    }
}

impl StoreError {
    /// Whether the database is away (unreachable, restarting, out of connections) rather
    /// than the request wrong: worth a 503 and a retry, and the pool reconnects by itself
    /// once it is back.
    pub fn is_unavailable(&self) -> bool {
        let StoreError::Sqlx(e) = self else {
            return false;
        };
        match e {
            sqlx::Error::Io(_)
            | sqlx::Error::PoolTimedOut
            | sqlx::Error::PoolClosed
            | sqlx::Error::WorkerCrashed => true,
            // PostgreSQL's connection exceptions (class 08) and shutdown / starting-up.
            sqlx::Error::Database(db) => db
                .code()
                .is_some_and(|c| c.starts_with("08") || matches!(&*c, "57P01" | "57P02" | "57P03")),
            _ => false,
        }
    }

    /// Wraps an error met while opening `path` with a reason a person can act on.
    pub(crate) fn open(path: &Path, err: StoreError) -> StoreError {
        let reason = match &err {
            StoreError::Sqlx(sqlx::Error::Database(db)) => match db.code().as_deref() {
                Some("26") => {
                    "the file is not a SQLite database (corrupt or another format)".into()
                }
                Some("14") => {
                    "unable to open the file (check the directory exists and is writable)".into()
                }
                Some("8") => "the file or its directory is read-only".into(),
                Some("11") => "the database file is corrupt".into(),
                _ => db.message().to_string(),
            },
            StoreError::Sqlx(e) => e.to_string(),
            StoreError::Migrate(sqlx::migrate::MigrateError::Execute(sqlx::Error::Database(
                db,
            ))) if db.code().as_deref() == Some("26") => {
                "the file is not a SQLite database (corrupt or another format)".into()
            }
            other => other.to_string(),
        };
        StoreError::Open {
            path: path.to_path_buf(),
            reason,
        }
    }
}
