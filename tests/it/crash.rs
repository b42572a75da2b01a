//! Killing `kbfix import` part-way (SIGKILL, no chance to clean up) loses nothing that was
//! committed and corrupts nothing: the next open is clean, every stored article is whole, no
//! row is left without its article, and importing again completes with each article once.
//! Readers during an import likewise only ever see whole articles.

use kbfix::import::{NoProgress, import_paths};
use kbfix::kb::ArticleId;
use kbfix::store::Store;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Enough articles that an import is still running when we kill it.
const ARTICLES: u32 = 3_000;
const FIRST_ID: u32 = 700_000;
/// Sections, event quotes and citations each generated article has.
const SECTIONS: i64 = 4;
const EVENTS: i64 = 2;
const REFS: i64 = 2;

/// One article in the archive's format, with events and citations of its neighbours, and
/// enough text (about 4 KiB) that writing it takes real work.
fn article(n: u32) -> String {
    let id = FIRST_ID + n;
    let next = FIRST_ID + (n + 1) % ARTICLES;
    let prev = FIRST_ID + (n + ARTICLES - 1) % ARTICLES;
    let filler = format!(
        "The service number {n} stops when the directory exchange runs with replica {id}. "
    )
    .repeat(8);
    format!(
        "DOCUMENT:Q{id}  27-MAY-1999  [exchange]\r\n\
TITLE   :XFOR: Event ID {e1} Logged by Synthetic Service {n}\r\n\
PRODUCT :Microsoft Exchange\r\n\
PROD/VER:winnt:5.0,5.5\r\n\
OPER/SYS:\r\n\
KEYWORDS:kbusage\r\n\
\r\n\
======================================================================\r\n\
-------------------------------------------------------------------------------\r\n\
The information in this article applies to:\r\n\
\r\n\
 - Microsoft Exchange Server, versions 5.0, 5.5\r\n\
-------------------------------------------------------------------------------\r\n\
\r\n\
SYMPTOMS\r\n\
========\r\n\
\r\n\
The event log may record the following entries:\r\n\
\r\n\
   Event ID: {e1}\r\n\
   Source: SynthSource{s}\r\n\
   Type: Error\r\n\
   Description: Synthetic failure {n} in the bridge.\r\n\
\r\n\
   Event ID: {e2}\r\n\
   Source: SynthSource{s}\r\n\
   Type: Warning\r\n\
   Description: Synthetic warning {n} in the bridge.\r\n\
\r\n\
CAUSE\r\n\
=====\r\n\
\r\n\
{filler}\r\n\
\r\n\
RESOLUTION\r\n\
==========\r\n\
\r\n\
1. Open the administration console.\r\n\
\r\n\
2. Restart the synthetic service {n}.\r\n\
\r\n\
MORE INFORMATION\r\n\
================\r\n\
\r\n\
For more information, see the following articles in the Microsoft Knowledge Base:\r\n\
\r\n\
   Q{next} XFOR: Next Synthetic Article\r\n\
   Q{prev} XFOR: Previous Synthetic Article\r\n\
\r\n\
Additional query words: synthetic crash{n}\r\n\
\r\n\
======================================================================\r\n\
Keywords          : kbusage\r\n\
Issue type        : kbprb\r\n\
\r\n\
=============================================================================\r\n\
\r\n\
THE INFORMATION PROVIDED IN THE MICROSOFT KNOWLEDGE BASE IS\r\n\
PROVIDED \"AS IS\".\r\n",
        e1 = 1000 + n % 97,
        e2 = 2000 + n % 89,
        s = n % 13,
    )
}

fn write_articles(dir: &Path) {
    for n in 0..ARTICLES {
        // Spread over subdirectories, as the archive is.
        let sub = dir.join(format!("{:03}", n / 100));
        std::fs::create_dir_all(&sub).unwrap();
        std::fs::write(sub.join(format!("Q{}.TXT", FIRST_ID + n)), article(n)).unwrap();
    }
}

