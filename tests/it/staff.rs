//! The staff pages: absent without a password, a signed cookie with the right flags after
//! login, CSRF on every form, throttled logins, and the sessions, transcripts and insights
//! they show.

use crate::common;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use common::{PASSWORD, Reply, TestApp, form_encode, spawn_app, staff_app, walk_to_resolved};
use kbfix::web::{Config, StaffAuth};
use serde_json::json;
use std::sync::Arc;

fn set_cookies(reply: &Reply) -> Vec<String> {
    reply
        .headers
        .get_all(header::SET_COOKIE)
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .collect()
}

/// The `name=value` pair of the cookie `name` a reply sets.
fn cookie_pair(reply: &Reply, name: &str) -> Option<String> {
    set_cookies(reply)
        .into_iter()
        .find(|c| c.starts_with(&format!("{name}=")))
        .map(|c| c.split(';').next().unwrap().to_string())
}

pub(crate) async fn get_with(app: &TestApp, uri: &str, cookie: &str) -> Reply {
    app.send(
        Request::get(uri)
            .header(header::COOKIE, cookie)
            .body(Body::empty())
            .unwrap(),
    )
    .await
}

async fn post_with(
    app: &TestApp,
    uri: &str,
    cookie: Option<&str>,
    fields: &[(&str, &str)],
    extra: &[(&str, &str)],
) -> Reply {
    let body = fields
        .iter()
        .map(|(k, v)| format!("{}={}", form_encode(k), form_encode(v)))
        .collect::<Vec<_>>()
        .join("&");
    let mut req =
        Request::post(uri).header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
    if let Some(c) = cookie {
        req = req.header(header::COOKIE, c);
    }
    for (k, v) in extra {
        req = req.header(*k, *v);
    }
    app.send(req.body(Body::from(body)).unwrap()).await
}

/// The login page's cookie and token.
async fn login_form(app: &TestApp) -> (String, String) {
    let page = app.get("/staff/login").await;
    assert_eq!(page.status, StatusCode::OK);
    (
        cookie_pair(&page, "kbfix_staff_login").unwrap(),
        common::csrf(&page),
    )
}

async fn try_login(app: &TestApp, password: &str, extra: &[(&str, &str)]) -> Reply {
    let (cookie, token) = login_form(app).await;
    post_with(
        app,
        "/staff/login",
        Some(&cookie),
        &[("password", password), ("csrf", &token)],
        extra,
    )
    .await
}

/// Logs in and returns the session cookie pair.
pub(crate) async fn login(app: &TestApp) -> String {
    let reply = try_login(app, PASSWORD, &[]).await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    assert_eq!(reply.location(), "/staff");
    let cookie = cookie_pair(&reply, "kbfix_staff").expect("a session cookie");
    // The session and its idle-time cookie travel together.
    let cookie = format!(
        "{cookie}; {}",
        cookie_pair(&reply, "kbfix_staff_seen").expect("an idle-time cookie")
    );
    cookie
}

