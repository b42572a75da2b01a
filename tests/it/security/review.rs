//! Regression tests for the outside review's findings (issue 12), named by finding. Each
//! failed before its fix. Findings 4, 5 and 7 (pastes, search, the matcher) are tested
//! with their code.

use super::common::{Reply, TestApp, form_encode, spawn_app, staff_app_with, walk_to_resolved};
use super::{PASSWORD, a_session, assert_secure, cookie_pair, header, send_with, staff_app};
use axum::body::Body;
use axum::extract::connect_info::ConnectInfo;
use axum::http::{Request, StatusCode};
use kbfix::web::Config;
use serde_json::json;
use std::net::SocketAddr;
use std::sync::Arc;
use tower::ServiceExt;

/// A form POST as `peer` would send it (the address the accept loop records).
fn form_request(
    uri: &str,
    peer: Option<&str>,
    cookie: Option<&str>,
    fields: &[(&str, &str)],
    extra: &[(&str, &str)],
) -> Request<Body> {
    let body = fields
        .iter()
        .map(|(k, v)| format!("{}={}", form_encode(k), form_encode(v)))
        .collect::<Vec<_>>()
        .join("&");
    let mut b =
        Request::post(uri).header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
    if let Some(c) = cookie {
        b = b.header(header::COOKIE, c);
    }
    for (k, v) in extra {
        b = b.header(*k, *v);
    }
    let mut req = b.body(Body::from(body)).unwrap();
    if let Some(p) = peer {
        req.extensions_mut()
            .insert(ConnectInfo::<SocketAddr>(p.parse().unwrap()));
    }
    req
}

/// The login form's cookie pair and token.
async fn login_form(app: &TestApp) -> (String, String) {
    let form = app.get("/staff/login").await;
    (
        cookie_pair(&form, "kbfix_staff_login").unwrap(),
        super::common::csrf(&form),
    )
}

async fn login_as(
    app: &TestApp,
    peer: Option<&str>,
    password: &str,
    extra: &[(&str, &str)],
) -> Reply {
    let (cookie, token) = login_form(app).await;
    let req = form_request(
        "/staff/login",
        peer,
        Some(&cookie),
        &[("password", password), ("csrf", &token)],
        extra,
    );
    app.send(req).await
}

/// Finding 1: parallel wrong logins with one valid token pair all passed the lock-out
/// check before the first failure was recorded (37 of 40 were checked).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn f1_forty_parallel_wrong_logins_run_few_password_checks() {
    let app = staff_app().await;
    let (cookie, token) = login_form(&app).await;
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..40 {
        let req = form_request(
            "/staff/login",
            Some("198.51.100.7:4000"),
            Some(&cookie),
            &[("password", "wrong"), ("csrf", &token)],
            &[],
        );
        tasks.spawn(app.router().oneshot(req));
    }
    let (mut checked, mut delayed) = (0, 0);
    while let Some(res) = tasks.join_next().await {
        match res.unwrap().unwrap().status() {
            StatusCode::UNAUTHORIZED => checked += 1,
            StatusCode::TOO_MANY_REQUESTS => delayed += 1,
            other => panic!("{other}"),
        }
    }
    assert!((1..=10).contains(&checked), "{checked} passwords checked");
    assert_eq!(checked + delayed, 40);
    // The right password from another client still logs in.
    let right = login_as(&app, Some("203.0.113.9:4000"), PASSWORD, &[]).await;
    assert_eq!(right.status, StatusCode::SEE_OTHER, "{}", right.body);
}

