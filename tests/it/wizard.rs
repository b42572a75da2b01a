//! The troubleshooting wizard over the fixtures: the seed walk Q900068 → Q900070 through the
//! JSON API and through the HTML forms, and every edge around it (invalid answers, unknown
//! sessions, back, outcomes and what they teach later sessions, step URLs, escaping).

use crate::common;

use axum::http::StatusCode;
use common::{Reply, TestApp, spawn_app};
use serde_json::{Value, json};

async fn start(app: &TestApp, body: Value) -> Value {
    let reply = app.post_json("/api/wizard", &body).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    reply.json()
}

async fn answer(app: &TestApp, id: &str, answer: &str) -> Value {
    let reply = app
        .post_json(
            &format!("/api/wizard/{id}/answer"),
            &json!({ "answer": answer }),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{answer}: {}", reply.body);
    reply.json()
}

fn kind(v: &Value) -> &str {
    v["step"]["kind"].as_str().unwrap()
}

fn option_articles(v: &Value) -> Vec<String> {
    v["step"]["options"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|o| o["article"].as_str().map(str::to_string))
        .collect()
}

fn values(v: &Value) -> Vec<String> {
    v["step"]["options"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["value"].as_str().unwrap().to_string())
        .collect()
}

/// Answers "yes" to the symptom and version checks, returning the first other step.
async fn past_checks(app: &TestApp, id: &str, mut v: Value) -> Value {
    while matches!(kind(&v), "check_symptom" | "check_version") {
        v = answer(app, id, "yes").await;
    }
    v
}

fn item_texts(v: &Value) -> Vec<(String, Option<u64>, String)> {
    v["step"]["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["kind"].as_str().unwrap().to_string(),
                i["number"].as_u64(),
                i["text"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[tokio::test]
async fn seed_walk_in_json() {
    let app = spawn_app().await;
    let paste = common::q900068_event();
    let v = start(&app, json!({ "text": paste })).await;
    let id = v["id"].as_str().unwrap().to_string();
    assert_eq!(id.len(), 32);
    assert_eq!(kind(&v), "choose_article");
    assert_eq!(option_articles(&v)[0], "Q900068", "{v}");
    assert!(!v["step"]["recognised"].as_array().unwrap().is_empty());
    let first = &v["step"]["options"][0];
    assert!(
        first["detail"].as_str().unwrap().contains("mail bridge"),
        "{first}"
    );
    assert!(first["confidence"].is_number() && first["reasons"].is_array());
    // The first step offers no way back.
    assert!(!values(&v).contains(&"back".to_string()));
    assert!(values(&v).contains(&"none".to_string()));

    // The pasted event is the article's own: no symptom question, and it says so.
    let v = answer(&app, &id, "Q900068").await;
    assert_eq!(kind(&v), "check_version", "{v}");
    assert!(
        v["step"]["note"].as_str().unwrap().contains("matches"),
        "{v}"
    );
    assert_eq!(
        v["step"]["prompt"],
        "Are you running Microsoft Exchange Server 5.0 or 5.5?"
    );
    assert_eq!(values(&v), ["yes", "no", "unsure", "back"]);

    // Both prose causes, as questions, one at a time.
    let v = answer(&app, &id, "yes").await;
    assert_eq!(kind(&v), "check_cause");
    assert_eq!(
        v["step"]["prompt"],
        "Are you running the wrong versions of the bridge helper programs Bimport.exe and \
         Bexport.exe?"
    );
    assert_eq!(v["step"]["cause"]["total"], 2);
    let v = answer(&app, &id, "no").await;
    assert_eq!(kind(&v), "check_cause");
    assert_eq!(
        v["step"]["prompt"],
        "Are the wrong versions chosen in the properties of the mail bridge?"
    );

    // Unsure: the fix, whose branches are asked first.
    let v = answer(&app, &id, "unsure").await;
    assert_eq!(kind(&v), "choose_branch", "{v}");
    let labels: Vec<&str> = v["step"]["options"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["label"].as_str().unwrap())
        .collect();
    assert_eq!(labels[..2], ["Classic", "Modern"]);
    assert_eq!(values(&v), ["branch_1", "branch_2", "unsure", "back"]);
    assert!(
        v["step"]["prompt"]
            .as_str()
            .unwrap()
            .contains("post office")
    );

    let v = answer(&app, &id, "branch_2").await;
    assert_eq!(kind(&v), "try_resolution");
    assert_eq!(v["step"]["article"], "Q900068");
    assert_eq!(v["step"]["branch"], "Modern");
    let items = item_texts(&v);
    assert!(items[0].2.contains("Modern post office"), "{items:?}");
    assert!(!items.iter().any(|i| i.2.contains("Classic")), "{items:?}");
    let steps: Vec<Option<u64>> = items
        .iter()
        .filter(|i| i.0 == "step")
        .map(|i| i.1)
        .collect();
    assert_eq!(steps, [Some(1), Some(2), Some(3)], "{items:?}");
    assert!(items.iter().filter(|i| i.0 == "text").count() >= 2);
    assert_eq!(values(&v), ["fixed", "not_fixed", "back"]);

    // Not fixed: the article it says to troubleshoot the same way comes first.
    let v = answer(&app, &id, "not_fixed").await;
    assert_eq!(kind(&v), "related");
    let related = option_articles(&v);
    assert_eq!(related[0], "Q900070", "{related:?}");
    assert!(
        !related.contains(&"Q900068".to_string()),
        "already considered"
    );
    assert!(
        v["step"]["options"][0]["detail"]
            .as_str()
            .unwrap()
            .contains("same way"),
        "why it is offered"
    );

    // Q900070: the version is known (5.0 is among 5.0 and 5.5), so its causes come at once.
    let mut v = answer(&app, &id, "Q900070").await;
    let mut causes = Vec::new();
    while kind(&v) == "check_cause" {
        assert_eq!(v["step"]["article"], "Q900070");
        assert!(v["step"]["prompt"].as_str().unwrap().ends_with('?'));
        causes.push(v["step"]["cause"]["text"].as_str().unwrap().to_string());
        v = answer(&app, &id, "no").await;
    }
    assert_eq!(causes.len(), 5, "{causes:?}");
    assert!(causes[0].contains("Post Office tab"), "{causes:?}");
    // Every cause ruled out: the general fix is still offered, not "that did not fix it".
    assert_eq!(kind(&v), "try_resolution", "{v}");
    assert!(
        v["step"]["prompt"]
            .as_str()
            .unwrap()
            .starts_with("None of the causes matched")
    );
    let v = answer(&app, &id, "not_fixed").await;
    assert_eq!(kind(&v), "related");

    let v = answer(&app, &id, "none").await;
    assert_eq!(kind(&v), "escalated");
    assert_eq!(v["outcome"], "escalated");
    let transcript = v["step"]["transcript"].as_str().unwrap();
    for needle in [
        "Q900068",
        "Q900070",
        "BRIDGE.EXP",
        "ruled out",
        "unsure",
        "not fixed",
        "branch chosen",
        "Modern",
        "version",
    ] {
        assert!(
            transcript.contains(needle),
            "{needle} missing:\n{transcript}"
        );
    }
    assert!(transcript.contains(causes[1].as_str()));
    assert!(!transcript.contains("(none)"), "{transcript}");

    let txt = app.get(&format!("/wizard/{id}/transcript.txt")).await;
    assert_eq!(txt.status, StatusCode::OK);
    assert!(
        txt.headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/plain")
    );
    assert!(txt.body.contains("Q900070") && txt.body.contains("BRIDGE.EXP"));

    let all = app.get(&format!("/api/wizard/{id}")).await.json();
    let history = all["history"].as_array().unwrap();
    // choose, version, 2 causes, branch, fix, related, 5 causes, fix, related, escalated.
    assert_eq!(history.len(), 7 + causes.len() + 3);
    assert_eq!(history[0]["kind"], "choose_article");
    assert_eq!(history[0]["answer"], "Q900068");
    assert!(history.last().unwrap()["answer"].is_null());
    assert!(history[1]["answered_at"].is_number());
}

/// Follows a 303 and returns the page it leads to.
async fn follow(app: &TestApp, reply: Reply) -> Reply {
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    let page = app.get(&reply.location()).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    page
}

/// The current step's number, which answer forms carry.
async fn current_n(app: &TestApp, id: &str) -> String {
    app.get(&format!("/api/wizard/{id}")).await.json()["n"].to_string()
}

async fn submit(app: &TestApp, url: &str, answer: &str) -> Reply {
    let n = current_n(app, url.trim_start_matches("/wizard/")).await;
    let reply = app
        .post_form(url, &[("answer", answer), ("step", &n)])
        .await;
    // The answer leads to the new step's own URL, one browser-history entry per step.
    assert!(
        reply.location().starts_with(&format!("{url}/step/")),
        "{answer}: {} {}",
        reply.location(),
        reply.body
    );
    follow(app, reply).await
}

fn kind_of(page: &Reply) -> &str {
    let at = page.body.find("data-kind=\"").expect("a wizard page") + 11;
    let end = page.body[at..].find('"').unwrap();
    &page.body[at..at + end]
}

#[tokio::test]
async fn seed_walk_through_the_forms() {
    let app = spawn_app().await;
    let reply = app
        .post_form("/troubleshoot", &[("text", &common::q900068_event())])
        .await;
    let url = reply.location();
    assert!(url.starts_with("/wizard/"), "{url}");
    let page = follow(&app, reply).await;
    assert_eq!(kind_of(&page), "choose_article");
    let first = page.body.find(r#"name="answer" value="Q9"#).unwrap();
    assert!(page.body[first..].starts_with(r#"name="answer" value="Q900068""#));
    assert!(page.body.contains("What we recognised"));
    assert!(
        !page.body.contains(r#"value="back""#),
        "no back on the first step"
    );

    let page = submit(&app, &url, "Q900068").await;
    assert_eq!(kind_of(&page), "check_version");
    assert!(page.body.contains("Microsoft Exchange Server 5.0 or 5.5"));
    let page = submit(&app, &url, "yes").await;
    assert_eq!(kind_of(&page), "check_cause");
    assert!(page.body.contains("Cause 1 of 2"));
    let page = submit(&app, &url, "no").await;
    assert_eq!(kind_of(&page), "check_cause");
    let page = submit(&app, &url, "unsure").await;
    assert_eq!(kind_of(&page), "choose_branch");
    assert!(page.body.contains(r#"value="branch_1""#) && page.body.contains(">Classic<"));
    let page = submit(&app, &url, "branch_1").await;
    assert_eq!(kind_of(&page), "try_resolution");
    assert_eq!(page.body.matches(r#"class="item-step""#).count(), 3);
    assert!(page.body.contains("Classic post office") && !page.body.contains("Modern post office"));
    // The answers sit above the long fix as well as below it.
    let fix_at = page.body.find(r#"class="fix""#).unwrap();
    let first_answer = page.body.find(r#"value="not_fixed""#).unwrap();
    assert!(first_answer < fix_at, "answers above the fix");
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
    assert_eq!(asked, 5);
    assert_eq!(kind_of(&page), "try_resolution");
    let page = submit(&app, &url, "not_fixed").await;
    assert_eq!(kind_of(&page), "related");
    let page = submit(&app, &url, "none").await;
    assert_eq!(kind_of(&page), "escalated");
    assert!(page.body.contains(r#"<pre class="transcript">"#));
    assert!(page.body.contains("Q900068") && page.body.contains("Q900070"));
    assert!(page.body.contains("BRIDGE.EXP"));
}

#[tokio::test]
async fn invalid_answers_are_422_and_change_nothing() {
    let app = spawn_app().await;
    let v = start(&app, json!({ "article": "Q900068" })).await;
    let id = v["id"].as_str().unwrap();
    assert_eq!(kind(&v), "check_symptom");
    assert!(
        v["step"]["message"]
            .as_str()
            .unwrap()
            .contains("BRIDGE.EXP")
    );
    let before = app.get(&format!("/api/wizard/{id}")).await.body;
    for bad in ["maybe", "fixed", "Q900070", "", "back", "branch_1"] {
        let reply = app
            .post_json(
                &format!("/api/wizard/{id}/answer"),
                &json!({ "answer": bad }),
            )
            .await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
        let body = reply.json();
        assert!(body["error"].is_string());
        assert_eq!(body["valid"], json!(["yes", "no", "unsure"]), "{bad}");
    }
    let n = current_n(&app, id).await;
    let page = app
        .post_form(
            &format!("/wizard/{id}"),
            &[("answer", "perhaps"), ("step", &n)],
        )
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.body.contains("<code>yes</code>") && page.body.contains("<code>unsure</code>"));
    let bad_json = app
        .post_raw(
            &format!("/api/wizard/{id}/answer"),
            "application/json",
            "{oops".into(),
        )
        .await;
    assert_eq!(bad_json.status, StatusCode::BAD_REQUEST);
    let wrong_shape = app
        .post_json(&format!("/api/wizard/{id}/answer"), &json!({ "reply": 1 }))
        .await;
    assert_eq!(wrong_shape.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(app.get(&format!("/api/wizard/{id}")).await.body, before);

    // Starting needs exactly one thing to start from.
    for body in [
        json!({}),
        json!({"text": "x", "article": "Q900068"}),
        json!({"article": "banana"}),
        json!({"text": "   "}),
    ] {
        let reply = app.post_json("/api/wizard", &body).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert!(reply.json()["error"].is_string());
    }
    let missing = app
        .post_json("/api/wizard", &json!({"article": "Q123456"}))
        .await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn unknown_sessions_are_404() {
    let app = spawn_app().await;
    let nobody = "0123456789abcdef0123456789abcdef";
    for uri in [
        format!("/wizard/{nobody}"),
        format!("/wizard/{nobody}/step/1"),
        format!("/wizard/{nobody}/transcript.txt"),
        "/wizard/banana".to_string(),
        "/wizard/..%2F..%2Fetc".to_string(),
    ] {
        let reply = app.get(&uri).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{uri}");
    }
    let page = app.get(&format!("/wizard/{nobody}")).await;
    assert!(page.body.contains("no troubleshooting session"));
    let json = app.get(&format!("/api/wizard/{nobody}")).await;
    assert_eq!(json.status, StatusCode::NOT_FOUND);
    assert!(json.json()["error"].is_string());
    let post = app
        .post_json(
            &format!("/api/wizard/{nobody}/answer"),
            &json!({"answer": "yes"}),
        )
        .await;
    assert_eq!(post.status, StatusCode::NOT_FOUND);
    let form = app
        .post_form(&format!("/wizard/{nobody}"), &[("answer", "yes")])
        .await;
    assert_eq!(form.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn back_returns_to_the_previous_step() {
    let app = spawn_app().await;
    let v = start(&app, json!({ "text": common::q900068_event() })).await;
    let id = v["id"].as_str().unwrap();
    let v = answer(&app, id, "Q900068").await;
    assert_eq!(kind(&v), "check_version");
    let v = answer(&app, id, "yes").await;
    assert_eq!(kind(&v), "check_cause");
    let v = answer(&app, id, "back").await;
    assert_eq!(kind(&v), "check_version");
    let v = answer(&app, id, "back").await;
    assert_eq!(kind(&v), "choose_article");
    assert_eq!(option_articles(&v)[0], "Q900068");
    assert!(
        !values(&v).contains(&"back".to_string()),
        "back at the start again"
    );
    // Back from a cause check goes to the previous cause.
    answer(&app, id, "Q900068").await;
    let v = answer(&app, id, "yes").await;
    assert_eq!(v["step"]["cause"]["number"], 1);
    let v = answer(&app, id, "unsure").await;
    assert_eq!(v["step"]["cause"]["number"], 2);
    let v = answer(&app, id, "back").await;
    assert_eq!(v["step"]["cause"]["number"], 1);
    // Back from the fix returns to the branch question.
    answer(&app, id, "no").await;
    let v = answer(&app, id, "no").await;
    assert_eq!(kind(&v), "choose_branch", "{v}");
    // "Not sure" shows every branch, each labelled as an alternative.
    let v = answer(&app, id, "unsure").await;
    assert_eq!(kind(&v), "try_resolution", "{v}");
    assert!(
        v["step"]["prompt"]
            .as_str()
            .unwrap()
            .starts_with("None of the causes")
    );
    let headings: Vec<String> = item_texts(&v)
        .into_iter()
        .filter(|i| i.0 == "heading")
        .map(|i| i.2)
        .collect();
    assert_eq!(headings.len(), 2, "{headings:?}");
    assert!(
        headings[0].starts_with("Alternative 1 of 2"),
        "{headings:?}"
    );
    let v = answer(&app, id, "back").await;
    assert_eq!(kind(&v), "choose_branch");
    // The history keeps everything, back included.
    let all = app.get(&format!("/api/wizard/{id}")).await.json();
    let answers: Vec<&str> = all["history"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|h| h["answer"].as_str())
        .collect();
    assert_eq!(
        answers,
        [
            "Q900068", "yes", "back", "back", "Q900068", "yes", "unsure", "back", "no", "no",
            "unsure", "back"
        ]
    );
}

#[tokio::test]
async fn unsure_causes_lead_to_the_fix() {
    let app = spawn_app().await;
    let v = start(&app, json!({ "article": "Q900070" })).await;
    let id = v["id"].as_str().unwrap().to_string();
    let id = id.as_str();
    assert_eq!(kind(&v), "check_symptom");
    let v = past_checks(&app, id, v).await;
    let total = v["step"]["cause"]["total"].as_u64().unwrap();
    let mut v = answer(&app, id, "unsure").await;
    for _ in 1..total {
        v = answer(&app, id, "no").await;
    }
    assert_eq!(kind(&v), "try_resolution");
    assert_eq!(v["step"]["section"], "RESOLUTION");
}

#[tokio::test]
async fn resolved_records_article_and_cause() {
    let app = spawn_app().await;
    let v = start(&app, json!({ "article": "Q900070" })).await;
    let id = v["id"].as_str().unwrap().to_string();
    let v = past_checks(&app, &id, v).await;
    assert_eq!(kind(&v), "check_cause");
    assert_eq!(v["step"]["cause"]["index"], 0);
    let v = answer(&app, &id, "no").await;
    let v2 = answer(&app, &id, "yes").await;
    assert_eq!(v["step"]["cause"]["index"], 1);
    assert_eq!(kind(&v2), "try_resolution");
    assert_eq!(v2["step"]["cause"]["index"], 1);
    let v = answer(&app, &id, "fixed").await;
    assert_eq!(kind(&v), "resolved");
    assert_eq!(v["outcome"], "resolved");
    assert_eq!(v["step"]["article"], "Q900070");
    let row = app.store.session(&id).await.unwrap().unwrap();
    assert_eq!(row.outcome, Some(kbfix::store::Outcome::Resolved));
    assert_eq!(row.resolved_article, Some(900070));
    assert_eq!(row.resolved_cause, Some(1));
    assert_eq!(row.event_key.as_deref(), Some("70:msexchangeccmc"));
    // Going back from the end clears the outcome: it is no longer resolved.
    let v = answer(&app, &id, "back").await;
    assert_eq!(kind(&v), "try_resolution");
    assert!(v["outcome"].is_null());
    let v = answer(&app, &id, "fixed").await;
    assert_eq!(v["outcome"], "resolved");
    let txt = app.get(&format!("/wizard/{id}/transcript.txt")).await.body;
    assert!(
        txt.contains("Outcome: resolved") && txt.contains("ruled in"),
        "{txt}"
    );
}

#[tokio::test]
async fn outcomes_order_later_sessions() {
    let app = spawn_app().await;
    // Two earlier sessions about event 70 were fixed by Q900070's fourth cause.
    for _ in 0..2 {
        let v = start(&app, json!({ "article": "Q900070" })).await;
        let id = v["id"].as_str().unwrap();
        let mut v = past_checks(&app, id, v.clone()).await;
        while v["step"]["cause"]["index"] != 3 {
            v = answer(&app, id, "no").await;
        }
        answer(&app, id, "yes").await;
        assert_eq!(kind(&answer(&app, id, "fixed").await), "resolved");
    }
    // One was fixed by the third cause: ties among the others keep the article's order.
    let v = start(&app, json!({ "article": "Q900070" })).await;
    let id = v["id"].as_str().unwrap();
    let v = past_checks(&app, id, v.clone()).await;
    assert_eq!(
        v["step"]["cause"]["index"], 3,
        "the cause that fixed most comes first"
    );
    let mut v = v.clone();
    while v["step"]["cause"]["index"] != 2 {
        v = answer(&app, id, "no").await;
    }
    answer(&app, id, "yes").await;
    answer(&app, id, "fixed").await;

    let v = start(&app, json!({ "article": "Q900070" })).await;
    let id = v["id"].as_str().unwrap();
    let v = past_checks(&app, id, v.clone()).await;
    let mut order = vec![v["step"]["cause"]["index"].as_u64().unwrap()];
    let mut v;
    loop {
        v = answer(&app, id, "no").await;
        if kind(&v) != "check_cause" {
            break;
        }
        order.push(v["step"]["cause"]["index"].as_u64().unwrap());
    }
    assert_eq!(order, [3, 2, 0, 1, 4]);

    // Outcomes about event 70 do not reorder the causes asked for another event: the
    // stored counts are per event key.
    let counts = app
        .store
        .resolution_counts("68:msexchangeccmc")
        .await
        .unwrap();
    assert!(counts.is_empty(), "{counts:?}");
    let counts = app
        .store
        .resolution_counts("70:msexchangeccmc")
        .await
        .unwrap();
    assert_eq!(counts.iter().map(|c| c.sessions).sum::<i64>(), 3);
}

#[tokio::test]
async fn sessions_start_from_an_article_or_a_search() {
    let app = spawn_app().await;
    let page = app.get("/articles/Q900070").await;
    assert!(
        page.body
            .contains(r#"action="/troubleshoot/article/Q900070""#)
    );
    let reply = app.post_form("/troubleshoot/article/Q900070", &[]).await;
    let page = follow(&app, reply).await;
    assert_eq!(kind_of(&page), "check_symptom");
    assert!(page.body.contains("msgnnnn.brg"), "the quoted message");
    let reply = app.post_form("/troubleshoot/article/Q123456", &[]).await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);

    let reply = app
        .post_form("/troubleshoot/search", &[("q", "mail bridge post office")])
        .await;
    let page = follow(&app, reply).await;
    assert_eq!(kind_of(&page), "choose_article");
    assert!(page.body.contains(r#"value="Q900070""#));
    let v = start(&app, json!({ "q": "mail bridge" })).await;
    assert!(option_articles(&v).contains(&"Q900068".to_string()));
    let empty = app.post_form("/troubleshoot/search", &[("q", " ")]).await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);

    // "None of these" can be refined by a search, which starts a new choose_article.
    let id = v["id"].as_str().unwrap();
    let reply = app
        .post_json(
            &format!("/api/wizard/{id}/search"),
            &json!({"q": "fragmented post office files"}),
        )
        .await;
    let v = reply.json();
    assert_eq!(kind(&v), "choose_article");
    assert_eq!(option_articles(&v)[0], "Q900070");
    assert!(values(&v).contains(&"back".to_string()));
}

#[tokio::test]
async fn empty_and_unmatched_pastes_keep_the_text() {
    let app = spawn_app().await;
    let reply = app.post_form("/troubleshoot", &[("text", "   ")]).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(reply.body.contains(r#"name="text""#) && reply.body.contains("empty"));

    let reply = app
        .post_form("/troubleshoot", &[("text", "zzzqqq xxyyw frobnicator")])
        .await;
    let page = follow(&app, reply).await;
    assert_eq!(kind_of(&page), "choose_article");
    assert!(page.body.contains("Nothing in the archive matches"));
    assert!(page.body.contains(">zzzqqq xxyyw frobnicator</textarea>"));
}

#[tokio::test]
async fn step_urls_show_history_read_only() {
    let app = spawn_app().await;
    let v = start(&app, json!({ "text": common::q900068_event() })).await;
    let id = v["id"].as_str().unwrap();
    answer(&app, id, "Q900068").await;
    let one = app.get(&format!("/wizard/{id}/step/1")).await;
    assert_eq!(one.status, StatusCode::OK);
    assert_eq!(kind_of(&one), "choose_article");
    assert!(one.body.contains("Answered:"));
    assert!(
        !one.body.contains(r#"name="answer""#),
        "no form on an answered step"
    );
    let two = app.get(&format!("/wizard/{id}/step/2")).await;
    assert_eq!(kind_of(&two), "check_version");
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

/// Walks a session from its current step to "fixed" on the first fix offered.
async fn resolve_on_first_fix(app: &TestApp, id: &str, mut v: Value) -> Value {
    for _ in 0..20 {
        v = match kind(&v) {
            "check_symptom" | "check_version" | "check_cause" => answer(app, id, "yes").await,
            "try_resolution" | "try_workaround" => answer(app, id, "fixed").await,
            _ => break,
        };
    }
    v
}

#[tokio::test]
async fn search_sessions_resolved_raise_their_article_for_the_same_words() {
    let app = spawn_app().await;
    let v = start(&app, json!({ "q": "mail bridge" })).await;
    let before = option_articles(&v);
    assert!(before.len() >= 2, "{before:?}");
    // The user found the fix in the second article offered.
    let chosen = before[1].clone();
    let id = v["id"].as_str().unwrap();
    let v = answer(&app, id, &chosen).await;
    let v = resolve_on_first_fix(&app, id, v).await;
    assert_eq!(kind(&v), "resolved", "{v}");
    // The same words, in another order and case, now offer it first, in the wizard and
    // on the search page alike.
    let v = start(&app, json!({ "q": "Bridge MAIL" })).await;
    assert_eq!(option_articles(&v)[0], chosen);
    let json = app.get("/api/search?q=bridge+mail").await.json();
    assert_eq!(json["results"][0]["id"], chosen.as_str());
    // Other words rank as before.
    let json = app.get("/api/search?q=mail").await.json();
    let first = json["results"][0]["id"].as_str().unwrap().to_string();
    let fresh = spawn_app().await.get("/api/search?q=mail").await.json();
    assert_eq!(fresh["results"][0]["id"].as_str(), Some(first.as_str()));
}

/// A refine keeps (and searches with) a bounded, marked copy of however many words were
/// sent: the cap is the wizard's, not the web guard's, so every caller gets it.
#[tokio::test]
async fn refine_caps_the_search_text_it_keeps() {
    use kbfix::wizard::{CUT_MARK, MAX_STORED_INPUT, Wizard};
    let app = spawn_app().await;
    let v = start(&app, json!({ "q": "mail bridge" })).await;
    let id: kbfix::wizard::SessionId = v["id"].as_str().unwrap().parse().unwrap();
    let long = format!(
        "fragmented post office files {}",
        "mail ".repeat(MAX_STORED_INPUT)
    );
    let wizard = Wizard::new(&app.store, &app.state.matcher, &app.state.searcher);
    let session = wizard.refine(&id, &long).await.unwrap();
    assert_eq!(session.current().step.options[0].value, "Q900070");
    let steps = app.store.session_steps(id.as_str()).await.unwrap();
    let answer = steps[0].answer.as_deref().unwrap();
    let kept = answer.strip_prefix("search: ").unwrap();
    assert!(kept.len() <= MAX_STORED_INPUT, "{} bytes", kept.len());
    assert!(kept.starts_with("fragmented post office files mail"));
    assert!(answer.ends_with(CUT_MARK), "marked as cut");
    assert!(steps[1].step.len() < 2 * MAX_STORED_INPUT, "the step shown");
    // What fits is kept as sent.
    let session = wizard.refine(&id, "mail bridge").await.unwrap();
    let steps = app.store.session_steps(id.as_str()).await.unwrap();
    assert_eq!(session.steps.len(), 3);
    assert_eq!(steps[1].answer.as_deref(), Some("search: mail bridge"));
}