#[tokio::test]
async fn no_password_no_staff_pages() {
    let app = spawn_app().await;
    for uri in [
        "/staff",
        "/staff/login",
        "/staff/insights",
        "/staff/sessions/0123456789abcdef0123456789abcdef",
    ] {
        assert_eq!(app.get(uri).await.status, StatusCode::NOT_FOUND, "{uri}");
    }
    let post = app
        .post_form("/staff/login", &[("password", "x"), ("csrf", "y")])
        .await;
    assert_eq!(post.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn login_sets_a_strict_http_only_cookie() {
    let app = staff_app().await;
    let page = app.get("/staff").await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    assert_eq!(page.location(), "/staff/login");

    let wrong = try_login(&app, "guess", &[]).await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert!(wrong.body.contains("Wrong password"));
    assert!(cookie_pair(&wrong, "kbfix_staff").is_none());

    let right = try_login(&app, PASSWORD, &[]).await;
    assert_eq!(right.status, StatusCode::SEE_OTHER);
    let set = set_cookies(&right)
        .into_iter()
        .find(|c| c.starts_with("kbfix_staff="))
        .unwrap();
    for flag in ["HttpOnly", "SameSite=Strict", "Path=/staff"] {
        assert!(set.contains(flag), "{flag} missing: {set}");
    }
    assert!(!set.contains("Secure"), "plain HTTP: {set}");

    // X-Forwarded-Proto from a client that is not the configured proxy says nothing
    // (security.rs: `f13_forwarded_proto_counts_only_from_the_trusted_proxy`).
    let tls = try_login(&app, PASSWORD, &[("x-forwarded-proto", "https")]).await;
    let set = set_cookies(&tls)
        .into_iter()
        .find(|c| c.starts_with("kbfix_staff="))
        .unwrap();
    assert!(!set.contains("; Secure"), "{set}");

    let session = cookie_pair(&right, "kbfix_staff").unwrap();
    let seen = cookie_pair(&right, "kbfix_staff_seen").unwrap();
    let cookie = format!("{session}; {seen}");
    for uri in ["/staff", "/staff/insights", "/staff?filter=unresolved"] {
        let page = get_with(&app, uri, &cookie).await;
        assert_eq!(page.status, StatusCode::OK, "{uri}");
        assert_eq!(page.headers["cache-control"], "no-store", "{uri}");
        let bare = app.get(uri).await;
        assert_eq!(bare.location(), "/staff/login", "{uri} without the cookie");
    }
    // A tampered cookie is no login.
    let forged = format!("{session}0; {seen}");
    let page = get_with(&app, "/staff", &forged).await;
    assert_eq!(page.location(), "/staff/login");
}

#[tokio::test]
async fn forms_need_their_csrf_token() {
    let app = staff_app().await;
    let (cookie, token) = login_form(&app).await;
    for (cookie, token) in [
        (Some(cookie.as_str()), ""),
        (Some(cookie.as_str()), "00ff"),
        (None, token.as_str()),
        (Some("kbfix_staff_login=abcd"), token.as_str()),
    ] {
        let reply = post_with(
            &app,
            "/staff/login",
            cookie,
            &[("password", PASSWORD), ("csrf", token)],
            &[],
        )
        .await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "{cookie:?} {token}");
    }
    let session = login(&app).await;
    let page = get_with(&app, "/staff", &session).await;
    let token = common::csrf(&page);
    for bad in ["", "deadbeef"] {
        let reply = post_with(&app, "/staff/logout", Some(&session), &[("csrf", bad)], &[]).await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "{bad:?}");
    }
    let out = logout(&app, &session, &token).await;
    assert_eq!(out.status, StatusCode::SEE_OTHER);
    let cleared = set_cookies(&out)
        .into_iter()
        .find(|c| c.starts_with("kbfix_staff="))
        .unwrap();
    assert!(cleared.contains("Max-Age=0"), "{cleared}");
}

/// Logs `session` out of `app` with the page's CSRF `token`.
async fn logout(app: &TestApp, session: &str, token: &str) -> Reply {
    post_with(app, "/staff/logout", Some(session), &[("csrf", token)], &[]).await
}

/// Staff settings as every server behind one load balancer has them: one shared secret.
fn shared_staff() -> Arc<Config> {
    Arc::new(Config {
        staff: Some(Arc::new(
            StaffAuth::with_secret(PASSWORD, false, Some("one secret for all servers")).unwrap(),
        )),
        ..Config::default()
    })
}

#[tokio::test]
async fn a_login_and_a_logout_hold_on_every_server_sharing_the_database() {
    let mut a = spawn_app().await;
    a.state.config = shared_staff();
    let b = a.second_server((*shared_staff()).clone()).await;
    let session = login(&a).await;
    let on_b = get_with(&b, "/staff", &session).await;
    assert_eq!(on_b.status, StatusCode::OK, "B accepts A's cookie");
    // Logging out on B refuses the cookie on A too: the logout is in the database.
    let token = common::csrf(&on_b);
    let out = logout(&b, &session, &token).await;
    assert_eq!(out.status, StatusCode::SEE_OTHER);
    let on_a = get_with(&a, "/staff", &session).await;
    assert_eq!(
        on_a.status,
        StatusCode::SEE_OTHER,
        "A refuses the logged-out cookie"
    );
    assert_eq!(on_a.location(), "/staff/login");
    // Without the shared secret a server refuses the other's cookies.
    let c = a.second_server(common::with_staff(Config::default())).await;
    let fresh = login(&a).await;
    assert_eq!(
        get_with(&c, "/staff", &fresh).await.status,
        StatusCode::SEE_OTHER
    );
}

#[tokio::test]
async fn failed_logins_wait_growing_delays_not_a_lock_out() {
    let app = staff_app().await;
    for i in 1..=5 {
        let reply = try_login(&app, "wrong", &[]).await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "attempt {i}");
    }
    let sixth = try_login(&app, "wrong", &[]).await;
    assert_eq!(sixth.status, StatusCode::TOO_MANY_REQUESTS);
    let wait: u64 = sixth.headers[header::RETRY_AFTER]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    // A short delay that grows with each failure, not a 15-minute lock-out.
    assert!(wait > 0 && wait <= 2, "{wait}");
    let right = try_login(&app, PASSWORD, &[]).await;
    assert_eq!(
        right.status,
        StatusCode::TOO_MANY_REQUESTS,
        "not before the wait"
    );
    tokio::time::sleep(std::time::Duration::from_secs(wait)).await;
    let right = try_login(&app, PASSWORD, &[]).await;
    assert_eq!(right.status, StatusCode::SEE_OTHER, "{}", right.body);
}