/// Finding 3: behind a proxy every client shares the proxy's address; only the configured
/// proxy's `X-Forwarded-For` tells them apart, and nobody else's is believed.
#[tokio::test]
async fn f3_clients_behind_the_trusted_proxy_are_throttled_apart() {
    let app = staff_app_with(Config {
        trusted_proxies: vec!["10.0.0.1".parse().unwrap()],
        ..Config::default()
    })
    .await;
    let proxy = Some("10.0.0.1:5555");
    let attacker = [("x-forwarded-for", "192.0.2.66")];
    for _ in 0..5 {
        let r = login_as(&app, proxy, "wrong", &attacker).await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    }
    let r = login_as(&app, proxy, "wrong", &attacker).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    let staff = [("x-forwarded-for", "192.0.2.10")];
    let r = login_as(&app, proxy, PASSWORD, &staff).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);

    // From a client that is not the proxy, X-Forwarded-For is ignored: a fresh address in
    // it does not escape that client's delay.
    let direct = Some("198.51.100.20:4000");
    for i in 0..5 {
        let spoof = [("x-forwarded-for", format!("192.0.2.{i}"))];
        let spoof: Vec<(&str, &str)> = spoof.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let r = login_as(&app, direct, "wrong", &spoof).await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    }
    let r = login_as(&app, direct, PASSWORD, &[("x-forwarded-for", "192.0.2.99")]).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
}

/// Finding 8: the cookie stayed valid for hours after logout.
#[tokio::test]
async fn f8_logout_ends_the_session_on_the_server() {
    let app = staff_app().await;
    let reply = login_as(&app, None, PASSWORD, &[]).await;
    let cookie = cookie_pair(&reply, "kbfix_staff").unwrap();
    // The session and its idle-time cookie travel together.
    let cookie = format!(
        "{cookie}; {}",
        cookie_pair(&reply, "kbfix_staff_seen").expect("an idle-time cookie")
    );
    let page = send_with(&app, "GET", "/staff", Some(&cookie), None).await;
    assert_eq!(page.status, StatusCode::OK);
    let token = super::common::csrf(&page);
    let out = send_with(
        &app,
        "POST",
        "/staff/logout",
        Some(&cookie),
        Some(&[("csrf", &token)]),
    )
    .await;
    assert_eq!(out.status, StatusCode::SEE_OTHER);
    // The same cookie, kept by the client: refused.
    for uri in ["/staff", "/staff/insights"] {
        let again = send_with(&app, "GET", uri, Some(&cookie), None).await;
        assert_eq!(again.status, StatusCode::SEE_OTHER, "{uri}");
        assert_eq!(again.location(), "/staff/login");
    }
}

/// Finding 13: `X-Forwarded-Proto` made cookies Secure for any client that sent it; only
/// the configured proxy may say so.
#[tokio::test]
async fn f13_forwarded_proto_counts_only_from_the_trusted_proxy() {
    let app = staff_app_with(Config {
        trusted_proxies: vec!["10.0.0.1".parse().unwrap()],
        ..Config::default()
    })
    .await;
    let https = ("x-forwarded-proto", "https");
    let page = |peer: &'static str| {
        let mut req = Request::get("/staff/login")
            .header(https.0, https.1)
            .body(Body::empty())
            .unwrap();
        req.extensions_mut()
            .insert(ConnectInfo::<SocketAddr>(peer.parse().unwrap()));
        req
    };
    let from_proxy = app.send(page("10.0.0.1:1")).await;
    let from_client = app.send(page("198.51.100.1:1")).await;
    let secure = |r: &Reply| header(r, "set-cookie").contains("; Secure");
    assert!(secure(&from_proxy), "{:?}", from_proxy.headers);
    assert!(!secure(&from_client), "{:?}", from_client.headers);
}

/// Finding 11: anonymous POSTs from another site's page were accepted.
#[tokio::test]
async fn f11_cross_site_posts_are_refused_same_site_and_plain_clients_pass() {
    let app = spawn_app().await;
    let id = a_session(&app).await;
    let evil = [("origin", "https://evil.example"), ("host", "kb.local")];
    let fetch_cross = [("sec-fetch-site", "cross-site")];
    for uri in [
        "/troubleshoot".to_string(),
        "/troubleshoot/search".into(),
        "/troubleshoot/article/Q900070".into(),
        format!("/wizard/{id}"),
        format!("/wizard/{id}/search"),
    ] {
        for headers in [&evil[..], &fetch_cross[..]] {
            let req = form_request(&uri, None, None, &[("text", "x"), ("q", "x")], headers);
            let r = app.send(req).await;
            assert_eq!(r.status, StatusCode::FORBIDDEN, "{uri} {headers:?}");
            assert!(header(&r, "content-type").starts_with("text/html"));
        }
    }
    let before = app.get(&format!("/api/wizard/{id}")).await.body;
    let own = [("origin", "http://kb.local"), ("host", "kb.local")];
    let fetch_same = [("sec-fetch-site", "same-origin")];
    for headers in [&own[..], &fetch_same[..], &[][..]] {
        let req = form_request(
            "/troubleshoot/search",
            None,
            None,
            &[("q", "mail")],
            headers,
        );
        let r = app.send(req).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{headers:?}: {}", r.body);
    }
    assert_eq!(app.get(&format!("/api/wizard/{id}")).await.body, before);
}

