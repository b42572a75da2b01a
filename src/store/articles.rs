//! Articles: writing parsed articles (with their sections, citations, events, facets and
//! full-text row) and reading them back whole.

use super::{Db, Store, StoreError, pg};
use crate::kb::{self, Article, ArticleId, Block, EventQuote, Reference, Section, TrailerField};
use flate2::Compression;
use flate2::read::DeflateDecoder;
use flate2::write::DeflateEncoder;
use serde::Serialize;
use sqlx::{FromRow, Sqlite, Transaction};
use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;
use std::io::{Read, Write};

/// What the database already holds of an article, enough to decide whether to replace it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExistingArticle {
    /// The stored document date (ISO).
    pub date: String,
    /// The stored content hash.
    pub content_hash: String,
}

/// What the archive holds, in numbers.
#[derive(Debug, Clone, Copy, FromRow, Serialize)]
pub struct ArchiveStats {
    /// Articles stored.
    pub articles: i64,
    /// Event-log entries quoted by them.
    pub events: i64,
    /// Citations of other articles.
    #[sqlx(rename = "references_")]
    pub references: i64,
    /// Distinct event sources.
    pub event_sources: i64,
}

/// One parsed article on its way into the store, with what the import knows of its file.
#[derive(Debug, Clone)]
pub struct ImportedArticle {
    /// The article as parsed.
    pub article: Article,
    /// The hash of its source bytes (salted with the parser version).
    pub content_hash: String,
    /// Its original text, deflated by [`deflate_source`].
    pub source_gz: Vec<u8>,
}

/// Compresses an article's original text for [`ImportedArticle::source_gz`] (about a
/// quarter of its size); done by the import's reader thread, off the writer.
pub fn deflate_source(text: &str) -> Vec<u8> {
    let mut enc = DeflateEncoder::new(Vec::new(), Compression::default());
    // Writing into a Vec cannot fail.
    let _ = enc.write_all(text.as_bytes());
    enc.finish().unwrap_or_default()
}

/// What writing one article did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WriteOutcome {
    /// The article was new.
    Inserted,
    /// An older copy was replaced.
    Replaced,
}

/// An article's id and title, for lists and links.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, FromRow)]
pub struct Summary {
    /// The article.
    #[sqlx(try_from = "i64")]
    pub id: ArticleId,
    /// Its title.
    pub title: String,
}

/// The header columns of the `articles` table.
#[derive(Debug, Clone, FromRow)]
pub struct ArticleRow {
    /// The article number.
    pub id: i64,
    /// Title.
    pub title: String,
    /// ISO date.
    pub date: String,
    /// Category tag.
    pub category: String,
    /// Product line.
    pub product: String,
    /// PROD/VER text.
    pub versions: String,
    /// OPER/SYS text.
    pub os: String,
    /// Title prefix kind (`XFOR`), '' when none.
    pub kind: String,
    /// JSON keywords.
    pub keywords: String,
    /// JSON applies-to.
    pub applies_to: String,
    /// JSON query words.
    pub query_words: String,
    /// JSON technology.
    pub technology: String,
    /// Issue type.
    pub issue_type: Option<String>,
    /// JSON trailer pairs.
    pub trailer: String,
}

/// An article read back from the store, with the facts derived at import.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StoredArticle {
    /// The article as parsed.
    #[serde(flatten)]
    pub article: Article,
    /// The title prefix kind, e.g. `XFOR`; empty when the title has none.
    pub kind: String,
}

/// The four reads of [`Store::articles_between`], shared by both backends: the header rows
/// of ids `$1..=$2` (at most `$3`), then their sections, citations and quoted events.
pub(super) const READ_ARTICLES: &str = "SELECT id, title, date, category, product, versions, \
     os, kind, keywords, applies_to, query_words, technology, issue_type, trailer \
     FROM articles WHERE id BETWEEN $1 AND $2 ORDER BY id LIMIT $3";
pub(super) const READ_SECTIONS: &str = "SELECT article_id, heading, text, blocks FROM sections \
     WHERE article_id BETWEEN $1 AND $2 ORDER BY article_id, ord";
