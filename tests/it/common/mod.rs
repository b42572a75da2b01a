//! Shared test support: the app over a temporary database imported from `tests/fixtures`,
//! and small helpers to send requests in-process.
#![allow(dead_code)]

pub mod hostile;
pub mod pg;

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode, header};
use http_body_util::BodyExt;
use kbfix::import::{ImportReport, NoProgress, import_paths};
use kbfix::store::Store;
use kbfix::web::{self, AppState, Config, StaffAuth};
use serde_json::json;
use std::path::PathBuf;
use std::sync::Arc;
use tempfile::TempDir;
use tower::ServiceExt;

/// The fixtures directory: small articles written for the tests, in the archive's format.
pub fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// The Q900068 event exactly as the fixture quotes it (the indented block of SYMPTOMS): what
/// a user pastes in the seed walk.
/// Runs the `kbfix` binary as `kbfix --db DB ARGS` with `stdin` piped in and none of the
/// caller's kbfix settings inherited.
pub fn kbfix_with_stdin(db: &str, args: &[&str], stdin: &[u8]) -> std::process::Output {
    use std::io::Write;
    use std::process::{Command, Stdio};
    let mut child = Command::new(env!("CARGO_BIN_EXE_kbfix"))
        .args(["--db", db])
        .args(args)
        .env("RUST_BACKTRACE", "1")
        .env_remove("KBFIX_DB")
        .env_remove("KBFIX_ADDR")
        .env_remove("KBFIX_LOG")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run kbfix");
    // Written from a thread: a large paste must not deadlock against a full stdout pipe.
    let mut pipe = child.stdin.take().unwrap();
    let input = stdin.to_vec();
    let writer = std::thread::spawn(move || {
        let _ = pipe.write_all(&input);
    });
    let out = child.wait_with_output().expect("wait for kbfix");
    writer.join().unwrap();
    out
}

pub fn q900068_event() -> String {
    let text = std::fs::read_to_string(fixtures().join("Q900068.TXT")).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let start = lines
        .iter()
        .position(|l| l.trim_start().starts_with("Event ID: 68"))
        .expect("the fixture quotes event 68");
    lines[start..]
        .iter()
        .take_while(|l| !l.trim().is_empty())
        .map(|l| l.trim())
        .collect::<Vec<_>>()
        .join(
            "
",
        )
}

/// The staff password of [`staff_app`].
pub const PASSWORD: &str = "correct horse battery staple";

/// An app whose staff log in with [`PASSWORD`].
pub async fn staff_app() -> TestApp {
    staff_app_with(Config::default()).await
}

/// An app with `config` and a staff login with [`PASSWORD`].
pub async fn staff_app_with(config: Config) -> TestApp {
    let mut app = spawn_app().await;
    app.state.config = Arc::new(with_staff(config));
    app
}

/// `config` with a staff login with [`PASSWORD`].
pub fn with_staff(config: Config) -> Config {
    Config {
        staff: Some(Arc::new(StaffAuth::new(PASSWORD, false).unwrap())),
        ..config
    }
}

/// Starts a session at `article` as `peer` (the address the accept loop records; `None`
/// for none) and answers yes to each check, then "fixed", until it is resolved; returns
/// the session id.
pub async fn walk_to_resolved(app: &TestApp, article: &str, peer: Option<&str>) -> String {
    let mut req = Request::post("/api/wizard")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(json!({ "article": article }).to_string()))
        .unwrap();
    if let Some(p) = peer {
        let addr: std::net::SocketAddr = p.parse().unwrap();
        req.extensions_mut()
            .insert(axum::extract::connect_info::ConnectInfo(addr));
    }
    let r = app.send(req).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let mut v = r.json();
    let id = v["id"].as_str().unwrap().to_string();
    for _ in 0..20 {
        if !v["outcome"].is_null() {
            break;
        }
        let a = if v["step"]["kind"] == "try_resolution" {
            "fixed"
        } else {
            "yes"
        };
        let r = app
            .post_json(&format!("/api/wizard/{id}/answer"), &json!({ "answer": a }))
            .await;
        assert_eq!(r.status, StatusCode::OK, "{a}: {}", r.body);
        v = r.json();
    }
    assert_eq!(v["outcome"], "resolved", "{v}");
    id
}

/// An app over its own database; the directory is removed when it drops.
pub struct TestApp {
    /// The store behind the app.
    pub store: Store,
    /// The state handed to the router.
    pub state: AppState,
    /// The database file's directory.
    pub dir: TempDir,
    /// The database: the SQLite file's path or the PostgreSQL URL.
    pub db: PathBuf,
}