/// Finding 12: framework text (400 text/plain "Failed to deserialize query string", empty
/// 405s, "Invalid URL") reached clients; a chunked form over the limit got 400.
#[tokio::test]
async fn f12_framework_rejections_are_the_apps_own_errors() {
    let app = spawn_app().await;
    let cases = [
        ("/search?q=a&page=1&page=2", "text/html"),
        ("/api/search?q=a&page=1&page=2", "application/json"),
        ("/articles/%FF", "text/html"),
        ("/api/articles/%FF%FE", "application/json"),
        ("/wizard/%FF/step/1", "text/html"),
    ];
    for (uri, ct) in cases {
        let r = app.get(uri).await;
        assert!(r.status.is_client_error(), "{uri}: {}", r.status);
        assert!(
            header(&r, "content-type").starts_with(ct),
            "{uri}: {:?}",
            r.headers
        );
        for leak in ["Failed to", "Invalid URL", "deserialize"] {
            assert!(!r.body.contains(leak), "{uri}: {}", r.body);
        }
        assert_secure(uri, &r);
    }
    let r = app.post_form("/search", &[("q", "x")]).await;
    assert_eq!(r.status, StatusCode::METHOD_NOT_ALLOWED);
    assert!(r.body.contains("does not take"), "{}", r.body);
    assert!(header(&r, "allow").contains("GET"), "{:?}", r.headers);
    let r = app.post_json("/api/search", &json!({})).await;
    assert_eq!(r.status, StatusCode::METHOD_NOT_ALLOWED);
    assert!(r.json()["error"].is_string());

    // A body without Content-Length (as chunked ones come) over the limit: 413, the app's
    // own page, on every form route.
    let big = format!("text={}", "x".repeat(kbfix::web::MAX_BODY));
    for uri in ["/troubleshoot", "/troubleshoot/search", "/staff/login"] {
        let r = app
            .post_raw(uri, "application/x-www-form-urlencoded", big.clone())
            .await;
        if uri.starts_with("/staff") {
            assert_eq!(r.status, StatusCode::NOT_FOUND, "no staff password here");
            continue;
        }
        assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE, "{uri}: {}", r.body);
        assert!(r.body.contains("KiB"), "{}", r.body);
    }
}

/// Finding 12: without a password a malformed staff query got 400, and the staff 404
/// carried `no-store` unlike every other 404.
#[tokio::test]
async fn f12_staff_pages_without_a_password_are_plain_404s() {
    let app = spawn_app().await;
    let other = app.get("/nowhere").await;
    for uri in [
        "/staff?filter=a&filter=b",
        "/staff",
        "/staff/login",
        "/staff/sessions/%FF",
        "/staff/insights?x=%ZZ",
    ] {
        let r = app.get(uri).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{uri}");
        assert_eq!(r.body, other.body, "{uri}");
        assert_eq!(r.headers.get(header::CACHE_CONTROL), None, "{uri}");
        assert_eq!(header(&r, "content-type"), header(&other, "content-type"));
    }
}

/// Finding 2: non-ASCII input where an article id is parsed panicked (a dropped connection).
#[tokio::test]
async fn f2_non_ascii_ids_are_answered_not_panicked_on() {
    let app = spawn_app().await;
    let id = a_session(&app).await;
    for uri in [
        "/search?q=%E2%82%AC",
        "/search?q=%EF%AC%81le",
        "/articles/%E2%82%AC1",
        "/api/articles/%E2%82%AC1",
        "/api/articles/k%C3%A9",
    ] {
        let r = app.get(uri).await;
        assert!(
            r.status.is_success() || r.status.is_client_error() || r.status.is_redirection(),
            "{uri}: {}",
            r.status
        );
    }
    let r = app.post_json("/api/wizard", &json!({"article": "€"})).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    for answer in ["€", "%ff", "k€"] {
        let r = app
            .post_json(
                &format!("/api/wizard/{id}/answer"),
                &json!({"answer": answer}),
            )
            .await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{answer}: {}",
            r.body
        );
    }
}

