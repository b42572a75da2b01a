//! Building each kind of step about an article from its stored diagnosis: the question,
//! what it shows (the quoted message, the cause, the fix's items) and the answers it takes.
//! Pure.

use super::article::one_sentence;
use super::plan::{Ctx, is_workaround};
use super::{Answer, CauseRef, StepKind, StepOption, WizardStep};
use crate::kb::diagnosis::{FixItem, SymptomCheck, VersionCheck};

/// Back, last among the options when going back is possible.
pub fn back_option() -> StepOption {
    StepOption::keyword(Answer::Back, "Back")
}

/// A step of `kind` with nothing in it.
pub fn empty(kind: StepKind) -> WizardStep {
    WizardStep {
        kind,
        article: None,
        title: None,
        prompt: String::new(),
        options: Vec::new(),
        recognised: Vec::new(),
        query: None,
        cause: None,
        section: None,
        items: Vec::new(),
        transcript: None,
        summary: None,
        message: None,
        explanation: None,
        note: None,
        fix: None,
        branch: None,
        context: None,
        remaining: None,
    }
}

fn about(
    ctx: Ctx<'_>,
    kind: StepKind,
    prompt: String,
    options: Vec<StepOption>,
    back: bool,
) -> WizardStep {
    let mut options = options;
    if back {
        options.push(back_option());
    }
    WizardStep {
        article: Some(ctx.article.id),
        title: Some(ctx.article.title.clone()),
        prompt,
        options,
        context: ctx
            .diag
            .symptom
            .as_ref()
            .map(|s| one_sentence(&s.summary, s.message.as_deref())),
        ..empty(kind)
    }
}

fn yes_no_unsure(yes: &str, no: &str) -> Vec<StepOption> {
    vec![
        StepOption::keyword(Answer::Yes, yes),
        StepOption::keyword(Answer::No, no),
        StepOption::keyword(Answer::Unsure, "Not sure"),
    ]
}

/// "Do you see this message?" with the quoted message, or the symptom in words.
pub fn symptom(ctx: Ctx<'_>, s: &SymptomCheck, back: bool) -> WizardStep {
    let (prompt, yes) = match &s.message {
        Some(_) => ("Do you see this message (or one like it)?", "Yes, I see it"),
        None => (
            "Does this describe your problem?",
            "Yes, that is my problem",
        ),
    };
    let options = yes_no_unsure(yes, "No, my problem is different");
    WizardStep {
        summary: Some(s.summary.clone()),
        message: s.message.clone(),
        ..about(ctx, StepKind::CheckSymptom, prompt.into(), options, back)
    }
}

/// "Are you running Microsoft Exchange Server 5.0 or 5.5?"
pub fn version(ctx: Ctx<'_>, v: &VersionCheck, back: bool) -> WizardStep {
    let options = yes_no_unsure("Yes", "No, another version");
    about(
        ctx,
        StepKind::CheckVersion,
        v.question.clone(),
        options,
        back,
    )
}

/// A cause as a question, with the article's wording and the explanation of the others.
pub fn cause(ctx: Ctx<'_>, index: usize, asked: usize, back: bool) -> WizardStep {
    let d = ctx.diag;
    let c = &d.causes[index.min(d.causes.len().saturating_sub(1))];
    let options = yes_no_unsure("Yes, this applies", "No");
    WizardStep {
        cause: Some(CauseRef {
            index,
            number: asked + 1,
            total: d.causes.len(),
            text: c.text.clone(),
        }),
        ..about(ctx, StepKind::CheckCause, c.question.clone(), options, back)
    }
}

fn try_options() -> Vec<StepOption> {
    vec![
        StepOption::keyword(Answer::Fixed, "Yes, it is fixed"),
        StepOption::keyword(Answer::NotFixed, "No, it still fails"),
    ]
}

fn explanation(ctx: Ctx<'_>) -> Option<String> {
    let e = ctx.diag.explanation.join(" ");
    (!e.is_empty()).then_some(e)
}

