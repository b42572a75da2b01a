//! Importing articles: read sources, parse on a thread of their own, write in batches.

mod source;

pub use source::{SourceFile, is_tar_gz, read_source, read_source_counted, work_units};

use crate::kb::{self, Article, ArticleId};
use crate::store::{ExistingArticle, ImportedArticle, Store, StoreError, WriteOutcome};
use sha2::{Digest, Sha256};
use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

/// Articles written per transaction: large enough to amortise commits, small enough that a
/// concurrent reader or writer never waits long for the lock.
const BATCH: usize = 500;

/// A file that could not be imported, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportFailure {
    /// The file (or archive member).
    pub path: String,
    /// What was wrong with it.
    pub reason: String,
}

/// What one import did.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ImportReport {
    /// New articles.
    pub imported: usize,
    /// Articles that replaced an older copy.
    pub replaced: usize,
    /// Articles already stored as they are (or stored with a newer date).
    pub unchanged: usize,
    /// Files that were not imported.
    pub failures: Vec<ImportFailure>,
    /// Wall time.
    pub seconds: f64,
}

impl ImportReport {
    /// The one summary line printed at the end.
    pub fn summary(&self) -> String {
        format!(
            "imported {}, replaced {}, unchanged {}, failed {}, {:.1} s",
            self.imported,
            self.replaced,
            self.unchanged,
            self.failures.len(),
            self.seconds
        )
    }
}

/// Receives progress as articles are processed.
pub trait Progress: Send {
    /// Called once before reading with the work ahead, in units of [`work_units`]: files
    /// for directories and single files, compressed bytes for archives.
    fn start(&mut self, total: u64) {
        let _ = total;
    }
    /// Called every few hundred files with the files processed so far and the units of
    /// work read so far.
    fn advance(&mut self, files: usize, units: u64);
    /// Called once at the end.
    fn finish(&mut self);
}

/// A progress sink that reports nothing.
pub struct NoProgress;

impl Progress for NoProgress {
    fn advance(&mut self, _: usize, _: u64) {}
    fn finish(&mut self) {}
}

/// Files between two progress calls.
const PROGRESS_EVERY: usize = 256;

/// One parsed file on its way to the writer; `None`: its bytes are stored already.
struct Parsed {
    path: String,
    result: Result<Option<ImportedArticle>, String>,
}

/// Imports every article found under `paths` into `store`. File-level problems are
/// collected in the report; only database errors stop the import.
pub async fn import_paths(
    store: &Store,
    paths: &[PathBuf],
    progress: &mut dyn Progress,
) -> Result<ImportReport, StoreError> {
    let start = Instant::now();
    // Indexes an earlier import deferred and did not build (it stopped half way) first.
    store.build_deferred_indexes().await?;
    let existing = store.existing_articles().await?;
    // Into an empty archive, the article tables' indexes are built once at the end rather
    // than kept up to date batch by batch; built whether the import ends well or not.
    if existing.is_empty() {
        store.defer_indexes().await?;
    }
    let imported = import_into(store, paths, progress, existing).await;
    store.build_deferred_indexes().await?;
    // The import's WAL, hundreds of megabytes for the archive, handed back at once.
    if !store.checkpoint_truncate().await? {
        tracing::warn!("the WAL could not be truncated after the import: a reader held it");
    }
    let mut report = imported?;
    report.seconds = start.elapsed().as_secs_f64();
    Ok(report)
}

/// [`import_paths`] once the stored articles (`existing`) are known.
async fn import_into(
    store: &Store,
    paths: &[PathBuf],
    progress: &mut dyn Progress,
    mut existing: HashMap<ArticleId, ExistingArticle>,
) -> Result<ImportReport, StoreError> {
    // A whole batch in the channel keeps the reader busy for all of the time the writer
    // commits one (with half a batch the two took turns: the import was the sum of their
    // times, not the longer), and bounds what waits in memory when the reader is faster.
    let (tx, mut rx) = tokio::sync::mpsc::channel::<Parsed>(BATCH);
    let paths = paths.to_vec();
    progress.start(paths.iter().map(|p| work_units(p)).sum());
    let units = Arc::new(AtomicU64::new(0));
    let stored = existing.values().map(|e| e.content_hash.clone()).collect();
    // PostgreSQL keeps each original text on its own row as well: deflated by the reader.
    let own_source = store.is_shared();
    let reader = spawn_reader(paths, stored, tx, units.clone(), own_source);

    let mut report = ImportReport::default();
    let mut batch: Vec<ImportedArticle> = Vec::with_capacity(BATCH);
    let mut done = 0;
    while let Some(parsed) = rx.recv().await {
        done += 1;
        take(parsed, &mut existing, &mut batch, &mut report);
        if batch.len() >= BATCH {
            flush(store, &mut batch, &mut report).await?;
        }
        if done % PROGRESS_EVERY == 0 {
            progress.advance(done, units.load(Ordering::Relaxed));
        }
    }
    flush(store, &mut batch, &mut report).await?;
    progress.advance(done, units.load(Ordering::Relaxed));
    progress.finish();
    // The thread has finished sending once the channel closed; joining reaps it, and a
    // reader that died (outside any one file's parse) must not pass for a complete import.
    if reader.join().is_err() {
        report.failures.push(ImportFailure {
            path: "(reader)".to_string(),
            reason: "reading the sources stopped early on an internal error".to_string(),
        });
    }
    Ok(report)
}

