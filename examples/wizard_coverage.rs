//! Measures the wizard's questions over the whole archive, from the diagnoses alone (the same
//! pure step building the server does): of the troubleshooting articles (CAUSE plus
//! RESOLUTION or WORKAROUND), how many ask a question before the first fix (and how many
//! without counting the symptom check), how many ask a cause, and of those whose RESOLUTION
//! has two or more "If you/your/the ..." paragraphs, how many ask `choose_branch`; and the
//! floors of issue 25: with 2+ "If" paragraphs in the fix, `choose_branch` before the first
//! fix when the user confirms the first cause; with Method 1 / Method 2 headings, method 2
//! right after "not fixed" on method 1; questions matching a broken pattern; symptom steps
//! announcing what they do not show.
//!
//! `cargo run --release --example wizard_coverage -- [../shared/corpus/kb-txt.tar.gz]
//! [--show N] [--seed S]` (`--show` prints N articles' dialogues, drawn with the seed).

use kbfix::import::read_source;
use kbfix::kb::diagnosis::{has_if_paragraphs, is_troubleshooting};
use kbfix::kb::{Article, diagnose, parse_article};
use kbfix::wizard::coverage::{self, BROKEN_QUESTIONS};
use kbfix::wizard::plan::{self, Built, Ctx, Walk};
use kbfix::wizard::{Answer, StepKind, WizardStep};
use std::path::PathBuf;
use std::sync::LazyLock;
use std::time::Instant;

#[derive(Default)]
struct Tally {
    troubleshooting: usize,
    asks_before_fix: usize,
    asks_beyond_symptom: usize,
    asks_cause: usize,
    if_paragraphs: usize,
    if_branch: usize,
    fix_ifs: usize,
    fix_ifs_confirmed: usize,
    methods: usize,
    methods_followed: usize,
    questions: usize,
    broken: Vec<String>,
    announcing: Vec<String>,
}

/// Walks an article answering "unsure" to every check, up to the first fix; the steps.
fn walk(a: &Article) -> Vec<WizardStep> {
    let diag = diagnose(a);
    let ctx = Ctx {
        article: a,
        diag: &diag,
    };
    let order = (0..diag.causes.len()).collect();
    let mut built = plan::enter(ctx, Walk::default(), order, None, true);
    let mut out = Vec::new();
    while let Built::Step(step, walk) = built {
        out.push((*step).clone());
        if out.len() > 40 || matches!(step.kind, StepKind::TryResolution | StepKind::TryWorkaround)
        {
            break;
        }
        match plan::answer(ctx, &step, walk, Answer::Unsure) {
            Some(b) => built = b,
            None => break,
        }
    }
    out
}

fn tally(t: &mut Tally, a: &Article) {
    if !is_troubleshooting(a) {
        return;
    }
    let steps = walk(a);
    t.troubleshooting += 1;
    let before: Vec<StepKind> = steps
        .iter()
        .map(|s| s.kind)
        .take_while(|k| !matches!(k, StepKind::TryResolution | StepKind::TryWorkaround))
        .collect();
    let question = |k: &StepKind| {
        matches!(
            k,
            StepKind::CheckSymptom
                | StepKind::CheckVersion
                | StepKind::CheckCause
                | StepKind::ChooseBranch
        )
    };
    t.asks_before_fix += usize::from(before.iter().any(question));
    t.asks_beyond_symptom += usize::from(
        before
            .iter()
            .any(|k| question(k) && *k != StepKind::CheckSymptom),
    );
    t.asks_cause += usize::from(before.contains(&StepKind::CheckCause));
    if has_if_paragraphs(a, "RESOLUTION") {
        t.if_paragraphs += 1;
        t.if_branch += usize::from(before.contains(&StepKind::ChooseBranch));
    }
    floors(t, a);
}

/// The broken-question patterns, compiled once.
static PATTERNS: LazyLock<Vec<regex::Regex>> = LazyLock::new(|| {
    BROKEN_QUESTIONS
        .iter()
        .map(|p| regex::Regex::new(p).expect("pattern"))
        .collect()
});