/// Finding 9: a finished session could be rewritten, answer forms could skip the stale-page
/// check, and one client could mint resolved sessions without limit, each counted.
#[tokio::test]
async fn f9_finished_sessions_stay_finished_and_count_once_per_client() {
    let app = spawn_app().await;
    let id = walk_to_resolved(&app, "Q900070", Some("192.0.2.1:1")).await;
    let r = app
        .post_json(&format!("/api/wizard/{id}/search"), &json!({"q": "mail"}))
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    let r = app
        .post_form(&format!("/wizard/{id}/search"), &[("q", "mail")])
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    let row = app.store.session(&id).await.unwrap().unwrap();
    assert_eq!(row.outcome, Some(kbfix::store::Outcome::Resolved));

    // A form answer must say which step it answers; a huge number is a stale page.
    let open = a_session(&app).await;
    for (fields, status) in [
        (&[("answer", "yes")][..], StatusCode::UNPROCESSABLE_ENTITY),
        (
            &[("answer", "yes"), ("step", "")][..],
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            &[("answer", "yes"), ("step", "99999999999999999999999")][..],
            StatusCode::CONFLICT,
        ),
        (
            &[("answer", "yes"), ("step", "7")][..],
            StatusCode::CONFLICT,
        ),
    ] {
        let r = app.post_form(&format!("/wizard/{open}"), fields).await;
        assert_eq!(r.status, status, "{fields:?}: {}", r.body);
    }
    let history = app.get(&format!("/api/wizard/{open}")).await.json();
    assert_eq!(history["n"], 1, "nothing was answered");

    // Three resolutions by one client count once; another client's counts too.
    walk_to_resolved(&app, "Q900070", Some("192.0.2.1:2")).await;
    walk_to_resolved(&app, "Q900070", Some("192.0.2.1:3")).await;
    let key = app
        .store
        .session(&id)
        .await
        .unwrap()
        .unwrap()
        .event_key
        .unwrap();
    let count = || async {
        let counts = app.store.resolution_counts(&key).await.unwrap();
        counts.iter().map(|c| c.sessions).sum::<i64>()
    };
    assert_eq!(count().await, 1);
    walk_to_resolved(&app, "Q900070", Some("192.0.2.2:1")).await;
    assert_eq!(count().await, 2);
}

/// Finding 9: session starts had no rate limit.
#[tokio::test]
async fn f9_session_starts_are_rate_limited_per_client() {
    let mut app = spawn_app().await;
    app.state.config = Arc::new(Config {
        sessions_per_minute: 3,
        ..Config::default()
    });
    let start = |peer: &'static str| {
        let mut req = Request::post("/api/wizard")
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(json!({"q": "mail"}).to_string()))
            .unwrap();
        req.extensions_mut()
            .insert(ConnectInfo::<SocketAddr>(peer.parse().unwrap()));
        req
    };
    for _ in 0..3 {
        assert_eq!(
            app.send(start("192.0.2.5:1")).await.status,
            StatusCode::CREATED
        );
    }
    let r = app.send(start("192.0.2.5:1")).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(r.json()["error"].is_string() && r.headers.contains_key(header::RETRY_AFTER));
    let form = form_request(
        "/troubleshoot/search",
        Some("192.0.2.5:1"),
        None,
        &[("q", "x")],
        &[],
    );
    assert_eq!(app.send(form).await.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(
        app.send(start("192.0.2.6:1")).await.status,
        StatusCode::CREATED
    );
}

