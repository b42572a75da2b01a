//! Articles on PostgreSQL: a batch written as one array per column and table (`UNNEST`),
//! in one transaction; reads in one repeatable-read snapshot.

use super::super::articles::{
    EventRow, READ_ARTICLES, READ_EVENTS, READ_REFS, READ_SECTIONS, RefRow, SectionRow, assemble,
    group_sections,
};
use super::super::write::deflate;
use super::super::{ArticleRow, ImportedArticle, StoredArticle, Summary, WriteOutcome};
use super::{StoreError, id_array};
use crate::kb::{self, ArticleId};
use sqlx::{PgPool, Postgres, Transaction};
use std::collections::HashSet;

/// Any number, the same in every server: writers of article batches take this advisory
/// lock for their transaction, so two imports at once queue like they do on SQLite instead
/// of racing to insert the same new article.
const WRITE_LOCK: i64 = 0x006b_6266_6978;

/// PostgreSQL text cannot hold NUL; SQLite keeps it. No article has one, but a file could.
fn text(s: &str) -> String {
    s.replace('\0', "")
}

/// See [`super::super::Store::write_articles`].
pub(in super::super) async fn write_articles(
    pool: &PgPool,
    batch: &[ImportedArticle],
) -> Result<Vec<WriteOutcome>, StoreError> {
    let mut tx = pool.begin().await?;
    sqlx::query("SELECT pg_advisory_xact_lock($1)")
        .bind(WRITE_LOCK)
        .execute(&mut *tx)
        .await?;
    let ids: Vec<i64> = batch.iter().map(|b| i64::from(b.article.id.0)).collect();
    // Children (sections, events, text...) go with their article by ON DELETE CASCADE.
    let replaced: Vec<(i64,)> =
        sqlx::query_as("DELETE FROM articles WHERE id = ANY($1) RETURNING id")
            .bind(&ids)
            .fetch_all(&mut *tx)
            .await?;
    let replaced: HashSet<i64> = replaced.into_iter().map(|(id,)| id).collect();
    insert_articles(&mut tx, batch).await?;
    insert_children(&mut tx, batch).await?;
    // The generation moves, and every server's watcher hears of it when the batch commits.
    sqlx::query(
        "WITH g AS (UPDATE meta SET value = value + 1 WHERE key = 'generation' RETURNING value) \
         SELECT pg_notify($1, value::text) FROM g",
    )
    .bind(super::super::generation::CHANNEL)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(ids
        .iter()
        .map(|id| match replaced.contains(id) {
            true => WriteOutcome::Replaced,
            false => WriteOutcome::Inserted,
        })
        .collect())
}

/// Serialises a list column the way the SQLite store does (JSON text).
fn json<T: serde::Serialize>(v: &T) -> Result<String, StoreError> {
    Ok(text(&serde_json::to_string(v)?))
}

