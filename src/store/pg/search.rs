//! Full-text search on PostgreSQL: the weighted `tsvector` of `article_text` (title A,
//! symptoms B, the rest C) under a GIN index, queried with `to_tsquery('english', …)`,
//! ranked with `ts_rank` and cut into snippets by `ts_headline`.
//!
//! The callers hand over the FTS5 query [`fts_query`](super::super::fts_query) builds
//! (quoted words joined by spaces or `OR`); [`tsquery`] turns it into the same query in
//! tsquery syntax, so the matcher and the wizard need not know which engine answers. The
//! search pages rank in the search module's in-memory index on either backend; it reads
//! its documents from `article_text` here through [`search_documents`].

use super::super::{
    MARK_END, MARK_START, ResultRow, SearchDocRow, SearchFilters, SearchHit, SearchPage,
};
use super::{StoreError, id_array};
use crate::kb::ArticleId;
use sqlx::{PgConnection, PgPool};
use std::collections::HashSet;

/// ts_rank's weights for D, C, B, A: body 1, symptoms 4, title 10, as FTS5's bm25 has them.
const WEIGHTS: &str = "'{0.1, 0.1, 0.4, 1.0}'";
/// Characters of the body read for a snippet (as on SQLite).
const SNIPPET_SOURCE: i64 = 6000;

/// The tsquery of an FTS5 query of quoted words: `"a" "b"` → `a & b`, `"a" OR "b"` →
/// `a | b`, a quoted group of several words a phrase (`a <-> b`). Anything but letters and
/// digits is dropped, so no text can inject tsquery syntax. `None` when no word is left.
pub(super) fn tsquery(fts: &str) -> Option<String> {
    let mut out = String::new();
    let mut or = false;
    for (i, part) in fts.split('"').enumerate() {
        if i % 2 == 0 {
            // Between quotes: only the joiners.
            or |= part.split_whitespace().any(|w| w == "OR");
            continue;
        }
        let words: Vec<String> = part
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .collect();
        if words.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push_str(if or { " | " } else { " & " });
        }
        out.push_str(&words.join(" <-> "));
        or = false;
    }
    (!out.is_empty()).then_some(out)
}

/// See [`super::super::Store::search_documents`].
pub(in super::super) async fn search_documents(
    pool: &PgPool,
    after: i64,
    limit: i64,
) -> Result<Vec<SearchDocRow>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT a.id, a.title, a.category, a.product, a.kind, a.catalogue, t.symptoms, t.body, \
         coalesce((SELECT string_agg(value, ' ') \
                   FROM json_array_elements_text(a.applies_to::json)), '') AS applies, \
         coalesce((SELECT string_agg(value, ' ') \
                   FROM json_array_elements_text(a.query_words::json)), '') AS query_words \
         FROM articles a JOIN article_text t ON t.article_id = a.id \
         WHERE a.id > $1 ORDER BY a.id LIMIT $2",
    )
    .bind(after)
    .bind(limit)
    .fetch_all(pool)
    .await?)
}

/// See [`super::super::Store::result_rows`].
pub(in super::super) async fn result_rows(
    pool: &PgPool,
    ids: &[ArticleId],
) -> Result<Vec<ResultRow>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT a.id, a.title, a.date, a.category, t.symptoms, substr(t.body, 1, $2::int) AS body \
         FROM UNNEST($1::bigint[]) WITH ORDINALITY j (id, ord) \
         JOIN articles a ON a.id = j.id JOIN article_text t ON t.article_id = a.id \
         ORDER BY j.ord",
    )
    .bind(id_array(ids))
    .bind(SNIPPET_SOURCE)
    .fetch_all(pool)
    .await?)
}

/// See [`super::super::Store::catalogue_ids`].
pub(in super::super) async fn catalogue_ids(
    pool: &PgPool,
    ids: &[ArticleId],
) -> Result<HashSet<ArticleId>, StoreError> {
    let rows: Vec<(i64,)> =
        sqlx::query_as("SELECT id FROM articles WHERE id = ANY($1) AND catalogue")
            .bind(id_array(ids))
            .fetch_all(pool)
            .await?;
    Ok(super::super::search::id_set(rows))
}

