//! The wizard's behaviour measured over many articles, from their diagnoses alone (the same
//! pure step building the server does): the walks `examples/wizard_coverage` reports and
//! `tests/it/archive` holds to floors. Pure.

use super::plan::{self, Built, Ctx, Walk};
use super::{Answer, StepKind, WizardStep};
use crate::kb::diagnosis::{Diagnosis, announces};
use crate::kb::{Article, diagnosis::section};

/// Patterns of the broken questions reviews found (regular expressions, matched against
/// every question and branch label of every article): a fallback frame, a clause or a
/// preposition taken for a subject, two finite verbs, a trailing clause, a dangling end,
/// a lead-in taken for a branch. Kept here so the example and the archive test share them.
pub const BROKEN_QUESTIONS: &[&str] = &[
    r"^Does this apply to you",
    r"^Could this be the cause",
    r"(?i)^(is|are|do|does|has|have|was|were|can|could) (when|if|because|of|to|although|while|and|or)\b",
    r"(?i)\b(is|are|was|were) (is|are|was|were)\b",
    r"(?i)^(is|are) (the|a|an) [^?]*\byou \w+ing\b",
    r"(?i)^do(es)? [^?]*\bha(ve|s) \w+ed\b",
    r", (if|when|because|which|although) [^?]*\?$",
    r"(?i)\b(the|a|an|of|to|for|with|and|or)\?$",
    r":\s*\?$",
    r"\?.*\?",
    r"(?i)\b(or|and) (is|are) \w+ed\b",
    r"(?i)^was there\b",
    r"(?i)^to (work around|resolve|fix|correct) (this|the) (problem|issue)",
    r"(?i)\bimpractical\b",
];

/// Longest walk followed before it is called endless.
const MAX_STEPS: usize = 80;

/// Walks an article from its start, answering each question with `reply(step, asked)`
/// (`asked`: how many causes were asked before this one) and "not fixed" to every fix,
/// until the related articles; the steps shown.
pub fn walk(
    a: &Article,
    diag: &Diagnosis,
    reply: impl Fn(&WizardStep, usize) -> Answer,
) -> Vec<WizardStep> {
    let ctx = Ctx { article: a, diag };
    let order = (0..diag.causes.len()).collect();
    let mut built = plan::enter(ctx, Walk::default(), order, None, true);
    let mut steps = Vec::new();
    let mut causes = 0;
    while let Built::Step(step, walk) = built {
        if steps.len() >= MAX_STEPS {
            break;
        }
        let answer = match step.kind {
            StepKind::TryResolution | StepKind::TryWorkaround => Answer::NotFixed,
            StepKind::CheckCause => {
                causes += 1;
                reply(&step, causes - 1)
            }
            _ => reply(&step, causes),
        };
        steps.push((*step).clone());
        match plan::answer(ctx, &step, walk, answer) {
            Some(b) => built = b,
            None => break,
        }
    }
    steps
}

/// The confirming user: yes to the symptom, the version and the first cause, no to the
/// others, the first branch offered.
pub fn confirming(step: &WizardStep, asked: usize) -> Answer {
    match step.kind {
        StepKind::CheckCause if asked > 0 => Answer::No,
        StepKind::ChooseBranch => Answer::Branch(0),
        _ => Answer::Yes,
    }
}

/// Whether a step shows a fix.
pub fn is_fix(step: &WizardStep) -> bool {
    matches!(step.kind, StepKind::TryResolution | StepKind::TryWorkaround)
}

/// Whether the walk asks which branch applies before the first fix it shows.
pub fn branch_before_fix(steps: &[WizardStep]) -> bool {
    steps
        .iter()
        .take_while(|s| !is_fix(s))
        .any(|s| s.kind == StepKind::ChooseBranch)
}

/// Whether a section of the article's fix has "Method 1" and "Method 2" headings (or One
/// and Two): the articles the next-method floor is counted over.
pub fn has_method_headings(article: &Article) -> bool {
    ["RESOLUTION", "WORKAROUND"].iter().any(|word| {
        section(article, word).is_some_and(|s| {
            let heads = |n: &[&str]| {
                s.text.lines().any(|l| {
                    let l = l.trim().to_lowercase();
                    n.iter().any(|n| {
                        l == format!("method {n}") || l.starts_with(&format!("method {n}:"))
                    })
                })
            };
            heads(&["1", "one"]) && heads(&["2", "two"])
        })
    })
}

/// For an article with method headings: whether "not fixed" on its method 1 is followed by
/// its method 2. `None` when the walk never shows a method 1.
pub fn next_method_follows(steps: &[WizardStep]) -> Option<bool> {
    let is_n = |s: &WizardStep, n: &[&str]| {
        s.branch.as_deref().is_some_and(|b| {
            let b = b.to_lowercase();
            n.iter().any(|n| b.starts_with(&format!("method {n}")))
        })
    };
    let first = steps
        .iter()
        .position(|s| is_fix(s) && is_n(s, &["1", "one"]))?;
    Some(
        steps
            .get(first + 1)
            .is_some_and(|s| is_fix(s) && is_n(s, &["2", "two"])),
    )
}

/// Every question the wizard could put for an article: the version question, each cause's
/// question, each branch question, and each branch label as "Label?" (so a lead-in taken
/// for a label shows as a question ending in ':' or as "To work around ...").
pub fn questions(diag: &Diagnosis) -> Vec<String> {
    let mut out: Vec<String> = diag.version.iter().map(|v| v.question.clone()).collect();
    out.extend(diag.causes.iter().map(|c| c.question.clone()));
    for f in &diag.fixes {
        out.extend(f.question.iter().cloned());
        out.extend(f.branches.iter().filter_map(|b| {
            let l = b.label.to_lowercase();
            let lead_in = l.starts_with("to ") || l.contains("impractical") || l.ends_with(':');
            lead_in.then(|| format!("{}?", b.label))
        }));
    }
    out
}

/// Whether the symptom step announces a message or a list it does not show.
pub fn symptom_announces_unshown(diag: &Diagnosis) -> bool {
    diag.symptom
        .as_ref()
        .is_some_and(|s| s.message.is_none() && announces(&s.summary))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kb::diagnose;
    use crate::kb::diagnosis::test_support::article;

    #[test]
    fn the_measures_read_walks_as_the_floors_mean() {
        let res = "Method 1\n\nRestart the service.\n\nMethod 2\n\nDelete the spool files.";
        let a = article(
            "",
            &[
                (
                    "SYMPTOMS",
                    "You receive the following error message:\n\n   Spooler error",
                ),
                ("CAUSE", "The spool folder is full."),
                ("RESOLUTION", res),
            ],
        );
        assert!(has_method_headings(&a));
        let d = diagnose(&a);
        let steps = walk(&a, &d, confirming);
        assert_eq!(next_method_follows(&steps), Some(true));
        assert!(!branch_before_fix(&steps), "methods are tried, not chosen");
        assert!(!symptom_announces_unshown(&d));
        assert!(questions(&d).contains(&"Is the spool folder full?".to_string()));
    }
}
