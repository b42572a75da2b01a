//! The import's write path: a batch of parsed articles into every table in one
//! transaction, with as few statements (and as little re-encoding) as SQLite allows.

use super::packed::{FtsText, Packed};
use super::{Db, Store, StoreError, pg};
use crate::kb::{self, Article};
use sqlx::sqlite::SqliteArguments;
use sqlx::{Arguments, Sqlite, Transaction};
use std::collections::HashSet;

/// One parsed article on its way into the store, with what the import knows of its file.
#[derive(Debug, Clone)]
pub struct ImportedArticle {
    /// The article as parsed. Where the packed copy is all the store keeps of its sections
    /// (SQLite), they are dropped once packed: a batch waiting to be written holds no
    /// second copy of the text.
    pub article: Article,
    /// The event ids its prose names (`kb::mentioned_event_ids`), read before its sections
    /// are dropped.
    pub mentions: Vec<u32>,
    /// Whether it is a catalogue article (`kb::is_catalogue`), likewise.
    pub catalogue: bool,
    /// The hash of its source bytes (salted with the parser version).
    pub content_hash: String,
    /// Its full-text columns, worked out once: indexed, and packed with the rest.
    pub fts: FtsText,
    /// Its full-text columns, original text, sections and diagnosis, packed as stored.
    pub packed: Packed,
    /// Its original text deflated on its own, for a store that keeps it apart (PostgreSQL's
    /// `article_sources`); `None` where the packed text is all that is kept (SQLite).
    pub source: Option<Vec<u8>>,
    /// Its diagnosis as JSON, the same the packed copy holds, for a store that keeps it
    /// apart (PostgreSQL's `diagnoses`); `None` where the packed copy is all that is kept.
    pub diagnosis: Option<String>,
}

impl ImportedArticle {
    /// Encodes everything the store keeps of an article (with `own_source`, the original
    /// text and the diagnosis on their own too): called on the import's reader thread, so
    /// the compression runs beside the writer rather than in its way, from the text the
    /// reader already has. The diagnosis is worked out here, once, for every copy of it.
    pub fn new(
        mut article: Article,
        content_hash: String,
        text: &str,
        own_source: bool,
    ) -> Result<Self, StoreError> {
        let diagnosis = serde_json::to_string(&kb::diagnose(&article))?;
        let fts = fts_columns(&article);
        let packed = Packed::new(&fts, text, &article, &diagnosis)?;
        let (mentions, catalogue) = (
            kb::mentioned_event_ids(&article),
            kb::is_catalogue(&article),
        );
        if !own_source {
            article.sections = Vec::new();
        }
        Ok(Self {
            packed,
            fts,
            mentions,
            catalogue,
            source: own_source.then(|| deflate(text)),
            diagnosis: own_source.then_some(diagnosis),
            article,
            content_hash,
        })
    }
}

