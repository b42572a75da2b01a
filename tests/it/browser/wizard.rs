//! The wizard in a browser: a pasted event troubleshot step by step, pressing Back, Forward
//! and Reload at every step, then the finished session on a phone's width.

use super::{Shots, assert_fits, click_and_wait, eval, path_of};
use crate::common;
use fantoccini::{Client, Locator};
use serde_json::Value;
use std::time::{Duration, Instant};

/// What identifies a wizard page as shown: its kind, its "Step N" line and its heading.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Shown {
    pub(super) path: String,
    pub(super) kind: String,
    pub(super) step: String,
    pub(super) h1: String,
}

/// Waits until the document is complete (after a navigation the driver may return early).
async fn wait_loaded(client: &Client, what: &str) {
    let deadline = Instant::now() + Duration::from_secs(15);
    while eval(client, "return document.readyState;").await != "complete" {
        assert!(Instant::now() < deadline, "{what}: the page never loaded");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// The wizard page in the browser, or a failure naming `what` when it is not one (an error
/// page, the home page, a page of another session).
pub(super) async fn shown(client: &Client, what: &str) -> Shown {
    wait_loaded(client, what).await;
    let path = path_of(client).await;
    let page = eval(
        client,
        "const w = document.querySelector('.wizard[data-kind]');
         const s = document.querySelector('.wizard .article-id');
         const h = document.querySelector('h1');
         return [w ? w.dataset.kind : null, s ? s.textContent : '', h ? h.textContent : '',
                 !!document.querySelector('.error-message')];",
    )
    .await;
    let h1 = page[2].as_str().unwrap_or_default().trim().to_string();
    assert!(
        page[0].is_string(),
        "{what}: {path} is not a wizard page (heading {h1:?})"
    );
    assert_eq!(page[3], false, "{what}: {path} shows an error: {h1}");
    Shown {
        kind: page[0].as_str().unwrap().to_string(),
        // "Step 3" or "Step 1 (earlier step; ...)": the number is what identifies it.
        step: page[1]
            .as_str()
            .unwrap_or_default()
            .split_whitespace()
            .take(2)
            .collect::<Vec<_>>()
            .join(" "),
        h1,
        path,
    }
}

/// Clicks a button that posts a form answered by a redirect to the same URL, and waits for
/// the new document: a marker set on the old one is gone and the new one is complete.
async fn click_submit(client: &Client, locator: Locator<'_>, what: &str) {
    eval(client, "window.kbfixOld = true; return null;").await;
    client
        .find(locator)
        .await
        .unwrap_or_else(|e| panic!("{what}: {locator:?} not on the page: {e}"))
        .click()
        .await
        .unwrap_or_else(|e| panic!("{what}: clicking {locator:?}: {e}"));
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        // A navigation in progress can fail a script: retry until the new page answers.
        let old = client
            .execute("return window.kbfixOld === true;", vec![])
            .await;
        if let Ok(Value::Bool(false)) = old {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "{what}: no new page 15 s after clicking {locator:?}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    wait_loaded(client, what).await;
}

/// What a person does with a wizard step before answering it: a screenshot, the browser's
/// Back (which must show a page of this session or the paste form, never an error), Forward
/// back to the step, and Reload, which must show the same step without resubmitting.
/// Returns the step as shown; `n` numbers the screenshots.
async fn visit_step(shots: &Shots, client: &Client, session: &str, n: usize) -> Shown {
    let here = shown(client, &format!("step {n}")).await;
    let what = format!("step {n} ({})", here.kind);
    assert!(
        here.path == session || here.path.starts_with(&format!("{session}/step/")),
        "{what}: {} is not a URL of this session",
        here.path
    );
    shots
        .take(client, &format!("wizard-{n:02}-{}", here.kind))
        .await;

    client
        .back()
        .await
        .unwrap_or_else(|e| panic!("{what}: back: {e}"));
    wait_loaded(client, &what).await;
    let back_path = path_of(client).await;
    if back_path == "/" {
        // Before the first step: the paste form, whatever the browser kept in it.
        let form = client
            .find(Locator::Css("form.paste textarea[name=text]"))
            .await;
        assert!(form.is_ok(), "{what}: Back shows / without the paste form");
    } else {
        let back = shown(client, &format!("{what}, after Back")).await;
        assert!(
            back.path == session || back.path.starts_with(&format!("{session}/step/")),
            "{what}: Back went to {} which is not this session",
            back.path
        );
        let number = |s: &Shown| s.step.trim_start_matches("Step ").parse::<usize>().ok();
        // Each answer lands on the new step's own URL, so Back shows the step before it.
        assert!(
            number(&back).is_some_and(|b| Some(b) < number(&here)),
            "{what}: Back shows {back:?}, not an earlier step"
        );
    }

    client
        .forward()
        .await
        .unwrap_or_else(|e| panic!("{what}: forward: {e}"));
    wait_loaded(client, &what).await;
    if path_of(client).await != here.path {
        // Some histories end at Back: re-open the current step as a person would.
        client
            .goto(&format!("{}{}", base_of(client).await, here.path))
            .await
            .unwrap();
    }
    let again = shown(client, &format!("{what}, after Back and Forward")).await;
    assert_eq!(again, here, "{what}: Forward shows another step");

    client
        .refresh()
        .await
        .unwrap_or_else(|e| panic!("{what}: reload: {e}"));
    let reloaded = shown(client, &format!("{what}, after Reload")).await;
    assert_eq!(reloaded, here, "{what}: Reload shows another step");
    here
}

/// `http://host:port` of the page shown.
async fn base_of(client: &Client) -> String {
    let url = client.current_url().await.unwrap();
    url.origin().ascii_serialization()
}

/// The values of the answer buttons on the page, in order, Back last (as the JSON lists
/// them).
pub(super) async fn answers_offered(client: &Client) -> Vec<String> {
    let v = eval(
        client,
        // The answers in their bar, then Back, which sits apart at the top of the step.
        "const q = s => [...document.querySelectorAll(s + ' button[name=answer]')];
         return q('form.answer-bar').concat(q('form.step-back')).map(b => b.value);",
    )
    .await;
    v.as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap_or_default().to_string())
        .collect()
}

pub(super) async fn answer(client: &Client, value: &str, what: &str) {
    let css = format!("form.answer button[name=answer][value=\"{value}\"]");
    click_submit(
        client,
        Locator::Css(&css),
        &format!("{what}: answering {value}"),
    )
    .await;
}

/// The seed walk of `tests/it/wizard.rs`, typed and clicked: the Q900068 event pasted on the
/// home page, which starts in its article (a verbatim match), its version confirmed, its two prose causes answered, its
/// "Modern" branch chosen and that fix not working, then Q900070 offered first as related,
/// all its causes ruled out, its general fix not working, and the session escalated with a
/// transcript naming both.
/// Returns the session's path.
pub(super) async fn wizard_walk(shots: Shots, client: Client, base: String) -> String {
    let client = &client;
    client.goto(&format!("{base}/")).await.unwrap();
    let paste = common::q900068_event();
    let textarea = client.find(Locator::Id("paste-text")).await.unwrap();
    textarea.send_keys(&paste).await.unwrap();
    let typed = eval(
        client,
        "return document.getElementById('paste-text').value;",
    )
    .await;
    assert_eq!(
        typed.as_str().unwrap().replace("\r\n", "\n").trim_end(),
        paste,
        "the paste box holds what was typed"
    );
    click_and_wait(client, Locator::Css("form.paste button[type=submit]")).await;
    let session = path_of(client).await;
    assert!(
        session.starts_with("/wizard/") && session.len() == "/wizard/".len() + 32,
        "the paste form led to {session}"
    );

    // The paste matched the article's event verbatim: the walk starts in it, asking the
    // version (not the symptom), with a way out to the other articles and no Back yet.
    let mut n = 1;
    let step = visit_step(&shots, client, &session, n).await;
    assert_eq!(step.kind, "check_version", "step {n}");
    let offered = answers_offered(client).await;
    assert!(offered.contains(&"others".into()), "step {n}: {offered:?}");
    assert!(!offered.contains(&"back".into()), "step {n}: back offered");
    answer(client, "yes", &format!("step {n}")).await;
    for reply in ["no", "unsure"] {
        n += 1;
        let step = visit_step(&shots, client, &session, n).await;
        assert_eq!(step.kind, "check_cause", "step {n}");
        answer(client, reply, &format!("step {n}")).await;
    }
    n += 1;
    let step = visit_step(&shots, client, &session, n).await;
    assert_eq!(step.kind, "choose_branch", "step {n}");
    let offered = answers_offered(client).await;
    assert_eq!(offered[..3], ["branch_1", "branch_2", "unsure"], "step {n}");
    answer(client, "branch_2", &format!("step {n}")).await;

    n += 1;
    let step = visit_step(&shots, client, &session, n).await;
    assert_eq!(step.kind, "try_resolution", "step {n}");
    let numbered = eval(
        client,
        "return [...document.querySelectorAll('.fix .item-step')]
                .map(li => li.textContent.trim());",
    )
    .await;
    let numbered: Vec<&str> = numbered
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap())
        .collect();
    assert_eq!(numbered.len(), 3, "step {n}: numbered steps {numbered:?}");
    for (i, s) in numbered.iter().enumerate() {
        assert!(s.starts_with(&format!("{}.", i + 1)), "step {n}: {s:?}");
    }
    let fix = client
        .find(Locator::Css(".fix"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        fix.contains("Modern") && !fix.contains("Classic"),
        "step {n}: only the chosen branch: {fix}"
    );
    assert_answers_in_view_after_fix(client, &format!("step {n}")).await;
    answer(client, "not_fixed", &format!("step {n}")).await;

    n += 1;
    let step = visit_step(&shots, client, &session, n).await;
    assert_eq!(step.kind, "related", "step {n}");
    let offered = answers_offered(client).await;
    let articles: Vec<&String> = offered.iter().filter(|v| v.starts_with('Q')).collect();
    assert_eq!(
        articles.first().map(|a| a.as_str()),
        Some("Q900070"),
        "step {n}: {articles:?}"
    );
    answer(client, "Q900070", &format!("step {n}")).await;

    let mut causes = 0;
    loop {
        n += 1;
        let step = visit_step(&shots, client, &session, n).await;
        if step.kind != "check_cause" {
            // Every cause ruled out: the general fix is still offered.
            assert_eq!(
                step.kind, "try_resolution",
                "step {n}: after {causes} causes"
            );
            answer(client, "not_fixed", &format!("step {n}")).await;
            n += 1;
            let step = visit_step(&shots, client, &session, n).await;
            assert_eq!(step.kind, "related", "step {n}");
            break;
        }
        let article = client
            .find(Locator::Css(".wizard-article a"))
            .await
            .unwrap_or_else(|e| panic!("step {n}: no article line: {e}"))
            .text()
            .await
            .unwrap();
        assert_eq!(article, "Q900070", "step {n}");
        causes += 1;
        answer(client, "no", &format!("step {n}")).await;
    }
    assert!(
        (4..=5).contains(&causes),
        "causes of Q900070 asked: {causes}"
    );
    answer(client, "none", &format!("step {n}")).await;

    n += 1;
    let step = visit_step(&shots, client, &session, n).await;
    assert_eq!(step.kind, "escalated", "step {n}");
    let transcript = client
        .find(Locator::Css("pre.transcript"))
        .await
        .unwrap_or_else(|e| panic!("step {n}: no transcript: {e}"))
        .text()
        .await
        .unwrap();
    for needle in ["Q900068", "Q900070"] {
        assert!(
            transcript.contains(needle),
            "step {n}: {needle} missing from the transcript:\n{transcript}"
        );
    }
    session
}

/// A wizard on a phone: the paste typed and the choice page with its forms, then every step
/// of the finished walk (`session`), none scrolling sideways.
pub(super) async fn phone_wizard(
    shots: Shots,
    client: Client,
    base: String,
    width: u32,
    session: String,
) {
    let client = &client;
    client.goto(&format!("{base}/")).await.unwrap();
    let textarea = client.find(Locator::Id("paste-text")).await.unwrap();
    textarea.send_keys(&common::q900068_event()).await.unwrap();
    click_and_wait(client, Locator::Css("form.paste button[type=submit]")).await;
    let mut pages = vec![("phone-wizard-choose".to_string(), path_of(client).await)];
    client.goto(&format!("{base}{session}")).await.unwrap();
    let last = shown(client, "phone: the finished session").await;
    let total: usize = last
        .step
        .trim_start_matches("Step ")
        .parse()
        .unwrap_or_else(|_| panic!("phone: step line {:?}", last.step));
    for k in 1..=total {
        let path = format!("{session}/step/{k}");
        client.goto(&format!("{base}{path}")).await.unwrap();
        let step = shown(client, &format!("phone: {path}")).await;
        pages.push((format!("phone-wizard-{k:02}-{}", step.kind), path));
    }
    for (name, path) in pages {
        client.goto(&format!("{base}{path}")).await.unwrap();
        shown(client, &format!("phone: {path}")).await;
        assert_fits(&shots, client, &path, &name, width).await;
        if name.contains("try_") {
            assert_answers_in_view_after_fix(client, &path).await;
        }
    }
}

/// On a step with a fix, the fix comes first and "Did this fix it?" after it, in a bar that
/// stays in view at the foot of the screen while the top of the fix is read; Back is not
/// in that bar.
pub(super) async fn assert_answers_in_view_after_fix(client: &Client, path: &str) {
    let seen = eval(
        client,
        "window.scrollTo(0, 0);
         const bar = document.querySelector('form.answer-bar');
         const fix = document.querySelector('.fix');
         if (!bar || !fix) { return null; }
         const b = bar.querySelector('button[name=answer]').getBoundingClientRect();
         return [!!(fix.compareDocumentPosition(bar) & Node.DOCUMENT_POSITION_FOLLOWING),
                 b.top >= 0 && b.bottom <= window.innerHeight,
                 !bar.querySelector('button[value=back]')];",
    )
    .await;
    if seen.is_null() {
        // An answered step shows no form.
        return;
    }
    assert_eq!(seen[0], true, "{path}: the answers come before the fix");
    assert_eq!(
        seen[1], true,
        "{path}: the answer buttons are out of view at the top of the fix"
    );
    assert_eq!(seen[2], true, "{path}: Back sits among the answers");
}