/// The fix the article gives for one cause.
pub fn cause_fix(ctx: Ctx<'_>, index: usize, back: bool) -> WizardStep {
    let d = ctx.diag;
    let c = &d.causes[index.min(d.causes.len().saturating_sub(1))];
    let prompt = "Try the fix for this cause. Did it fix the problem?".to_string();
    let section = d.fixes.first().map(|f| f.heading.clone());
    let kind = match d.fixes.first() {
        Some(f) if is_workaround(f.kind) => StepKind::TryWorkaround,
        _ => StepKind::TryResolution,
    };
    WizardStep {
        cause: Some(CauseRef {
            index,
            number: 0,
            total: d.causes.len(),
            text: c.text.clone(),
        }),
        section,
        items: c.fix.clone(),
        explanation: explanation(ctx),
        ..about(ctx, kind, prompt, try_options(), back)
    }
}

/// "Which applies to you?" with one option per branch of a fix and "Not sure".
pub fn branch(ctx: Ctx<'_>, index: usize, back: bool) -> WizardStep {
    let fix = &ctx.diag.fixes[index];
    let mut options: Vec<StepOption> = fix
        .branches
        .iter()
        .enumerate()
        .map(|(i, b)| StepOption {
            detail: (!b.detail.is_empty()).then(|| b.detail.clone()),
            ..StepOption::keyword(Answer::Branch(i), &b.label)
        })
        .collect();
    options.push(StepOption::keyword(
        Answer::Unsure,
        "Not sure: show them all",
    ));
    let prompt = fix
        .question
        .clone()
        .unwrap_or_else(|| "Which of these applies to you?".into());
    WizardStep {
        section: Some(fix.heading.clone()),
        fix: Some(index),
        explanation: explanation(ctx),
        ..about(ctx, StepKind::ChooseBranch, prompt, options, back)
    }
}

/// A fix to try: one branch, all of them (`Some(None)`), or a fix without branches (`None`).
/// `after_no` says every cause was ruled out, so the fix is offered as still worth a try.
pub fn fix(
    ctx: Ctx<'_>,
    index: usize,
    branch: Option<Option<usize>>,
    after_no: bool,
    back: bool,
) -> WizardStep {
    fix_for(ctx, index, branch, after_no, None, back, false)
}

/// [`fix`], naming the cause the user confirmed (so a resolution records it).
pub fn fix_for(
    ctx: Ctx<'_>,
    index: usize,
    branch: Option<Option<usize>>,
    after_no: bool,
    cause: Option<usize>,
    back: bool,
    tried_before: bool,
) -> WizardStep {
    let fix = &ctx.diag.fixes[index];
    let (items, chosen): (Vec<FixItem>, Option<String>) = match branch {
        Some(Some(b)) => (
            fix.branch_items(b),
            fix.branches.get(b).map(|x| x.label.clone()),
        ),
        _ => (fix.all_items(), None),
    };
    let kind = if is_workaround(fix.kind) {
        StepKind::TryWorkaround
    } else {
        StepKind::TryResolution
    };
    let what = match fix.kind {
        crate::kb::diagnosis::FixKind::Resolution => "Work through these steps.",
        crate::kb::diagnosis::FixKind::Workaround => "Try this workaround.",
        crate::kb::diagnosis::FixKind::Status => "The article names a release that corrects this.",
        crate::kb::diagnosis::FixKind::Procedure => {
            "The article's fix points to this procedure under MORE INFORMATION."
        }
    };
    let lead = if after_no {
        format!("{} ", super::plan::NONE_MATCHED)
    } else {
        String::new()
    };
    let what = match branch {
        Some(Some(b)) if fix.ordered => method_lead(fix.branches.len(), b, !tried_before),
        _ => what.to_string(),
    };
    let prompt = format!("{lead}{what} Did this fix it?");
    let cause = cause.and_then(|i| {
        let c = ctx.diag.causes.get(i)?;
        Some(CauseRef {
            index: i,
            number: 0,
            total: ctx.diag.causes.len(),
            text: c.text.clone(),
        })
    });
    WizardStep {
        section: Some(fix.heading.clone()),
        items,
        cause,
        fix: Some(index),
        branch: chosen,
        explanation: explanation(ctx),
        ..about(ctx, kind, prompt, try_options(), back)
    }
}

/// "Try the article's first method (1 of 3)." / "Try the next method (2 of 3)."
fn method_lead(n: usize, b: usize, first_shown: bool) -> String {
    if first_shown && b > 0 {
        format!(
            "Try the method the article gives for this cause ({} of {n}).",
            b + 1
        )
    } else if b == 0 {
        format!("Try the article's first method (1 of {n}); the others follow if it does not help.")
    } else {
        format!("Try the next method the article gives ({} of {n}).", b + 1)
    }
}