pub(super) const READ_REFS: &str = "SELECT from_id, to_id, title, section FROM article_refs \
     WHERE from_id BETWEEN $1 AND $2 ORDER BY from_id, ord";
pub(super) const READ_EVENTS: &str = "SELECT article_id, event_id, source, type, category, \
     description, description_labelled, inline_fields FROM events \
     WHERE article_id BETWEEN $1 AND $2 ORDER BY article_id, ord";

#[derive(FromRow)]
pub(super) struct SectionRow {
    article_id: i64,
    heading: String,
    text: String,
    blocks: String,
}

#[derive(FromRow)]
pub(super) struct RefRow {
    from_id: i64,
    to_id: i64,
    title: Option<String>,
    section: String,
}

#[derive(FromRow)]
pub(super) struct EventRow {
    article_id: i64,
    event_id: i64,
    source: Option<String>,
    #[sqlx(rename = "type")]
    kind: Option<String>,
    category: Option<String>,
    description: Option<String>,
    description_labelled: bool,
    inline_fields: bool,
}

impl Store {
    /// Every stored article's date and content hash, keyed by id (57k entries: a few MB).
    pub async fn existing_articles(
        &self,
    ) -> Result<HashMap<ArticleId, ExistingArticle>, StoreError> {
        let rows: Vec<(i64, String, String)> = on_pool!(self, |pool| sqlx::query_as(
            "SELECT id, date, content_hash FROM articles"
        )
        .fetch_all(pool)
        .await)?;
        Ok(rows
            .into_iter()
            .filter_map(|(id, date, content_hash)| {
                let id = ArticleId(u32::try_from(id).ok()?);
                Some((id, ExistingArticle { date, content_hash }))
            })
            .collect())
    }

    /// Writes a batch of articles in one transaction, each replacing any stored copy, so a
    /// reader sees either the old batch or the new one, never half an article.
    pub async fn write_articles(
        &self,
        batch: &[ImportedArticle],
    ) -> Result<Vec<WriteOutcome>, StoreError> {
        // IMMEDIATE takes the write lock up front, waiting for it under busy_timeout. A
        // deferred transaction that reads first (FTS5 reads its own structure) and writes
        // second fails at once with SQLITE_BUSY when another writer committed in between.
        let pool = match &self.db {
            Db::Sqlite(pool) => pool,
            Db::Pg(pool) => return pg::write_articles(pool, batch).await,
        };
        let mut tx = pool.begin_with("BEGIN IMMEDIATE").await?;
        let outcomes = write_batch(&mut tx, batch).await?;
        sqlx::query("UPDATE meta SET value = value + 1 WHERE key = 'generation'")
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(outcomes)
    }

    /// The original text of an article, or `None` when it is not in the archive or was
    /// imported before the text was kept.
    pub async fn article_source(&self, id: ArticleId) -> Result<Option<String>, StoreError> {
        let gz: Option<Vec<u8>> = on_pool!(self, |pool| sqlx::query_scalar(
            "SELECT text_gz FROM article_sources WHERE article_id = $1"
        )
        .bind(i64::from(id.0))
        .fetch_optional(pool)
        .await)?;
        let Some(gz) = gz else {
            return Ok(None);
        };
        let mut text = String::new();
        DeflateDecoder::new(gz.as_slice())
            .read_to_string(&mut text)
            .map_err(|e| StoreError::Corrupt(format!("the stored text of {id}: {e}")))?;
        Ok(Some(text))
    }

    /// How many articles the archive holds.
    pub async fn article_count(&self) -> Result<i64, StoreError> {
        Ok(on_pool!(self, |pool| sqlx::query_scalar(
            "SELECT count(*) FROM articles"
        )
        .fetch_one(pool)
        .await)?)
    }

