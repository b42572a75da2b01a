//! Several servers over one PostgreSQL database (issue 14): a wizard session outlives the
//! server that started it, an import made elsewhere shows on every server within a second,
//! and the servers start, migrate and answer `/healthz` together. Skipped with a note when
//! `KBFIX_TEST_PG` is not set (it must be in CI; see tests/it/common/pg.rs).

use crate::common::{self, pg};
use serde_json::{Value, json};
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A `kbfix serve` child on a port of its own; killed when dropped.
struct Server {
    child: Child,
    base: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn kbfix(db: &str) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_kbfix"));
    cmd.arg("--db")
        .arg(db)
        .env_remove("KBFIX_DB")
        .env("KBFIX_LOG", "warn")
        .stdin(Stdio::null());
    cmd
}

/// Starts a server on `db` and waits for its "serving ... at http://ADDR/" line.
fn serve(db: &str) -> Server {
    let mut child = kbfix(db)
        .args([
            "serve",
            "--addr",
            "127.0.0.1:0",
            "--sessions-per-minute",
            "0",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("spawn kbfix serve");
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .expect("read the serving line");
    let at = line
        .find("http://")
        .unwrap_or_else(|| panic!("no address in {line:?}"));
    let base = line[at..].trim().trim_end_matches('/').to_string();
    Server { child, base }
}

fn import(db: &str, path: &Path) {
    let out = kbfix(db)
        .arg("import")
        .arg(path)
        .output()
        .expect("run kbfix import");
    assert!(out.status.success(), "import failed: {out:?}");
}

/// One request over a plain TCP connection (HTTP/1.1, connection closed after it).
async fn request(base: &str, method: &str, path: &str, body: Option<&Value>) -> (u16, String) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let host = base.trim_start_matches("http://");
    let mut stream = tokio::net::TcpStream::connect(host).await.expect("connect");
    let body = body.map(|b| b.to_string()).unwrap_or_default();
    let head = format!(
        "{method} {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    stream.write_all(body.as_bytes()).await.unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).await.unwrap();
    let text = String::from_utf8_lossy(&raw).into_owned();
    let status = text[9..12].parse().expect("a status line");
    let (_, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    (status, body.to_string())
}

async fn json_of(base: &str, method: &str, path: &str, body: Option<&Value>) -> (u16, Value) {
    let (status, text) = request(base, method, path, body).await;
    // Bodies may be chunked: the JSON object is between the first '{' and the last '}'.
    let json = match (text.find('{'), text.rfind('}')) {
        (Some(a), Some(b)) => serde_json::from_str(&text[a..=b]).unwrap_or(Value::Null),
        _ => Value::Null,
    };
    (status, json)
}

#[tokio::test]
async fn wizard_session_continues_on_another_server_after_the_first_is_killed() {
    let Some(server) = pg::server() else { return };
    let db = pg::fresh_database(&server).await;
    import(&db, &common::fixtures());
    let a = serve(&db);
    let b = serve(&db);

    let text = common::q900068_event();
    let (status, started) = json_of(
        &a.base,
        "POST",
        "/api/wizard",
        Some(&json!({ "text": text })),
    )
    .await;
    assert_eq!(status, 201, "{started}");
    let id = started["id"].as_str().expect("a session id").to_string();
    let n = started["n"].as_i64().expect("a step number");
    drop(a); // SIGKILL: nothing of the session lives in that process any more

    let (status, seen) = json_of(&b.base, "GET", &format!("/api/wizard/{id}"), None).await;
    assert_eq!(status, 200, "{seen}");
    assert_eq!(seen["n"], started["n"]);
    assert_eq!(seen["step"], started["step"]);
    // Answer the first step on B: "other" is a valid answer to any first step that offers
    // options, and the session moves on to step n + 1.
    let answer = first_answer(&seen["step"]);
    let (status, next) = json_of(
        &b.base,
        "POST",
        &format!("/api/wizard/{id}/answer"),
        Some(&json!({ "answer": answer })),
    )
    .await;
    assert_eq!(status, 200, "{next}");
    assert_eq!(next["n"].as_i64(), Some(n + 1));
}

/// A valid answer to a step: its first option's value.
fn first_answer(step: &Value) -> String {
    step["options"][0]["value"]
        .as_str()
        .map(str::to_string)
        .unwrap_or_else(|| panic!("a step with options: {step}"))
}

#[tokio::test]
async fn an_import_through_one_process_shows_on_every_server_within_a_second() {
    let Some(server) = pg::server() else { return };
    let db = pg::fresh_database(&server).await;
    // Every fixture but one to start with; the last one arrives while the servers run.
    let dir = tempfile::tempdir().unwrap();
    let late = "Q900068.TXT";
    for entry in std::fs::read_dir(common::fixtures()).unwrap() {
        let path = entry.unwrap().path();
        if path.file_name().is_some_and(|n| n != late) {
            std::fs::copy(&path, dir.path().join(path.file_name().unwrap())).unwrap();
        }
    }
    import(&db, dir.path());
    let servers = [serve(&db), serve(&db)];
    for s in &servers {
        // Warm the article cache, the search index and the event index at the old generation.
        assert_eq!(
            request(&s.base, "GET", "/articles/Q900068", None).await.0,
            404
        );
        let (_, found) = json_of(&s.base, "GET", "/api/search?q=bridge+EXPORT", None).await;
        assert!(!lists(&found, "Q900068"), "{found}");
    }

    let late_dir = tempfile::tempdir().unwrap();
    std::fs::copy(common::fixtures().join(late), late_dir.path().join(late)).unwrap();
    import(&db, late_dir.path());
    let imported = Instant::now();

    for s in &servers {
        loop {
            let article = request(&s.base, "GET", "/articles/Q900068", None).await.0;
            let (_, found) = json_of(&s.base, "GET", "/api/search?q=bridge+EXPORT", None).await;
            if article == 200 && lists(&found, "Q900068") {
                break;
            }
            assert!(
                imported.elapsed() < Duration::from_secs(1),
                "{} still shows the archive before the import",
                s.base
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

/// Whether a search's results include article `id`.
fn lists(found: &Value, id: &str) -> bool {
    found["results"]
        .as_array()
        .is_some_and(|r| r.iter().any(|hit| hit["id"] == id))
}

#[tokio::test]
async fn servers_starting_together_migrate_once_and_report_healthy() {
    let Some(server) = pg::server() else { return };
    let db = pg::fresh_database(&server).await;
    // Three at once on an empty database: the advisory lock lets one migrate, the others
    // wait and find the schema done.
    let servers: Vec<Server> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..3).map(|_| s.spawn(|| serve(&db))).collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    for s in &servers {
        let (status, health) = json_of(&s.base, "GET", "/healthz", None).await;
        assert_eq!(
            (status, health["status"].as_str()),
            (200, Some("ok")),
            "{health}"
        );
    }
}

#[test]
fn a_wrong_postgres_url_is_one_clear_error_line() {
    let Some(server) = pg::server() else { return };
    let missing = format!("{server}/kbfix_no_such_database");
    let out = kbfix(&missing).args(["show", "Q900068"]).output().unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    let lines: Vec<&str> = err.lines().filter(|l| !l.trim().is_empty()).collect();
    assert_eq!(lines.len(), 1, "{err}");
    assert!(
        lines[0].contains("kbfix_no_such_database") && lines[0].contains("does not exist"),
        "{err}"
    );
}

#[tokio::test]
async fn a_database_gone_away_answers_503_as_page_and_json() {
    // Backend-independent: a closed pool is what a server meets while the database is away.
    let app = common::spawn_app().await;
    app.store.close().await;
    let health = app.get("/healthz").await;
    assert_eq!(health.status, 503, "{}", health.body);
    assert!(
        health.json()["error"]
            .as_str()
            .is_some_and(|e| e.contains("not answering"))
    );
    let page = app.get("/browse").await;
    assert_eq!(page.status, 503);
    assert!(
        page.body.contains("<h1>") && page.body.contains("not answering"),
        "{}",
        page.body
    );
}

#[tokio::test]
async fn postgres_full_text_weighs_title_and_symptoms() {
    use kbfix::import::{NoProgress, import_paths};
    use kbfix::store::{SearchFilters, Store, fts_query};
    let Some(server) = pg::server() else { return };
    let store = Store::open_postgres(&pg::fresh_database(&server).await)
        .await
        .unwrap();
    import_paths(&store, &[common::fixtures()], &mut NoProgress)
        .await
        .unwrap();
    // "bridge" is in both mail-bridge articles' titles and in others' bodies (citations):
    // the titles rank first.
    let q = fts_query("bridge", " ", 8).unwrap();
    let page = store
        .search(&q, &SearchFilters::default(), 10, 0)
        .await
        .unwrap();
    assert!(page.total >= 3, "{page:?}");
    let first_two: Vec<String> = page.results[..2].iter().map(|h| h.id.to_string()).collect();
    assert!(
        first_two.contains(&"Q900068".to_string()) && first_two.contains(&"Q900070".to_string()),
        "{first_two:?}"
    );
    assert!(page.results.windows(2).all(|w| w[0].score >= w[1].score));
    // The page's rows carry the text its snippets are cut from (the searcher cuts them).
    let rows = store.result_rows(&[page.results[0].id]).await.unwrap();
    assert!(
        rows[0].title.to_lowercase().contains("bridge") && !rows[0].body.is_empty(),
        "{rows:?}"
    );
    // Stemming as FTS5's porter: "connectors" finds "Connector", and the three titles that
    // say "Connector Logs" come before the bodies that mention both; AND needs every word.
    let q = fts_query("connectors log", " ", 8).unwrap();
    let hits = store.search_ids(&q, 10).await.unwrap();
    let mut top: Vec<String> = hits[..3].iter().map(|h| h.0.to_string()).collect();
    top.sort();
    assert_eq!(top, ["Q900070", "Q900071", "Q900072"]);
    assert!(hits.len() > 3 && hits[2].1 > 2.0 * hits[3].1, "{hits:?}");
    let none = fts_query("bridge zzzunknownword", " ", 8).unwrap();
    assert!(store.search_ids(&none, 10).await.unwrap().is_empty());
    let any = fts_query("bridge zzzunknownword", " OR ", 8).unwrap();
    assert!(!store.search_ids(&any, 10).await.unwrap().is_empty());
    // A filter narrows the count; hostile text is only words.
    let filtered = SearchFilters {
        category: Some("widgets".into()),
        ..SearchFilters::default()
    };
    let q = fts_query("bridge", " ", 8).unwrap();
    let narrow = store.search(&q, &filtered, 10, 0).await.unwrap();
    assert!(narrow.total < page.total && narrow.results.iter().all(|h| h.category == "widgets"));
    let hostile = fts_query("'); DROP TABLE articles; -- !&|<->", " ", 8).unwrap();
    store
        .search(&hostile, &SearchFilters::default(), 10, 0)
        .await
        .unwrap();
    assert!(store.term_documents("bridge").await.unwrap() >= 3);
    assert_eq!(store.term_documents("the").await.unwrap(), 0, "a stopword");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_watcher_per_server_hears_an_import_and_the_search_index_follows() {
    use kbfix::import::{NoProgress, import_paths};
    use kbfix::store::Store;
    use kbfix::web::{AppState, Config};
    use sqlx::Connection;
    let Some(server) = pg::server() else { return };
    let db = pg::fresh_database(&server).await;
    let dir = tempfile::tempdir().unwrap();
    let late = "Q900068.TXT";
    for entry in std::fs::read_dir(common::fixtures()).unwrap() {
        let path = entry.unwrap().path();
        if path.file_name().is_some_and(|n| n != late) {
            std::fs::copy(&path, dir.path().join(path.file_name().unwrap())).unwrap();
        }
    }
    let servers: Vec<AppState> = {
        let mut v = Vec::new();
        for _ in 0..2 {
            let store = Store::open_postgres(&db).await.unwrap();
            v.push(AppState::new(store, Config::default()));
        }
        v
    };
    let (a, b) = (&servers[0], &servers[1]);
    import_paths(&a.store, &[dir.path().to_path_buf()], &mut NoProgress)
        .await
        .unwrap();
    // B as `kbfix serve` starts it: its index built behind, and rebuilt on each import.
    b.searcher.warm();
    let before = b.searcher.index().await.unwrap().generation;
    // Everything that follows the generation on either server (the search and event
    // indexes, the page cache) shares that server's one watcher.
    for s in &servers {
        s.matcher.index().await.unwrap();
        s.searcher.index().await.unwrap();
    }
    let mut admin = sqlx::PgConnection::connect(&db).await.unwrap();
    let listeners = || {
        sqlx::query_scalar::<_, i64>(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() \
             AND query LIKE 'LISTEN %'",
        )
    };
    let started = Instant::now();
    while listeners().fetch_one(&mut admin).await.unwrap() < 2 {
        if started.elapsed() > Duration::from_secs(5) {
            let seen: Vec<(String, String)> = sqlx::query_as(
                "SELECT coalesce(query, ''), coalesce(state, '') FROM pg_stat_activity \
                 WHERE datname = current_database()",
            )
            .fetch_all(&mut admin)
            .await
            .unwrap();
            panic!("no listeners: {seen:?}");
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(listeners().fetch_one(&mut admin).await.unwrap(), 2);

    let late_dir = tempfile::tempdir().unwrap();
    std::fs::copy(common::fixtures().join(late), late_dir.path().join(late)).unwrap();
    import_paths(&a.store, &[late_dir.path().to_path_buf()], &mut NoProgress)
        .await
        .unwrap();
    let now = a.store.generation().await.unwrap();
    assert!(now > before);
    let imported = Instant::now();
    // B hears of it by notification, well inside its 5 s fallback poll, and with no
    // request its search index is rebuilt at the new generation.
    while b.store.current_generation().await.unwrap() < now {
        assert!(imported.elapsed() < Duration::from_secs(1), "B never heard");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    while b.searcher.installed_generation() < Some(now) {
        assert!(
            imported.elapsed() < Duration::from_secs(5),
            "B did not rebuild"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let found = b
        .searcher
        .search("bridge EXPORT", &Default::default(), 0, 10)
        .await
        .unwrap();
    assert!(
        found.results.iter().any(|r| r.id.to_string() == "Q900068"),
        "{found:?}"
    );
}
