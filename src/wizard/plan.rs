//! The order a helpdesk lead walks one article in, as a plan of stages: confirm the symptom,
//! check the version, ask the causes, then every way out (each cause's own fix, branches
//! chosen before their steps), then related articles. Pure: the article's stored diagnosis
//! and the walk so far in, the next step out.

use super::steps;
use super::{Answer, Known, WizardStep};
use crate::kb::diagnosis::{Diagnosis, FixAt, FixKind, ProductVersions};
use crate::kb::{Article, ArticleId};
use serde::{Deserialize, Serialize};

/// One thing still to do for the current article.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "stage", rename_all = "snake_case")]
pub enum Stage {
    /// Ask whether the symptom matches.
    Symptom,
    /// Ask whether the user runs an affected version.
    Version,
    /// Ask whether a cause applies.
    Cause {
        /// The cause's index in the diagnosis.
        index: usize,
    },
    /// Try the fix the article pairs with a cause.
    CauseFix {
        /// The cause's index.
        index: usize,
    },
    /// Try a fix (asking its branch first when it has branches).
    Fix {
        /// The fix's index.
        index: usize,
    },
    /// Try a fix's chosen branch (`None`: all of them, as alternatives).
    Branch {
        /// The fix's index.
        index: usize,
        /// The branch chosen.
        branch: Option<usize>,
    },
    /// The fixes split among causes, whole, when no cause's part was tried.
    General,
}

/// What the walk has learnt so far, stored with each step so `back` restores it exactly.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Walk {
    /// Articles chosen so far, in order (never offered again as related).
    #[serde(default)]
    pub considered: Vec<ArticleId>,
    /// The step `back` returns to; `None` on the first step.
    #[serde(default)]
    pub back_to: Option<i64>,
    /// What the session knows without asking: product, version, the recognised event.
    #[serde(default)]
    pub known: Known,
    /// What is left to do for the current article, in order.
    #[serde(default)]
    pub plan: Vec<Stage>,
    /// Causes of the current article answered yes.
    #[serde(default)]
    pub ruled_in: Vec<usize>,
    /// Causes of the current article answered no.
    #[serde(default)]
    pub ruled_out: Vec<usize>,
    /// Causes of the current article answered "not sure".
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unsure: Vec<usize>,
    /// Whether any fix of the current article was shown.
    #[serde(default)]
    pub tried: bool,
    /// The fixes (and branches) of the current article shown so far, never offered again.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tried_fixes: Vec<TriedFix>,
    /// Causes whose own fix was shown.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tried_causes: Vec<usize>,
    /// The fix the current step shows, so "not fixed" can go on to its next method.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub showing: Option<TriedFix>,
    /// A line to show on the next step ("Your pasted event matches ...").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// Said before the article's fix when the user ruled out every cause asked.
pub(super) const NONE_MATCHED: &str =
    "None of the causes matched, but the article's fix may still help.";

/// A fix shown: its index and branch (`None`: the whole fix, or all its branches).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct TriedFix {
    /// The fix's index.
    pub fix: usize,
    /// The branch shown, when one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub branch: Option<usize>,
}

/// Why a related step is offered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RelatedWhy {
    /// The fixes did not work.
    NotFixed,
    /// The symptom is not the user's.
    OtherProblem,
    /// The user runs another version.
    OtherVersion,
    /// The article gives no fix; the reason.
    NoFix(String),
}

/// The next thing to show.
pub enum Built {
    /// A step, ready.
    Step(Box<WizardStep>, Walk),
    /// The related articles, which need the store.
    Related(Walk, RelatedWhy),
}

/// The article being walked and its diagnosis.
#[derive(Clone, Copy)]
pub struct Ctx<'a> {
    pub article: &'a Article,
    /// Its stored diagnosis.
    pub diag: &'a Diagnosis,
}

