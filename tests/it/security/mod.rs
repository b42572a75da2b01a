//! Security properties of every kind of response: the headers (a CSP without inline script,
//! no framing, no sniffing, a referrer policy), the body limit on every POST route, and user
//! text shown back escaped, never as markup.

use crate::common;
/// User text shown back escaped.
mod escaping;
/// The outside review's findings (issue 12), one regression test or more each.
mod review;
/// Arbitrary input into every route, and the server's connection limits over real TCP.
mod robustness;
/// The third review's findings (issue 26): checks in the domain, errors in our words,
/// lock-out per account, CPU work and connections bounded, growth bounded.
mod third;

use axum::http::{StatusCode, header};
use common::{Reply, TestApp, form_encode, spawn_app};
use serde_json::json;

/// One URL of each kind of page the app serves, with the status it should answer.
const PAGES: &[(&str, StatusCode)] = &[
    ("/", StatusCode::OK),
    ("/healthz", StatusCode::OK),
    ("/static/style.css", StatusCode::OK),
    ("/static/wizard.js", StatusCode::OK),
    ("/search?q=cc%3AMail", StatusCode::OK),
    ("/search?q=zzzqqqxxy", StatusCode::OK),
    ("/search?q=Q900068", StatusCode::SEE_OTHER),
    ("/api/search?q=event", StatusCode::OK),
    ("/articles/Q900068", StatusCode::OK),
    ("/articles/q900068", StatusCode::PERMANENT_REDIRECT),
    ("/api/articles/Q900068", StatusCode::OK),
    ("/articles/Q123456", StatusCode::NOT_FOUND),
    ("/api/articles/Q123456", StatusCode::NOT_FOUND),
    ("/browse", StatusCode::OK),
    ("/browse/exchange", StatusCode::OK),
    ("/api/browse", StatusCode::OK),
    ("/api/browse/exchange", StatusCode::OK),
    ("/events", StatusCode::OK),
    ("/events/msexchangeccmc", StatusCode::OK),
    ("/events/msexchangeccmc/68", StatusCode::OK),
    ("/api/events", StatusCode::OK),
    ("/api/events/msexchangeccmc/68", StatusCode::OK),
    ("/nowhere", StatusCode::NOT_FOUND),
];

fn header<'a>(reply: &'a Reply, name: &str) -> &'a str {
    reply
        .headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
}

/// The headers every response must carry, whatever its status or type.
fn assert_secure(what: &str, reply: &Reply) {
    let csp = header(reply, "content-security-policy");
    assert!(!csp.is_empty(), "{what}: no CSP");
    assert!(
        !csp.contains("unsafe-inline") && !csp.contains("unsafe-eval"),
        "{what}: {csp}"
    );
    assert!(csp.contains("frame-ancestors 'none'"), "{what}: {csp}");
    // A CSP without script-src or default-src would allow any script.
    assert!(
        csp.contains("script-src 'self'") || csp.contains("default-src 'self'"),
        "{what}: {csp}"
    );
    assert!(csp.contains("object-src 'none'"), "{what}: {csp}");
    assert_eq!(header(reply, "x-content-type-options"), "nosniff", "{what}");
    assert!(
        header(reply, "permissions-policy").contains("camera=()"),
        "{what}: no Permissions-Policy"
    );
    assert_eq!(
        header(reply, "cross-origin-opener-policy"),
        "same-origin",
        "{what}"
    );
    let referrer = header(reply, "referrer-policy");
    assert!(
        [
            "no-referrer",
            "same-origin",
            "strict-origin",
            "strict-origin-when-cross-origin"
        ]
        .contains(&referrer),
        "{what}: referrer-policy {referrer:?}"
    );
}

/// HTML that the CSP above would break: inline script, inline handlers, inline styles.
fn assert_no_inline_code(what: &str, reply: &Reply) {
    if !header(reply, "content-type").starts_with("text/html") {
        return;
    }
    let body = reply.body.to_ascii_lowercase();
    let mut rest = body.as_str();
    while let Some(at) = rest.find("<script") {
        let tag_end = rest[at..].find('>').map_or(rest.len(), |e| at + e);
        assert!(
            rest[at..tag_end].contains("src="),
            "{what}: inline <script> the CSP blocks"
        );
        rest = &rest[tag_end..];
    }
    for bad in [" style=\"", " onclick=", " onload=", " onsubmit=", "<style"] {
        assert!(!body.contains(bad), "{what}: {bad:?} is blocked by the CSP");
    }
}

