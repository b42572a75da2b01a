//! The first step after a paste or a search (issue 25): a paste one article quotes
//! verbatim starts in that article with a way out to the others; otherwise at most five
//! candidates, each with its symptom line, under a heading true of the list.

use super::*;

/// The Q900071/Q900072 event: two articles (versions 4.0 and 5.5) quote it alike.
const EVENT_4006: &str = "Event ID: 4006\nSource: MSExchangeIMC\nType: Warning\n\
    Description: Message delivery to the remote host failed because the connection was \
    refused.";

/// Every candidate's symptom line: present, never ending on a colon, never a keyword dump.
fn assert_symptom_lines(v: &Value) {
    for o in v["step"]["options"].as_array().unwrap() {
        if o["article"].is_null() {
            continue;
        }
        let detail = o["detail"].as_str().unwrap_or_else(|| panic!("{o}"));
        assert!(!detail.trim_end().ends_with(':'), "{detail}");
        assert!(!detail.starts_with("Matches:"), "{detail}");
        for r in o["reasons"].as_array().into_iter().flatten() {
            assert!(!r.as_str().unwrap().starts_with("Matches:"), "{r}");
        }
    }
}

#[tokio::test]
async fn a_verbatim_paste_starts_in_its_article_and_the_way_out_lists_the_others() {
    let app = spawn_app().await;
    let v = start(&app, json!({ "text": common::q900068_event() })).await;
    let id = v["id"].as_str().unwrap();
    assert_eq!(kind(&v), "check_version", "{v}");
    assert_eq!(v["step"]["article"], "Q900068");
    let way_out = v["step"]["options"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["value"] == "others")
        .expect("a way out");
    assert_eq!(
        way_out["label"],
        "Not this one? See the other articles for this event"
    );
    let history = app.get(&format!("/api/wizard/{id}")).await.json();
    assert!(
        history["history"]
            .as_array()
            .unwrap()
            .iter()
            .all(|h| h["kind"] != "choose_article"),
        "{history}"
    );

    // The way out: the other candidates, Q900068 left out, at most five, and back.
    let v = answer(&app, id, "others").await;
    assert_eq!(kind(&v), "choose_article", "{v}");
    let others = option_articles(&v);
    assert!(!others.contains(&"Q900068".to_string()), "{others:?}");
    assert!(!others.is_empty() && others.len() <= 5, "{others:?}");
    assert!(values(&v).ends_with(&["none".to_string(), "back".to_string()]));
    assert_symptom_lines(&v);
    // None of the others quotes event 68: the heading does not say they are about it.
    let prompt = v["step"]["prompt"].as_str().unwrap();
    assert!(!prompt.contains("are about event 68"), "{prompt}");

    // Back returns to the article, its way out still there.
    let v = answer(&app, id, "back").await;
    assert_eq!(kind(&v), "check_version");
    assert!(values(&v).contains(&"others".to_string()));

    // Choosing another from the way out enters it as a first choice.
    let v = answer(&app, id, "others").await;
    let pick = option_articles(&v)[0].clone();
    let v = answer(&app, id, &pick).await;
    assert_eq!(v["step"]["article"], pick.as_str(), "{v}");
    assert!(!values(&v).contains(&"others".to_string()), "{v}");
    let txt = app.get(&format!("/wizard/{id}/transcript.txt")).await.body;
    assert!(txt.contains("Said Q900068 is not their problem"), "{txt}");
}

#[tokio::test]
async fn a_paste_with_no_dominant_article_lists_at_most_five() {
    let app = spawn_app().await;
    let v = start(&app, json!({ "text": EVENT_4006 })).await;
    assert_eq!(kind(&v), "choose_article", "{v}");
    let listed = option_articles(&v);
    assert!(listed.len() <= 5, "{listed:?}");
    assert!(
        listed.contains(&"Q900071".to_string()) && listed.contains(&"Q900072".to_string()),
        "{listed:?}"
    );
    assert!(!values(&v).contains(&"others".to_string()));
    assert_symptom_lines(&v);
    let prompt = v["step"]["prompt"].as_str().unwrap();
    let about = v["step"]["options"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|o| o["article"].is_string())
        .count();
    // The heading counts what it claims: all listed, or "N of these".
    assert!(
        prompt.starts_with(&format!("These {about} articles are about event 4006"))
            || prompt.contains(&format!("of these {about} articles")),
        "{prompt}"
    );

    // A paste matching nothing at all: no list, only the search and the hand-off.
    let v = start(
        &app,
        json!({ "text": "Event ID: 31337\nSource: Nowhere\nDescription: Zzqx." }),
    )
    .await;
    assert_eq!(kind(&v), "choose_article");
    assert!(option_articles(&v).len() <= 5);
}

#[tokio::test]
async fn own_words_list_symptom_lines_not_keyword_dumps() {
    let app = spawn_app().await;
    let v = start(&app, json!({ "q": "mail bridge post office event" })).await;
    assert_eq!(kind(&v), "choose_article", "{v}");
    let listed = option_articles(&v);
    assert!(!listed.is_empty() && listed.len() <= 5, "{listed:?}");
    assert_symptom_lines(&v);
    let q900068 = v["step"]["options"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["article"] == "Q900068");
    if let Some(o) = q900068 {
        // The symptom that announced the entry is completed with its message.
        let detail = o["detail"].as_str().unwrap();
        assert!(detail.contains("Bridge EXPORT"), "{detail}");
    }
}

#[tokio::test]
async fn the_way_out_through_the_forms() {
    let app = spawn_app().await;
    let reply = app
        .post_form("/troubleshoot", &[("text", &common::q900068_event())])
        .await;
    let url = reply.location();
    let page = follow(&app, reply).await;
    assert_eq!(kind_of(&page), "check_version");
    let page = submit(&app, &url, "others").await;
    assert_eq!(kind_of(&page), "choose_article");
    assert!(!page.body.contains(r#"name="answer" value="Q900068""#));
    assert!(page.body.contains(r#"value="back""#));
    assert!(!page.body.contains("Matches:"));
}