/// Articles a reader beside the import sees committed (0 before the table exists). The
/// connection is the caller's, kept open, so closing it never checkpoints the import's WAL.
fn committed(conn: &rusqlite::Connection) -> i64 {
    conn.query_row("SELECT count(*) FROM articles", [], |r| r.get(0))
        .unwrap_or(0)
}

fn import(db: &Path, src: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_kbfix"));
    cmd.arg("--db")
        .arg(db)
        .arg("import")
        .arg(src)
        .env_remove("KBFIX_DB")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    cmd
}

/// Starts an import and SIGKILLs it once the database has grown by `grow` bytes, i.e. once
/// some batches are written and more are on their way. Returns false when the import
/// finished before it could be killed.
/// Starts an import and kills it as soon as a reader sees it commit past `after` articles:
/// by articles, not bytes or time, so the kill lands mid-import however loaded the machine
/// is and however compactly the store writes. False when the import finished first.
fn import_and_kill(db: &Path, src: &Path, after: i64) -> bool {
    let mut child = import(db, src).spawn().expect("spawn kbfix import");
    let deadline = Instant::now() + Duration::from_secs(120);
    let mut reader = None;
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            assert!(status.success(), "import failed on its own: {status}");
            return false;
        }
        if reader.is_none() && db.exists() {
            reader = rusqlite::Connection::open_with_flags(
                db,
                rusqlite::OpenFlags::SQLITE_OPEN_READ_WRITE,
            )
            .ok();
        }
        if reader.as_ref().is_some_and(|r| committed(r) > after) {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the import committed nothing in 120 s"
        );
        std::thread::sleep(Duration::from_millis(2));
    }
    // Child::kill is SIGKILL on unix: no destructor, no checkpoint, no rollback by us.
    child.kill().unwrap();
    let status = child.wait().unwrap();
    use std::os::unix::process::ExitStatusExt;
    status.signal() == Some(9)
}

/// What the database holds, checked as the next user to open it would meet it.
async fn check_consistent(db: &Path) -> i64 {
    let store = Store::open(db).await.expect("the next open is clean");
    let pool = store.pool();
    let integrity: String = sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_one(pool)
        .await
        .unwrap();
    assert_eq!(integrity, "ok");
    let fk: Vec<(String,)> = sqlx::query_as("SELECT \"table\" FROM pragma_foreign_key_check")
        .fetch_all(pool)
        .await
        .unwrap();
    assert!(fk.is_empty(), "foreign key violations: {fk:?}");
    for (table, column) in [
        ("article_texts", "article_id"),
        ("events", "article_id"),
        ("article_refs", "from_id"),
        ("event_mentions", "article_id"),
        ("facets", "article_id"),
        ("articles_fts", "rowid"),
    ] {
        let orphans: i64 = sqlx::query_scalar(&format!(
            "SELECT count(*) FROM {table} WHERE {column} NOT IN (SELECT id FROM articles)"
        ))
        .fetch_one(pool)
        .await
        .unwrap();
        assert_eq!(orphans, 0, "{table} rows without their article");
    }
    // Every article that is there is there whole: its stored text, events and citations,
    // and its search entry (a batch is one transaction; no half of it survives).
    let partial: Vec<(i64, i64, i64, i64, i64)> = sqlx::query_as(
        "SELECT a.id, \
           (SELECT count(*) FROM article_texts t WHERE t.article_id = a.id), \
           (SELECT count(*) FROM events e WHERE e.article_id = a.id), \
           (SELECT count(*) FROM article_refs r WHERE r.from_id = a.id), \
           (SELECT count(*) FROM articles_fts f WHERE f.rowid = a.id) \
         FROM articles a",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    for (id, bodies, events, refs, fts) in &partial {
        assert_eq!(
            (*bodies, *events, *refs, *fts),
            (1, EVENTS, REFS, 1),
            "Q{id} is incomplete"
        );
    }
    let count = partial.len() as i64;
    store.close().await;
    count
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killed_imports_leave_a_clean_database() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("articles");
    write_articles(&src);
    let db = dir.path().join("kbfix.db");

    // Kill three times, each as soon as the import has committed more than the last one
    // left: from an empty database, then from partial ones.
    let mut killed = 0;
    let mut last = 0;
    for _ in 0..3 {
        let (db2, src2) = (db.clone(), src.clone());
        let was_killed = tokio::task::spawn_blocking(move || import_and_kill(&db2, &src2, last))
            .await
            .unwrap();
        let count = check_consistent(&db).await;
        eprintln!("killed past {last} articles: {was_killed}, {count} articles stored");
        assert!(count >= last, "articles lost: {last} then {count}");
        assert!(count <= i64::from(ARTICLES));
        last = count;
        killed += usize::from(was_killed);
    }
    assert!(
        killed >= 1,
        "every import finished before the kill: raise ARTICLES so the test kills one"
    );
    assert!(
        last < i64::from(ARTICLES),
        "the kills came too late to test anything"
    );

    // A full import afterwards completes and leaves each article exactly once.
    let status = import(&db, &src).status().unwrap();
    assert!(status.success());
    assert_eq!(check_consistent(&db).await, i64::from(ARTICLES));
    let out = Command::new(env!("CARGO_BIN_EXE_kbfix"))
        .arg("--db")
        .arg(&db)
        .arg("export")
        .output()
        .unwrap();
    assert!(out.status.success());
    let mut ids: Vec<String> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            v["id"].as_str().unwrap().to_string()
        })
        .collect();
    assert_eq!(ids.len(), ARTICLES as usize);
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), ARTICLES as usize, "an article is exported twice");
    let want: Vec<String> = (0..ARTICLES)
        .map(|n| format!("Q{}", FIRST_ID + n))
        .collect();
    assert_eq!(ids, want);

    // The indexes the first import (into an empty archive) deferred are all built again.
    let fresh = dir.path().join("fresh.db");
    Store::open(&fresh).await.unwrap().close().await;
    assert_eq!(indexes(&db).await, indexes(&fresh).await);
}

