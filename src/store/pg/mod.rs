//! The PostgreSQL side of the store: connecting and migrating, and the queries whose SQL
//! differs from SQLite's (bulk writes through `UNNEST` arrays, id lists as `= ANY($1)`,
//! full-text search with tsvector). Queries the backends share stay in the parent modules.

mod articles;
mod search;

pub(super) use articles::{articles_between, summaries, write_articles};
pub(super) use search::{
    catalogue_ids, result_rows, search, search_documents, search_ids, term_documents,
};

use super::{ArticleProduct, EventQuote, StoreError};
use crate::kb::{ArticleId, Diagnosis};
use flate2::read::DeflateDecoder;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::{Connection, Executor, PgConnection, PgPool, Row};
use std::io::Read;
use std::str::FromStr;
use std::time::Duration;

/// Connections per server: a few servers share one PostgreSQL, whose default is 100.
const MAX_CONNECTIONS: u32 = 16;
/// How long a request waits for a connection before it fails (a 503) rather than hang
/// while the database is away.
const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(5);

/// Connects to `url`, checks that the database answers, and migrates it.
pub(super) async fn connect(url: &str) -> Result<PgPool, StoreError> {
    let shown = redact(url);
    let options = PgConnectOptions::from_str(url).map_err(|e| StoreError::OpenUrl {
        url: shown.clone(),
        reason: short_reason(&e),
    })?;
    // One connection first, for the real reason when it fails: the pool would retry until
    // its timeout and report only that.
    let first = PgConnection::connect_with(&options)
        .await
        .map_err(|e| StoreError::OpenUrl {
            url: shown.clone(),
            reason: short_reason(&e),
        })?;
    let _ = first.close().await;
    let pool = PgPoolOptions::new()
        .max_connections(MAX_CONNECTIONS)
        .acquire_timeout(ACQUIRE_TIMEOUT)
        // A connection that saw the server go away is dropped, not handed out again.
        .test_before_acquire(true)
        .after_release(|conn, _| Box::pin(out_of_transaction(conn)))
        .connect_with(options)
        .await
        .map_err(|e| StoreError::OpenUrl {
            url: shown.clone(),
            reason: short_reason(&e),
        })?;
    // sqlx's migrator holds pg_advisory_lock while it runs: servers starting at once
    // migrate one after the other, the later ones finding nothing to do.
    sqlx::migrate!("./migrations/postgres")
        .run(&pool)
        .await
        .map_err(|e| StoreError::OpenUrl {
            url: shown,
            reason: format!("cannot migrate: {e}"),
        })?;
    Ok(pool)
}

/// Tries at most this many times to end what a released connection left open.
const RELEASE_TRIES: usize = 4;

/// Brings a connection coming back to the pool out of any transaction, so that nothing a
/// request set inside one (a bounded read's `SET LOCAL statement_timeout`) reaches the
/// connection's next user; `false` (the pool then closes it) when that fails.
///
/// Why not leave it to sqlx: a dropped transaction queues its `ROLLBACK`, which the pool's
/// release test sends. That `ROLLBACK` still runs under the read's `statement_timeout`, and
/// on a loaded machine the short wall-clock limit can stop even it; so can a read whose
/// request went away mid-statement. The release test then fails and the pool drops the
/// connection, one reconnect per such read. Here each stopped statement's error is read
/// off and the transaction ended again until the connection is idle.
async fn out_of_transaction(conn: &mut PgConnection) -> Result<bool, sqlx::Error> {
    for _ in 0..RELEASE_TRIES {
        // Inside a transaction `now()` is its start; alone, this statement's own (a simple
        // query: the extended protocol's Bind would restart the statement's clock).
        let idle = conn
            .fetch_one("SELECT now() = statement_timestamp()")
            .await
            .and_then(|row| row.try_get::<bool, _>(0));
        match idle {
            Ok(true) => return Ok(true),
            Ok(false) => {}
            Err(e) if ends_with_rollback(&e) => {}
            Err(e) => return Err(e),
        }
        if let Err(e) = sqlx::query("ROLLBACK").execute(&mut *conn).await
            && !ends_with_rollback(&e)
        {
            return Err(e);
        }
    }
    Ok(false)
}

/// A statement stopped by `statement_timeout` (57014) or refused in a failed transaction
/// (25P02): what a `ROLLBACK` cures.
fn ends_with_rollback(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Database(db) if matches!(db.code().as_deref(), Some("57014" | "25P02")))
}