/// Starts on an article: the plan for it, and its first step. `confirmed` says why the
/// symptom need not be asked (a pasted event matched it); `first` is true for the session's
/// first article, the only one whose symptom is asked.
pub fn enter(
    ctx: Ctx<'_>,
    mut walk: Walk,
    cause_order: Vec<usize>,
    confirmed: Option<String>,
    first: bool,
) -> Built {
    if !walk.considered.contains(&ctx.article.id) {
        walk.considered.push(ctx.article.id);
    }
    let mut plan = Vec::new();
    let known_event = first.then(|| walk.known.event.clone()).flatten();
    let confirmed = confirmed.or(known_event.map(|e| format!("Recognised: {e}.")));
    if first && confirmed.is_none() && ctx.diag.symptom.is_some() {
        plan.push(Stage::Symptom);
    }
    let version = ctx.diag.version.as_ref();
    if version.is_some_and(|v| !settled(&walk.known, &v.products)) {
        plan.push(Stage::Version);
    }
    plan.extend(cause_order.into_iter().map(|index| Stage::Cause { index }));
    for (index, fix) in ctx.diag.fixes.iter().enumerate() {
        if !fix.distributed {
            plan.push(Stage::Fix { index });
        }
    }
    if ctx.diag.fixes.iter().any(|f| f.distributed) {
        plan.push(Stage::General);
    }
    walk.plan = plan;
    walk.ruled_in.clear();
    walk.ruled_out.clear();
    walk.unsure.clear();
    walk.tried = false;
    walk.tried_fixes.clear();
    walk.tried_causes.clear();
    walk.showing = None;
    walk.note = confirmed;
    proceed(ctx, walk)
}

/// Whether what is known settles the version question: a known product among the
/// article's, with a known version among its versions (or a name that carries its version).
pub fn settled(known: &Known, products: &[ProductVersions]) -> bool {
    let Some(product) = &known.product else {
        return false;
    };
    products.iter().any(|p| {
        same_product(product, &p.product)
            && (p.versions.is_empty()
                || known
                    .versions
                    .iter()
                    .any(|v| p.versions.iter().any(|w| same_version(v, w))))
    })
}

fn words(s: &str) -> Vec<String> {
    s.split(|c: char| !c.is_alphanumeric())
        .map(str::to_lowercase)
        .filter(|w| !w.is_empty() && w != "microsoft")
        .collect()
}

/// Whether two product names name the same product (one's words all in the other's).
pub fn same_product(a: &str, b: &str) -> bool {
    let (a, b) = (words(a), words(b));
    !a.is_empty()
        && !b.is_empty()
        && (a.iter().all(|w| b.contains(w)) || b.iter().all(|w| a.contains(w)))
}

/// "5.5" and "5.50" or "5.5.2650" are the same version at the precision both give.
fn same_version(a: &str, b: &str) -> bool {
    // "5.50" is "5.5"; "5.5" covers "5.5.2650"; "5" alone covers nothing finer.
    let norm = |s: &str| match s.rsplit_once('.') {
        Some((head, last)) if last.len() > 1 => {
            format!("{head}.{}", last.trim_end_matches('0'))
        }
        _ => s.to_string(),
    };
    let (a, b) = (norm(a), norm(b));
    let covers =
        |short: &str, long: &str| short.contains('.') && long.starts_with(&format!("{short}."));
    a == b || covers(&a, &b) || covers(&b, &a)
}