async fn walk(app: &TestApp, start: serde_json::Value, answers: &[&str]) -> String {
    let reply = app.post_json("/api/wizard", &start).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    let id = reply.json()["id"].as_str().unwrap().to_string();
    for a in answers {
        let r = app
            .post_json(&format!("/api/wizard/{id}/answer"), &json!({ "answer": a }))
            .await;
        assert_eq!(r.status, StatusCode::OK, "{a}: {}", r.body);
    }
    id
}

#[tokio::test]
async fn sessions_transcripts_and_insights() {
    let app = staff_app().await;
    // Yes to every check, then fixed: both sessions are fixed by the same cause.
    let resolved = walk_to_resolved(&app, "Q900070", None).await;
    let resolved_too = walk_to_resolved(&app, "Q900070", None).await;
    let escalated = walk(
        &app,
        json!({"text": "<script>alert(1)</script>"}),
        &["none"],
    )
    .await;
    let in_progress = walk(&app, json!({"article": "Q900068"}), &[]).await;
    let abandoned = walk(&app, json!({"article": "Q900070"}), &[]).await;
    let idle = "UPDATE wizard_sessions SET updated_at = updated_at - 3600 WHERE id = $1";
    match kbfix::store::postgres_url(&app.db) {
        Some(url) => {
            use sqlx::Connection;
            let mut conn = sqlx::PgConnection::connect(url).await.unwrap();
            let q = sqlx::query(idle).bind(&abandoned);
            q.execute(&mut conn).await.unwrap();
        }
        None => {
            let q = sqlx::query(idle).bind(&abandoned);
            q.execute(app.store.pool()).await.unwrap();
        }
    }

    let cookie = login(&app).await;
    let page = get_with(&app, "/staff", &cookie).await;
    assert_eq!(page.status, StatusCode::OK);
    for id in [
        &resolved,
        &resolved_too,
        &escalated,
        &in_progress,
        &abandoned,
    ] {
        assert!(page.body.contains(&format!("/staff/sessions/{id}")), "{id}");
    }
    // The status column, then the origin column.
    let count = |s: &str| page.body.matches(s).count();
    assert_eq!(count("<td>resolved</td><td>article</td>"), 2);
    assert_eq!(count("<td>escalated</td><td>paste</td>"), 1);
    assert_eq!(count("<td>abandoned</td><td>article</td>"), 1);
    assert_eq!(count("<td>in progress</td><td>article</td>"), 1);
    assert!(
        !page.body.contains("<script>alert(1)"),
        "the input is escaped"
    );

    let unresolved = get_with(&app, "/staff?filter=unresolved", &cookie).await;
    assert!(!unresolved.body.contains(&resolved) && !unresolved.body.contains(&resolved_too));
    for id in [&escalated, &in_progress, &abandoned] {
        assert!(unresolved.body.contains(id.as_str()), "{id}");
    }

    let t = get_with(&app, &format!("/staff/sessions/{escalated}"), &cookie).await;
    assert_eq!(t.status, StatusCode::OK);
    assert!(t.body.contains("kbfix troubleshooting transcript"));
    assert!(!t.body.contains("<script>alert(1)"));
    assert!(t.body.contains("&lt;script&gt;") || t.body.contains("&#60;script&#62;"));
    let missing = get_with(
        &app,
        "/staff/sessions/0123456789abcdef0123456789abcdef",
        &cookie,
    )
    .await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);

    let insights = get_with(&app, "/staff/insights", &cookie).await;
    assert_eq!(insights.status, StatusCode::OK);
    let body = &insights.body;
    let resolutions =
        &body[body.find("What resolves").unwrap()..body.find("Where users give up").unwrap()];
    assert!(
        resolutions.contains("Q900070")
            && resolutions.contains("cause ")
            && resolutions.contains(r#"<td class="num">2</td>"#),
        "{resolutions}"
    );
    let give_ups = &body[body.find("Where users give up").unwrap()..];
    assert!(
        give_ups.contains("<td>choose an article</td><td>escalated</td><td class=\"num\">1</td>"),
        "{give_ups}"
    );
    assert!(
        // Left on its first step, which now confirms the symptom.
        give_ups.contains("<td>confirm the symptom</td><td>abandoned</td><td class=\"num\">1</td>"),
        "{give_ups}"
    );
}