#[tokio::test]
async fn every_kind_of_page_carries_the_security_headers() {
    let app = spawn_app().await;
    for (uri, status) in PAGES {
        let reply = app.get(uri).await;
        assert_eq!(reply.status, *status, "{uri}");
        assert_secure(uri, &reply);
        assert_no_inline_code(uri, &reply);
    }
    // Errors made by the app's own extractors and by the router carry them too.
    let cases = [
        (
            "422 empty paste",
            app.post_json("/api/match", &serde_json::json!({"text": " "}))
                .await,
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            "422 wrong shape",
            app.post_json("/api/match", &serde_json::json!({"txt": "x"}))
                .await,
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            "400 bad JSON",
            app.post_raw("/api/match", "application/json", "{".into())
                .await,
            StatusCode::BAD_REQUEST,
        ),
        (
            "200 match",
            app.post_json(
                "/api/match",
                &serde_json::json!({"text": "Event ID: 68 Source: MSExchangeCCMC"}),
            )
            .await,
            StatusCode::OK,
        ),
        (
            "405 wrong method",
            app.post_json("/search", &serde_json::json!({})).await,
            StatusCode::METHOD_NOT_ALLOWED,
        ),
        (
            "413 too large",
            app.post_json(
                "/api/match",
                &serde_json::json!({"text": "x".repeat(300 * 1024)}),
            )
            .await,
            StatusCode::PAYLOAD_TOO_LARGE,
        ),
    ];
    for (what, reply, status) in cases {
        assert_eq!(reply.status, status, "{what}: {}", reply.body);
        assert_secure(what, &reply);
    }
}

/// A session of the wizard to aim the session routes at, started from an article.
async fn a_session(app: &TestApp) -> String {
    let reply = app
        .post_json("/api/wizard", &json!({"article": "Q900070"}))
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    reply.json()["id"].as_str().unwrap().to_string()
}

/// Every route that takes POST, the wizard's and the staff pages' included, aimed at a real
/// session and article so that none answers 404 for want of one.
async fn post_routes(app: &TestApp) -> Vec<String> {
    let id = a_session(app).await;
    [
        "/api/match",
        "/troubleshoot",
        "/troubleshoot/search",
        "/troubleshoot/article/Q900070",
        "/wizard/{id}",
        "/wizard/{id}/search",
        "/api/wizard",
        "/api/wizard/{id}/answer",
        "/api/wizard/{id}/search",
        "/staff/login",
        "/staff/logout",
    ]
    .iter()
    .map(|r| r.replace("{id}", &id))
    .collect()
}

async fn post_sized(app: &TestApp, uri: &str, content_type: &str, len: usize) -> Reply {
    let body = match content_type {
        "application/json" => format!(r#"{{"text":"{}"}}"#, "x".repeat(len)),
        _ => format!("text={}", "x".repeat(len)),
    };
    // With Content-Length, as every real client sends a body of known size: the limit must
    // refuse it up front, whatever the content type (web.rs covers a body without it).
    let req = axum::http::Request::post(uri)
        .header(header::CONTENT_TYPE, content_type)
        .header(header::CONTENT_LENGTH, body.len())
        .body(axum::body::Body::from(body))
        .unwrap();
    app.send(req).await
}

#[tokio::test]
async fn every_post_route_refuses_bodies_over_the_limit() {
    // With a staff password, or the staff routes would not exist.
    let app = staff_app().await;
    let over = kbfix::web::MAX_BODY + 1;
    for uri in post_routes(&app).await {
        for ct in ["application/json", "application/x-www-form-urlencoded"] {
            let small = post_sized(&app, &uri, ct, 10).await;
            assert!(
                small.status != StatusCode::NOT_FOUND
                    && small.status != StatusCode::METHOD_NOT_ALLOWED
                    && small.status != StatusCode::PAYLOAD_TOO_LARGE,
                "POST {uri} ({ct}) with a small body: {}",
                small.status
            );
            let big = post_sized(&app, &uri, ct, over).await;
            assert_eq!(
                big.status,
                StatusCode::PAYLOAD_TOO_LARGE,
                "POST {uri} ({ct}) with {over} bytes"
            );
            assert_secure(&uri, &big);
        }
    }
    // Every GET route refuses a POST outright, large or not, and never reads it as a page.
    for (uri, _) in PAGES {
        let big = post_sized(&app, uri, "application/json", over).await;
        assert!(
            matches!(
                big.status,
                StatusCode::METHOD_NOT_ALLOWED
                    | StatusCode::NOT_FOUND
                    | StatusCode::PAYLOAD_TOO_LARGE
            ),
            "POST {uri}: {}",
            big.status
        );
    }
}

#[tokio::test]
async fn a_body_over_the_limit_gets_a_readable_answer() {
    // Real clients send Content-Length, so the limit refuses before any handler runs: the
    // answer must still be the app's own, JSON for the API and a page for forms.
    let app = staff_app().await;
    let over = kbfix::web::MAX_BODY + 1;
    for uri in post_routes(&app).await {
        if uri.starts_with("/api/") {
            let api = post_sized(&app, &uri, "application/json", over).await;
            assert_eq!(api.status, StatusCode::PAYLOAD_TOO_LARGE, "{uri}");
            assert!(
                header(&api, "content-type").starts_with("application/json"),
                "{uri}: {}",
                header(&api, "content-type")
            );
            let error = api.json()["error"].as_str().unwrap_or_default().to_string();
            assert!(error.contains("KiB"), "{uri}: {}", api.body);
        } else {
            let page = post_sized(&app, &uri, "application/x-www-form-urlencoded", over).await;
            assert_eq!(page.status, StatusCode::PAYLOAD_TOO_LARGE, "{uri}");
            assert!(
                header(&page, "content-type").starts_with("text/html"),
                "{uri}: {}",
                header(&page, "content-type")
            );
            assert!(page.body.contains("KiB"), "{uri}: {}", page.body);
            assert_no_inline_code(&uri, &page);
        }
    }
}

pub(super) use common::{PASSWORD, staff_app};

/// The `name=value` pair of the cookie `name` a reply sets.
fn cookie_pair(reply: &Reply, name: &str) -> Option<String> {
    reply
        .headers
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with(&format!("{name}=")))
        .map(|c| c.split(';').next().unwrap().to_string())
}