/// Applies an answer to the current step; `None` when the step does not take it.
pub fn answer(ctx: Ctx<'_>, step: &WizardStep, mut walk: Walk, answer: Answer) -> Option<Built> {
    use super::StepKind as K;
    walk.note = None;
    match (step.kind, answer) {
        (K::CheckSymptom, Answer::No) => Some(Built::Related(walk, RelatedWhy::OtherProblem)),
        // "Another version" never leads away from an article the symptom fits: its fix is
        // still the best lead, said so.
        (K::CheckVersion, Answer::No) => {
            let mut built = proceed(ctx, walk);
            if let Built::Step(step, _) = &mut built {
                step.note = Some(
                    "The article is written for the versions it lists; on yours, its steps \
                     may differ slightly."
                        .into(),
                );
            }
            Some(built)
        }
        (K::CheckVersion, Answer::Yes) => {
            if let [only] = ctx.diag.version.as_ref()?.products.as_slice() {
                walk.known.product = Some(only.product.clone());
                walk.known.versions = only.versions.clone();
            }
            Some(proceed(ctx, walk))
        }
        (K::CheckSymptom | K::CheckVersion, Answer::Yes | Answer::Unsure) => {
            Some(proceed(ctx, walk))
        }
        (K::CheckCause, a @ (Answer::Yes | Answer::No | Answer::Unsure)) => {
            let index = step.cause.as_ref()?.index;
            Some(cause_answered(ctx, walk, index, a))
        }
        (K::ChooseBranch, Answer::Branch(b)) => {
            let index = step.fix?;
            let fix = ctx.diag.fixes.get(index)?;
            (b < fix.branches.len()).then_some(())?;
            walk.plan.insert(
                0,
                Stage::Branch {
                    index,
                    branch: Some(b),
                },
            );
            Some(proceed(ctx, walk))
        }
        (K::ChooseBranch, Answer::Unsure) => {
            let index = step.fix?;
            walk.plan.insert(
                0,
                Stage::Branch {
                    index,
                    branch: None,
                },
            );
            Some(proceed(ctx, walk))
        }
        (K::TryResolution | K::TryWorkaround, Answer::NotFixed) => {
            walk.tried = true;
            if let Some(next) = walk.showing.take().and_then(|t| next_method(ctx, &walk, t)) {
                walk.plan.insert(0, next);
            }
            Some(proceed(ctx, walk))
        }
        _ => None,
    }
}

/// Yes: the cause's own fix next, when the article pairs one with it (the other causes
/// are asked after it, if it does not help); a confirmed cause without a fix of its own
/// leads to the article's fixes once every cause is told apart. Not sure: its own fix is
/// kept for after the article's fixes, as something that may still help.
fn cause_answered(ctx: Ctx<'_>, mut walk: Walk, index: usize, a: Answer) -> Built {
    let own = ctx
        .diag
        .causes
        .get(index)
        .is_some_and(|c| !c.fix.is_empty() || c.fix_at.is_some());
    match a {
        Answer::Yes => {
            walk.ruled_in.push(index);
            if own {
                walk.plan.insert(0, Stage::CauseFix { index });
            }
        }
        Answer::No => walk.ruled_out.push(index),
        _ => {
            walk.unsure.push(index);
            if own {
                walk.plan.push(Stage::CauseFix { index });
            }
        }
    }
    proceed(ctx, walk)
}

/// The method to offer after `shown` did not fix it: the next one the article orders that
/// was not tried yet.
fn next_method(ctx: Ctx<'_>, walk: &Walk, shown: TriedFix) -> Option<Stage> {
    let fix = ctx.diag.fixes.get(shown.fix)?;
    if !fix.ordered {
        return None;
    }
    // A method the article pairs with a cause the user ruled out is not offered.
    let ruled_out = |b: usize| {
        walk.ruled_out.iter().any(|&c| {
            ctx.diag.causes.get(c).and_then(|c| c.fix_at)
                == Some(FixAt {
                    fix: shown.fix,
                    branch: Some(b),
                })
        })
    };
    let next = (0..fix.branches.len()).find(|&b| !ruled_out(b) && !tried(walk, shown.fix, b))?;
    Some(Stage::Branch {
        index: shown.fix,
        branch: Some(next),
    })
}

/// Whether branch `b` of fix `index` was shown.
fn tried(walk: &Walk, index: usize, b: usize) -> bool {
    shown(walk, index, Some(b))
}

/// Whether `branch` of fix `index` (`None`: all of it) was shown, alone or with the rest.
fn shown(walk: &Walk, index: usize, branch: Option<usize>) -> bool {
    walk.tried_fixes
        .iter()
        .any(|t| t.fix == index && (t.branch == branch || t.branch.is_none()))
}

/// The first branch of fix `index` (of `n`) not shown yet.
fn untried_branch(walk: &Walk, index: usize, n: usize) -> Option<usize> {
    (0..n).find(|&b| !tried(walk, index, b))
}

