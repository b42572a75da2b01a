//! Full-text search over the FTS5 index, with bm25 column weights and filters.

use super::{Db, Store, StoreError, pg};
use crate::kb::ArticleId;
use serde::Serialize;
use sqlx::FromRow;

/// The bm25 weights of the FTS columns: title above symptoms above the rest.
const WEIGHTS: &str = "bm25(articles_fts, 10.0, 4.0, 1.0)";

/// Marks the start of a highlighted term in snippets; the web layer turns it into `<mark>`.
pub const MARK_START: char = '\u{2}';
/// Marks the end of a highlighted term in snippets.
pub const MARK_END: char = '\u{3}';

/// Optional filters on a search.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SearchFilters {
    /// Only this category (`exchange`).
    pub category: Option<String>,
    /// Only this product line.
    pub product: Option<String>,
    /// Only this title kind (`XFOR`).
    pub kind: Option<String>,
}

/// One search result.
#[derive(Debug, Clone, PartialEq, Serialize, FromRow)]
pub struct SearchHit {
    /// The article.
    #[sqlx(try_from = "i64")]
    pub id: ArticleId,
    /// Its title.
    pub title: String,
    /// Its date.
    pub date: String,
    /// Its category.
    pub category: String,
    /// A piece of text around the matched terms, terms wrapped in `MARK_START`/`MARK_END`.
    pub snippet: String,
    /// Relevance, higher is better (negated bm25).
    pub score: f64,
}

/// A page of results and the total number of matches.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SearchPage {
    /// Matches in all pages.
    pub total: i64,
    /// This page's results.
    pub results: Vec<SearchHit>,
}

/// Turns any user text into a safe FTS5 query: the words, each quoted, joined with `joiner`
/// (`" "` for all words, `" OR "` for any). Quoting makes FTS5 syntax (`NEAR(`, `AND`, `*`,
/// quotes) plain words. Returns `None` when the text holds no word.
pub fn fts_query(text: &str, joiner: &str, max_words: usize) -> Option<String> {
    let mut words: Vec<String> = Vec::new();
    for w in text.split(|c: char| !c.is_alphanumeric()) {
        if w.is_empty() || words.len() >= max_words {
            continue;
        }
        let w = w.to_lowercase();
        if !words.contains(&w) {
            words.push(w);
        }
    }
    if words.is_empty() {
        return None;
    }
    Some(
        words
            .iter()
            .map(|w| format!("\"{w}\""))
            .collect::<Vec<_>>()
            .join(joiner),
    )
}

/// One article as the search index reads it (`search::IndexDoc` is built from it).
#[derive(Debug, Clone, FromRow)]
pub struct SearchDocRow {
    /// The article number.
    pub id: i64,
    /// Its title.
    pub title: String,
    /// Its category.
    pub category: String,
    /// Its product line.
    pub product: String,
    /// Its title kind, `""` when none.
    pub kind: String,
    /// Flagged a catalogue at import (`kb::is_catalogue`).
    pub catalogue: bool,
    /// The SYMPTOMS text as indexed.
    pub symptoms: String,
    /// The rest of the searchable text.
    pub body: String,
    /// The "applies to" items, space-separated.
    pub applies: String,
    /// The "Additional query words" line's words, space-separated.
    pub query_words: String,
}

/// What a results page shows of one article, and the text its snippet is cut from.
#[derive(Debug, Clone, FromRow)]
pub struct ResultRow {
    /// The article.
    #[sqlx(try_from = "i64")]
    pub id: ArticleId,
    /// Its title.
    pub title: String,
    /// Its date.
    pub date: String,
    /// Its category.
    pub category: String,
    /// The SYMPTOMS text.
    pub symptoms: String,
    /// The start of the rest of the text.
    pub body: String,
}

/// Characters of the body read for a snippet.
const SNIPPET_SOURCE: i64 = 6000;

impl Store {
    /// Up to `limit` articles after number `after`, in number order, with their searchable
    /// text: the search index reads the archive in such slices, so that no statement holds
    /// a connection for long.
    pub async fn search_documents(
        &self,
        after: i64,
        limit: i64,
    ) -> Result<Vec<SearchDocRow>, StoreError> {
        let pool = match &self.db {
            Db::Sqlite(pool) => pool,
            Db::Pg(pool) => return pg::search_documents(pool, after, limit).await,
        };
        Ok(super::bounded::at(
            "search_documents",
            sqlx::query_as(
                "SELECT a.id, a.title, a.category, a.product, a.kind, a.catalogue, \
             coalesce(c.c1, '') AS symptoms, coalesce(c.c2, '') AS body, \
             coalesce((SELECT group_concat(value, ' ') FROM json_each(a.applies_to)), '') \
               AS applies, \
             coalesce((SELECT group_concat(value, ' ') FROM json_each(a.query_words)), '') \
               AS query_words \
             FROM articles a JOIN articles_fts_content c ON c.id = a.id \
             WHERE a.id > ?1 ORDER BY a.id LIMIT ?2",
            )
            .bind(after)
            .bind(limit)
            .fetch_all(pool),
        )
        .await?)
    }