/// Finding 10: each refine stored up to 256 KiB twice.
#[tokio::test]
async fn f10_stored_search_text_is_capped_and_marked() {
    let app = spawn_app().await;
    let id = a_session(&app).await;
    let long = "mail ".repeat(40 * 1024);
    for (uri, body) in [
        (format!("/api/wizard/{id}/search"), None),
        (format!("/wizard/{id}/search"), Some(())),
    ] {
        let r = match body {
            None => app.post_json(&uri, &json!({ "q": long })).await,
            Some(()) => app.post_form(&uri, &[("q", &long)]).await,
        };
        assert!(
            r.status.is_success() || r.status.is_redirection(),
            "{uri}: {}",
            r.status
        );
    }
    let steps = app.store.session_steps(&id).await.unwrap();
    for s in &steps {
        assert!(
            s.step.len() < 40 * 1024,
            "step {} stores {} bytes",
            s.n,
            s.step.len()
        );
        let answer = s.answer.as_deref().unwrap_or_default();
        assert!(answer.len() <= 17 * 1024, "answer of step {}", s.n);
    }
    let refined = &steps[0];
    assert!(
        refined.answer.as_deref().unwrap().ends_with('…'),
        "marked as cut"
    );
    let page = app.get(&format!("/wizard/{id}")).await;
    assert!(page.body.len() < 200 * 1024, "{} bytes", page.body.len());
}

/// Finding 10 (pastes): a long paste is matched whole, but the session stores a bounded,
/// marked copy of it.
#[tokio::test]
async fn f10_stored_paste_is_capped_and_still_matched() {
    let app = spawn_app().await;
    let paste = format!(
        "Event ID: 68\r\nSource: MSExchangeCCMC\r\n{}",
        "filler words here ".repeat(10 * 1024)
    );
    let reply = app
        .post_json("/api/wizard", &json!({ "text": paste }))
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    let v = reply.json();
    let id = v["id"].as_str().unwrap().to_string();
    let offered: Vec<&str> = v["step"]["options"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|o| o["value"].as_str())
        .collect();
    assert!(
        offered.contains(&"Q900068"),
        "the paste was matched: {offered:?}"
    );
    let row = app.store.session(&id).await.unwrap().unwrap();
    assert!(row.input.len() <= 16 * 1024, "{} bytes", row.input.len());
    assert!(row.input.ends_with('…'), "marked as cut");
    let steps = app.store.session_steps(&id).await.unwrap();
    assert!(
        steps[0].step.len() < 40 * 1024,
        "{} bytes",
        steps[0].step.len()
    );
}

/// Finding 12 (the other half) and 13: every response carries the new headers, and the
/// JSON 500 a panic becomes is checked beside `web::errors`.
#[tokio::test]
async fn f13_permissions_policy_and_coop_on_errors_too() {
    let app = spawn_app().await;
    for uri in [
        "/",
        "/nowhere",
        "/search?q=a&page=1&page=2",
        "/static/style.css",
    ] {
        let r = app.get(uri).await;
        assert_secure(uri, &r);
    }
    let r = app.post_form("/search", &[]).await;
    assert_secure("405", &r);
}

/// Finding 5: the store's full-text reads (the matcher's any-word fallback) stop at the
/// read limit; the paste still gets its answer, with fewer results and a note saying so,
/// never a 500. Here the limit is zero, so every full-text read is stopped.
#[tokio::test]
async fn f5_full_text_reads_stop_at_the_read_limit_and_say_so() {
    let app = spawn_app().await;
    let paste = json!({ "text": "the ruler shows a double border in draft view" });
    let normal = app.post_json("/api/match", &paste).await;
    assert_eq!(normal.status, StatusCode::OK, "{}", normal.body);
    let normal = normal.json();
    let found = normal["results"].as_array().unwrap().len();
    assert!(found > 0, "{normal}");
    assert!(!normal["summary"].as_str().unwrap().contains("stopped"));

    let store = app.store.clone().with_read_limit(std::time::Duration::ZERO);
    let config = Config {
        sessions_per_minute: 0,
        ..Config::default()
    };
    let limited = TestApp {
        state: kbfix::web::AppState::new(store.clone(), config),
        store: store.clone(),
        dir: app.dir,
        db: app.db,
    };
    let before = store.hold_stats().interrupted;
    let reply = limited.post_json("/api/match", &paste).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let v = reply.json();
    let summary = v["summary"].as_str().unwrap();
    assert!(summary.contains("took too long and was stopped"), "{v}");
    assert!(v["results"].as_array().unwrap().len() < found, "{v}");
    assert!(store.hold_stats().interrupted > before);
}
