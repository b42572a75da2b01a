//! The troubleshooting wizard over the fixtures: the seed walk Q900068 → Q900070 through the
//! JSON API ([`json`]) and through the HTML forms ([`forms`]), and every edge around it
//! (invalid answers, unknown sessions, back; outcomes and what they teach later sessions,
//! [`sessions`]; step URLs, escaping). The helpers here serve all three.

mod article_shapes;
mod first_step;
mod forms;
mod handoff;
mod json;
mod sessions;

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

/// Answers "no" to every cause still asked, returning the first other step (the fix).
async fn others_ruled_out(app: &TestApp, id: &str, mut v: Value) -> Value {
    while kind(&v) == "check_cause" {
        v = answer(app, id, "no").await;
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
