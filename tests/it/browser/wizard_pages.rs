//! The wizard's pages on a phone (issue 25): a branch article (Q900111, "If you are using
//! an internal modem / a modem pool") and a method article (Q900112, "Method 1 / Method 2"
//! in order) walked end to end at 375 px. Every step has its progress and context lines,
//! fits the screen, and keeps Back apart from the answers; a fix shows its warning as a
//! callout, its registry key with a copy button, and "Did this fix it?" in view. The branch
//! walk ends by filling the hand-off form, which the staff page then shows.

use super::wizard::{answer, answers_offered, assert_answers_in_view_after_fix, shown};
use super::{Shots, assert_fits, click_and_wait, eval, path_of};
use crate::common;
use fantoccini::{Client, Locator};

/// Starts a session at `article` from its page's Troubleshoot button.
async fn start_at(client: &Client, base: &str, article: &str) -> String {
    client
        .goto(&format!("{base}/articles/{article}"))
        .await
        .unwrap();
    click_and_wait(client, Locator::Css("form.start-wizard button")).await;
    let session = path_of(client).await;
    assert!(session.starts_with("/wizard/"), "{article}: {session}");
    session
}

/// What every step must show on a phone: the progress line, the article with its symptom
/// (not on its colon), no sideways scrolling, and Back (when offered) apart from the
/// answers. Returns the step's kind.
async fn check_step(shots: &Shots, client: &Client, name: &str, width: u32) -> String {
    let step = shown(client, name).await;
    assert!(step.step.starts_with("Step "), "{name}: {step:?}");
    let page = eval(
        client,
        "const c = document.querySelector('.context-symptom');
         const back = document.querySelector('button[value=back]');
         return [document.querySelector('.progress').textContent,
                 c ? c.textContent : null,
                 back ? !back.closest('.answer-bar') : true];",
    )
    .await;
    let progress = page[0].as_str().unwrap_or_default();
    let kind = step.kind.clone();
    if kind.starts_with("check_cause") || kind.starts_with("choose_branch") {
        assert!(
            progress.contains("more") || progress.contains("last"),
            "{name}: {progress}"
        );
    }
    if let Some(context) = page[1].as_str() {
        assert!(!context.trim_end().ends_with(':'), "{name}: {context}");
    } else {
        assert!(
            matches!(kind.as_str(), "check_symptom" | "related" | "escalated"),
            "{name}: no context line on {kind}"
        );
    }
    assert_eq!(page[2], true, "{name}: Back among the answers");
    let path = path_of(client).await;
    assert_fits(shots, client, &path, name, width).await;
    kind
}

