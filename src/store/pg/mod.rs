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
use sqlx::{Connection, PgConnection, PgPool};
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
