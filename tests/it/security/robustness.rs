//! Finding 2's property (any bytes or Unicode in path, query, form or JSON get a response
//! below 500, never a panic) and finding 6 (connections that send half a request, or
//! nothing, are closed; idle ones do not stop others from being served), over real TCP.

use super::common::{TestApp, spawn_app};
use super::{a_session, staff_app};
use axum::body::Body;
use axum::http::{Request, header};
use proptest::prelude::*;
use proptest::test_runner::{Config as RunConfig, TestRunner};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// Every byte but unreserved ones percent-encoded: what a client can put in a URL.
fn encode(bytes: &[u8]) -> String {
    bytes
        .iter()
        .map(|&b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Routes with a `{}` for the hostile part and `{sid}` for a real session.
const GETS: &[&str] = &[
    "/search?q={}",
    "/search?q=event&page={}&category={}&kind={}",
    "/api/search?q={}&page={}",
    "/articles/{}",
    "/api/articles/{}",
    "/browse/{}",
    "/api/browse/{}",
    "/events/{}",
    "/events/msexchangeccmc/{}",
    "/api/events/{}/{}",
    "/wizard/{}",
    "/wizard/{sid}/step/{}",
    "/wizard/{}/transcript.txt",
    "/api/wizard/{}",
    "/staff/sessions/{}",
    "/staff?filter={}",
    "/{}",
];

/// POST routes and the body kind they take.
const POSTS: &[(&str, &str)] = &[
    ("/api/match", "json"),
    ("/troubleshoot", "form"),
    ("/troubleshoot/search", "form"),
    ("/troubleshoot/article/{}", "form"),
    ("/wizard/{sid}", "form"),
    ("/wizard/{sid}/search", "form"),
    ("/api/wizard", "json"),
    ("/api/wizard/{sid}/answer", "json"),
    ("/api/wizard/{sid}/search", "json"),
    ("/staff/login", "form"),
];

fn form_body(text: &str, bytes: &[u8]) -> String {
    let t = encode(text.as_bytes());
    let b = encode(bytes);
    format!("text={t}&q={t}&answer={b}&step={b}&password={t}&csrf={b}")
}

fn json_body(text: &str, bytes: &[u8], pick: u8) -> Vec<u8> {
    match pick % 4 {
        0 => bytes.to_vec(),
        1 => serde_json::json!({ "text": text }).to_string().into_bytes(),
        2 => serde_json::json!({ "article": text, "answer": text, "q": text })
            .to_string()
            .into_bytes(),
        _ => serde_json::json!({ "answer": text, "step": pick })
            .to_string()
            .into_bytes(),
    }
}

fn request(sid: &str, route: usize, text: &str, bytes: &[u8], pick: u8) -> Request<Body> {
    let part = if pick.is_multiple_of(2) {
        encode(text.as_bytes())
    } else {
        encode(bytes)
    };
    if route < GETS.len() {
        let uri = GETS[route].replace("{sid}", sid).replace("{}", &part);
        return Request::get(uri).body(Body::empty()).unwrap();
    }
    let (path, kind) = POSTS[(route - GETS.len()) % POSTS.len()];
    let uri = path.replace("{sid}", sid).replace("{}", &part);
    let (ct, body) = match kind {
        "json" => ("application/json", json_body(text, bytes, pick)),
        _ => (
            "application/x-www-form-urlencoded",
            form_body(text, bytes).into_bytes(),
        ),
    };
    Request::post(uri)
        .header(header::CONTENT_TYPE, ct)
        .body(Body::from(body))
        .unwrap()
}

#[test]
fn f2_any_input_on_any_route_gets_an_answer_below_500() {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let app: TestApp = rt.block_on(staff_app());
    let sid = rt.block_on(a_session(&app));
    let mut runner = TestRunner::new(RunConfig {
        cases: 400,
        failure_persistence: None,
        ..RunConfig::default()
    });
    let strategy = (
        0..GETS.len() + POSTS.len(),
        any::<String>(),
        proptest::collection::vec(any::<u8>(), 0..48),
        any::<u8>(),
    );
    runner
        .run(&strategy, |(route, text, bytes, pick)| {
            let req = request(&sid, route, &text, &bytes, pick);
            let what = format!("{} {}", req.method(), req.uri());
            let reply = rt.block_on(app.send(req));
            prop_assert!(
                reply.status.as_u16() < 500,
                "{what}: {} {}",
                reply.status,
                reply.body
            );
            Ok(())
        })
        .unwrap();
}

/// Reads until the server closes the connection or `limit` passes; true when it closed.
async fn closed_within(stream: &mut TcpStream, limit: Duration) -> bool {
    let mut buf = [0u8; 1024];
    let deadline = Instant::now() + limit;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match tokio::time::timeout(left, stream.read(&mut buf)).await {
            Err(_) => return false,
            Ok(Ok(0) | Err(_)) => return true,
            // A 408 or 400 first is fine; the close must follow.
            Ok(Ok(_)) => continue,
        }
    }
}

#[tokio::test]
async fn f6_half_sent_requests_are_closed_and_idle_connections_do_not_block() {
    let app = spawn_app().await;
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    // One client's connections here: the per-client cap has its own test (`third::n3_*`).
    let options = kbfix::web::ServeOptions {
        max_per_client: 0,
        ..kbfix::web::ServeOptions::default()
    };
    let server = tokio::spawn(kbfix::web::serve(listener, app.state.clone(), options));

    let mut idle = Vec::new();
    for _ in 0..200 {
        idle.push(TcpStream::connect(addr).await.unwrap());
    }
    let mut half = TcpStream::connect(addr).await.unwrap();
    half.write_all(b"GET /heal").await.unwrap();
    let mut silent = TcpStream::connect(addr).await.unwrap();

    // A normal request is served beside them at once.
    let mut normal = TcpStream::connect(addr).await.unwrap();
    normal
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .await
        .unwrap();
    let mut answer = String::new();
    tokio::time::timeout(Duration::from_secs(5), normal.read_to_string(&mut answer))
        .await
        .expect("served while 200 connections idle")
        .unwrap();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");

    assert!(
        closed_within(&mut half, Duration::from_secs(15)).await,
        "half a request line"
    );
    assert!(
        closed_within(&mut silent, Duration::from_secs(2)).await,
        "nothing sent"
    );
    assert!(
        closed_within(&mut idle[0], Duration::from_secs(2)).await,
        "idle"
    );
    server.abort();
}