    /// The rows of a results page, in the order of `ids` (ids no longer stored are left out).
    pub async fn result_rows(&self, ids: &[ArticleId]) -> Result<Vec<ResultRow>, StoreError> {
        let pool = match &self.db {
            Db::Sqlite(pool) => pool,
            Db::Pg(pool) => return pg::result_rows(pool, ids).await,
        };
        let json = serde_json::to_string(&ids.iter().map(|i| i.0).collect::<Vec<_>>())?;
        Ok(super::bounded::at(
            "result_rows",
            sqlx::query_as(
                "SELECT a.id, a.title, a.date, a.category, coalesce(c.c1, '') AS symptoms, \
             substr(coalesce(c.c2, ''), 1, ?2) AS body \
             FROM json_each(?1) j JOIN articles a ON a.id = j.value \
             JOIN articles_fts_content c ON c.id = a.id ORDER BY j.key",
            )
            .bind(json)
            .bind(SNIPPET_SOURCE)
            .fetch_all(pool),
        )
        .await?)
    }

    /// Which of `ids` are catalogue articles (bug-fix lists, READMEs, "list of", release
    /// notes, indexes of other articles), as flagged at import by `kb::is_catalogue`.
    pub async fn catalogue_ids(
        &self,
        ids: &[ArticleId],
    ) -> Result<std::collections::HashSet<ArticleId>, StoreError> {
        let pool = match &self.db {
            Db::Sqlite(pool) => pool,
            Db::Pg(pool) => return pg::catalogue_ids(pool, ids).await,
        };
        let json = serde_json::to_string(&ids.iter().map(|i| i.0).collect::<Vec<_>>())?;
        let rows: Vec<(i64,)> = super::bounded::at(
            "catalogue_ids",
            sqlx::query_as(
                "SELECT a.id FROM json_each(?1) j JOIN articles a ON a.id = j.value \
             WHERE a.catalogue",
            )
            .bind(json)
            .fetch_all(pool),
        )
        .await?;
        Ok(id_set(rows))
    }

    /// One page of articles matching an FTS5 `query` (built by [`fts_query`]), best first. A
    /// bounded read: [`StoreError::Interrupted`] past the read limit.
    pub async fn search(
        &self,
        query: &str,
        filters: &SearchFilters,
        limit: i64,
        offset: i64,
    ) -> Result<SearchPage, StoreError> {
        let pool = match &self.db {
            Db::Sqlite(pool) => pool,
            Db::Pg(pool) => {
                let mut tx = self.pg_bounded(pool).await?;
                let page = pg::search(&mut tx, query, filters, limit, offset).await;
                return self.count_stopped(page);
            }
        };
        self.sqlite_search(pool, query, filters, limit, offset)
            .await
    }

    /// [`Store::search`] on SQLite: the count and the page through FTS5, on one bounded
    /// connection so that together they stop at the read limit.
    async fn sqlite_search(
        &self,
        pool: &sqlx::SqlitePool,
        query: &str,
        filters: &SearchFilters,
        limit: i64,
        offset: i64,
    ) -> Result<SearchPage, StoreError> {
        let filtered =
            filters.category.is_some() || filters.product.is_some() || filters.kind.is_some();
        let mut bounded = self.bounded(pool, "search").await?;
        let total: i64 = sqlx::query_scalar(&sqlite_count_sql(filtered))
            .bind(query)
            .bind(&filters.category)
            .bind(&filters.product)
            .bind(&filters.kind)
            .fetch_one(bounded.conn())
            .await?;
        if total == 0 || offset >= total {
            return Ok(SearchPage {
                total,
                results: Vec::new(),
            });
        }
        let results = sqlx::query_as(&sqlite_page_sql(filtered))
            .bind(query)
            .bind(&filters.category)
            .bind(&filters.product)
            .bind(&filters.kind)
            .bind(limit)
            .bind(offset)
            .fetch_all(bounded.conn())
            .await?;
        Ok(SearchPage { total, results })
    }

    /// How many articles hold `word` (one word, as the full-text index folds it). A bounded
    /// read: [`StoreError::Interrupted`] past the read limit.
    pub async fn term_documents(&self, word: &str) -> Result<i64, StoreError> {
        let pool = match &self.db {
            Db::Sqlite(pool) => pool,
            Db::Pg(pool) => {
                let mut tx = self.pg_bounded(pool).await?;
                return self.count_stopped(pg::term_documents(&mut tx, word).await);
            }
        };
        let Some(q) = fts_query(word, " ", 1) else {
            return Ok(0);
        };
        let mut bounded = self.bounded(pool, "term_documents").await?;
        Ok(
            sqlx::query_scalar("SELECT count(*) FROM articles_fts WHERE articles_fts MATCH ?1")
                .bind(q)
                .fetch_one(bounded.conn())
                .await?,
        )
    }