    /// What the archive holds, in numbers.
    pub async fn archive_stats(&self) -> Result<ArchiveStats, StoreError> {
        Ok(on_pool!(self, |pool| {
            sqlx::query_as(
            "SELECT (SELECT count(*) FROM articles) AS articles, \
             (SELECT count(*) FROM events) AS events, \
             (SELECT count(*) FROM article_refs) AS references_, \
             (SELECT count(DISTINCT source_key) FROM events WHERE source_key != '') AS event_sources",
        )
        .fetch_one(pool)
        .await
        })?)
    }

    /// One article, whole, or `None` when it is not in the archive.
    pub async fn article(&self, id: ArticleId) -> Result<Option<StoredArticle>, StoreError> {
        let id = i64::from(id.0);
        Ok(self.articles_between(id, id, 1).await?.pop())
    }

    /// Up to `limit` whole articles with ids in `first..=last`, in id order. Four queries a
    /// page, whatever its size, so exporting the archive is a few hundred queries.
    pub async fn articles_between(
        &self,
        first: i64,
        last: i64,
        limit: i64,
    ) -> Result<Vec<StoredArticle>, StoreError> {
        let pool = match &self.db {
            Db::Sqlite(pool) => pool,
            Db::Pg(pool) => return pg::articles_between(pool, first, last, limit).await,
        };
        let mut conn = pool.acquire().await?;
        // One read transaction so the four queries see the same snapshot during an import.
        sqlx::query("BEGIN").execute(&mut *conn).await?;
        let result = async {
            let rows: Vec<ArticleRow> = sqlx::query_as(READ_ARTICLES)
                .bind(first)
                .bind(last)
                .bind(limit)
                .fetch_all(&mut *conn)
                .await?;
            let Some(end) = rows.last().map(|r| r.id) else {
                return Ok(Vec::new());
            };
            let start = rows[0].id;
            let sections: Vec<SectionRow> = sqlx::query_as(READ_SECTIONS)
                .bind(start)
                .bind(end)
                .fetch_all(&mut *conn)
                .await?;
            let refs: Vec<RefRow> = sqlx::query_as(READ_REFS)
                .bind(start)
                .bind(end)
                .fetch_all(&mut *conn)
                .await?;
            let events: Vec<EventRow> = sqlx::query_as(READ_EVENTS)
                .bind(start)
                .bind(end)
                .fetch_all(&mut *conn)
                .await?;
            assemble(rows, sections, refs, events)
        }
        .await;
        sqlx::query("COMMIT").execute(&mut *conn).await?;
        result
    }

