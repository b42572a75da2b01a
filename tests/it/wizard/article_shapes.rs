//! The two fixture shapes the pages are walked over (issue 25), through the JSON API: a
//! fix with "If you are using X / Y" paragraphs asks which before showing it, and a fix
//! with "Method 1 / Method 2" offers method 2 after method 1 fails. Both fixes carry a
//! WARNING paragraph and a registry key, and the transcript tells what was chosen and
//! tried.

use super::*;

/// Answers `reply` to every question step (yes to the symptom and version), returning the
/// first step that is not one.
async fn through_questions(app: &TestApp, id: &str, mut v: Value, reply: &str) -> Value {
    loop {
        let r = match kind(&v) {
            "check_symptom" | "check_version" => "yes",
            "check_cause" => reply,
            _ => return v,
        };
        v = answer(app, id, r).await;
    }
}

#[tokio::test]
async fn a_branch_article_asks_which_case_before_its_fix() {
    let app = spawn_app().await;
    let v = start(&app, json!({ "article": "Q900111" })).await;
    let id = v["id"].as_str().unwrap().to_string();
    let v = through_questions(&app, &id, v, "yes").await;
    assert_eq!(kind(&v), "choose_branch", "{v}");
    let labels: Vec<&str> = v["step"]["options"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["label"].as_str().unwrap())
        .collect();
    assert!(labels[0].contains("internal modem"), "{labels:?}");
    assert!(labels[1].contains("modem pool"), "{labels:?}");
    assert!(
        v["step"]["context"]
            .as_str()
            .unwrap()
            .contains("Error 0x2A1")
    );
    let v = answer(&app, &id, "branch_1").await;
    assert_eq!(kind(&v), "try_resolution");
    let text: String = item_texts(&v).into_iter().map(|i| i.2 + "\n").collect();
    assert!(
        text.contains("internal modem") && !text.contains("modem pool"),
        "{text}"
    );
    answer(&app, &id, "not_fixed").await;
    let txt = app.get(&format!("/wizard/{id}/transcript.txt")).await.body;
    for needle in [
        "Confirmed: \"Error 0x2A1: The gateway could not open the line device for sending.\"",
        "Chose \"You are using an internal modem\"",
        "Tried RESOLUTION, \"You are using an internal modem\"",
        ": not fixed",
    ] {
        assert!(txt.contains(needle), "{needle}:\n{txt}");
    }
    // The page: the warning as a callout.
    let page = app.get(&format!("/wizard/{id}/step/4")).await;
    assert!(
        page.body.contains(r#"class="callout callout-warning""#),
        "{}",
        page.body
    );
}

#[tokio::test]
async fn a_method_article_offers_method_two_after_method_one() {
    let app = spawn_app().await;
    let v = start(&app, json!({ "article": "Q900112" })).await;
    let id = v["id"].as_str().unwrap().to_string();
    let v = through_questions(&app, &id, v, "unsure").await;
    assert_eq!(kind(&v), "try_resolution", "{v}");
    assert_eq!(v["step"]["branch"], "Method 1: Change the Port Mode", "{v}");
    let v = answer(&app, &id, "not_fixed").await;
    assert_eq!(kind(&v), "try_resolution", "{v}");
    assert_eq!(
        v["step"]["branch"],
        "Method 2: Reinstall the Scanner Driver"
    );
    let items = item_texts(&v);
    assert!(
        items
            .iter()
            .any(|i| i.0 == "pre" && i.2.starts_with("HKEY_LOCAL_MACHINE"))
    );
    let page = app.get(&format!("/wizard/{id}")).await;
    assert!(page.body.contains(r#"class="callout callout-warning""#));
    assert!(page.body.contains(r#"<div class="copyable block""#));
    let v = answer(&app, &id, "not_fixed").await;
    assert_ne!(
        kind(&v),
        "try_resolution",
        "nothing tried is offered again: {v}"
    );
    let txt = app.get(&format!("/wizard/{id}/transcript.txt")).await.body;
    let one = txt.find("Tried RESOLUTION, \"Method 1").expect(&txt);
    let two = txt.find("Tried RESOLUTION, \"Method 2").expect(&txt);
    assert!(one < two, "{txt}");
}