/// The methods of the ordered fix on show that would still follow it.
fn methods_left(ctx: Ctx<'_>, walk: &Walk) -> usize {
    let Some(shown) = walk.showing else {
        return 0;
    };
    match ctx.diag.fixes.get(shown.fix) {
        Some(f) if f.ordered => (0..f.branches.len())
            .filter(|&b| !tried(walk, shown.fix, b))
            .count(),
        _ => 0,
    }
}

/// Pops stages until one gives a step; related articles when none is left.
pub fn proceed(ctx: Ctx<'_>, mut walk: Walk) -> Built {
    while !walk.plan.is_empty() {
        let stage = walk.plan.remove(0);
        if let Some(step) = stage_step(ctx, &mut walk, stage) {
            let mut step = step;
            step.note = walk.note.take();
            step.remaining = Some(walk.plan.len() + methods_left(ctx, &walk));
            return Built::Step(Box::new(step), walk);
        }
    }
    let why = if walk.tried || !ctx.diag.fixes.is_empty() {
        RelatedWhy::NotFixed
    } else {
        RelatedWhy::NoFix(
            ctx.diag
                .no_fix
                .clone()
                .unwrap_or_else(|| format!("{} gives no fix.", ctx.article.id)),
        )
    };
    Built::Related(walk, why)
}

impl Walk {
    /// Whether any part of fix `index` was shown.
    fn started(&self, index: usize) -> bool {
        self.tried_fixes.iter().any(|t| t.fix == index)
    }

    /// Marks a fix as tried. True when it is the first one tried and every cause asked was
    /// ruled out: the fix is then offered although no cause was found.
    fn try_fix(&mut self) -> bool {
        let all_out = !self.ruled_out.is_empty() && self.ruled_in.is_empty();
        let first = !self.tried;
        self.tried = true;
        all_out && first
    }
}

/// The step for a stage, or `None` when the stage has nothing to show now.
fn stage_step(ctx: Ctx<'_>, walk: &mut Walk, stage: Stage) -> Option<WizardStep> {
    let d = ctx.diag;
    let back = walk.back_to.is_some();
    match stage {
        Stage::Symptom => Some(steps::symptom(ctx, d.symptom.as_ref()?, back)),
        Stage::Version => Some(steps::version(ctx, d.version.as_ref()?, back)),
        Stage::Cause { index } => {
            let left = walk
                .plan
                .iter()
                .filter(|s| matches!(s, Stage::Cause { .. }))
                .count();
            let asked = d.causes.len().saturating_sub(left + 1);
            Some(steps::cause(ctx, index, asked, back))
        }
        Stage::CauseFix { index } => cause_fix_step(ctx, walk, index),
        Stage::Fix { index } => fix_step(ctx, walk, index, None),
        Stage::Branch { index, branch } => branch_step(ctx, walk, index, branch, None),
        Stage::General => {
            if walk.tried {
                return None;
            }
            let index = d.fixes.iter().position(|f| f.distributed)?;
            let unexplained = walk.try_fix();
            walk.tried_fixes.push(TriedFix {
                fix: index,
                branch: None,
            });
            Some(steps::fix(ctx, index, None, unexplained, back))
        }
    }
}

/// A cause's own fix: its items, or the article's fix it points at (its branch asked
/// first, or its method shown); nothing when that was shown already.
fn cause_fix_step(ctx: Ctx<'_>, walk: &mut Walk, index: usize) -> Option<WizardStep> {
    let cause = ctx.diag.causes.get(index)?;
    let back = walk.back_to.is_some();
    if let Some(at) = cause.fix_at {
        return match at.branch {
            Some(b) => branch_step(ctx, walk, at.fix, Some(b), Some(index)),
            None => fix_step(ctx, walk, at.fix, Some(index)),
        };
    }
    if walk.tried_causes.contains(&index) {
        return None;
    }
    walk.tried_causes.push(index);
    walk.tried = true;
    walk.showing = None;
    let mut step = steps::cause_fix(ctx, index, back);
    if !walk.ruled_in.contains(&index) {
        step.prompt = format!(
            "You were not sure about this cause, but its fix may still help. {}",
            step.prompt
        );
    }
    Some(step)
}