    /// Which of `ids` are in the archive, with their titles.
    pub async fn summaries(&self, ids: &[ArticleId]) -> Result<Vec<Summary>, StoreError> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let pool = match &self.db {
            Db::Sqlite(pool) => pool,
            Db::Pg(pool) => return pg::summaries(pool, ids).await,
        };
        let list: Vec<u32> = ids.iter().map(|id| id.0).collect();
        Ok(sqlx::query_as(
            "SELECT id, title FROM articles \
             WHERE id IN (SELECT value FROM json_each(?1)) ORDER BY id",
        )
        .bind(serde_json::to_string(&list)?)
        .fetch_all(pool)
        .await?)
    }

    /// The articles that cite `id`, in id order.
    pub async fn referenced_by(&self, id: ArticleId) -> Result<Vec<Summary>, StoreError> {
        Ok(on_pool!(self, |pool| sqlx::query_as(
            "SELECT a.id, a.title FROM article_refs r JOIN articles a ON a.id = r.from_id \
             WHERE r.to_id = $1 ORDER BY a.id",
        )
        .bind(i64::from(id.0))
        .fetch_all(pool)
        .await)?)
    }

    /// Articles related to `id`: sharing a quoted event, a citation, or keywords, best first.
    pub async fn related(
        &self,
        id: ArticleId,
        limit: i64,
    ) -> Result<Vec<(Summary, String)>, StoreError> {
        let rows: Vec<(i64, String, String)> = on_pool!(self, |pool| {
            sqlx::query_as(
            "WITH mine AS (SELECT $1 AS id), \
             ev AS ( \
               SELECT DISTINCT e2.article_id AS id, 3.0 AS w, 'same event' AS why \
               FROM events e1 JOIN events e2 \
                 ON e2.event_id = e1.event_id AND e2.source_key = e1.source_key \
               WHERE e1.article_id = (SELECT id FROM mine) AND e2.article_id != e1.article_id), \
             rf AS ( \
               SELECT r2.from_id AS id, 1.0 AS w, 'cites the same article' AS why \
               FROM article_refs r1 JOIN article_refs r2 ON r2.to_id = r1.to_id \
               WHERE r1.from_id = (SELECT id FROM mine) AND r2.from_id != r1.from_id), \
             kw AS ( \
               SELECT f2.article_id AS id, 0.2 AS w, 'same keywords' AS why \
               FROM facets f1 JOIN facets f2 ON f2.facet = f1.facet AND f2.value = f1.value \
               WHERE f1.facet = 'keyword' AND f1.article_id = (SELECT id FROM mine) \
                 AND f2.article_id != f1.article_id \
                 AND (SELECT count(*) FROM facets f3 \
                      WHERE f3.facet = 'keyword' AND f3.value = f1.value) < 400), \
             scored AS ( \
               SELECT id, sum(w) AS score, \
                 (SELECT why FROM (SELECT * FROM ev UNION ALL SELECT * FROM rf UNION ALL SELECT * FROM kw) x \
                  WHERE x.id = u.id ORDER BY w DESC LIMIT 1) AS why \
               FROM (SELECT * FROM ev UNION ALL SELECT * FROM rf UNION ALL SELECT * FROM kw) u \
               GROUP BY id ORDER BY score DESC, id LIMIT $2) \
             SELECT a.id, a.title, s.why FROM scored s JOIN articles a ON a.id = s.id \
             ORDER BY s.score DESC, a.id",
        )
        .bind(i64::from(id.0))
        .bind(limit)
        .fetch_all(pool)
        .await
        })?;
        Ok(rows
            .into_iter()
            .filter_map(|(id, title, why)| {
                let id = ArticleId::try_from(id).ok()?;
                Some((Summary { id, title }, why))
            })
            .collect())
    }
}