/// The URL with any password replaced, for messages and logs.
pub(crate) fn redact(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    // The userinfo ends at the last '@' before the host; a password may hold ':' too.
    let host_start = rest.find('/').unwrap_or(rest.len());
    match rest[..host_start].rfind('@') {
        Some(at) => {
            let user = rest[..at].split(':').next().unwrap_or("");
            format!("{scheme}://{user}:***@{}", &rest[at + 1..])
        }
        None => url.to_string(),
    }
}

/// One line a person can act on, from a connection error.
fn short_reason(e: &sqlx::Error) -> String {
    match e {
        sqlx::Error::Database(db) => match db.code().as_deref() {
            Some("28P01") => "password authentication failed".into(),
            Some("28000") => format!("access refused: {}", db.message()),
            Some("3D000") => format!("{} (create it first: createdb)", db.message()),
            _ => db.message().to_string(),
        },
        sqlx::Error::Io(io) => format!("cannot reach the server: {io}"),
        sqlx::Error::PoolTimedOut => "timed out connecting to the server".into(),
        sqlx::Error::Configuration(c) => format!("not a valid PostgreSQL URL: {c}"),
        other => other.to_string(),
    }
}

/// Article numbers as PostgreSQL binds them (`bigint[]`).
pub(super) fn id_array(ids: &[ArticleId]) -> Vec<i64> {
    ids.iter().map(|id| i64::from(id.0)).collect()
}

/// See [`super::Store::article_products`].
pub(super) async fn article_products(
    pool: &PgPool,
    ids: &[ArticleId],
) -> Result<Vec<ArticleProduct>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT id, product, versions, applies_to FROM articles WHERE id = ANY($1) ORDER BY id",
    )
    .bind(id_array(ids))
    .fetch_all(pool)
    .await?)
}

/// See [`super::Store::event_quotes`].
pub(super) async fn event_quotes(
    pool: &PgPool,
    event_id: i64,
    ids: &[ArticleId],
) -> Result<Vec<EventQuote>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT article_id, source, source_key, description FROM events \
         WHERE event_id = $1 AND article_id = ANY($2) ORDER BY article_id, ord",
    )
    .bind(event_id)
    .bind(id_array(ids))
    .fetch_all(pool)
    .await?)
}

/// See [`super::Store::diagnosis`]: PostgreSQL keeps each diagnosis as a JSON row.
pub(super) async fn diagnosis(
    pool: &PgPool,
    id: ArticleId,
) -> Result<Option<Diagnosis>, StoreError> {
    let body: Option<String> =
        sqlx::query_scalar("SELECT body FROM diagnoses WHERE article_id = $1")
            .bind(i64::from(id.0))
            .fetch_optional(pool)
            .await?;
    Ok(match body {
        Some(b) => Some(serde_json::from_str(&b)?),
        None => None,
    })
}

/// See [`super::Store::article_source`]: PostgreSQL keeps the original text deflated on
/// its own row.
pub(super) async fn article_source(
    pool: &PgPool,
    id: ArticleId,
) -> Result<Option<String>, StoreError> {
    let gz: Option<Vec<u8>> =
        sqlx::query_scalar("SELECT text_gz FROM article_sources WHERE article_id = $1")
            .bind(i64::from(id.0))
            .fetch_optional(pool)
            .await?;
    let Some(gz) = gz else {
        return Ok(None);
    };
    let mut text = String::new();
    DeflateDecoder::new(gz.as_slice())
        .read_to_string(&mut text)
        .map_err(|e| StoreError::Corrupt(format!("the stored text of {id}: {e}")))?;
    Ok(Some(text))
}

#[cfg(test)]
mod tests {
    use super::redact;
    use crate::store::{Db, Store, StoreError};
    use sqlx::{Connection, PgConnection, PgPool};
    use std::time::Duration;

    /// A store over a fresh database on `KBFIX_TEST_PG` (as `.ci/run` sets it), or `None`
    /// with a note when it is not set.
    async fn fresh_store() -> Option<(Store, PgPool)> {
        let Ok(server) = std::env::var("KBFIX_TEST_PG") else {
            eprintln!("note: KBFIX_TEST_PG is not set; skipping a PostgreSQL test");
            return None;
        };
        let server = server.trim_end_matches('/');
        let name = format!("kbfix_u{}_{}", std::process::id(), line!());
        let mut admin = PgConnection::connect(&format!("{server}/postgres"))
            .await
            .unwrap();
        for sql in [
            format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"),
            format!("CREATE DATABASE {name}"),
        ] {
            sqlx::query(&sql).execute(&mut admin).await.unwrap();
        }
        let store = Store::open_postgres(&format!("{server}/{name}"))
            .await
            .unwrap();
        let Db::Pg(pool) = &store.db else {
            unreachable!()
        };
        let pool = pool.clone();
        Some((store, pool))
    }

