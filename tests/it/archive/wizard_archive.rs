//! The wizard over the whole archive: every troubleshooting article (CAUSE plus RESOLUTION
//! or WORKAROUND) walked from its stored article and diagnosis through the same pure step
//! building the server uses, with the floors asserted; a sample of them walked
//! through the JSON API as well; and the seed walk Q168465 → Q166045, Q94815 and Q177103.

use crate::common::TestApp;
use kbfix::kb::diagnosis::{has_if_paragraphs, is_troubleshooting};
use kbfix::kb::{Article, ArticleId};
use kbfix::wizard::coverage;
use kbfix::wizard::plan::{self, Built, Ctx, Walk};
use kbfix::wizard::{Answer, StepKind};
use serde_json::{Value, json};

/// Every this-many troubleshooting article is also walked through the JSON API.
const API_SAMPLE: usize = 60;

/// The step kinds up to the first fix, answering "unsure" to every question.
fn kinds_before_fix(a: &Article, diag: &kbfix::kb::Diagnosis) -> Vec<StepKind> {
    let ctx = Ctx { article: a, diag };
    let order = (0..diag.causes.len()).collect();
    let mut built = plan::enter(ctx, Walk::default(), order, None, true);
    let mut kinds = Vec::new();
    while let Built::Step(step, walk) = built {
        if matches!(step.kind, StepKind::TryResolution | StepKind::TryWorkaround) {
            break;
        }
        kinds.push(step.kind);
        assert!(kinds.len() < 60, "{}: no end to the questions", a.id);
        built = plan::answer(ctx, &step, walk, Answer::Unsure)
            .unwrap_or_else(|| panic!("{}: {:?} refuses unsure", a.id, step.kind));
    }
    kinds
}

/// Walks one article through the JSON API to its end, answering "unsure" and "not_fixed";
/// any status but 200/201 fails.
async fn api_walk(app: &TestApp, id: ArticleId) {
    let reply = app
        .post_json("/api/wizard", &json!({ "article": id.to_string() }))
        .await;
    assert_eq!(reply.status, 201, "{id}: {}", reply.body);
    let mut v: Value = reply.json();
    let session = v["id"].as_str().unwrap().to_string();
    for _ in 0..80 {
        let answer = match v["step"]["kind"].as_str().unwrap() {
            "try_resolution" | "try_workaround" => "not_fixed",
            "related" | "choose_article" => "none",
            "escalated" | "resolved" => return,
            _ => "unsure",
        };
        let uri = format!("/api/wizard/{session}/answer");
        let reply = app.post_json(&uri, &json!({ "answer": answer })).await;
        assert_eq!(reply.status, 200, "{id} {answer}: {}", reply.body);
        v = reply.json();
    }
    panic!("{id}: the walk did not end");
}

/// Issue 25's floors: the branch asked before the fix when the first cause is confirmed,
/// method 2 after method 1, no broken question, no symptom announcing what it hides.
struct Floors {
    patterns: Vec<regex::Regex>,
    ifs: usize,
    ifs_branched: usize,
    methods: usize,
    methods_followed: usize,
    broken: Vec<String>,
    announcing: Vec<ArticleId>,
}

impl Floors {
    fn new() -> Self {
        Floors {
            patterns: coverage::BROKEN_QUESTIONS
                .iter()
                .map(|p| regex::Regex::new(p).unwrap())
                .collect(),
            ifs: 0,
            ifs_branched: 0,
            methods: 0,
            methods_followed: 0,
            broken: Vec::new(),
            announcing: Vec::new(),
        }
    }

    fn add(&mut self, a: &Article, diag: &kbfix::kb::Diagnosis) {
        let steps = coverage::walk(a, diag, coverage::confirming);
        if has_if_paragraphs(a, "RESOLUTION") || has_if_paragraphs(a, "WORKAROUND") {
            self.ifs += 1;
            self.ifs_branched += usize::from(coverage::branch_before_fix(&steps));
        }
        if coverage::has_method_headings(a) {
            self.methods += 1;
            self.methods_followed +=
                usize::from(coverage::next_method_follows(&steps) == Some(true));
        }
        for q in coverage::questions(diag) {
            if self.patterns.iter().any(|p| p.is_match(&q)) {
                self.broken.push(format!("{}: {q}", a.id));
            }
        }
        if coverage::symptom_announces_unshown(diag) {
            self.announcing.push(a.id);
        }
    }

    fn check(&self) {
        let pct = |a: usize, b: usize| 100.0 * a as f64 / b.max(1) as f64;
        eprintln!(
            "choose_branch before the fix with the first cause confirmed: {} of {}; method 2 \
             after method 1: {} of {}; broken questions {}; symptoms announcing unshown {}",
            self.ifs_branched,
            self.ifs,
            self.methods_followed,
            self.methods,
            self.broken.len(),
            self.announcing.len()
        );
        assert!(self.ifs >= 100 && self.methods >= 100, "too few to measure");
        assert!(
            pct(self.ifs_branched, self.ifs) >= 80.0,
            "branch before fix"
        );
        assert!(
            pct(self.methods_followed, self.methods) >= 95.0,
            "method 2 follows"
        );
        assert!(
            self.broken.is_empty(),
            "broken questions: {:?}",
            &self.broken[..self.broken.len().min(20)]
        );
        assert!(
            self.announcing.is_empty(),
            "symptoms announcing what they do not show: {:?}",
            &self.announcing[..self.announcing.len().min(20)]
        );
    }
}