async fn send_with(
    app: &TestApp,
    method: &str,
    uri: &str,
    cookie: Option<&str>,
    form: Option<&[(&str, &str)]>,
) -> Reply {
    let mut req = axum::http::Request::builder().method(method).uri(uri);
    if let Some(c) = cookie {
        req = req.header(header::COOKIE, c);
    }
    let body = match form {
        Some(fields) => {
            req = req.header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
            fields
                .iter()
                .map(|(k, v)| format!("{}={}", form_encode(k), form_encode(v)))
                .collect::<Vec<_>>()
                .join("&")
        }
        None => String::new(),
    };
    app.send(req.body(axum::body::Body::from(body)).unwrap())
        .await
}

/// Logs in (the login page's cookie and token, then the password) and returns every reply
/// on the way, the session cookie last.
async fn staff_login(app: &TestApp) -> (Vec<(&'static str, Reply)>, String) {
    let form = app.get("/staff/login").await;
    let login_cookie = cookie_pair(&form, "kbfix_staff_login").expect("a login cookie");
    let token = common::csrf(&form);
    let wrong = send_with(
        app,
        "POST",
        "/staff/login",
        Some(&login_cookie),
        Some(&[("password", "guess"), ("csrf", &token)]),
    )
    .await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    let no_token = send_with(
        app,
        "POST",
        "/staff/login",
        Some(&login_cookie),
        Some(&[("password", PASSWORD), ("csrf", "00ff")]),
    )
    .await;
    assert_eq!(no_token.status, StatusCode::FORBIDDEN);
    let form = app.get("/staff/login").await;
    let login_cookie = cookie_pair(&form, "kbfix_staff_login").unwrap();
    let right = send_with(
        app,
        "POST",
        "/staff/login",
        Some(&login_cookie),
        Some(&[("password", PASSWORD), ("csrf", &common::csrf(&form))]),
    )
    .await;
    assert_eq!(right.status, StatusCode::SEE_OTHER, "{}", right.body);
    let cookie = cookie_pair(&right, "kbfix_staff").expect("a session cookie");
    // The session and its idle-time cookie travel together.
    let cookie = format!(
        "{cookie}; {}",
        cookie_pair(&right, "kbfix_staff_seen").expect("an idle-time cookie")
    );
    (
        vec![
            ("staff login page", form),
            ("staff 401 wrong password", wrong),
            ("staff 403 bad csrf", no_token),
            ("staff 303 logged in", right),
        ],
        cookie,
    )
}

#[tokio::test]
async fn wizard_and_staff_pages_carry_the_security_headers() {
    let app = staff_app().await;
    let event = "Event ID: 68\nSource: MSExchangeCCMC\nDescription: Bridge EXPORT to file \
                 BRIDGE.EXP ended with result code 1.";
    let started = app.post_form("/troubleshoot", &[("text", event)]).await;
    assert_eq!(started.status, StatusCode::SEE_OTHER, "{}", started.body);
    let url = started.location();
    let id = url.trim_start_matches("/wizard/").to_string();
    // The paste starts in Q900068 (a verbatim match): its way out to the other articles.
    let answered = app
        .post_form(&url, &[("answer", "others"), ("step", "1")])
        .await;
    assert_eq!(answered.status, StatusCode::SEE_OTHER, "{}", answered.body);
    let api_start = app.post_json("/api/wizard", &json!({"text": event})).await;
    assert_eq!(api_start.status, StatusCode::CREATED);
    let nobody = "0123456789abcdef0123456789abcdef";
    let mut replies: Vec<(String, Reply, StatusCode)> = vec![
        ("303 paste".into(), started, StatusCode::SEE_OTHER),
        ("303 answer".into(), answered, StatusCode::SEE_OTHER),
        ("201 /api/wizard".into(), api_start, StatusCode::CREATED),
        (
            "303 start from an article".into(),
            app.post_form("/troubleshoot/article/Q900070", &[]).await,
            StatusCode::SEE_OTHER,
        ),
        (
            "303 start from words".into(),
            app.post_form("/troubleshoot/search", &[("q", "mail bridge")])
                .await,
            StatusCode::SEE_OTHER,
        ),
        (
            "422 empty paste page".into(),
            app.post_form("/troubleshoot", &[("text", " ")]).await,
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            "422 invalid answer page".into(),
            app.post_form(&url, &[("answer", "perhaps"), ("step", "2")])
                .await,
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            "409 stale form".into(),
            app.post_form(&url, &[("answer", "none"), ("step", "1")])
                .await,
            StatusCode::CONFLICT,
        ),
        (
            "422 invalid answer JSON".into(),
            app.post_json(
                &format!("/api/wizard/{id}/answer"),
                &json!({"answer": "perhaps"}),
            )
            .await,
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            "303 hand-off form".into(),
            app.post_form(&format!("{url}/handoff"), &[("contact", "555 0100")])
                .await,
            StatusCode::SEE_OTHER,
        ),
        (
            "200 hand-off JSON".into(),
            app.post_json(
                &format!("/api/wizard/{id}/handoff"),
                &json!({"name": "Ann"}),
            )
            .await,
            StatusCode::OK,
        ),
        (
            "404 unknown session answer JSON".into(),
            app.post_json(
                &format!("/api/wizard/{nobody}/answer"),
                &json!({"answer": "yes"}),
            )
            .await,
            StatusCode::NOT_FOUND,
        ),
    ];
    for (uri, status) in [
        (url.clone(), StatusCode::OK),
        (format!("{url}/step/1"), StatusCode::OK),
        (format!("{url}/step/2"), StatusCode::OK),
        (format!("{url}/step/9"), StatusCode::NOT_FOUND),
        (format!("{url}/transcript.txt"), StatusCode::OK),
        (format!("/api/wizard/{id}"), StatusCode::OK),
        (format!("/wizard/{nobody}"), StatusCode::NOT_FOUND),
        (format!("/api/wizard/{nobody}"), StatusCode::NOT_FOUND),
        ("/staff".into(), StatusCode::SEE_OTHER),
        ("/staff/login".into(), StatusCode::OK),
    ] {
        let reply = app.get(&uri).await;
        replies.push((uri, reply, status));
    }

    let (logins, cookie) = staff_login(&app).await;
    for (what, reply) in logins {
        let status = reply.status;
        replies.push((what.into(), reply, status));
    }
    for (uri, status) in [
        ("/staff".to_string(), StatusCode::OK),
        ("/staff?filter=unresolved".into(), StatusCode::OK),
        (format!("/staff/sessions/{id}"), StatusCode::OK),
        (format!("/staff/sessions/{nobody}"), StatusCode::NOT_FOUND),
        ("/staff/insights".into(), StatusCode::OK),
    ] {
        let reply = send_with(&app, "GET", &uri, Some(&cookie), None).await;
        replies.push((format!("staff {uri}"), reply, status));
    }
    let logout = send_with(
        &app,
        "POST",
        "/staff/logout",
        Some(&cookie),
        Some(&[("csrf", "00ff")]),
    )
    .await;
    replies.push((
        "staff logout, bad csrf".into(),
        logout,
        StatusCode::FORBIDDEN,
    ));

    for (what, reply, status) in &replies {
        assert_eq!(reply.status, *status, "{what}: {}", reply.body);
        assert_secure(what, reply);
        assert_no_inline_code(what, reply);
    }
}