/// A fix: its branch question when its branches are conditions, its first untried method
/// when they are ordered, else the whole fix; nothing when it was shown already.
fn fix_step(
    ctx: Ctx<'_>,
    walk: &mut Walk,
    index: usize,
    cause: Option<usize>,
) -> Option<WizardStep> {
    let fix = ctx.diag.fixes.get(index)?;
    let back = walk.back_to.is_some();
    let n = fix.branches.len();
    if n >= 2 {
        let started = walk.started(index);
        if started && !fix.ordered {
            return None;
        }
        if !started && (!fix.ordered || fix.choose_first) {
            walk.showing = None;
            if !walk.tried && walk.ruled_in.is_empty() && !walk.ruled_out.is_empty() {
                walk.note = Some(NONE_MATCHED.into());
            }
            return Some(steps::branch(ctx, index, back));
        }
        let b = untried_branch(walk, index, n)?;
        return branch_step(ctx, walk, index, Some(b), cause);
    }
    if walk.started(index) {
        return None;
    }
    show_fix(ctx, walk, index, None, cause)
}

/// One branch of a fix (`Some(None)`: all of them), unless it was shown already.
fn branch_step(
    ctx: Ctx<'_>,
    walk: &mut Walk,
    index: usize,
    branch: Option<usize>,
    cause: Option<usize>,
) -> Option<WizardStep> {
    if shown(walk, index, branch) {
        return None;
    }
    show_fix(ctx, walk, index, branch, cause)
}

/// Shows a fix (or a branch of it), recording it as tried.
fn show_fix(
    ctx: Ctx<'_>,
    walk: &mut Walk,
    index: usize,
    branch: Option<usize>,
    cause: Option<usize>,
) -> Option<WizardStep> {
    let fix = ctx.diag.fixes.get(index)?;
    let back = walk.back_to.is_some();
    let unexplained = walk.try_fix();
    let tried_before = walk.started(index);
    let tried = TriedFix { fix: index, branch };
    walk.tried_fixes.push(tried);
    walk.showing = Some(tried);
    let cause = cause.or_else(|| walk.ruled_in.last().copied());
    let shown = if fix.branches.len() >= 2 {
        Some(branch)
    } else {
        None
    };
    Some(steps::fix_for(
        ctx,
        index,
        shown,
        unexplained,
        cause,
        back,
        tried_before,
    ))
}