/// See [`super::super::Store::search`].
pub(in super::super) async fn search(
    conn: &mut PgConnection,
    query: &str,
    filters: &SearchFilters,
    limit: i64,
    offset: i64,
) -> Result<SearchPage, StoreError> {
    let Some(q) = tsquery(query) else {
        return Ok(SearchPage {
            total: 0,
            results: Vec::new(),
        });
    };
    let filter_sql = "($2::text IS NULL OR a.category = $2) AND ($3::text IS NULL OR a.product = $3) \
                      AND ($4::text IS NULL OR a.kind = $4)";
    let total: i64 = sqlx::query_scalar(&format!(
        "SELECT count(*) FROM article_text t JOIN articles a ON a.id = t.article_id \
         WHERE t.tsv @@ to_tsquery('english', $1) AND {filter_sql}"
    ))
    .bind(&q)
    .bind(&filters.category)
    .bind(&filters.product)
    .bind(&filters.kind)
    .fetch_one(&mut *conn)
    .await?;
    if total == 0 || offset >= total {
        return Ok(SearchPage {
            total,
            results: Vec::new(),
        });
    }
    let options = format!(
        "StartSel={MARK_START}, StopSel={MARK_END}, MaxWords=24, MinWords=12, \
         MaxFragments=1, FragmentDelimiter=\"…\""
    );
    // Rank first, then cut snippets for the page only: ts_headline re-parses the text.
    let results: Vec<SearchHit> = sqlx::query_as(&format!(
        "WITH q AS (SELECT to_tsquery('english', $1) AS q), \
         top AS (SELECT a.id, ts_rank({WEIGHTS}, t.tsv, q.q, 1)::float8 AS score \
           FROM q, article_text t JOIN articles a ON a.id = t.article_id \
           WHERE t.tsv @@ q.q AND {filter_sql} ORDER BY score DESC, a.id LIMIT $5 OFFSET $6) \
         SELECT a.id, a.title, a.date, a.category, \
           ts_headline('english', t.symptoms || E'\\n' || substr(t.body, 1, $8::int), q.q, $7) \
             AS snippet, top.score \
         FROM top JOIN articles a ON a.id = top.id JOIN article_text t ON t.article_id = top.id, q \
         ORDER BY top.score DESC, a.id"
    ))
    .bind(&q)
    .bind(&filters.category)
    .bind(&filters.product)
    .bind(&filters.kind)
    .bind(limit)
    .bind(offset)
    .bind(options)
    .bind(SNIPPET_SOURCE)
    .fetch_all(&mut *conn)
    .await?;
    Ok(SearchPage { total, results })
}

/// See [`super::super::Store::term_documents`]. A stopword counts 0: the index has no
/// entry for it.
pub(in super::super) async fn term_documents(
    conn: &mut PgConnection,
    word: &str,
) -> Result<i64, StoreError> {
    let Some(q) = super::super::fts_query(word, " ", 1)
        .as_deref()
        .and_then(tsquery)
    else {
        return Ok(0);
    };
    Ok(sqlx::query_scalar(
        "SELECT count(*) FROM article_text WHERE tsv @@ to_tsquery('english', $1)",
    )
    .bind(q)
    .fetch_one(&mut *conn)
    .await?)
}

/// See [`super::super::Store::search_ids`].
pub(in super::super) async fn search_ids(
    conn: &mut PgConnection,
    query: &str,
    limit: i64,
) -> Result<Vec<(ArticleId, f64)>, StoreError> {
    let Some(q) = tsquery(query) else {
        return Ok(Vec::new());
    };
    let rows: Vec<(i64, f64)> = sqlx::query_as(&format!(
        "SELECT t.article_id, ts_rank({WEIGHTS}, t.tsv, q, 1)::float8 AS score \
         FROM article_text t, to_tsquery('english', $1) q WHERE t.tsv @@ q \
         ORDER BY score DESC, t.article_id LIMIT $2"
    ))
    .bind(q)
    .bind(limit)
    .fetch_all(&mut *conn)
    .await?;
    Ok(super::super::search::scored_ids(rows))
}

#[cfg(test)]
mod tests {
    use super::tsquery;

    #[test]
    fn tsquery_of_fts5_queries() {
        let cases: &[(&str, Option<&str>)] = &[
            ("\"cc\" \"mail\"", Some("cc & mail")),
            ("\"event\" OR \"68\"", Some("event | 68")),
            ("\"a\" OR \"b\" \"c\"", Some("a | b & c")),
            ("\"dial up\" \"modem\"", Some("dial <-> up & modem")),
            ("\"x & y | !z\"", Some("x <-> y <-> z")),
            ("\"\" OR \"***\"", None),
            ("", None),
        ];
        for (fts, want) in cases {
            assert_eq!(tsquery(fts).as_deref(), *want, "{fts:?}");
        }
    }
}
