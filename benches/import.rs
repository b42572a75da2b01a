//! Import benchmark: kbfix's import of the whole archive into a fresh database, in the same
//! run as the plainest raw load of the same text (the honest baseline), and the ratios.
//!
//! The raw load reads the same `.tar.gz`, decodes each member as kbfix does
//! (`kb::decode_text`) and inserts the text into one FTS5 table with the same tokenizer
//! (`porter unicode61`) through one synchronous prepared statement in one transaction:
//! the fastest straightforward way to put the archive's text into a searchable table.
//!
//! `cargo bench --bench import [-- ARCHIVE] [--runs N]` (default
//! `../shared/corpus/kb-txt.tar.gz`, 1 run). Each run does the raw load, kbfix's fresh
//! import and kbfix's unchanged re-import, in that order, so machine noise hits all three.
//! With `--keep DIR` the databases stay in DIR (for `dbstat`); `KBFIX_BIN=path` runs another
//! kbfix binary's import instead of this build's.

use flate2::read::GzDecoder;
use kbfix::kb;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let opt = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    let archive = args
        .iter()
        .enumerate()
        .find(|(i, a)| {
            !a.starts_with('-') && (*i == 0 || !["--runs", "--keep"].contains(&&*args[i - 1]))
        })
        .map(|(_, a)| PathBuf::from(a))
        .unwrap_or_else(|| PathBuf::from("../shared/corpus/kb-txt.tar.gz"));
    anyhow::ensure!(archive.exists(), "{} not found", archive.display());
    let runs: usize = opt("--runs").map(|r| r.parse()).transpose()?.unwrap_or(1);
    let tmp = tempfile::tempdir()?;
    let dir = opt("--keep")
        .map(PathBuf::from)
        .unwrap_or_else(|| tmp.path().to_path_buf());
    std::fs::create_dir_all(&dir)?;

    for run in 1..=runs {
        let raw_db = dir.join("raw.db");
        let db = dir.join("kbfix.db");
        for p in [&raw_db, &db] {
            remove_db(p);
        }
        let (raw_secs, files) = raw_load(&archive, &raw_db)?;
        let raw_mb = db_megabytes(&raw_db);
        let (secs, summary) = kbfix_import(&archive, &db)?;
        let mb = db_megabytes(&db);
        let (again, again_summary) = kbfix_import(&archive, &db)?;
        println!("run {run}/{runs}");
        println!("  raw load: {files} files into one FTS5 table: {raw_secs:.1} s, {raw_mb:.0} MB");
        println!("  kbfix import, fresh: {secs:.1} s, {mb:.0} MB ({summary})");
        println!("  kbfix import, unchanged: {again:.1} s ({again_summary})");
        println!(
            "  import/raw {:.2} (target <= 1.2)  size/raw {:.2} (target <= 1.3)  \
             unchanged/fresh {:.2} (target <= 0.5)",
            secs / raw_secs,
            mb / raw_mb,
            again / secs
        );
    }
    Ok(())
}

/// The raw load: one thread, one connection, one prepared statement, one transaction.
fn raw_load(archive: &Path, db: &Path) -> anyhow::Result<(f64, usize)> {
    let start = Instant::now();
    let mut conn = rusqlite::Connection::open(db)?;
    // The same journal and sync settings as kbfix's store, so neither side is spared fsyncs.
    conn.pragma_update(None, "journal_mode", "wal")?;
    conn.pragma_update(None, "synchronous", "normal")?;
    conn.execute(
        "CREATE VIRTUAL TABLE raw USING fts5(body, tokenize = 'porter unicode61')",
        [],
    )?;
    let tx = conn.transaction()?;
    let mut files = 0;
    {
        let mut insert = tx.prepare("INSERT INTO raw (rowid, body) VALUES (?1, ?2)")?;
        let file = std::io::BufReader::with_capacity(1 << 20, std::fs::File::open(archive)?);
        let mut tar = tar::Archive::new(GzDecoder::new(file));
        let mut bytes = Vec::new();
        for entry in tar.entries()? {
            let mut entry = entry?;
            let name = entry.path()?.to_string_lossy().into_owned();
            if !entry.header().entry_type().is_file()
                || !name.to_ascii_lowercase().ends_with(".txt")
            {
                continue;
            }
            bytes.clear();
            entry.read_to_end(&mut bytes)?;
            let id = article_number(&name);
            insert.execute(rusqlite::params![id, kb::decode_text(&bytes)])?;
            files += 1;
        }
    }
    tx.commit()?;
    conn.pragma_update(None, "wal_checkpoint", "TRUNCATE")?;
    drop(conn);
    Ok((start.elapsed().as_secs_f64(), files))
}

/// `txt/168/Q168465.TXT` → 168465; `None` lets SQLite choose a rowid.
fn article_number(name: &str) -> Option<i64> {
    let file = name.rsplit('/').next()?;
    file.get(1..file.len().checked_sub(4)?)?.parse().ok()
}

/// Runs the release binary's import and returns its wall time and summary line.
fn kbfix_import(archive: &Path, db: &Path) -> anyhow::Result<(f64, String)> {
    let start = Instant::now();
    // KBFIX_BIN measures another build (an older commit's) against the same baseline.
    let bin = std::env::var("KBFIX_BIN").unwrap_or_else(|_| env!("CARGO_BIN_EXE_kbfix").into());
    let out = Command::new(bin)
        .arg("--db")
        .arg(db)
        .arg("import")
        .arg(archive)
        .output()?;
    let secs = start.elapsed().as_secs_f64();
    anyhow::ensure!(
        out.status.success(),
        "kbfix import failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    Ok((
        secs,
        String::from_utf8_lossy(&out.stdout).trim().to_string(),
    ))
}

/// The database's size on disk, its WAL included.
fn db_megabytes(db: &Path) -> f64 {
    let size = |p: PathBuf| std::fs::metadata(p).map(|m| m.len()).unwrap_or(0);
    let wal = PathBuf::from(format!("{}-wal", db.display()));
    (size(db.to_path_buf()) + size(wal)) as f64 / 1e6
}

fn remove_db(db: &Path) {
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", db.display()));
    }
}