    /// The `statement_timeout` of every connection in the pool, and whether a statement
    /// past the read limit runs to its end on each.
    async fn every_connection(pool: &PgPool) -> Vec<(i32, String, bool)> {
        let mut conns = Vec::new();
        while conns.len() < pool.size() as usize {
            conns.push(pool.acquire().await.unwrap());
        }
        let mut seen = Vec::new();
        for conn in &mut conns {
            seen.push(unbounded(conn).await);
        }
        seen
    }

    async fn unbounded(conn: &mut PgConnection) -> (i32, String, bool) {
        let pid = backend(conn).await;
        let timeout = sqlx::query_scalar("SHOW statement_timeout")
            .fetch_one(&mut *conn)
            .await
            .unwrap();
        // Unbounded: a statement well past the read limit runs to its end.
        let slept = sqlx::query("SELECT pg_sleep(0.1)")
            .execute(&mut *conn)
            .await;
        (pid, timeout, slept.is_ok())
    }

    async fn backend(conn: &mut PgConnection) -> i32 {
        sqlx::query_scalar("SELECT pg_backend_pid()")
            .fetch_one(conn)
            .await
            .unwrap()
    }

    /// Waits for the pool's release task to give back every connection.
    async fn settled(pool: &PgPool) {
        for _ in 0..100 {
            if pool.num_idle() == pool.size() as usize {
                return;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }

    #[tokio::test]
    async fn a_bounded_reads_timeout_stays_with_its_read() {
        let Some((store, pool)) = fresh_store().await else {
            return;
        };
        assert!(
            every_connection(&pool)
                .await
                .iter()
                .all(|(_, t, _)| t == "0")
        );
        // A read that answers, one the timeout stops, and one whose request went away
        // mid-statement (its future dropped, the statement still running on the server).
        for case in ["answers", "stopped", "abandoned"] {
            let mut tx = store.pg_bounded(&pool).await.unwrap();
            let used = backend(&mut tx).await;
            let read = match case {
                "answers" => sqlx::query("SELECT 1").execute(&mut *tx).await.map(drop),
                "stopped" => sqlx::query("SELECT pg_sleep(1)")
                    .execute(&mut *tx)
                    .await
                    .map(drop),
                _ => {
                    // Prepared first, so that the cut falls while it runs on the server
                    // (which stops it at the read limit and sends the error back).
                    sqlx::query("SELECT pg_sleep($1)")
                        .bind(0.0)
                        .execute(&mut *tx)
                        .await
                        .unwrap();
                    let sleep = sqlx::query("SELECT pg_sleep($1)")
                        .bind(1.0)
                        .execute(&mut *tx);
                    let cut = tokio::time::timeout(Duration::from_millis(20), sleep).await;
                    assert!(
                        cut.is_err(),
                        "{case}: the statement ended before it was cut"
                    );
                    Ok(())
                }
            };
            let read = read.map_err(StoreError::from);
            assert_eq!(
                matches!(read, Err(StoreError::Interrupted)),
                case == "stopped",
                "{case}: {read:?}"
            );
            drop(tx);
            settled(&pool).await;
            // The read's connection kept (not closed for a failed release test), and no
            // connection bounded.
            let seen = every_connection(&pool).await;
            assert!(seen.iter().any(|c| c.0 == used), "{case}: closed; {seen:?}");
            for (_, timeout, ran) in seen {
                assert_eq!((timeout.as_str(), ran), ("0", true), "{case}");
            }
        }
    }

    #[test]
    fn redact_hides_only_the_password() {
        let cases = [
            (
                "postgres://kb:s3cr:et@db.local:5432/kb",
                "postgres://kb:***@db.local:5432/kb",
            ),
            ("postgres://kb@db/kb", "postgres://kb:***@db/kb"),
            ("postgres://db/kb", "postgres://db/kb"),
            (
                "postgresql://u:p@h/d?sslmode=require",
                "postgresql://u:***@h/d?sslmode=require",
            ),
        ];
        for (url, want) in cases {
            assert_eq!(redact(url), want, "{url}");
        }
    }
}