/// Issue 25's measures over one troubleshooting article.
fn floors(t: &mut Tally, a: &Article) {
    let diag = diagnose(a);
    let confirmed = coverage::walk(a, &diag, coverage::confirming);
    if has_if_paragraphs(a, "RESOLUTION") || has_if_paragraphs(a, "WORKAROUND") {
        t.fix_ifs += 1;
        let asked = coverage::branch_before_fix(&confirmed);
        t.fix_ifs_confirmed += usize::from(asked);
        if !asked && t.fix_ifs - t.fix_ifs_confirmed <= 8 {
            println!("no branch before the fix: {}", a.id);
        }
    }
    if coverage::has_method_headings(a) {
        t.methods += 1;
        let followed = coverage::next_method_follows(&confirmed) == Some(true);
        t.methods_followed += usize::from(followed);
        if !followed && t.methods - t.methods_followed <= 5 {
            println!("method 2 does not follow method 1: {}", a.id);
        }
    }
    for q in coverage::questions(&diag) {
        t.questions += 1;
        if PATTERNS.iter().any(|p| p.is_match(&q)) {
            t.broken.push(format!("{}: {q}", a.id));
        }
    }
    if coverage::symptom_announces_unshown(&diag) {
        t.announcing.push(a.id.to_string());
    }
}

fn show(a: &Article) {
    println!("\n=== {} {}", a.id, a.title);
    for s in walk(a) {
        let extra = match s.kind {
            StepKind::CheckCause => s.cause.map(|c| c.text).unwrap_or_default(),
            StepKind::ChooseBranch => s
                .options
                .iter()
                .map(|o| o.label.clone())
                .collect::<Vec<_>>()
                .join(" | "),
            StepKind::TryResolution | StepKind::TryWorkaround => format!("{} items", s.items.len()),
            _ => s.message.or(s.summary).unwrap_or_default(),
        };
        let extra: String = extra.chars().take(160).collect();
        println!("  [{}] {}\n        {}", s.kind.as_str(), s.prompt, extra);
    }
}

fn pct(a: usize, b: usize) -> String {
    format!("{a} of {b} ({:.1}%)", 100.0 * a as f64 / b.max(1) as f64)
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let flag = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .and_then(|v| v.parse::<u64>().ok())
    };
    let path = args
        .iter()
        .find(|a| !a.starts_with("--") && a.parse::<u64>().is_err())
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("../shared/corpus/kb-txt.tar.gz"));
    let (shows, mut seed) = (flag("--show").unwrap_or(0), flag("--seed").unwrap_or(1));
    let start = Instant::now();
    let mut t = Tally::default();
    let mut slowest = (std::time::Duration::ZERO, String::new());
    let mut shown = 0;
    read_source(&path, &mut |f| {
        let Ok(a) = f
            .bytes
            .as_deref()
            .map_err(|_| ())
            .and_then(|b| parse_article(b).map_err(|_| ()))
        else {
            return;
        };
        let one = Instant::now();
        tally(&mut t, &a);
        if one.elapsed() > slowest.0 {
            slowest = (one.elapsed(), a.id.to_string());
        }
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        if shown < shows && is_troubleshooting(&a) && seed % 700 == 0 {
            show(&a);
            shown += 1;
        }
    });
    println!("\ntroubleshooting articles: {}", t.troubleshooting);
    println!(
        "question before the first fix: {}",
        pct(t.asks_before_fix, t.troubleshooting)
    );
    println!(
        "  not counting the symptom check: {}",
        pct(t.asks_beyond_symptom, t.troubleshooting)
    );
    println!("a cause asked: {}", pct(t.asks_cause, t.troubleshooting));
    println!(
        "choose_branch where RESOLUTION has 2+ \"If you/your/the\" paragraphs: {}",
        pct(t.if_branch, t.if_paragraphs)
    );
    println!(
        "choose_branch before the first fix, first cause confirmed, 2+ \"If\" paragraphs in \
         the fix: {}",
        pct(t.fix_ifs_confirmed, t.fix_ifs)
    );
    println!(
        "method 2 right after \"not fixed\" on method 1: {}",
        pct(t.methods_followed, t.methods)
    );
    println!(
        "questions matching a broken pattern: {} of {}",
        t.broken.len(),
        t.questions
    );
    for b in t.broken.iter().take(10) {
        println!("  {b}");
    }
    println!(
        "symptom steps announcing what they do not show: {} {:?}",
        t.announcing.len(),
        &t.announcing[..t.announcing.len().min(10)]
    );
    println!(
        "slowest article (diagnosis and walk to the first fix): {} in {:.1} ms",
        slowest.1,
        slowest.0.as_secs_f64() * 1000.0
    );
    println!("({:.1} s)", start.elapsed().as_secs_f64());
}
