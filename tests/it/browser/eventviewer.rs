//! Event Viewer's help link in a browser: the page Event Viewer opens for the seed event,
//! its Troubleshoot button, and the wizard's first question about the chosen article.

use super::{Shots, answers_offered, assert_styled, click_and_wait, eval, shown};
use fantoccini::{Client, Locator};

/// The link Event Viewer (Vista and later) opens for the Q900068 event.
const LINK: &str = "/events.asp?EvtSrc=MSExchangeCCMC&EvtID=68&ProdName=Microsoft%20Exchange&ProdVer=5.5&LCID=1033";

pub async fn eventviewer_walk(shots: Shots, client: Client, base: String) {
    let client = &client;
    client.goto(&format!("{base}{LINK}")).await.unwrap();
    assert_styled(client, "events.asp").await;
    let first = eval(
        client,
        "const b = document.querySelector('button[name=troubleshoot]');
         return b ? b.value : null;",
    )
    .await;
    assert_eq!(first, "Q900068", "the first Troubleshoot button");
    shots.take(client, "eventviewer-lookup").await;

    click_and_wait(
        client,
        Locator::Css(r#"button[name=troubleshoot][value="Q900068"]"#),
    )
    .await;
    let step = shown(client, "after Troubleshoot").await;
    assert!(step.path.starts_with("/wizard/"), "led to {}", step.path);
    assert!(
        !["choose_article", "check_symptom", "check_version"].contains(&step.kind.as_str()),
        "the wizard asked {} again ({})",
        step.kind,
        step.h1
    );
    let article = client
        .find(Locator::Css(".wizard-article a"))
        .await
        .unwrap_or_else(|e| panic!("no article line on {}: {e}", step.path))
        .text()
        .await
        .unwrap();
    assert_eq!(article, "Q900068");
    let offered = answers_offered(client).await;
    assert!(
        !offered.is_empty(),
        "{}: a question with no answers",
        step.kind
    );
    shots.take(client, "eventviewer-first-question").await;
}
