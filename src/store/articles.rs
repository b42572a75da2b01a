//! Articles: reading them back whole (header row, stored sections, citations, quoted
//! events), their summaries and related articles. Writing them is `store::write`.

use super::packed::Packed;
use super::{Db, Store, StoreError, pg};
use crate::kb::{
    self, Article, ArticleId, Block, Diagnosis, EventQuote, Reference, Section, TrailerField,
};
use serde::Serialize;
use sqlx::{FromRow, SqlitePool};
use std::collections::HashMap;

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

/// The reads of [`Store::articles_between`]: the header rows of ids `$1..=$2` (at most
/// `$3`), then their sections, citations and quoted events. The sections' table is
/// PostgreSQL's; SQLite unpacks them from `article_texts` (`store::packed`).
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

/// A SQLite article's packed text (`store::packed`).
#[derive(FromRow)]
struct BodyRow {
    article_id: i64,
    packed: Vec<u8>,
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
        let rows: Vec<(i64, String, String)> =
            on_pool!(self, "existing_articles", |pool| sqlx::query_as(
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

    /// How many articles the archive holds.
    pub async fn article_count(&self) -> Result<i64, StoreError> {
        Ok(on_pool!(self, "article_count", |pool| sqlx::query_scalar(
            "SELECT count(*) FROM articles"
        )
        .fetch_one(pool)
        .await)?)
    }

    /// What the archive holds, in numbers.
    pub async fn archive_stats(&self) -> Result<ArchiveStats, StoreError> {
        Ok(on_pool!(self, "archive_stats", |pool| {
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
        let raw = read_raw(pool, first, last, limit).await?;
        // Inflating and decoding run after the connection went back to the pool.
        let sections = unpack_sections(raw.bodies)?;
        assemble(raw.rows, sections, raw.refs, raw.events)
    }

    /// One article with its diagnosis, each decoded once: on SQLite from the one packed
    /// value that holds both (`store::packed`). `None` when the article is not stored;
    /// the diagnosis is `None` where the store has none (see [`Store::diagnosis`]).
    pub(super) async fn article_with_diagnosis(
        &self,
        id: ArticleId,
    ) -> Result<Option<(StoredArticle, Option<Diagnosis>)>, StoreError> {
        let n = i64::from(id.0);
        let pool = match &self.db {
            Db::Sqlite(pool) => pool,
            Db::Pg(pool) => {
                let Some(article) = pg::articles_between(pool, n, n, 1).await?.pop() else {
                    return Ok(None);
                };
                return Ok(Some((article, pg::diagnosis(pool, id).await?)));
            }
        };
        let raw = read_raw(pool, n, n, 1).await?;
        let mut diagnosis = None;
        let mut sections = Vec::with_capacity(raw.bodies.len());
        for b in raw.bodies {
            let (s, d) = Packed(b.packed).sections_and_diagnosis(id)?;
            sections.push((b.article_id, s));
            diagnosis = Some(d);
        }
        let article = assemble(raw.rows, sections, raw.refs, raw.events)?.pop();
        Ok(article.map(|a| (a, diagnosis)))
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
        Ok(super::bounded::at(
            "summaries",
            sqlx::query_as(
                "SELECT id, title FROM articles \
             WHERE id IN (SELECT value FROM json_each(?1)) ORDER BY id",
            )
            .bind(serde_json::to_string(&list)?)
            .fetch_all(pool),
        )
        .await?)
    }

    /// The articles that cite `id`, in id order.
    pub async fn referenced_by(&self, id: ArticleId) -> Result<Vec<Summary>, StoreError> {
        Ok(on_pool!(self, "referenced_by", |pool| sqlx::query_as(
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
        // A bounded read: while an import into an empty archive has its indexes deferred,
        // these joins scan whole tables and held a pooled connection for seconds,
        // starving every other request (issue 26); past the read limit the page goes
        // without its related articles instead.
        let (article, no_event) = (i64::from(id.0), i64::from(crate::kb::NO_EVENT_ID));
        let rows: Result<Vec<(i64, String, String)>, StoreError> = match &self.db {
            Db::Sqlite(pool) => {
                let mut bounded = self.bounded(pool, "related").await?;
                sqlx::query_as(RELATED_SQL)
                    .bind(article)
                    .bind(limit)
                    // Two quotes without an id share a source, not an event.
                    .bind(no_event)
                    .fetch_all(bounded.conn())
                    .await
                    .map_err(StoreError::from)
            }
            Db::Pg(pool) => {
                let mut tx = match self.pg_bounded(pool).await {
                    Err(StoreError::Interrupted) => return Ok(Vec::new()),
                    tx => tx?,
                };
                let rows = sqlx::query_as(RELATED_SQL)
                    .bind(article)
                    .bind(limit)
                    .bind(no_event)
                    .fetch_all(&mut *tx)
                    .await
                    .map_err(StoreError::from);
                self.count_stopped(rows)
            }
        };
        let rows = match rows {
            Err(StoreError::Interrupted) => return Ok(Vec::new()),
            rows => rows?,
        };
        Ok(rows
            .into_iter()
            .filter_map(|(id, title, why)| {
                let id = ArticleId::try_from(id).ok()?;
                Some((Summary { id, title }, why))
            })
            .collect())
    }
}

/// Articles related to one (`$1`): sharing a quoted event (not `$3`, no id), a citation,
/// or uncommon keywords; `$2` of them, best first.
const RELATED_SQL: &str = "WITH mine AS (SELECT $1 AS id), \
             ev AS ( \
               SELECT DISTINCT e2.article_id AS id, 3.0 AS w, 'same event' AS why \
               FROM events e1 JOIN events e2 \
                 ON e2.event_id = e1.event_id AND e2.source_key = e1.source_key \
               WHERE e1.article_id = (SELECT id FROM mine) AND e2.article_id != e1.article_id \
                 AND e1.event_id != $3), \
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
             ORDER BY s.score DESC, a.id";

/// The rows of a page of SQLite articles, as read: decoded once the connection is back.
struct RawArticles {
    rows: Vec<ArticleRow>,
    bodies: Vec<BodyRow>,
    refs: Vec<RefRow>,
    events: Vec<EventRow>,
}

/// Reads the rows of up to `limit` articles with ids in `first..=last`, in one read
/// transaction so the four queries see the same snapshot during an import.
async fn read_raw(
    pool: &SqlitePool,
    first: i64,
    last: i64,
    limit: i64,
) -> Result<RawArticles, StoreError> {
    let mut conn = super::bounded::at("article", pool.acquire()).await?;
    sqlx::query("BEGIN").execute(&mut *conn).await?;
    let result = async {
        let rows: Vec<ArticleRow> = sqlx::query_as(READ_ARTICLES)
            .bind(first)
            .bind(last)
            .bind(limit)
            .fetch_all(&mut *conn)
            .await?;
        let (Some(start), Some(end)) = (rows.first().map(|r| r.id), rows.last().map(|r| r.id))
        else {
            return Ok(RawArticles {
                rows,
                bodies: Vec::new(),
                refs: Vec::new(),
                events: Vec::new(),
            });
        };
        let bodies: Vec<BodyRow> = sqlx::query_as(
            "SELECT article_id, packed FROM article_texts \
             WHERE article_id BETWEEN $1 AND $2 ORDER BY article_id",
        )
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
        Ok::<_, StoreError>(RawArticles {
            rows,
            bodies,
            refs,
            events,
        })
    }
    .await;
    sqlx::query("COMMIT").execute(&mut *conn).await?;
    result
}

/// The sections of each SQLite article, unpacked from its stored text.
fn unpack_sections(bodies: Vec<BodyRow>) -> Result<Vec<(i64, Vec<Section>)>, StoreError> {
    bodies
        .into_iter()
        .map(|b| {
            let id = ArticleId::try_from(b.article_id)
                .map_err(|_| StoreError::Corrupt(format!("article id {}", b.article_id)))?;
            Ok((b.article_id, Packed(b.packed).sections(id)?))
        })
        .collect()
}

/// The sections of each PostgreSQL article, grouped from their rows (in article order).
pub(super) fn group_sections(rows: Vec<SectionRow>) -> Vec<(i64, Vec<Section>)> {
    let mut out: Vec<(i64, Vec<Section>)> = Vec::new();
    for s in rows {
        // Blocks stored by an older parser may not read as today's kinds; cut them again
        // from the text until the next import re-parses the article.
        let blocks = serde_json::from_str::<Vec<Block>>(&s.blocks)
            .unwrap_or_else(|_| kb::blocks_of_text(&s.text));
        let section = Section {
            heading: s.heading,
            text: s.text,
            blocks,
        };
        match out.last_mut() {
            Some((id, list)) if *id == s.article_id => list.push(section),
            _ => out.push((s.article_id, vec![section])),
        }
    }
    out
}

/// Builds whole articles from the header rows and their parts (each list in article order).
pub(super) fn assemble(
    rows: Vec<ArticleRow>,
    sections: Vec<(i64, Vec<Section>)>,
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
        if let Some((_, s)) = sections.next_if(|(id, _)| *id == row.id) {
            article.sections = s;
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