/// The database's indexes and the ones waiting to be built, by name.
async fn indexes(db: &Path) -> (Vec<String>, i64) {
    let store = Store::open(db).await.unwrap();
    let names = sqlx::query_scalar(
        "SELECT name FROM sqlite_schema WHERE type = 'index' AND sql IS NOT NULL ORDER BY name",
    )
    .fetch_all(store.pool())
    .await
    .unwrap();
    let waiting = sqlx::query_scalar("SELECT count(*) FROM deferred_indexes")
        .fetch_one(store.pool())
        .await
        .unwrap();
    store.close().await;
    (names, waiting)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn readers_during_an_import_see_whole_articles() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("articles");
    write_articles(&src);
    let db = dir.path().join("kbfix.db");
    let writer = Store::open(&db).await.unwrap();
    // The reader has a pool of its own, as a server beside `kbfix import` would.
    let reader = Store::open(&db).await.unwrap();
    let import = tokio::spawn(async move {
        let report = import_paths(&writer, &[src], &mut NoProgress)
            .await
            .unwrap();
        writer.close().await;
        report
    });
    let (mut seen, mut missing, mut n) = (0u32, 0u32, 0u32);
    while !import.is_finished() {
        // Walk the ids with a stride, so reads land all over the batches being written.
        n = (n + 37) % ARTICLES;
        match reader.article(ArticleId(FIRST_ID + n)).await.unwrap() {
            Some(stored) => {
                let a = &stored.article;
                assert_eq!(
                    (a.sections.len(), a.events.len(), a.references.len()),
                    (SECTIONS as usize, EVENTS as usize, REFS as usize),
                    "{} read half-written",
                    a.id
                );
                seen += 1;
            }
            None => missing += 1,
        }
    }
    let report = import.await.unwrap();
    assert_eq!(report.imported, ARTICLES as usize);
    // Both outcomes were observed, so reads really overlapped the writes.
    assert!(seen > 0 && missing > 0, "seen {seen}, missing {missing}");
    assert_eq!(reader.article_count().await.unwrap(), i64::from(ARTICLES));
    reader.close().await;
}