/// Whether a fix is tried as a workaround.
pub fn is_workaround(kind: FixKind) -> bool {
    kind == FixKind::Workaround
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kb::diagnose;
    use crate::kb::diagnosis::test_support::article;

    /// Walks an article answering `reply` to questions and "not_fixed" to fixes: the kinds.
    fn walk(a: &Article, reply: Answer) -> (Vec<WizardStep>, Option<RelatedWhy>) {
        let diag = diagnose(a);
        let ctx = Ctx {
            article: a,
            diag: &diag,
        };
        let order = (0..diag.causes.len()).collect();
        let mut built = enter(ctx, Walk::default(), order, None, true);
        let mut steps = Vec::new();
        loop {
            match built {
                Built::Step(step, walk) => {
                    let a = match step.kind {
                        super::super::StepKind::TryResolution
                        | super::super::StepKind::TryWorkaround => Answer::NotFixed,
                        _ => reply,
                    };
                    steps.push((*step).clone());
                    assert!(steps.len() < 100, "endless");
                    built = answer(ctx, &step, walk, a).expect("the step takes the answer");
                }
                Built::Related(_, why) => return (steps, Some(why)),
            }
        }
    }

    #[test]
    fn bad_input_builds_sensible_steps() {
        use super::super::StepKind as K;
        // A cause and no fix: the cause is asked, then the article says it has no fix.
        let a = article(
            "",
            &[
                ("SYMPTOMS", "It fails."),
                ("CAUSE", "You are using the wrong cable."),
            ],
        );
        let (steps, why) = walk(&a, Answer::Yes);
        let kinds: Vec<K> = steps.iter().map(|s| s.kind).collect();
        assert_eq!(kinds, [K::CheckSymptom, K::CheckCause]);
        assert!(matches!(why, Some(RelatedWhy::NoFix(r)) if r.contains("no fix")));
        // Sixty branches: one question with sixty options, "Not sure" and back-less start.
        let mut res = String::new();
        for i in 0..60 {
            res.push_str(&format!(
                "If you are using adapter model {i}, set the speed to {i}.\n\n"
            ));
        }
        let a = article(
            "",
            &[("CAUSE", "The speed is wrong."), ("RESOLUTION", &res)],
        );
        let (steps, _) = walk(&a, Answer::Unsure);
        let branch = steps
            .iter()
            .find(|s| s.kind == K::ChooseBranch)
            .expect("a branch question");
        assert_eq!(branch.options.len(), 61);
        let tried = steps
            .iter()
            .find(|s| s.kind == K::TryResolution)
            .expect("the fix");
        assert_eq!(
            tried
                .items
                .iter()
                .filter(|i| i.kind == crate::kb::diagnosis::ItemKind::Heading)
                .count(),
            60
        );
        // A megabyte of text: the walk still ends.
        let big = "You are using the wrong driver. ".repeat(33_000);
        let a = article(
            "Product, version 1.0",
            &[("SYMPTOMS", &big), ("CAUSE", &big), ("RESOLUTION", &big)],
        );
        let (steps, why) = walk(&a, Answer::No);
        assert!(!steps.is_empty() && why.is_some());
    }

    /// Walks with scripted answers (`None`: "not_fixed" on fixes, the first option
    /// elsewhere); the steps' kinds and branch labels.
    fn walk_with(a: &Article, answers: &[Answer]) -> Vec<WizardStep> {
        let diag = diagnose(a);
        let ctx = Ctx {
            article: a,
            diag: &diag,
        };
        let order = (0..diag.causes.len()).collect();
        let mut built = enter(ctx, Walk::default(), order, None, true);
        let mut steps = Vec::new();
        let mut script = answers.iter();
        while let Built::Step(step, walk) = built {
            use super::super::StepKind as K;
            let a = match step.kind {
                K::TryResolution | K::TryWorkaround => Answer::NotFixed,
                _ => *script.next().unwrap_or(&Answer::Unsure),
            };
            steps.push((*step).clone());
            assert!(steps.len() < 60, "endless");
            built = answer(ctx, &step, walk, a).expect("the step takes the answer");
        }
        steps
    }

    const TWO_IFS: &str = "If you are using a token ring adapter, set the frame size to 4096.\n\n\
        If you are using an Ethernet adapter, set the frame size to 1514.";

    #[test]
    fn a_branch_is_asked_before_its_fix_however_the_fix_is_reached() {
        use super::super::StepKind as K;
        let a = article(
            "",
            &[
                ("SYMPTOMS", "Transfers stop."),
                ("CAUSE", "The frame size on the adapter is set too large."),
                ("RESOLUTION", TWO_IFS),
            ],
        );
        for reply in [Answer::Yes, Answer::No, Answer::Unsure] {
            let steps = walk_with(&a, &[Answer::Yes, reply, Answer::Branch(1)]);
            let kinds: Vec<K> = steps.iter().map(|s| s.kind).collect();
            let branch = kinds.iter().position(|k| *k == K::ChooseBranch);
            let fix = kinds.iter().position(|k| *k == K::TryResolution);
            assert!(branch.is_some() && branch < fix, "{reply:?}: {kinds:?}");
            // The chosen branch alone, and the other (which does not apply) never offered.
            if reply == Answer::No {
                let question = steps.iter().find(|s| s.kind == K::ChooseBranch).unwrap();
                assert!(question.note.is_some(), "says no cause matched");
            }
            let tried: Vec<&str> = steps.iter().filter_map(|s| s.branch.as_deref()).collect();
            assert_eq!(tried, ["An Ethernet"], "{reply:?}");
        }
    }

    #[test]
    fn ordered_methods_and_alternatives_follow_one_another_on_not_fixed() {
        use super::super::StepKind as K;
        let methods = "Use the following methods in the order presented.\n\n\
            Method 1\n\nRestart the spooler service.\n\n\
            Method 2\n\nDelete the spool files.\n\n\
            Method 3\n\nReinstall the printer driver.";
        let ors = "Restart the spooler service.\n\n-or-\n\nDelete the spool files.";
        for (res, want) in [
            (methods, vec!["Method 1", "Method 2", "Method 3"]),
            (
                ors,
                vec!["Restart the spooler service", "Delete the spool files"],
            ),
        ] {
            let a = article(
                "",
                &[
                    ("SYMPTOMS", "Printing stops."),
                    ("CAUSE", "The spool folder is full."),
                    ("RESOLUTION", res),
                    ("WORKAROUND", "Print to a file instead."),
                ],
            );
            let steps = walk_with(&a, &[Answer::Yes, Answer::Yes]);
            assert!(steps.iter().all(|s| s.kind != K::ChooseBranch), "no menu");
            let tried: Vec<String> = steps
                .iter()
                .filter(|s| s.kind == K::TryResolution)
                .map(|s| s.branch.clone().unwrap_or_default())
                .collect();
            assert_eq!(tried, want);
            let last_fix = steps.iter().rev().find(|s| s.kind != K::Related);
            assert_eq!(last_fix.map(|s| s.kind), Some(K::TryWorkaround));
        }
    }

    #[test]
    fn causes_without_a_fix_of_their_own_are_all_asked_and_another_version_stays() {
        use super::super::StepKind as K;
        let a = article(
            "Microsoft Exchange Server, versions 5.0, 5.5",
            &[
                ("SYMPTOMS", "The connector stops."),
                (
                    "CAUSE",
                    "This problem can occur when you are using the wrong cable. The \
                     problem can also occur when the port is set to the wrong speed.",
                ),
                ("RESOLUTION", TWO_IFS),
            ],
        );
        let steps = walk_with(&a, &[Answer::Yes, Answer::No, Answer::Yes, Answer::Yes]);
        let kinds: Vec<K> = steps.iter().map(|s| s.kind).collect();
        assert_eq!(
            kinds[..5],
            [
                K::CheckSymptom,
                K::CheckVersion,
                K::CheckCause,
                K::CheckCause,
                K::ChooseBranch
            ]
        );
        assert!(steps[2].note.is_some(), "another version is said, not left");
    }

    #[test]
    fn a_confirmed_cause_with_its_own_fix_goes_to_it_first() {
        use super::super::StepKind as K;
        let a = article(
            "",
            &[
                ("SYMPTOMS", "Printing stops."),
                (
                    "CAUSE",
                    " - You print to an inactive port.\n\n - The port is set to the wrong speed.",
                ),
                (
                    "WORKAROUND",
                    " - Print to an active port.\n\n - Use MODE to set the speed.",
                ),
            ],
        );
        let steps = walk_with(&a, &[Answer::Yes, Answer::Yes, Answer::No]);
        let kinds: Vec<K> = steps.iter().map(|s| s.kind).collect();
        assert_eq!(
            kinds[..4],
            [
                K::CheckSymptom,
                K::CheckCause,
                K::TryWorkaround,
                K::CheckCause
            ]
        );
        assert_eq!(steps[2].items[0].text, "Print to an active port.");
    }

    #[test]
    fn versions_settle_by_product_and_number() {
        let p = |product: &str, versions: &[&str]| ProductVersions {
            product: product.into(),
            versions: versions.iter().map(|v| v.to_string()).collect(),
        };
        let known = Known::product("Microsoft Exchange Server", "5.5");
        let cases = [
            (vec![p("Microsoft Exchange Server", &["5.0", "5.5"])], true),
            (vec![p("Microsoft Exchange Server", &["5.0"])], false),
            (vec![p("Exchange Server", &["5.50"])], true),
            (vec![p("Microsoft Word for Windows", &["5.5"])], false),
            (vec![p("Microsoft Exchange Server 5.5", &[])], true),
        ];
        for (products, want) in cases {
            assert_eq!(settled(&known, &products), want, "{products:?}");
        }
        assert!(!settled(&Known::default(), &[p("X", &["1"])]));
        assert!(same_version("5.5", "5.5.2650"));
    }
}
