//! Real-world paste shapes through `POST /api/match` over the fixtures: each shape reaches
//! the article quoting its event with the verdict "match"; events no article is about get
//! "related" or "none" and a sentence saying so; hostile pastes stay within their work
//! bounds (issue 12, finding 4 and 7), counted, not timed.

use crate::common;

use common::spawn_app;
use kbfix::matcher::Matcher;
use serde_json::{Value, json};

/// The first result's id, the verdict and the summary of a paste.
async fn matched(app: &common::TestApp, text: &str) -> (String, String, String) {
    let reply = app.post_json("/api/match", &json!({ "text": text })).await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    let v: Value = reply.json();
    let first = v["results"][0]["id"].as_str().unwrap_or("").to_string();
    let verdict = v["verdict"].as_str().unwrap_or("").to_string();
    let summary = v["summary"].as_str().unwrap_or("").to_string();
    (first, verdict, summary)
}

#[tokio::test]
async fn every_shape_reaches_the_article_about_its_event() {
    let app = spawn_app().await;
    let shapes = [
        (
            "flattened",
            "Event Type: Error Event Source: MSExchangeCCMC Event Category: General Event ID: 68 Date: 3/12/2003 Time: 2:10:44 AM User: N/A Computer: MAIL01 Description: Bridge EXPORT to file BRIDGE.EXP ended with result code 4. For more information, see Help and Support Center at http://go.microsoft.com/fwlink/events.asp.",
        ),
        (
            "german",
            "Protokollname: Application\nQuelle: MSExchangeCCMC\nDatum: 12.03.2003 02:10:44\nEreignis-ID: 68\nAufgabenkategorie: General\nEbene: Fehler\nBenutzer: Nicht zutreffend\nComputer: MAIL01\nBeschreibung:\nBridge EXPORT to file BRIDGE.EXP ended with result code 4.",
        ),
        (
            "japanese",
            "ログの名前: Application\nソース: MSExchangeCCMC\n日付: 2003/03/12 2:10:44\nイベント ID: 68\nタスクのカテゴリ: General\nレベル: エラー\n説明:\nBridge EXPORT to file BRIDGE.EXP ended with result code 4.",
        ),
        (
            "spanish",
            "Nombre de registro: Application\nOrigen: MSExchangeCCMC\nFecha: 12/03/2003 2:10:44\nId. del evento: 68\nNivel: Error\nDescripción:\nBridge EXPORT to file BRIDGE.EXP ended with result code 4.",
        ),
        (
            "prose",
            "our old exchange 5.5 box keeps logging event 68 from MSExchangeCCMC every night, any idea?",
        ),
        (
            "prose, source first",
            "Source: MSExchangeCCMC, ID: 68 every night since Monday",
        ),
        (
            "list row",
            "Error\t3/12/2003\t2:10:44 AM\tMSExchangeCCMC\tGeneral\t68\tN/A\tMAIL01",
        ),
        (
            "csv without header",
            "Error,3/12/2003 2:10:44 AM,MSExchangeCCMC,68,General,\"Bridge EXPORT to file BRIDGE.EXP ended with result code 4.\"",
        ),
        (
            "snare",
            "<11>Mar 12 02:10:44 mail01 MSWinEventLog\t1\tApplication\t991\tWed Mar 12 02:10:44 2003\t68\tMSExchangeCCMC\tN/A\tN/A\tError\tMAIL01\tGeneral\t\tBridge EXPORT to file BRIDGE.EXP ended with result code 4.\t12",
        ),
        (
            "forum quote",
            "[quote]Event ID: 68\nSource: MSExchangeCCMC\nDescription: Bridge EXPORT to file BRIDGE.EXP ended with result code 4.[/quote]\nthanks in advance",
        ),
        (
            "wrapper",
            "The description for Event ID 68 from source MSExchangeCCMC cannot be found. Either the component that raises this event is not installed on your local computer or the installation is corrupted.\n\nThe following information was included with the event:\n\nBRIDGE.EXP\n4\n",
        ),
    ];
    for (shape, text) in shapes {
        let (first, verdict, summary) = matched(&app, text).await;
        assert_eq!(first, "Q900068", "{shape}: {summary}");
        assert_eq!(verdict, "match", "{shape}: {summary}");
        assert!(
            summary.contains("event 68 from MSExchangeCCMC"),
            "{shape}: {summary}"
        );
    }
}

#[tokio::test]
async fn events_no_article_is_about_are_not_called_a_match() {
    let app = spawn_app().await;
    // A source the fixtures quote, with an id none of them quotes.
    let (first, verdict, summary) = matched(
        &app,
        "Log Name: Application\nSource: MSExchangeCCMC\nDate: 4/5/2021 1:02:03 PM\nEvent ID: 9999\nLevel: Error\nDescription:\nThe widget cache overflowed.",
    )
    .await;
    assert_eq!(verdict, "related", "{summary}");
    assert!(!first.is_empty());
    assert_eq!(
        summary,
        "No article in the archive is about event 9999 from MSExchangeCCMC; these share its source."
    );
    // Neither the source nor the words are known.
    let (first, verdict, summary) =
        matched(&app, "event 31337 from Qwzx Frobnicator: zzqx vvkw").await;
    assert_eq!(
        (first.as_str(), verdict.as_str()),
        ("", "none"),
        "{summary}"
    );
    assert_eq!(
        summary,
        "Nothing in the archive matches event 31337 from Qwzx Frobnicator."
    );
}

#[tokio::test]
async fn a_number_in_prose_is_no_event_id() {
    let app = spawn_app().await;
    let reply = app
        .post_json(
            "/api/match",
            &json!({ "text": "we have 68 mailboxes and the bridge fails at night" }),
        )
        .await;
    let v: Value = reply.json();
    assert!(
        v["events"]
            .as_array()
            .unwrap()
            .iter()
            .all(|e| e["event_id"].is_null()),
        "{v}"
    );
}

#[tokio::test]
async fn hostile_pastes_stay_within_their_work_bounds() {
    let app = spawn_app().await;
    let matcher = Matcher::new(app.store.clone());
    let many_ids: String = (0..10_000).map(|n| format!("Event ID: {n}\n")).collect();
    let outcome = matcher.match_text(&many_ids).await.unwrap();
    assert!(outcome.events.len() <= kbfix::paste::MAX_EVENTS);
    let after_ids = matcher.word_lookups();
    assert!(
        after_ids <= 96,
        "{after_ids} word counts looked up for one paste"
    );

    // 200 KiB of distinct made-up words: the lookups stay bounded, and none is remembered.
    let mut words = String::new();
    let mut n: u64 = 7;
    while words.len() < 200 * 1024 {
        n = n
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        words.push_str(&format!("qz{:x} ", n >> 20));
    }
    matcher.match_text(&words).await.unwrap();
    let lookups = matcher.word_lookups() - after_ids;
    assert!(
        lookups <= 96,
        "{lookups} word counts looked up for one paste"
    );
    let remembered = matcher.remembered_words();
    for _ in 0..3 {
        matcher.match_text(&words).await.unwrap();
    }
    assert_eq!(
        matcher.remembered_words(),
        remembered,
        "made-up words are not remembered"
    );
}
