//! PostgreSQL for the tests: which server to use (`KBFIX_TEST_PG`, set by `.ci/run`), a
//! fresh database per test, and whether the shared suites run against it
//! (`KBFIX_TEST_BACKEND=postgres`).
#![allow(dead_code)]

use sqlx::{Connection, PgConnection};
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

/// The server URL without a database (`postgres://postgres@127.0.0.1:5461`), or `None`
/// with a note on stderr when it is not configured. Under CI (`CI` set) a missing server
/// fails the test instead: there the PostgreSQL tests must run.
pub fn server() -> Option<String> {
    match std::env::var("KBFIX_TEST_PG") {
        Ok(url) if !url.trim().is_empty() => Some(url.trim().trim_end_matches('/').to_string()),
        _ => {
            assert!(
                std::env::var_os("CI").is_none(),
                "CI is set but KBFIX_TEST_PG is not: the PostgreSQL tests must run in CI"
            );
            // Straight to stderr, past the test harness's capture, so a local run shows it.
            use std::io::Write;
            let _ = writeln!(
                std::io::stderr(),
                "note: KBFIX_TEST_PG is not set; skipping a PostgreSQL test"
            );
            None
        }
    }
}

/// Whether the shared suites build their apps over PostgreSQL rather than SQLite.
pub fn backend_is_postgres() -> bool {
    std::env::var("KBFIX_TEST_BACKEND").is_ok_and(|b| b == "postgres")
}

/// Creates an empty database of its own on `server` and returns its URL.
pub async fn fresh_database(server: &str) -> String {
    static N: AtomicUsize = AtomicUsize::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    let name = format!(
        "kbfix_t{}_{}_{}",
        std::process::id(),
        nanos,
        N.fetch_add(1, Ordering::Relaxed)
    );
    let mut admin = PgConnection::connect(&format!("{server}/postgres"))
        .await
        .unwrap_or_else(|e| panic!("cannot reach PostgreSQL at {server}: {e}"));
    drop_stale(&mut admin).await;
    sqlx::query(&format!("CREATE DATABASE {name}"))
        .execute(&mut admin)
        .await
        .expect("create a test database");
    let _ = admin.close().await;
    format!("{server}/{name}")
}

/// Drops the databases earlier test runs left (their process is gone), once a run: each
/// test's database outlives it so that a failure can be looked at, but not the next run.
async fn drop_stale(admin: &mut PgConnection) {
    static DONE: AtomicBool = AtomicBool::new(false);
    if DONE.swap(true, Ordering::Relaxed) {
        return;
    }
    let names: Vec<String> =
        sqlx::query_scalar("SELECT datname FROM pg_database WHERE datname LIKE 'kbfix\\_t%'")
            .fetch_all(&mut *admin)
            .await
            .unwrap_or_default();
    for name in names {
        let pid = name["kbfix_t".len()..].split('_').next().unwrap_or("");
        if !pid.is_empty() && !Path::new("/proc").join(pid).exists() {
            let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                .execute(&mut *admin)
                .await;
        }
    }
}