/// `text` deflated on its own, as PostgreSQL's `article_sources` keeps it.
pub(super) fn deflate(text: &str) -> Vec<u8> {
    use flate2::Compression;
    use flate2::write::DeflateEncoder;
    use std::io::Write;
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

impl Store {
    /// Writes a batch of articles in one transaction, each replacing any stored copy, so a
    /// reader sees either the old batch or the new one, never half an article. The batch
    /// is taken whole: its large texts move into the statements' arguments, where borrowed
    /// ones would be copied (sqlx copies what it borrows to hand it to its worker thread;
    /// the archive's text and packed values are hundreds of megabytes).
    pub async fn write_articles(
        &self,
        mut batch: Vec<ImportedArticle>,
    ) -> Result<Vec<WriteOutcome>, StoreError> {
        let pool = match &self.db {
            Db::Sqlite(pool) => pool,
            Db::Pg(pool) => {
                let written = pg::write_articles(pool, &batch).await;
                self.cache.invalidate();
                let outcomes = written?;
                self.refresh_generation().await;
                return Ok(outcomes);
            }
        };
        let _turn = self.writer.lock().await;
        let mut conn = super::bounded::at("write_articles", pool.acquire()).await?;
        let pooled = set_pragmas(&mut conn, &IMPORT_PRAGMAS).await?;
        let written = write_in_transaction(&mut conn, &mut batch).await;
        // The connection goes back to the pool as it came, before the generation is read
        // again: that read needs a connection too, and an in-memory store has only one.
        set_pragmas(&mut conn, &pooled).await?;
        drop(conn);
        let outcomes = written?;
        // Decoded copies of the replaced articles must not outlive the commit.
        self.cache.invalidate();
        self.refresh_generation().await;
        Ok(outcomes)
    }
}

/// How a connection is set for writing an import batch:
/// - `wal_autocheckpoint`: SQLite checkpoints after a commit that leaves the WAL past the
///   committing connection's limit (1,000 pages by default). 256 MB copies a page that
///   several batches rewrite (index pages, the full-text index's structure) into the
///   database once, not after every batch, and syncs the disk a few times an import
///   rather than after every few batches, which made the whole import measurably faster
///   than a smaller limit, the WAL file growing to 256 MB meanwhile.
/// - `cache_size`: a batch's pages (and the full-text segments its merges read)
///   stay in memory until its commit, rather than spilling to the WAL half way through.
/// - `temp_store`: the statement journals of its multi-row inserts stay in memory.
const IMPORT_PRAGMAS: [(&str, i64); 3] = [
    ("wal_autocheckpoint", 65_536),
    ("cache_size", -32_000),
    ("temp_store", 2),
];

/// Sets each pragma, returning the values they had.
async fn set_pragmas(
    conn: &mut sqlx::SqliteConnection,
    pragmas: &[(&'static str, i64)],
) -> Result<Vec<(&'static str, i64)>, StoreError> {
    let mut old = Vec::with_capacity(pragmas.len());
    for &(name, value) in pragmas {
        let was: i64 = sqlx::query_scalar(&format!("PRAGMA {name}"))
            .fetch_one(&mut *conn)
            .await?;
        sqlx::query(&format!("PRAGMA {name} = {value}"))
            .execute(&mut *conn)
            .await?;
        old.push((name, was));
    }
    Ok(old)
}

/// One batch in one transaction, the archive's generation bumped with it.
async fn write_in_transaction(
    conn: &mut sqlx::SqliteConnection,
    batch: &mut [ImportedArticle],
) -> Result<Vec<WriteOutcome>, StoreError> {
    // IMMEDIATE takes the write lock up front, waiting for it under busy_timeout. A
    // deferred transaction that reads first (FTS5 reads its own structure) and writes
    // second fails at once with SQLITE_BUSY when another writer committed in between.
    let mut tx = sqlx::Connection::begin_with(conn, "BEGIN IMMEDIATE").await?;
    let outcomes = write_batch(&mut tx, batch).await?;
    sqlx::query("UPDATE meta SET value = value + 1 WHERE key = 'generation'")
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(outcomes)
}

/// Writes a batch with a few statements per table. The article rows and the large values
/// (text for the full-text index, compressed blobs) are bound as parameters of multi-row
/// inserts, which spares escaping and parsing them; the other small rows (citations,
/// events, facets, mentions) still travel as one JSON array per table, unpacked by
/// `json_each` inside SQLite.
async fn write_batch(
    tx: &mut Transaction<'_, Sqlite>,
    batch: &mut [ImportedArticle],
) -> Result<Vec<WriteOutcome>, StoreError> {
    let ids: Vec<u32> = batch.iter().map(|b| b.article.id.0).collect();
    let replaced = remove_old(tx, &ids).await?;
    insert_articles(tx, batch).await?;
    let rows = Rows::of(batch)?;
    for (sql, json) in rows.statements() {
        sqlx::query(sql).bind(json).execute(&mut **tx).await?;
    }
    insert_large(tx, batch).await?;
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

/// Removes the stored copies of `ids`, returning which existed. Their children cascade away
/// with the article rows; their full-text rows go by rowid (the index is contentless, with
/// `contentless_delete`), for the replaced ones only: a fresh import deletes nothing there.
async fn remove_old(
    tx: &mut Transaction<'_, Sqlite>,
    ids: &[u32],
) -> Result<HashSet<i64>, StoreError> {
    let replaced: Vec<(i64,)> = sqlx::query_as(
        "DELETE FROM articles WHERE id IN (SELECT value FROM json_each(?1)) RETURNING id",
    )
    .bind(serde_json::to_string(ids)?)
    .fetch_all(&mut **tx)
    .await?;
    let replaced: Vec<i64> = replaced.into_iter().map(|(id,)| id).collect();
    if !replaced.is_empty() {
        sqlx::query("DELETE FROM articles_fts WHERE rowid IN (SELECT value FROM json_each(?1))")
            .bind(serde_json::to_string(&replaced)?)
            .execute(&mut **tx)
            .await?;
    }
    Ok(replaced.into_iter().collect())
}

/// The small rows of a batch, one JSON array per table (rows as arrays, in column order).
#[derive(Default)]
struct Rows {
    refs: Vec<String>,
    events: Vec<String>,
    facets: Vec<String>,
    mentions: Vec<String>,
}

impl Rows {
    fn of(batch: &[ImportedArticle]) -> Result<Self, StoreError> {
        let mut rows = Rows::default();
        for b in batch {
            rows.add(b)?;
        }
        Ok(rows)
    }

    fn add(&mut self, b: &ImportedArticle) -> Result<(), StoreError> {
        let a = &b.article;
        let id = a.id.0;
        let kind = kb::title_kind(&a.title).unwrap_or("");
        for (ord, r) in a.references.iter().enumerate() {
            self.refs.push(serde_json::to_string(&(
                id, ord, r.id.0, &r.title, &r.section,
            ))?);
        }
        for (ord, e) in a.events.iter().enumerate() {
            let key = e.source.as_deref().map(kb::fold_source).unwrap_or_default();
            self.events.push(serde_json::to_string(&(
                (id, ord, e.event_id, &e.source, key),
                (&e.kind, &e.category, &e.description),
                (e.description_labelled, e.inline_fields),
            ))?);
        }
        for &event_id in &b.mentions {
            self.mentions.push(serde_json::to_string(&(event_id, id))?);
        }
        let mut facet = |facet: &str, value: &str| -> Result<(), StoreError> {
            if !value.is_empty() {
                self.facets
                    .push(serde_json::to_string(&(facet, value, id))?);
            }
            Ok(())
        };
        facet("category", &a.category)?;
        facet("product", &a.product)?;
        facet("kind", kind)?;
        for k in &a.keywords {
            facet("keyword", k)?;
        }
        Ok(())
    }

    /// Each table's insert with its rows, skipping empty ones.
    fn statements(&self) -> Vec<(&'static str, String)> {
        [
            (REFS_SQL, &self.refs),
            (EVENTS_SQL, &self.events),
            (FACETS_SQL, &self.facets),
            (MENTIONS_SQL, &self.mentions),
        ]
        .into_iter()
        .filter(|(_, rows)| !rows.is_empty())
        .map(|(sql, rows)| (sql, format!("[{}]", rows.join(","))))
        .collect()
    }
}

const REFS_SQL: &str = "INSERT OR IGNORE INTO article_refs (from_id, ord, to_id, title, section) \
     SELECT value ->> 0, value ->> 1, value ->> 2, value ->> 3, value ->> 4 FROM json_each(?1)";
const EVENTS_SQL: &str = "INSERT INTO events (article_id, ord, event_id, source, source_key, \
     type, category, description, description_labelled, inline_fields) \
     SELECT value ->> '$[0][0]', value ->> '$[0][1]', value ->> '$[0][2]', \
     value ->> '$[0][3]', value ->> '$[0][4]', value ->> '$[1][0]', value ->> '$[1][1]', \
     value ->> '$[1][2]', value ->> '$[2][0]', value ->> '$[2][1]' FROM json_each(?1)";
const FACETS_SQL: &str = "INSERT OR IGNORE INTO facets (facet, value, article_id) \
     SELECT value ->> 0, value ->> 1, value ->> 2 FROM json_each(?1)";
const MENTIONS_SQL: &str = "INSERT OR IGNORE INTO event_mentions (event_id, article_id) \
     SELECT value ->> 0, value ->> 1 FROM json_each(?1)";

/// The article rows (before the rows that refer to them), bound as parameters of
/// multi-row inserts: no JSON to build here and parse again in SQLite for each column.
async fn insert_articles(
    tx: &mut Transaction<'_, Sqlite>,
    batch: &[ImportedArticle],
) -> Result<(), StoreError> {
    for chunk in batch.chunks(LARGE_ROWS) {
        let mut args = SqliteArguments::default();
        for b in chunk {
            let a = &b.article;
            add(&mut args, i64::from(a.id.0))?;
            for text in [
                &a.title,
                &a.date,
                &a.category,
                &a.product,
                &a.versions,
                &a.os,
            ] {
                add(&mut args, text.as_str())?;
            }
            add(&mut args, kb::title_kind(&a.title).unwrap_or(""))?;
            for list in [&a.keywords, &a.applies_to, &a.query_words, &a.technology] {
                add(&mut args, serde_json::to_string(list)?)?;
            }
            add(&mut args, a.issue_type.as_deref())?;
            add(&mut args, serde_json::to_string(&a.trailer)?)?;
            add(&mut args, b.content_hash.as_str())?;
            add(&mut args, b.catalogue)?;
        }
        let sql = multi_row_insert("articles", ARTICLE_COLUMNS, chunk.len());
        sqlx::query_with(&sql, args).execute(&mut **tx).await?;
    }
    Ok(())
}

const ARTICLE_COLUMNS: &str = "id, title, date, category, product, versions, os, kind, \
     keywords, applies_to, query_words, technology, issue_type, trailer, content_hash, \
     catalogue";

/// Rows per multi-row insert of large values: four parameters a row stays far below
/// SQLite's limit of 32,766, and a statement text per batch size is cached once.
const LARGE_ROWS: usize = 250;

/// The full-text rows and the packed texts, bound as parameters.
/// The texts and packed values are moved out of the batch, not copied.
async fn insert_large(
    tx: &mut Transaction<'_, Sqlite>,
    batch: &mut [ImportedArticle],
) -> Result<(), StoreError> {
    for chunk in batch.chunks_mut(LARGE_ROWS) {
        let mut fts = SqliteArguments::default();
        let mut texts = SqliteArguments::default();
        let n = chunk.len();
        for b in chunk {
            let id = i64::from(b.article.id.0);
            add(&mut fts, id)?;
            add(&mut fts, b.article.title.clone())?;
            add(&mut fts, std::mem::take(&mut b.fts.symptoms))?;
            add(&mut fts, std::mem::take(&mut b.fts.body))?;
            add(&mut texts, id)?;
            add(&mut texts, std::mem::take(&mut b.packed.0))?;
        }
        for (table, columns, args) in [
            ("articles_fts", "rowid, title, symptoms, body", fts),
            ("article_texts", "article_id, packed", texts),
        ] {
            let sql = multi_row_insert(table, columns, n);
            sqlx::query_with(&sql, args).execute(&mut **tx).await?;
        }
    }
    Ok(())
}

fn add<'q, T>(args: &mut SqliteArguments<'q>, value: T) -> Result<(), StoreError>
where
    T: sqlx::Encode<'q, Sqlite> + sqlx::Type<Sqlite> + 'q,
{
    args.add(value)
        .map_err(|e| StoreError::Corrupt(format!("binding an import row: {e}")))
}

/// `INSERT INTO t (a, b) VALUES (?, ?), (?, ?), ...` for `rows` rows.
fn multi_row_insert(table: &str, columns: &str, rows: usize) -> String {
    let width = columns.split(',').count();
    let one = format!("({})", vec!["?"; width].join(", "));
    format!(
        "INSERT INTO {table} ({columns}) VALUES {}",
        vec![one; rows].join(", ")
    )
}

/// Splits an article's text into the full-text columns: the symptoms (what users describe,
/// weighted above the rest) and everything else searchable.
pub(super) fn fts_columns(a: &Article) -> FtsText {
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
    FtsText { symptoms, body }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_article_is_diagnosed_once_for_every_copy() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/Q900068.TXT");
        let bytes = std::fs::read(path).unwrap();
        let article = kb::parse_article(&bytes).unwrap();
        let text = kb::decode_text(&bytes);
        let want = kb::diagnose(&article);
        assert!(
            !want.causes.is_empty(),
            "the fixture has causes to diagnose"
        );
        let apart = ImportedArticle::new(article.clone(), "h".into(), &text, true).unwrap();
        let json = apart.diagnosis.as_deref().unwrap();
        assert_eq!(serde_json::from_str::<kb::Diagnosis>(json).unwrap(), want);
        assert_eq!(apart.packed.diagnosis(article.id).unwrap(), want);
        let packed_only = ImportedArticle::new(article.clone(), "h".into(), &text, false).unwrap();
        assert_eq!(packed_only.diagnosis, None);
        assert_eq!(packed_only.source, None);
        assert_eq!(packed_only.packed.diagnosis(article.id).unwrap(), want);
        // Packed only: the sections are dropped once packed, what the rows need of them kept.
        assert!(packed_only.article.sections.is_empty());
        assert_eq!(
            packed_only.packed.sections(article.id).unwrap(),
            article.sections
        );
        assert_eq!(packed_only.mentions, kb::mentioned_event_ids(&article));
        assert_eq!(packed_only.catalogue, kb::is_catalogue(&article));
        assert_eq!(apart.article.sections, article.sections);
    }

    #[test]
    fn multi_row_statements() {
        for (rows, want) in [
            (1, "INSERT INTO t (a, b) VALUES (?, ?)"),
            (2, "INSERT INTO t (a, b) VALUES (?, ?), (?, ?)"),
        ] {
            assert_eq!(multi_row_insert("t", "a, b", rows), want);
        }
    }
}
