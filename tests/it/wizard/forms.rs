//! The seed walk through the HTML forms, step URLs and escaping.

use super::*;

#[tokio::test]
async fn seed_walk_through_the_forms() {
    let app = spawn_app().await;
    let reply = app
        .post_form("/troubleshoot", &[("text", &common::q900068_event())])
        .await;
    let url = reply.location();
    assert!(url.starts_with("/wizard/"), "{url}");
    let page = follow(&app, reply).await;
    // The paste quotes Q900068's event verbatim: the walk starts in it, with a way out.
    assert_eq!(kind_of(&page), "check_version");
    assert!(page.body.contains("Microsoft Exchange Server 5.0 or 5.5"));
    assert!(page.body.contains("What we recognised"));
    assert!(page.body.contains(r#"value="others""#));
    assert!(
        page.body
            .contains("Not this one? See the other articles for this event")
    );
    assert!(
        !page.body.contains(r#"value="back""#),
        "no back on the first step"
    );
    assert!(page.body.contains("Step 1 · about "), "the progress line");
    assert!(page.body.contains(r#"class="context-symptom""#));
    let page = submit(&app, &url, "yes").await;
    assert_eq!(kind_of(&page), "check_cause");
    assert!(page.body.contains("Cause 1 of 2"));
    // Back sits apart from the answers, at the top of the step, not among them.
    let back = page.body.find(r#"value="back""#).unwrap();
    let answers = page.body.find(r#"class="answer answer-bar"#).unwrap();
    assert!(back < answers, "Back before the answers' form");
    assert!(page.body.contains(r#"class="back secondary""#));
    let page = submit(&app, &url, "no").await;
    assert_eq!(kind_of(&page), "check_cause");
    let page = submit(&app, &url, "unsure").await;
    assert_eq!(kind_of(&page), "choose_branch");
    assert!(page.body.contains(r#"value="branch_1""#) && page.body.contains(">Classic<"));
    let page = submit(&app, &url, "branch_1").await;
    assert_eq!(kind_of(&page), "try_resolution");
    assert_eq!(page.body.matches(r#"class="item-step""#).count(), 3);
    assert!(page.body.contains("Classic post office") && !page.body.contains("Modern post office"));
    // The fix comes first, then "Did this fix it?" in a bar that stays in view.
    let fix_at = page.body.find(r#"class="fix""#).unwrap();
    let first_answer = page.body.find(r#"value="not_fixed""#).unwrap();
    assert!(fix_at < first_answer, "the fix before its question");
    assert_eq!(page.body.matches(r#"value="not_fixed""#).count(), 1);
    assert!(page.body.contains(r#"class="answer answer-bar sticky""#));
    assert!(page.body.contains("<legend>Did this fix it?</legend>"));
    assert!(page.body.contains(r#"value="back""#));

    let page = submit(&app, &url, "not_fixed").await;
    assert_eq!(kind_of(&page), "related");
    let first = page.body.find(r#"name="answer" value="Q"#).unwrap();
    assert!(page.body[first..].starts_with(r#"name="answer" value="Q900070""#));

    let mut page = submit(&app, &url, "Q900070").await;
    let mut asked = 0;
    while kind_of(&page) == "check_cause" {
        assert!(page.body.contains("as the article words it"));
        asked += 1;
        page = submit(&app, &url, "no").await;
    }
    assert!((4..=5).contains(&asked), "{asked}");
    assert_eq!(kind_of(&page), "try_resolution");
    let page = submit(&app, &url, "not_fixed").await;
    assert_eq!(kind_of(&page), "related");
    let page = submit(&app, &url, "none").await;
    assert_eq!(kind_of(&page), "escalated");
    assert!(page.body.contains(r#"<pre class="transcript">"#));
    assert!(page.body.contains("Q900068") && page.body.contains("Q900070"));
    assert!(page.body.contains("BRIDGE.EXP"));
    // Copy (with the script) and download the transcript; the hand-off form.
    assert!(page.body.contains(r#"class="copy secondary" hidden"#));
    assert!(
        page.body
            .contains(&format!(r#"href="{url}/transcript.txt" download="#))
    );
    assert!(
        page.body
            .contains(r#"action="{url}/handoff""#.replace("{url}", &url).as_str())
    );
    for field in ["name", "machine", "contact", "tried"] {
        assert!(page.body.contains(&format!(r#"name="{field}""#)), "{field}");
    }
}

#[tokio::test]
async fn step_urls_show_history_read_only() {
    let app = spawn_app().await;
    let v = start(&app, json!({ "text": common::q900068_event() })).await;
    let id = v["id"].as_str().unwrap();
    answer(&app, id, "others").await;
    let one = app.get(&format!("/wizard/{id}/step/1")).await;
    assert_eq!(one.status, StatusCode::OK);
    assert_eq!(kind_of(&one), "check_version");
    assert!(one.body.contains("Answered:"));
    assert!(
        !one.body.contains(r#"name="answer""#),
        "no form on an answered step"
    );
    let two = app.get(&format!("/wizard/{id}/step/2")).await;
    assert_eq!(kind_of(&two), "choose_article");
    assert!(two.body.contains(r#"name="answer""#));
    assert_eq!(two.body, app.get(&format!("/wizard/{id}")).await.body);
    assert_eq!(
        two.headers["cache-control"], "no-store",
        "reloads ask again"
    );
    for n in ["3", "0", "x"] {
        let reply = app.get(&format!("/wizard/{id}/step/{n}")).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{n}");
    }
    // A form from an old page cannot answer the current step.
    let stale = app
        .post_form(
            &format!("/wizard/{id}"),
            &[("answer", "none"), ("step", "1")],
        )
        .await;
    assert_eq!(stale.status, StatusCode::CONFLICT);
}

#[tokio::test]
async fn pasted_markup_is_escaped() {
    let app = spawn_app().await;
    let reply = app
        .post_form("/troubleshoot", &[("text", "<script>alert(1)</script>")])
        .await;
    let url = reply.location();
    let page = follow(&app, reply).await;
    assert!(!page.body.contains("<script>alert(1)"));
    assert!(
        page.body.contains("&lt;script&gt;") || page.body.contains("&#60;script&#62;"),
        "the paste is not shown back escaped"
    );
    let page = submit(&app, &url, "none").await;
    assert_eq!(kind_of(&page), "escalated");
    assert!(!page.body.contains("<script>alert(1)"));
    assert!(page.body.contains("&lt;script&gt;") || page.body.contains("&#60;script&#62;"));
    let txt = app.get(&format!("{url}/transcript.txt")).await;
    assert!(
        txt.headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/plain")
    );
    assert!(txt.body.contains("<script>alert(1)</script>"));
}