/// Walks every troubleshooting article and asserts the floors.
pub async fn whole_archive_walk(app: &TestApp) {
    let (mut total, mut asked, mut beyond, mut cause) = (0usize, 0usize, 0usize, 0usize);
    let (mut with_ifs, mut branched) = (0usize, 0usize);
    let mut sampled = Vec::new();
    let mut floors = Floors::new();
    let mut next = 0i64;
    loop {
        let page = app
            .store
            .articles_between(next, i64::MAX, 500)
            .await
            .unwrap();
        let Some(last) = page.last() else { break };
        next = i64::from(last.article.id.0) + 1;
        for stored in page {
            let a = stored.article;
            if !is_troubleshooting(&a) {
                continue;
            }
            let diag = app
                .store
                .diagnosis(a.id)
                .await
                .unwrap()
                .expect("stored at import");
            let kinds = kinds_before_fix(&a, &diag);
            let question = |k: &StepKind| {
                matches!(
                    k,
                    StepKind::CheckSymptom
                        | StepKind::CheckVersion
                        | StepKind::CheckCause
                        | StepKind::ChooseBranch
                )
            };
            total += 1;
            asked += usize::from(kinds.iter().any(question));
            beyond += usize::from(
                kinds
                    .iter()
                    .any(|k| question(k) && *k != StepKind::CheckSymptom),
            );
            cause += usize::from(kinds.contains(&StepKind::CheckCause));
            if has_if_paragraphs(&a, "RESOLUTION") {
                with_ifs += 1;
                branched += usize::from(kinds.contains(&StepKind::ChooseBranch));
            }
            floors.add(&a, &diag);
            if total % API_SAMPLE == 0 {
                sampled.push(a.id);
            }
        }
    }
    let pct = |a: usize, b: usize| 100.0 * a as f64 / b.max(1) as f64;
    eprintln!(
        "wizard over {total} troubleshooting articles: a question before the first fix in \
         {:.1}% ({:.1}% beyond the symptom), a cause in {:.1}%; choose_branch in {branched} of \
         {with_ifs} ({:.1}%) with 2+ \"If\" paragraphs; {} walked through the API",
        pct(asked, total),
        pct(beyond, total),
        pct(cause, total),
        pct(branched, with_ifs),
        sampled.len()
    );
    floors.check();
    assert!(total >= 20_000, "only {total} troubleshooting articles");
    assert!(pct(asked, total) >= 80.0, "{asked} of {total} ask first");
    assert!(
        pct(branched, with_ifs) >= 70.0,
        "{branched} of {with_ifs} branch"
    );
    // After the floors, the sample walked to its end through the JSON API, failing on any
    // error (the test app lifts the per-client session limit).
    for id in &sampled {
        api_walk(app, *id).await;
    }
}

async fn start(app: &TestApp, article: &str) -> (String, Value) {
    let reply = app
        .post_json("/api/wizard", &json!({ "article": article }))
        .await;
    assert_eq!(reply.status, 201, "{}", reply.body);
    let v: Value = reply.json();
    (v["id"].as_str().unwrap().to_string(), v)
}

async fn answer(app: &TestApp, session: &str, a: &str) -> Value {
    let uri = format!("/api/wizard/{session}/answer");
    let reply = app.post_json(&uri, &json!({ "answer": a })).await;
    assert_eq!(reply.status, 200, "{a}: {}", reply.body);
    reply.json()
}

fn kind(v: &Value) -> &str {
    v["step"]["kind"].as_str().unwrap()
}

/// Q94815: "yes" to cause 1 shows only cause 1's own workaround at once; "not fixed" asks
/// causes 2-4.
pub async fn q94815_pairs_causes_with_fixes(app: &TestApp) {
    let (id, mut v) = start(app, "Q94815").await;
    while matches!(kind(&v), "check_symptom" | "check_version") {
        v = answer(app, &id, "yes").await;
    }
    assert_eq!(kind(&v), "check_cause", "{v}");
    assert_eq!(v["step"]["cause"]["index"], 0);
    let v = answer(app, &id, "yes").await;
    assert_eq!(kind(&v), "try_workaround", "{v}");
    let items = v["step"]["items"].as_array().unwrap();
    assert_eq!(items.len(), 1, "{items:?}");
    assert!(items[0]["text"].as_str().unwrap().contains("active port"));
    let mut v = answer(app, &id, "not_fixed").await;
    let mut asked = Vec::new();
    while kind(&v) == "check_cause" {
        asked.push(v["step"]["cause"]["index"].as_u64().unwrap());
        v = answer(app, &id, "no").await;
    }
    assert_eq!(asked, [1, 2, 3], "{v}");
}

/// Q177103: the fix shows the C++ override line by line, then STATUS offers Visual C++ 6.0.
pub async fn q177103_code_and_status(app: &TestApp) {
    let (id, mut v) = start(app, "Q177103").await;
    while !kind(&v).starts_with("try_") {
        v = answer(app, &id, "unsure").await;
    }
    let items = v["step"]["items"].as_array().unwrap();
    let pre = items
        .iter()
        .find(|i| i["kind"] == "pre")
        .unwrap_or_else(|| panic!("no pre item: {items:?}"));
    let code = pre["text"].as_str().unwrap();
    assert!(
        code.contains("\n") && code.contains("if (WM_SYSCOMMAND == msg)"),
        "{code}"
    );
    let v = answer(app, &id, "not_fixed").await;
    assert_eq!(v["step"]["section"], "STATUS", "{v}");
    let first = v["step"]["items"][0]["text"].as_str().unwrap();
    assert!(
        first.starts_with("Upgrade to Visual C++ version 6.0"),
        "{first}"
    );
}