/// A response, read whole.
pub struct Reply {
    /// The status.
    pub status: StatusCode,
    /// The headers.
    pub headers: HeaderMap,
    /// The body as text.
    pub body: String,
}

impl Reply {
    /// The body parsed as JSON.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }

    /// The Location header.
    pub fn location(&self) -> String {
        self.headers
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string()
    }
}

/// A fresh database with every fixture imported, and the app over it.
pub async fn spawn_app() -> TestApp {
    let (app, report) = spawn_app_from(&[fixtures()]).await;
    assert!(
        report.failures.is_empty(),
        "fixtures failed: {:?}",
        report.failures
    );
    app
}

/// A fresh database with `paths` imported, the app over it, and the import's report.
pub async fn spawn_app_from(paths: &[PathBuf]) -> (TestApp, ImportReport) {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = if pg::backend_is_postgres() {
        let server = pg::server().expect("KBFIX_TEST_BACKEND=postgres needs KBFIX_TEST_PG");
        PathBuf::from(pg::fresh_database(&server).await)
    } else {
        dir.path().join("test.db")
    };
    let store = Store::open_any(&db).await.expect("open store");
    let report = import_paths(&store, paths, &mut NoProgress)
        .await
        .expect("import");
    // One test client stands in for every user (the whole-archive walk starts thousands of
    // sessions), as load.sh does: the per-client limit has its own tests.
    let config = web::Config {
        sessions_per_minute: 0,
        ..web::Config::default()
    };
    let state = AppState::new(store.clone(), config);
    (
        TestApp {
            store,
            state,
            dir,
            db,
        },
        report,
    )
}

/// The whole archive, beside the project's root (CI has it too).
pub fn archive() -> PathBuf {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/kb-txt.tar.gz");
    assert!(
        path.exists(),
        "{} is missing: the whole-archive tests need ../shared/corpus beside the project",
        path.display()
    );
    path
}

impl TestApp {
    /// Another server over the same database (its own store, caches and config), as a
    /// second `kbfix serve` behind a load balancer would be.
    pub async fn second_server(&self, config: web::Config) -> TestApp {
        let store = Store::open_any(&self.db)
            .await
            .expect("open the same database");
        let state = AppState::new(store.clone(), config);
        TestApp {
            store,
            state,
            dir: tempfile::tempdir().expect("temp dir"),
            db: self.db.clone(),
        }
    }

    /// The router, fresh for one request.
    pub fn router(&self) -> Router {
        web::app(self.state.clone())
    }

    /// Sends a request and reads the whole response.
    pub async fn send(&self, req: Request<Body>) -> Reply {
        let res = self.router().oneshot(req).await.expect("infallible");
        let status = res.status();
        let headers = res.headers().clone();
        let bytes = res.into_body().collect().await.expect("body").to_bytes();
        Reply {
            status,
            headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
        }
    }

    /// GET `uri`.
    pub async fn get(&self, uri: &str) -> Reply {
        self.send(Request::get(uri).body(Body::empty()).unwrap())
            .await
    }

    /// POST a JSON body.
    pub async fn post_json(&self, uri: &str, body: &serde_json::Value) -> Reply {
        self.post_raw(uri, "application/json", body.to_string())
            .await
    }

    /// POST a body with a content type, as given.
    pub async fn post_raw(&self, uri: &str, content_type: &str, body: String) -> Reply {
        self.send(
            Request::post(uri)
                .header(header::CONTENT_TYPE, content_type)
                .body(Body::from(body))
                .unwrap(),
        )
        .await
    }

    /// POST a form.
    pub async fn post_form(&self, uri: &str, fields: &[(&str, &str)]) -> Reply {
        let body = fields
            .iter()
            .map(|(k, v)| format!("{}={}", form_encode(k), form_encode(v)))
            .collect::<Vec<_>>()
            .join("&");
        self.post_raw(uri, "application/x-www-form-urlencoded", body)
            .await
    }
}

/// Encodes a form field.
pub fn form_encode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// The value of the hidden `csrf` field of a staff page.
pub fn csrf(page: &Reply) -> String {
    let at = page
        .body
        .find(r#"name="csrf" value=""#)
        .expect("a csrf field")
        + 19;
    let end = page.body[at..].find('"').unwrap();
    page.body[at..at + end].to_string()
}
