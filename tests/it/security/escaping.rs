//! User text shown back escaped, never as markup: in search, paste and browse pages, and
//! pasted markup on the wizard's and the staff's pages.

use super::common::{Reply, spawn_app};
use super::{header, send_with, staff_app, staff_login};
use axum::http::StatusCode;
use serde_json::json;

const SCRIPT: &str = "<script>alert(1)</script>";
const SCRIPT_QUERY: &str = "%3Cscript%3Ealert(1)%3C%2Fscript%3E";

/// The markup must not appear raw; when it is shown, it is shown escaped.
fn assert_escaped(what: &str, reply: &Reply) {
    assert!(
        !reply.body.contains(SCRIPT),
        "{what}: raw script in the page"
    );
    assert!(!reply.body.contains("<script>"), "{what}: raw <script>");
}

#[tokio::test]
async fn user_text_is_shown_escaped() {
    let app = spawn_app().await;
    let search = app.get(&format!("/search?q={SCRIPT_QUERY}")).await;
    assert_eq!(search.status, StatusCode::OK);
    assert_escaped("search", &search);
    assert!(
        search
            .body
            .contains("&lt;script&gt;alert(1)&lt;/script&gt;")
            || search
                .body
                .contains("&#60;script&#62;alert(1)&#60;/script&#62;"),
        "the query is not shown back escaped"
    );
    // Filters and page numbers are echoed into links and forms too.
    for uri in [
        format!("/search?q=event&category={SCRIPT_QUERY}"),
        format!("/search?q=event&kind={SCRIPT_QUERY}&product={SCRIPT_QUERY}"),
        format!("/search?q=event&page={SCRIPT_QUERY}"),
        format!("/articles/{SCRIPT_QUERY}"),
        format!("/browse/{SCRIPT_QUERY}"),
        format!("/events/{SCRIPT_QUERY}"),
        format!("/events/msexchangeccmc/{SCRIPT_QUERY}"),
        format!("/nowhere/{SCRIPT_QUERY}"),
    ] {
        let reply = app.get(&uri).await;
        assert!(!reply.status.is_server_error(), "{uri}: {}", reply.status);
        assert_escaped(&uri, &reply);
    }

    // The match API answers JSON, which a browser must not render as HTML.
    let reply = app
        .post_json(
            "/api/match",
            &serde_json::json!({"text": format!("Event ID: 68\nDescription: {SCRIPT}")}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK);
    assert!(
        header(&reply, header::CONTENT_TYPE.as_str()).starts_with("application/json"),
        "{}",
        header(&reply, "content-type")
    );
    assert_eq!(header(&reply, "x-content-type-options"), "nosniff");
    // The paste's description is echoed back as a JSON string, intact (escaping is the page's
    // job when it shows it).
    assert!(
        reply.json().to_string().contains("alert(1)"),
        "{}",
        reply.body
    );
}

/// `tests/it/wizard.rs` sees the paste escaped on the wizard's own pages and `tests/it/staff.rs`
/// sees a paste sent as JSON escaped on the staff pages: here the paste comes through the
/// home page's form, and is followed onto the read-only step URLs, the refine box, the
/// invalid-answer page and the staff list and transcript.
#[tokio::test]
async fn pasted_markup_stays_escaped_on_wizard_and_staff_pages() {
    let app = staff_app().await;
    let started = app.post_form("/troubleshoot", &[("text", SCRIPT)]).await;
    assert_eq!(started.status, StatusCode::SEE_OTHER, "{}", started.body);
    let url = started.location();
    let id = url.trim_start_matches("/wizard/").to_string();
    let shows_it = |what: &str, reply: &Reply| {
        assert_eq!(reply.status, StatusCode::OK, "{what}: {}", reply.body);
        assert_escaped(what, reply);
        assert!(
            reply.body.contains("&lt;script&gt;alert(1)&lt;/script&gt;")
                || reply
                    .body
                    .contains("&#60;script&#62;alert(1)&#60;/script&#62;"),
            "{what}: the paste is not shown back escaped"
        );
    };
    shows_it("current step", &app.get(&url).await);

    // An answer that is markup is refused on a page that names the valid ones, escaped.
    let bad = app
        .post_form(&url, &[("answer", SCRIPT), ("step", "1")])
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_escaped("invalid answer page", &bad);
    let bad = app
        .post_json(
            &format!("/api/wizard/{id}/answer"),
            &json!({"answer": SCRIPT}),
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(header(&bad, "content-type").starts_with("application/json"));
    assert_eq!(header(&bad, "x-content-type-options"), "nosniff");

    // Refined with markup, then escalated: the first step, now read-only, still shows it.
    let refined = app
        .post_form(&format!("{url}/search"), &[("q", SCRIPT)])
        .await;
    assert_eq!(refined.status, StatusCode::SEE_OTHER, "{}", refined.body);
    shows_it("refined step", &app.get(&url).await);
    let escalated = app
        .post_form(&url, &[("answer", "none"), ("step", "2")])
        .await;
    assert_eq!(
        escalated.status,
        StatusCode::SEE_OTHER,
        "{}",
        escalated.body
    );
    shows_it("escalated step", &app.get(&url).await);
    shows_it(
        "step 1, read-only",
        &app.get(&format!("{url}/step/1")).await,
    );
    shows_it(
        "step 2, read-only",
        &app.get(&format!("{url}/step/2")).await,
    );

    let words = app
        .post_form("/troubleshoot/search", &[("q", SCRIPT)])
        .await;
    assert_eq!(words.status, StatusCode::SEE_OTHER, "{}", words.body);
    shows_it("started from words", &app.get(&words.location()).await);

    let (_, cookie) = staff_login(&app).await;
    let list = send_with(&app, "GET", "/staff", Some(&cookie), None).await;
    shows_it("staff list", &list);
    assert!(list.body.contains(&format!("/staff/sessions/{id}")));
    let transcript = send_with(
        &app,
        "GET",
        &format!("/staff/sessions/{id}"),
        Some(&cookie),
        None,
    )
    .await;
    shows_it("staff transcript", &transcript);
    let insights = send_with(&app, "GET", "/staff/insights", Some(&cookie), None).await;
    assert_eq!(insights.status, StatusCode::OK);
    assert_escaped("staff insights", &insights);
}