async fn insert_articles(
    tx: &mut Transaction<'_, Postgres>,
    batch: &[ImportedArticle],
) -> Result<(), StoreError> {
    let n = batch.len();
    let (mut id, mut title, mut date, mut category) = (vec![], vec![], vec![], vec![]);
    let (mut product, mut versions, mut os, mut kind) = (vec![], vec![], vec![], vec![]);
    let (mut keywords, mut applies, mut words, mut tech) = (vec![], vec![], vec![], vec![]);
    let (mut issue, mut trailer, mut hash) = (vec![], vec![], Vec::with_capacity(n));
    let mut catalogue = Vec::with_capacity(n);
    for b in batch {
        let a = &b.article;
        id.push(i64::from(a.id.0));
        title.push(text(&a.title));
        date.push(text(&a.date));
        category.push(text(&a.category));
        product.push(text(&a.product));
        versions.push(text(&a.versions));
        os.push(text(&a.os));
        kind.push(kb::title_kind(&a.title).unwrap_or("").to_string());
        keywords.push(json(&a.keywords)?);
        applies.push(json(&a.applies_to)?);
        words.push(json(&a.query_words)?);
        tech.push(json(&a.technology)?);
        issue.push(a.issue_type.as_deref().map(text));
        trailer.push(json(&a.trailer)?);
        hash.push(b.content_hash.clone());
        catalogue.push(b.catalogue);
    }
    sqlx::query(
        "INSERT INTO articles (id, title, date, category, product, versions, os, kind, \
         keywords, applies_to, query_words, technology, issue_type, trailer, content_hash, \
         catalogue) SELECT * FROM UNNEST($1::bigint[], $2::text[], $3::text[], $4::text[], \
         $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[], \
         $12::text[], $13::text[], $14::text[], $15::text[], $16::boolean[])",
    )
    .bind(id)
    .bind(title)
    .bind(date)
    .bind(category)
    .bind(product)
    .bind(versions)
    .bind(os)
    .bind(kind)
    .bind(keywords)
    .bind(applies)
    .bind(words)
    .bind(tech)
    .bind(issue)
    .bind(trailer)
    .bind(hash)
    .bind(catalogue)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Sections' columns: article, ord, heading, text, blocks.
type SectionColumns = (Vec<i64>, Vec<i64>, Vec<String>, Vec<String>, Vec<String>);
/// Citations' columns: from, ord, to, title, section.
type RefColumns = (
    Vec<i64>,
    Vec<i64>,
    Vec<i64>,
    Vec<Option<String>>,
    Vec<String>,
);

/// The rows of every table hanging off an article, one array per column.
// Each tuple is one table's columns, bound as arrays in one INSERT ... UNNEST.
#[allow(clippy::type_complexity)]
#[derive(Default)]
struct Children {
    sections: SectionColumns,
    refs: RefColumns,
    events: EventColumns,
    mentions: (Vec<i64>, Vec<i64>),
    facets: (Vec<String>, Vec<String>, Vec<i64>),
    sources: (Vec<i64>, Vec<Vec<u8>>),
    diagnoses: (Vec<i64>, Vec<String>),
    texts: (Vec<i64>, Vec<String>, Vec<String>, Vec<String>),
}

impl Children {
    /// Adds article `id`'s browse facets: category, product, title kind and keywords.
    fn push_facets(&mut self, id: i64, a: &kb::Article) {
        let kind = kb::title_kind(&a.title).unwrap_or("");
        let facets = [
            ("category", a.category.as_str()),
            ("product", &a.product),
            ("kind", kind),
        ]
        .into_iter()
        .chain(a.keywords.iter().map(|k| ("keyword", k.as_str())));
        for (facet, value) in facets.filter(|(_, v)| !v.is_empty()) {
            self.facets.0.push(facet.to_string());
            self.facets.1.push(text(value));
            self.facets.2.push(id);
        }
    }
}

#[derive(Default)]
struct EventColumns {
    article: Vec<i64>,
    ord: Vec<i64>,
    event_id: Vec<i64>,
    source: Vec<Option<String>>,
    key: Vec<String>,
    kind: Vec<Option<String>>,
    category: Vec<Option<String>>,
    description: Vec<Option<String>>,
    labelled: Vec<bool>,
    inline: Vec<bool>,
}

impl EventColumns {
    /// Adds the `ord`th event quoted by article `id`.
    fn push(&mut self, id: i64, ord: usize, e: &kb::EventQuote) {
        let opt = |s: &Option<String>| s.as_deref().map(text);
        self.article.push(id);
        self.ord.push(ord as i64);
        self.event_id.push(i64::from(e.event_id));
        self.source.push(opt(&e.source));
        self.key.push(text(
            &e.source.as_deref().map(kb::fold_source).unwrap_or_default(),
        ));
        self.kind.push(opt(&e.kind));
        self.category.push(opt(&e.category));
        self.description.push(opt(&e.description));
        self.labelled.push(e.description_labelled);
        self.inline.push(e.inline_fields);
    }
}

fn children(batch: &[ImportedArticle]) -> Result<Children, StoreError> {
    let mut c = Children::default();
    let opt = |s: &Option<String>| s.as_deref().map(text);
    for b in batch {
        let a = &b.article;
        let id = i64::from(a.id.0);
        for (ord, s) in a.sections.iter().enumerate() {
            c.sections.0.push(id);
            c.sections.1.push(ord as i64);
            c.sections.2.push(text(&s.heading));
            c.sections.3.push(text(&s.text));
            c.sections.4.push(json(&s.blocks)?);
        }
        for (ord, r) in a.references.iter().enumerate() {
            c.refs.0.push(id);
            c.refs.1.push(ord as i64);
            c.refs.2.push(i64::from(r.id.0));
            c.refs.3.push(opt(&r.title));
            c.refs.4.push(text(&r.section));
        }
        for (ord, e) in a.events.iter().enumerate() {
            c.events.push(id, ord, e);
        }
        for &event_id in &b.mentions {
            c.mentions.0.push(i64::from(event_id));
            c.mentions.1.push(id);
        }
        c.push_facets(id, a);
        c.sources.0.push(id);
        // The reader deflated the text it had; otherwise (a batch made without it) from the
        // packed copy.
        c.sources.1.push(match &b.source {
            Some(gz) => gz.clone(),
            None => deflate(&b.packed.text(a.id)?),
        });
        c.diagnoses.0.push(id);
        // The reader's diagnosis, as packed; otherwise the packed copy's.
        c.diagnoses.1.push(match &b.diagnosis {
            Some(d) => text(d),
            None => json(&b.packed.diagnosis(a.id)?)?,
        });
        // The reader's full-text columns, the same SQLite indexes.
        c.texts.0.push(id);
        c.texts.1.push(text(&a.title));
        c.texts.2.push(text(&b.fts.symptoms));
        c.texts.3.push(text(&b.fts.body));
    }
    Ok(c)
}

async fn insert_children(
    tx: &mut Transaction<'_, Postgres>,
    batch: &[ImportedArticle],
) -> Result<(), StoreError> {
    let mut c = children(batch)?;
    let s = std::mem::take(&mut c.sections);
    let r = std::mem::take(&mut c.refs);
    let e = std::mem::take(&mut c.events);
    insert_structure(tx, s, r, e).await?;
    insert_lookups(tx, c).await
}

/// The sections, citations and quoted events of a batch.
async fn insert_structure(
    tx: &mut Transaction<'_, Postgres>,
    s: SectionColumns,
    r: RefColumns,
    e: EventColumns,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO sections (article_id, ord, heading, text, blocks) \
         SELECT * FROM UNNEST($1::bigint[], $2::bigint[], $3::text[], $4::text[], $5::text[])",
    )
    .bind(s.0)
    .bind(s.1)
    .bind(s.2)
    .bind(s.3)
    .bind(s.4)
    .execute(&mut **tx)
    .await?;
    sqlx::query(
        "INSERT INTO article_refs (from_id, ord, to_id, title, section) \
         SELECT * FROM UNNEST($1::bigint[], $2::bigint[], $3::bigint[], $4::text[], $5::text[]) \
         ON CONFLICT DO NOTHING",
    )
    .bind(r.0)
    .bind(r.1)
    .bind(r.2)
    .bind(r.3)
    .bind(r.4)
    .execute(&mut **tx)
    .await?;
    sqlx::query(
        "INSERT INTO events (article_id, ord, event_id, source, source_key, type, category, \
         description, description_labelled, inline_fields) \
         SELECT * FROM UNNEST($1::bigint[], $2::bigint[], $3::bigint[], $4::text[], $5::text[], \
         $6::text[], $7::text[], $8::text[], $9::boolean[], $10::boolean[])",
    )
    .bind(e.article)
    .bind(e.ord)
    .bind(e.event_id)
    .bind(e.source)
    .bind(e.key)
    .bind(e.kind)
    .bind(e.category)
    .bind(e.description)
    .bind(e.labelled)
    .bind(e.inline)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The rest of a batch's rows (sections, citations and events taken out): mentions, facets,
/// sources, diagnoses and the full-text columns.
async fn insert_lookups(tx: &mut Transaction<'_, Postgres>, c: Children) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO event_mentions (event_id, article_id) \
         SELECT * FROM UNNEST($1::bigint[], $2::bigint[]) ON CONFLICT DO NOTHING",
    )
    .bind(c.mentions.0)
    .bind(c.mentions.1)
    .execute(&mut **tx)
    .await?;
    sqlx::query(
        "INSERT INTO facets (facet, value, article_id) \
         SELECT * FROM UNNEST($1::text[], $2::text[], $3::bigint[]) ON CONFLICT DO NOTHING",
    )
    .bind(c.facets.0)
    .bind(c.facets.1)
    .bind(c.facets.2)
    .execute(&mut **tx)
    .await?;
    sqlx::query(
        "INSERT INTO article_sources (article_id, text_gz) \
         SELECT * FROM UNNEST($1::bigint[], $2::bytea[])",
    )
    .bind(c.sources.0)
    .bind(c.sources.1)
    .execute(&mut **tx)
    .await?;
    sqlx::query(
        "INSERT INTO diagnoses (article_id, body) SELECT * FROM UNNEST($1::bigint[], $2::text[])",
    )
    .bind(c.diagnoses.0)
    .bind(c.diagnoses.1)
    .execute(&mut **tx)
    .await?;
    sqlx::query(
        "INSERT INTO article_text (article_id, title, symptoms, body) \
         SELECT * FROM UNNEST($1::bigint[], $2::text[], $3::text[], $4::text[])",
    )
    .bind(c.texts.0)
    .bind(c.texts.1)
    .bind(c.texts.2)
    .bind(c.texts.3)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// See [`super::super::Store::articles_between`]: the same four reads, in one snapshot.
pub(in super::super) async fn articles_between(
    pool: &PgPool,
    first: i64,
    last: i64,
    limit: i64,
) -> Result<Vec<StoredArticle>, StoreError> {
    let mut tx = pool.begin().await?;
    sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        .execute(&mut *tx)
        .await?;
    let rows: Vec<ArticleRow> = sqlx::query_as(READ_ARTICLES)
        .bind(first)
        .bind(last)
        .bind(limit)
        .fetch_all(&mut *tx)
        .await?;
    let Some(end) = rows.last().map(|r| r.id) else {
        return Ok(Vec::new());
    };
    let start = rows[0].id;
    let sections: Vec<SectionRow> = sqlx::query_as(READ_SECTIONS)
        .bind(start)
        .bind(end)
        .fetch_all(&mut *tx)
        .await?;
    let refs: Vec<RefRow> = sqlx::query_as(READ_REFS)
        .bind(start)
        .bind(end)
        .fetch_all(&mut *tx)
        .await?;
    let events: Vec<EventRow> = sqlx::query_as(READ_EVENTS)
        .bind(start)
        .bind(end)
        .fetch_all(&mut *tx)
        .await?;
    tx.commit().await?;
    assemble(rows, group_sections(sections), refs, events)
}

/// See [`super::super::Store::summaries`].
pub(in super::super) async fn summaries(
    pool: &PgPool,
    ids: &[ArticleId],
) -> Result<Vec<Summary>, StoreError> {
    Ok(
        sqlx::query_as("SELECT id, title FROM articles WHERE id = ANY($1) ORDER BY id")
            .bind(id_array(ids))
            .fetch_all(pool)
            .await?,
    )
}