/// Files one source the reader sent: a failure or an unchanged article in the report, a
/// new or changed article in the batch (and in `existing`, so that a later copy of it in
/// the same run is compared with this one).
fn take(
    parsed: Parsed,
    existing: &mut HashMap<ArticleId, ExistingArticle>,
    batch: &mut Vec<ImportedArticle>,
    report: &mut ImportReport,
) {
    let new = match parsed.result {
        Err(reason) => {
            report.failures.push(ImportFailure {
                path: parsed.path,
                reason,
            });
            return;
        }
        Ok(None) => {
            report.unchanged += 1;
            return;
        }
        Ok(Some(new)) => new,
    };
    let (article, hash) = (&new.article, &new.content_hash);
    if !should_write(existing.get(&article.id), article, hash) {
        report.unchanged += 1;
        return;
    }
    existing.insert(
        article.id,
        ExistingArticle {
            date: article.date.clone(),
            content_hash: hash.clone(),
        },
    );
    // Two copies of one article in a single batch: keep the later one only.
    let id = article.id;
    batch.retain(|b| b.article.id != id);
    batch.push(new);
}

/// Lowers the calling thread's CPU priority (nice 10): parsing the archive is the import's
/// heaviest work, and a server answering beside it on the same cores should not wait on it
/// (issue 26, "an import nobody notices"). Best effort: a refusal leaves the priority.
fn background_priority() {
    #[cfg(target_os = "linux")]
    // SAFETY: setpriority changes only the scheduling priority of this thread (its id from
    // gettid); no memory is touched.
    unsafe {
        let tid = libc::gettid();
        libc::setpriority(libc::PRIO_PROCESS, tid as libc::id_t, 10);
    }
}

/// Reading, decompressing, parsing and encoding run on a thread of their own, beside the
/// writer. A file whose hash is among the `stored` ones is stored as it is (the hash covers
/// the bytes and the parser version): it is passed on unparsed.
fn spawn_reader(
    paths: Vec<PathBuf>,
    stored: HashSet<String>,
    tx: tokio::sync::mpsc::Sender<Parsed>,
    units: Arc<AtomicU64>,
    own_source: bool,
) -> std::thread::JoinHandle<()> {
    std::thread::spawn(move || {
        background_priority();
        for path in &paths {
            let mut emit = |file: SourceFile| {
                let result = file.bytes.and_then(|bytes| {
                    let hash = content_hash(&bytes);
                    if stored.contains(&hash) {
                        return Ok(None);
                    }
                    let article = parse_guarded(&bytes)?;
                    let text = kb::decode_text(&bytes);
                    ImportedArticle::new(article, hash, &text, own_source)
                        .map(Some)
                        .map_err(|e| e.to_string())
                });
                // A closed channel means the writer stopped on an error; it reports that.
                let _ = tx.blocking_send(Parsed {
                    path: file.path,
                    result,
                });
            };
            read_source_counted(path, &units, &mut emit);
        }
    })
}

/// Parses one file; a parser bug (a panic) fails that file, named in the report, instead of
/// silently ending the reader thread and with it the import.
fn parse_guarded(bytes: &[u8]) -> Result<kb::Article, String> {
    std::panic::catch_unwind(|| kb::parse_article(bytes))
        .map_err(|_| "the parser failed on this file (an internal error)".to_string())?
        .map_err(|e| e.to_string())
}

async fn flush(
    store: &Store,
    batch: &mut Vec<ImportedArticle>,
    report: &mut ImportReport,
) -> Result<(), StoreError> {
    if batch.is_empty() {
        return Ok(());
    }
    for outcome in store.write_articles(std::mem::take(batch)).await? {
        match outcome {
            WriteOutcome::Inserted => report.imported += 1,
            WriteOutcome::Replaced => report.replaced += 1,
        }
    }
    Ok(())
}

/// A new article is written; a stored one only when the new copy differs and is not older.
fn should_write(stored: Option<&ExistingArticle>, article: &Article, hash: &str) -> bool {
    match stored {
        None => true,
        Some(old) => old.content_hash != hash && article.date >= old.date,
    }
}

/// A hex SHA-256 prefix of the source bytes: enough to tell an unchanged article.
/// The file's hash, salted with the parser's version so that a parser that reads articles
/// differently re-imports them all instead of skipping them as unchanged.
fn content_hash(bytes: &[u8]) -> String {
    let mut hasher = Sha256::new();
    hasher.update(kb::PARSER_VERSION.to_le_bytes());
    hasher.update(bytes);
    let digest = hasher.finalize();
    digest[..16].iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kb::ArticleId;

    fn article(date: &str) -> Article {
        Article {
            id: ArticleId(1),
            title: String::new(),
            date: date.into(),
            category: String::new(),
            product: String::new(),
            versions: String::new(),
            os: String::new(),
            keywords: vec![],
            applies_to: vec![],
            sections: vec![],
            references: vec![],
            events: vec![],
            query_words: vec![],
            technology: vec![],
            issue_type: None,
            trailer: vec![],
        }
    }

    #[test]
    fn replacement_rules() {
        let stored = ExistingArticle {
            date: "1999-05-27".into(),
            content_hash: "aa".into(),
        };
        let cases = [
            (None, "1999-05-27", "aa", true),
            (Some(&stored), "1999-05-27", "aa", false),
            (Some(&stored), "2000-01-01", "bb", true),
            (Some(&stored), "1999-05-27", "bb", true),
            (Some(&stored), "1998-01-01", "bb", false),
        ];
        for (old, date, hash, want) in cases {
            assert_eq!(
                should_write(old, &article(date), hash),
                want,
                "{date} {hash}"
            );
        }
    }

    #[test]
    fn hashes_differ_by_content() {
        assert_eq!(content_hash(b"a"), content_hash(b"a"));
        assert_ne!(content_hash(b"a"), content_hash(b"b"));
        assert_eq!(content_hash(b"a").len(), 32);
    }
}
