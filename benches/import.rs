//! Import benchmark: the whole archive into a fresh database, beside the baseline of loading
//! the same raw text into a single FTS5 table with no parsing at all.
//!
//! `cargo bench --bench import [-- ARCHIVE]` (default `../shared/corpus/kb-txt.tar.gz`).

use flate2::read::GzDecoder;
use sqlx::Connection;
use sqlx::sqlite::{SqliteConnectOptions, SqliteConnection, SqliteJournalMode, SqliteSynchronous};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

fn main() -> anyhow::Result<()> {
    let archive = std::env::args()
        .skip(1)
        .find(|a| !a.starts_with('-'))
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("../shared/corpus/kb-txt.tar.gz"));
    anyhow::ensure!(archive.exists(), "{} not found", archive.display());
    let dir = tempfile::tempdir()?;

    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let (raw_secs, raw_files) = rt.block_on(raw_load(&archive, &dir.path().join("raw.db")))?;
    println!("baseline: raw text of {raw_files} files into one FTS5 table: {raw_secs:.1} s");

    let db = dir.path().join("kbfix.db");
    let start = Instant::now();
    let out = Command::new(env!("CARGO_BIN_EXE_kbfix"))
        .arg("--db")
        .arg(&db)
        .arg("import")
        .arg(&archive)
        .output()?;
    let secs = start.elapsed().as_secs_f64();
    anyhow::ensure!(
        out.status.success(),
        "kbfix import failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let summary = String::from_utf8_lossy(&out.stdout);
    println!("kbfix import: {secs:.1} s ({})", summary.trim());
    println!(
        "ratio: {:.2}x the baseline (target at most 1.5x)",
        secs / raw_secs
    );
    Ok(())
}

/// Reads every member of the archive and inserts its text, undecoded beyond UTF-8 lossy,
/// into one FTS5 table in one transaction: the floor any import has to stand on.
async fn raw_load(archive: &Path, db: &Path) -> anyhow::Result<(f64, usize)> {
    let start = Instant::now();
    let options = SqliteConnectOptions::new()
        .filename(db)
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Normal);
    let mut conn = SqliteConnection::connect_with(&options).await?;
    sqlx::query("CREATE VIRTUAL TABLE raw USING fts5(body, tokenize = 'porter unicode61')")
        .execute(&mut conn)
        .await?;
    let (tx, mut rx) = tokio::sync::mpsc::channel::<String>(1024);
    let path = archive.to_path_buf();
    let reader = std::thread::spawn(move || -> anyhow::Result<()> {
        let mut tar = tar::Archive::new(GzDecoder::new(std::io::BufReader::new(
            std::fs::File::open(path)?,
        )));
        for entry in tar.entries()? {
            let mut entry = entry?;
            if !entry.header().entry_type().is_file() {
                continue;
            }
            let mut bytes = Vec::new();
            entry.read_to_end(&mut bytes)?;
            if tx
                .blocking_send(String::from_utf8_lossy(&bytes).into_owned())
                .is_err()
            {
                break;
            }
        }
        Ok(())
    });
    let mut files = 0;
    let mut txn = conn.begin().await?;
    while let Some(text) = rx.recv().await {
        sqlx::query("INSERT INTO raw (body) VALUES (?1)")
            .bind(text)
            .execute(&mut *txn)
            .await?;
        files += 1;
    }
    txn.commit().await?;
    reader
        .join()
        .map_err(|_| anyhow::anyhow!("reader thread panicked"))??;
    Ok((start.elapsed().as_secs_f64(), files))
}