/// Writes a batch with one statement per table: the rows travel as one JSON array each and
/// `json_each` unpacks them inside SQLite, so the per-row cost is SQLite's own and not a
/// round trip through the driver (one statement per row made the import three times slower).
async fn write_batch(
    tx: &mut Transaction<'_, Sqlite>,
    batch: &[ImportedArticle],
) -> Result<Vec<WriteOutcome>, StoreError> {
    let ids: Vec<u32> = batch.iter().map(|b| b.article.id.0).collect();
    let ids_json = serde_json::to_string(&ids)?;
    // A replaced article's old full-text row must be removed with its old values (the
    // index is contentful, so rowid alone suffices), before its children cascade away.
    sqlx::query("DELETE FROM articles_fts WHERE rowid IN (SELECT value FROM json_each(?1))")
        .bind(&ids_json)
        .execute(&mut **tx)
        .await?;
    let replaced: Vec<(i64,)> = sqlx::query_as(
        "DELETE FROM articles WHERE id IN (SELECT value FROM json_each(?1)) RETURNING id",
    )
    .bind(&ids_json)
    .fetch_all(&mut **tx)
    .await?;
    let replaced: HashSet<i64> = replaced.into_iter().map(|(id,)| id).collect();

    let mut articles = Vec::with_capacity(batch.len());
    let mut sections = Vec::new();
    let mut refs = Vec::new();
    let mut events = Vec::new();
    let mut mentions = Vec::new();
    let mut facets = Vec::new();
    let mut fts = Vec::with_capacity(batch.len());
    let mut sources = Vec::with_capacity(batch.len());
    let mut diagnoses = Vec::with_capacity(batch.len());
    for b in batch {
        let (a, hash) = (&b.article, &b.content_hash);
        let id = a.id.0;
        sources.push(serde_json::json!([id, hex(&b.source_gz)]));
        let kind = kb::title_kind(&a.title).unwrap_or("");
        articles.push(serde_json::json!([
            id,
            a.title,
            a.date,
            a.category,
            a.product,
            a.versions,
            a.os,
            kind,
            serde_json::to_string(&a.keywords)?,
            serde_json::to_string(&a.applies_to)?,
            serde_json::to_string(&a.query_words)?,
            serde_json::to_string(&a.technology)?,
            a.issue_type,
            serde_json::to_string(&a.trailer)?,
            hash,
            kb::is_catalogue(a),
        ]));
        for (ord, s) in a.sections.iter().enumerate() {
            sections.push(serde_json::json!([
                id,
                ord,
                s.heading,
                s.text,
                serde_json::to_string(&s.blocks)?
            ]));
        }
        for (ord, r) in a.references.iter().enumerate() {
            refs.push(serde_json::json!([id, ord, r.id.0, r.title, r.section]));
        }
        for (ord, e) in a.events.iter().enumerate() {
            events.push(serde_json::json!([
                id,
                ord,
                e.event_id,
                e.source,
                e.source.as_deref().map(kb::fold_source).unwrap_or_default(),
                e.kind,
                e.category,
                e.description,
                e.description_labelled,
                e.inline_fields
            ]));
        }
        for event_id in kb::mentioned_event_ids(a) {
            mentions.push((event_id, id));
        }
        let mut add_facet = |facet: &'static str, value: &str| {
            if !value.is_empty() {
                facets.push(serde_json::json!([facet, value, id]));
            }
        };
        add_facet("category", &a.category);
        add_facet("product", &a.product);
        add_facet("kind", kind);
        for k in &a.keywords {
            add_facet("keyword", k);
        }
        diagnoses.push(serde_json::json!([
            id,
            serde_json::to_string(&kb::diagnose(a))?
        ]));
        let (symptoms, body) = fts_columns(a);
        fts.push(serde_json::json!([id, a.title, symptoms, body]));
    }

    let statements: [(&str, Vec<serde_json::Value>); 7] = [
        (
            "INSERT INTO articles (id, title, date, category, product, versions, os, kind, \
             keywords, applies_to, query_words, technology, issue_type, trailer, content_hash, \
             catalogue) \
             SELECT value ->> 0, value ->> 1, value ->> 2, value ->> 3, value ->> 4, value ->> 5, \
             value ->> 6, value ->> 7, value ->> 8, value ->> 9, value ->> 10, value ->> 11, \
             value ->> 12, value ->> 13, value ->> 14, value ->> 15 FROM json_each(?1)",
            articles,
        ),
        (
            "INSERT INTO sections (article_id, ord, heading, text, blocks) \
             SELECT value ->> 0, value ->> 1, value ->> 2, value ->> 3, value ->> 4 \
             FROM json_each(?1)",
            sections,
        ),
        (
            "INSERT OR IGNORE INTO article_refs (from_id, ord, to_id, title, section) \
             SELECT value ->> 0, value ->> 1, value ->> 2, value ->> 3, value ->> 4 \
             FROM json_each(?1)",
            refs,
        ),
        (
            "INSERT INTO events (article_id, ord, event_id, source, source_key, type, category, \
             description, description_labelled, inline_fields) SELECT value ->> 0, value ->> 1, \
             value ->> 2, value ->> 3, value ->> 4, value ->> 5, value ->> 6, value ->> 7, \
             value ->> 8, value ->> 9 \
             FROM json_each(?1)",
            events,
        ),
        (
            "INSERT OR IGNORE INTO facets (facet, value, article_id) \
             SELECT value ->> 0, value ->> 1, value ->> 2 FROM json_each(?1)",
            facets,
        ),
        (
            "INSERT INTO article_sources (article_id, text_gz) \
             SELECT value ->> 0, unhex(value ->> 1) FROM json_each(?1)",
            sources,
        ),
        (
            "INSERT INTO diagnoses (article_id, body) \
             SELECT value ->> 0, value ->> 1 FROM json_each(?1)",
            diagnoses,
        ),
    ];
    for (sql, rows) in statements {
        if !rows.is_empty() {
            sqlx::query(sql)
                .bind(serde_json::to_string(&rows)?)
                .execute(&mut **tx)
                .await?;
        }
    }
    if !mentions.is_empty() {
        sqlx::query(
            "INSERT OR IGNORE INTO event_mentions (event_id, article_id) \
             SELECT value ->> 0, value ->> 1 FROM json_each(?1)",
        )
        .bind(serde_json::to_string(&mentions)?)
        .execute(&mut **tx)
        .await?;
    }
    sqlx::query(
        "INSERT INTO articles_fts (rowid, title, symptoms, body) \
         SELECT value ->> 0, value ->> 1, value ->> 2, value ->> 3 FROM json_each(?1)",
    )
    .bind(serde_json::to_string(&fts)?)
    .execute(&mut **tx)
    .await?;

    Ok(ids
        .iter()
        .map(|id| {
            if replaced.contains(&i64::from(*id)) {
                WriteOutcome::Replaced
            } else {
                WriteOutcome::Inserted
            }
        })
        .collect())
}

