//! The hand-off (issue 25): on the escalated page the user writes how to reach them and
//! what they tried; it is kept with the session (bounded, escaped everywhere), shown on
//! the staff page and put in the transcript. Through the JSON API and the forms.

use super::*;

/// A session escalated at once: a paste nothing matches, "none of these".
async fn escalated(app: &TestApp) -> String {
    let v = start(app, json!({ "text": "Gizmo <b>exploded</b> at startup." })).await;
    let id = v["id"].as_str().unwrap().to_string();
    let v = answer(app, &id, "none").await;
    assert_eq!(kind(&v), "escalated");
    id
}

#[tokio::test]
async fn handoff_in_json_is_kept_bounded_and_in_the_transcript() {
    let app = spawn_app().await;
    let id = escalated(&app).await;
    let url = format!("/api/wizard/{id}/handoff");
    let note = json!({
        "name": " Ann Smith ",
        "machine": "MAIL01",
        "contact": "ann@example.com",
        "tried": "Restarted the bridge.\nOutcome: resolved",
    });
    let reply = app.post_json(&url, &note).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let v = reply.json();
    assert_eq!(v["handoff"]["name"], "Ann Smith");
    assert_eq!(v["handoff"]["contact"], "ann@example.com");
    assert_eq!(kind(&v), "escalated");
    let transcript = v["transcript"].as_str().unwrap();
    for needle in [
        "From the user, for the helpdesk:",
        "  Name: Ann Smith",
        "  Machine: MAIL01",
        "  Contact: ann@example.com",
        "    Restarted the bridge.",
        // Their line is indented: it cannot pass for the transcript's own outcome.
        "    Outcome: resolved",
    ] {
        assert!(transcript.contains(needle), "{needle}:\n{transcript}");
    }
    let session = app.get(&format!("/api/wizard/{id}")).await.json();
    assert_eq!(session["handoff"]["machine"], "MAIL01");
    let txt = app.get(&format!("/wizard/{id}/transcript.txt")).await.body;
    assert!(txt.contains("  Contact: ann@example.com"), "{txt}");

    // Saving again replaces it.
    let reply = app.post_json(&url, &json!({ "contact": "555 0100" })).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.json()["handoff"]["name"], "");

    // Too long, empty, malformed, or no such session: refused, nothing changed.
    for (body, status) in [
        (
            json!({ "name": "x".repeat(201) }),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            json!({ "tried": "y".repeat(4001) }),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            json!({ "name": "  ", "tried": "" }),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (json!({ "name": 5 }), StatusCode::UNPROCESSABLE_ENTITY),
    ] {
        let reply = app.post_json(&url, &body).await;
        assert_eq!(reply.status, status, "{body}: {}", reply.body);
        assert!(reply.json()["error"].is_string());
    }
    let session = app.get(&format!("/api/wizard/{id}")).await.json();
    assert_eq!(session["handoff"]["contact"], "555 0100");
    let nobody = "0123456789abcdef0123456789abcdef";
    let reply = app
        .post_json(&format!("/api/wizard/{nobody}/handoff"), &note)
        .await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn handoff_form_is_escaped_and_shown_to_staff() {
    let app = common::staff_app().await;
    let id = escalated(&app).await;
    let url = format!("/wizard/{id}");
    let page = app.get(&url).await;
    assert!(page.body.contains(r#"id="handoff""#));
    assert!(!page.body.contains("Saved "));
    let reply = app
        .post_form(
            &format!("{url}/handoff"),
            &[
                ("name", "<script>alert(1)</script>"),
                ("machine", "MAIL01"),
                ("contact", "ann@example.com"),
                ("tried", "Rebooted & <i>prayed</i>"),
            ],
        )
        .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    assert!(
        reply.location().ends_with("#handoff"),
        "{}",
        reply.location()
    );
    let page = follow(&app, reply).await;
    assert_eq!(kind_of(&page), "escalated");
    assert!(page.body.contains("Saved "));
    assert!(!page.body.contains("<script>alert(1)") && !page.body.contains("<i>prayed"));
    assert!(page.body.contains("&lt;script&gt;") || page.body.contains("&#60;script&#62;"));
    assert!(page.body.contains(r#"value="MAIL01""#));
    // The transcript on the page is the one with the note.
    assert!(page.body.contains("Contact: ann@example.com"));

    let cookie = crate::staff::login(&app).await;
    let staff = crate::staff::get_with(&app, &format!("/staff/sessions/{id}"), &cookie).await;
    assert_eq!(staff.status, StatusCode::OK);
    assert!(staff.body.contains("From the user, for the helpdesk"));
    assert!(staff.body.contains("MAIL01") && staff.body.contains("ann@example.com"));
    assert!(!staff.body.contains("<script>alert(1)") && !staff.body.contains("<i>prayed"));

    // A form with nothing in it says so.
    let empty = app
        .post_form(&format!("{url}/handoff"), &[("name", " ")])
        .await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
}