/// The fix on the page: its text, whether its warning is a callout, and whether its
/// registry key has a working copy button. Checks the answers stay in view after it.
async fn check_fix(client: &Client, name: &str) -> String {
    assert_answers_in_view_after_fix(client, name).await;
    let fix = eval(
        client,
        "const f = document.querySelector('.fix');
         const pre = [...f.querySelectorAll('.copyable pre')]
             .find(p => p.textContent.includes('HKEY_'));
         const copy = pre ? pre.closest('.copyable').querySelector('button.copy') : null;
         return [f.textContent, !!f.querySelector('.callout-warning'),
                 copy ? !copy.hidden : false];",
    )
    .await;
    assert_eq!(fix[1], true, "{name}: the WARNING is not a callout");
    assert_eq!(
        fix[2], true,
        "{name}: no visible copy button by the registry key"
    );
    // The button works, or says to copy by hand where the clipboard is refused. A person
    // scrolls it clear of the answer bar at the foot of the screen first.
    eval(
        client,
        "document.querySelector('.fix .copyable button.copy')
             .scrollIntoView({block: 'center'}); return null;",
    )
    .await;
    client
        .find(Locator::Css(".fix .copyable button.copy"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    // The clipboard answers asynchronously: the label changes once it has.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    loop {
        let label = eval(
            client,
            "return document.querySelector('.fix .copyable button.copy').textContent;",
        )
        .await;
        if label != "Copy" {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "{name}: the copy button did nothing"
        );
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    fix[0].as_str().unwrap_or_default().to_string()
}

/// Q900111: the symptom and the cause confirmed, then the branch asked before the fix
/// ("a modem pool"), only that branch shown; not fixed, escalated, the hand-off form
/// filled and saved, and the staff page showing it.
pub(super) async fn branch_walk(shots: Shots, client: Client, base: String, width: u32) {
    let client = &client;
    let session = start_at(client, &base, "Q900111").await;
    let mut n = 0;
    let mut name = || {
        n += 1;
        format!("phone-branch-{n:02}")
    };
    let mut kind = check_step(&shots, client, &name(), width).await;
    while matches!(
        kind.as_str(),
        "check_symptom" | "check_version" | "check_cause"
    ) {
        answer(client, "yes", &kind).await;
        kind = check_step(&shots, client, &name(), width).await;
    }
    // The branch comes before the fix, whichever way it was reached.
    assert_eq!(kind, "choose_branch", "{session}");
    let offered = answers_offered(client).await;
    assert!(
        offered.starts_with(&["branch_1".into(), "branch_2".into()]),
        "{offered:?}"
    );
    answer(client, "branch_2", "the branch").await;
    let kind = check_step(&shots, client, &name(), width).await;
    assert_eq!(kind, "try_resolution");
    let fix = check_fix(client, "branch fix").await;
    assert!(
        fix.contains("modem pool") && !fix.contains("internal modem"),
        "only the chosen branch: {fix}"
    );
    answer(client, "not_fixed", "the fix").await;
    let mut kind = check_step(&shots, client, &name(), width).await;
    if kind == "related" {
        answer(client, "none", "related").await;
        kind = check_step(&shots, client, &name(), width).await;
    }
    assert_eq!(kind, "escalated");
    handoff(&shots, client, &base, &session, width).await;
}

/// Fills the hand-off form on the escalated page, saves it, and reads it back on the page,
/// in the transcript and on the staff page.
async fn handoff(shots: &Shots, client: &Client, base: &str, session: &str, width: u32) {
    for (id, text) in [
        ("handoff-name", "Ann <Smith>"),
        ("handoff-machine", "FAX01"),
        ("handoff-contact", "ann@example.com"),
        ("handoff-tried", "Restarted the gateway twice."),
    ] {
        client
            .find(Locator::Id(id))
            .await
            .unwrap_or_else(|e| panic!("no #{id}: {e}"))
            .send_keys(text)
            .await
            .unwrap();
    }
    let copy_transcript = eval(
        client,
        "const b = document.querySelector('.transcript-box button.copy');
         return b ? !b.hidden : false;",
    )
    .await;
    assert_eq!(copy_transcript, true, "no copy button for the transcript");
    click_and_wait(
        client,
        Locator::Css("form.handoff-form button[type=submit]"),
    )
    .await;
    let saved = eval(
        client,
        "return [document.querySelector('.handoff .settled') ? 'saved' : '',
                 document.querySelector('pre.transcript').textContent,
                 document.getElementById('handoff-machine').value];",
    )
    .await;
    assert_eq!(saved[0], "saved", "the page does not say it was saved");
    let transcript = saved[1].as_str().unwrap();
    assert!(
        transcript.contains("Name: Ann <Smith>") && transcript.contains("Contact: ann@example.com"),
        "{transcript}"
    );
    assert_eq!(saved[2], "FAX01");
    let path = path_of(client).await;
    assert_fits(shots, client, &path, "phone-handoff-saved", width).await;

    // The staff page shows it.
    client.goto(&format!("{base}/staff/login")).await.unwrap();
    client
        .find(Locator::Id("staff-pw"))
        .await
        .unwrap()
        .send_keys(common::PASSWORD)
        .await
        .unwrap();
    click_and_wait(client, Locator::Css("form[action='/staff/login'] button")).await;
    let id = session.trim_start_matches("/wizard/");
    client
        .goto(&format!("{base}/staff/sessions/{id}"))
        .await
        .unwrap();
    let note = eval(
        client,
        "const s = document.querySelector('.handoff-note');
         return s ? s.textContent : '';",
    )
    .await;
    let note = note.as_str().unwrap();
    for needle in [
        "Ann <Smith>",
        "FAX01",
        "ann@example.com",
        "Restarted the gateway twice.",
    ] {
        assert!(
            note.contains(needle),
            "staff page: {needle} missing from {note:?}"
        );
    }
    assert_fits(
        shots,
        client,
        &format!("/staff/sessions/{id}"),
        "phone-staff-handoff",
        width,
    )
    .await;
}

/// Q900112: the symptom confirmed, unsure of the causes, then method 1 and, on "not
/// fixed", method 2, in the article's order; escalated after both.
pub(super) async fn method_walk(shots: Shots, client: Client, base: String, width: u32) {
    let client = &client;
    start_at(client, &base, "Q900112").await;
    let mut n = 0;
    let mut name = || {
        n += 1;
        format!("phone-method-{n:02}")
    };
    let mut kind = check_step(&shots, client, &name(), width).await;
    while matches!(
        kind.as_str(),
        "check_symptom" | "check_version" | "check_cause"
    ) {
        let reply = if kind == "check_cause" {
            "unsure"
        } else {
            "yes"
        };
        answer(client, reply, &kind).await;
        kind = check_step(&shots, client, &name(), width).await;
    }
    assert_eq!(kind, "try_resolution");
    let first = check_fix_text(client).await;
    assert!(
        first.contains("Method 1") && !first.contains("Method 2"),
        "method 1 first: {first}"
    );
    answer(client, "not_fixed", "method 1").await;
    let kind = check_step(&shots, client, &name(), width).await;
    assert_eq!(kind, "try_resolution", "method 2 follows method 1");
    let second = check_fix(client, "method 2").await;
    assert!(
        second.contains("Method 2") && !second.contains("Method 1"),
        "method 2 next: {second}"
    );
    answer(client, "not_fixed", "method 2").await;
    let mut kind = check_step(&shots, client, &name(), width).await;
    if kind == "related" {
        answer(client, "none", "related").await;
        kind = check_step(&shots, client, &name(), width).await;
    }
    assert_eq!(kind, "escalated");
    let transcript = eval(
        client,
        "return document.querySelector('pre.transcript').textContent;",
    )
    .await;
    let transcript = transcript.as_str().unwrap();
    let m1 = transcript
        .find("Method 1")
        .expect("method 1 in the transcript");
    let m2 = transcript
        .find("Method 2")
        .expect("method 2 in the transcript");
    assert!(m1 < m2, "{transcript}");
}

/// The fix's text, its answers checked to stay in view.
async fn check_fix_text(client: &Client) -> String {
    assert_answers_in_view_after_fix(client, "method 1").await;
    let fix = eval(client, "return document.querySelector('.fix').textContent;").await;
    fix.as_str().unwrap_or_default().to_string()
}