/// Lower-case hex, for carrying bytes through a JSON array into `unhex()`.
fn hex(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(out, "{b:02x}");
    }
    out
}

/// Splits an article's text into the full-text columns: the symptoms (what users describe,
/// weighted above the rest) and everything else searchable.
pub(super) fn fts_columns(a: &Article) -> (String, String) {
    let mut symptoms = String::new();
    let mut body = String::new();
    for s in &a.sections {
        let target = if s.heading.contains("SYMPTOM") {
            &mut symptoms
        } else {
            &mut body
        };
        target.push_str(&s.heading);
        target.push('\n');
        target.push_str(&s.text);
        target.push('\n');
    }
    for list in [&a.applies_to, &a.keywords, &a.query_words] {
        body.push_str(&list.join(" "));
        body.push('\n');
    }
    (symptoms, body)
}

pub(super) fn assemble(
    rows: Vec<ArticleRow>,
    sections: Vec<SectionRow>,
    refs: Vec<RefRow>,
    events: Vec<EventRow>,
) -> Result<Vec<StoredArticle>, StoreError> {
    let mut sections = sections.into_iter().peekable();
    let mut refs = refs.into_iter().peekable();
    let mut events = events.into_iter().peekable();
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        let mut article = Article {
            id: ArticleId(row.id as u32),
            title: row.title,
            date: row.date,
            category: row.category,
            product: row.product,
            versions: row.versions,
            os: row.os,
            keywords: serde_json::from_str(&row.keywords)?,
            applies_to: serde_json::from_str(&row.applies_to)?,
            sections: Vec::new(),
            references: Vec::new(),
            events: Vec::new(),
            query_words: serde_json::from_str(&row.query_words)?,
            technology: serde_json::from_str(&row.technology)?,
            issue_type: row.issue_type,
            trailer: serde_json::from_str::<Vec<TrailerField>>(&row.trailer)?,
        };
        while let Some(s) = sections.next_if(|s| s.article_id == row.id) {
            // Blocks stored by an older parser may not read as today's kinds; cut them again
            // from the text until the next import re-parses the article.
            let blocks = serde_json::from_str::<Vec<Block>>(&s.blocks)
                .unwrap_or_else(|_| kb::blocks_of_text(&s.text));
            article.sections.push(Section {
                heading: s.heading,
                text: s.text,
                blocks,
            });
        }
        while let Some(r) = refs.next_if(|r| r.from_id == row.id) {
            article.references.push(Reference {
                id: ArticleId(r.to_id as u32),
                title: r.title,
                section: r.section,
            });
        }
        while let Some(e) = events.next_if(|e| e.article_id == row.id) {
            article.events.push(EventQuote {
                event_id: e.event_id as u32,
                source: e.source,
                kind: e.kind,
                category: e.category,
                description: e.description,
                description_labelled: e.description_labelled,
                inline_fields: e.inline_fields,
            });
        }
        out.push(StoredArticle {
            article,
            kind: row.kind,
        });
    }
    Ok(out)
}