    /// The best `limit` articles for an FTS5 query, ids and scores only (for the matcher). A
    /// bounded read: [`StoreError::Interrupted`] past the read limit.
    pub async fn search_ids(
        &self,
        query: &str,
        limit: i64,
    ) -> Result<Vec<(ArticleId, f64)>, StoreError> {
        let pool = match &self.db {
            Db::Sqlite(pool) => pool,
            Db::Pg(pool) => {
                let mut tx = self.pg_bounded(pool).await?;
                return self.count_stopped(pg::search_ids(&mut tx, query, limit).await);
            }
        };
        let sql = format!(
            "SELECT rowid, -{WEIGHTS} FROM articles_fts WHERE articles_fts MATCH ?1 \
             ORDER BY {WEIGHTS} LIMIT ?2"
        );
        let mut bounded = self.bounded(pool, "search_ids").await?;
        let rows: Vec<(i64, f64)> = sqlx::query_as(&sql)
            .bind(query)
            .bind(limit)
            .fetch_all(bounded.conn())
            .await?;
        Ok(scored_ids(rows))
    }
}

/// Rows of (article number, score) as article ids, on either backend; numbers that are not
/// article ids (none should be) are left out rather than failing the search.
pub(super) fn scored_ids(rows: Vec<(i64, f64)>) -> Vec<(ArticleId, f64)> {
    rows.into_iter()
        .filter_map(|(id, s)| Some((ArticleId::try_from(id).ok()?, s)))
        .collect()
}

/// The article ids among `rows` (both backends' `catalogue_ids`).
pub(super) fn id_set(rows: Vec<(i64,)>) -> std::collections::HashSet<ArticleId> {
    rows.into_iter()
        .filter_map(|(id,)| ArticleId::try_from(id).ok())
        .collect()
}

/// The filters of a SQLite search, `?2` to `?4`, each off when NULL.
const SQLITE_FILTERS: &str = "(?2 IS NULL OR a.category = ?2) AND (?3 IS NULL OR a.product = ?3) \
                              AND (?4 IS NULL OR a.kind = ?4)";

/// How many articles a SQLite search matches.
fn sqlite_count_sql(filtered: bool) -> String {
    if filtered {
        format!(
            "SELECT count(*) FROM articles_fts JOIN articles a ON a.id = articles_fts.rowid \
             WHERE articles_fts MATCH ?1 AND {SQLITE_FILTERS}"
        )
    } else {
        // Without filters the count needs no join with the articles table.
        "SELECT count(*) FROM articles_fts WHERE articles_fts MATCH ?1 \
         AND ?2 IS NULL AND ?3 IS NULL AND ?4 IS NULL"
            .to_string()
    }
}

/// One page of a SQLite search, `?5` rows from `?6`, best first.
fn sqlite_page_sql(filtered: bool) -> String {
    if filtered {
        format!(
            "SELECT a.id, a.title, a.date, a.category, \
             snippet(articles_fts, -1, char(2), char(3), '…', 24) AS snippet, \
             -{WEIGHTS} AS score \
             FROM articles_fts JOIN articles a ON a.id = articles_fts.rowid \
             WHERE articles_fts MATCH ?1 AND {SQLITE_FILTERS} \
             ORDER BY {WEIGHTS} LIMIT ?5 OFFSET ?6"
        )
    } else {
        // Rank inside the full-text index alone, then fetch rows and snippets for the
        // page only: joining the article rows of every match before sorting was ten
        // times slower on common words.
        format!(
            "WITH top AS (SELECT rowid AS id, -{WEIGHTS} AS score FROM articles_fts \
               WHERE articles_fts MATCH ?1 ORDER BY {WEIGHTS} LIMIT ?5 OFFSET ?6) \
             SELECT a.id, a.title, a.date, a.category, \
             snippet(articles_fts, -1, char(2), char(3), '…', 24) AS snippet, top.score \
             FROM top JOIN articles_fts ON articles_fts.rowid = top.id \
             JOIN articles a ON a.id = top.id \
             WHERE articles_fts MATCH ?1 AND ?2 IS NULL AND ?3 IS NULL AND ?4 IS NULL \
             ORDER BY top.score DESC, a.id"
        )
    }
}

#[cfg(test)]
mod tests {
    use super::fts_query;

    #[test]
    fn fts_query_quotes_every_word() {
        let cases: &[(&str, &str, Option<&str>)] = &[
            ("cc:Mail dirsync", " ", Some("\"cc\" \"mail\" \"dirsync\"")),
            ("NEAR(a b) AND *", " ", Some("\"near\" \"a\" \"b\" \"and\"")),
            (
                "\"'); DROP TABLE articles;--",
                " ",
                Some("\"drop\" \"table\" \"articles\""),
            ),
            ("event 68 event", " OR ", Some("\"event\" OR \"68\"")),
            ("*** ((( )))", " ", None),
            ("", " ", None),
        ];
        for (text, joiner, want) in cases {
            assert_eq!(fts_query(text, joiner, 32).as_deref(), *want, "{text:?}");
        }
    }

    #[test]
    fn fts_query_caps_words() {
        let long = "word ".repeat(3000) + &(0..100).map(|i| format!("w{i} ")).collect::<String>();
        let q = fts_query(&long, " ", 8).unwrap();
        assert_eq!(q.matches('"').count(), 16);
    }
}
