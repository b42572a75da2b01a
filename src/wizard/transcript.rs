//! The plain-text transcript handed to the helpdesk: what was pasted and recognised, every
//! article considered, every cause ruled in or out, every fix tried, in order. Pure.

use super::{Answer, Given, Origin, Outcome, StepKind, WizardStep};
use std::fmt::Write;

/// The session facts the transcript opens with.
#[derive(Debug, Clone)]
pub struct Header<'a> {
    /// The session id.
    pub id: &'a str,
    /// What the session started from.
    pub origin: Origin,
    /// The pasted text, search words or article id.
    pub input: &'a str,
    /// What the paste was recognised as.
    pub recognised: &'a [String],
    /// Unix seconds of the start.
    pub started: i64,
    /// How it ended, `None` while in progress.
    pub outcome: Option<Outcome>,
}

fn option_label(step: &WizardStep, answer: &Answer) -> String {
    let value = answer.value();
    step.options
        .iter()
        .find(|o| o.value.eq_ignore_ascii_case(&value))
        .map(|o| o.label.clone())
        .unwrap_or(value)
}

fn article_id(step: &WizardStep) -> String {
    step.article.map(|a| a.to_string()).unwrap_or_default()
}

fn verdict(answer: &Answer) -> &'static str {
    match answer {
        Answer::Yes => "ruled in",
        Answer::No => "ruled out",
        _ => "unsure",
    }
}

fn article_name(step: &WizardStep) -> String {
    match (&step.article, &step.title) {
        (Some(id), Some(t)) => format!("{id} \"{t}\""),
        (Some(id), None) => id.to_string(),
        _ => "the article".into(),
    }
}

/// The lists the transcript closes with, filled as the steps are read.
#[derive(Default)]
struct Summary {
    considered: Vec<String>,
    ruled: Vec<String>,
    fixes: Vec<String>,
}

/// The transcript of `steps` (each with what it was given, `None` for the current one).
pub fn transcript(h: &Header<'_>, steps: &[(&WizardStep, Option<Given>)]) -> String {
    let mut out = String::new();
    write_header(&mut out, h);
    let mut summary = Summary::default();
    let _ = writeln!(out, "\nSteps, in order:");
    for (i, (step, given)) in steps.iter().enumerate() {
        let n = i + 1;
        let line = match given {
            None if matches!(step.kind, StepKind::Resolved | StepKind::Escalated) => continue,
            None => format!("(not answered yet) {}", step.prompt),
            Some(Given::Answer(Answer::Back)) => format!("{}: went back", step.kind.label()),
            Some(Given::Search(q)) => {
                format!("{}: searched again for \"{}\"", step.kind.label(), q.trim())
            }
            Some(Given::Answer(answer)) => match step_line(step, answer, &mut summary) {
                Some(line) => line,
                None => continue,
            },
        };
        let _ = writeln!(out, "{n:>3}. {line}");
    }
    for (step, _) in steps {
        if step.article.is_some() && !matches!(step.kind, StepKind::Related) {
            let name = article_name(step);
            if !summary
                .considered
                .iter()
                .any(|c| c.starts_with(&article_id(step)))
            {
                summary.considered.push(name);
            }
        }
    }
    for (title, list) in [
        ("Articles considered", &summary.considered),
        ("Causes", &summary.ruled),
        ("Fixes tried", &summary.fixes),
    ] {
        let _ = writeln!(out, "\n{title}:");
        if list.is_empty() {
            let _ = writeln!(out, "  (none)");
        }
        for item in list {
            let _ = writeln!(out, "  - {item}");
        }
    }
    out
}

/// The session, its start, outcome and input, and what was recognised.
fn write_header(out: &mut String, h: &Header<'_>) {
    let _ = writeln!(out, "kbfix troubleshooting transcript");
    let _ = writeln!(out, "Session: {}", h.id);
    let _ = writeln!(out, "Started: {} UTC", utc(h.started));
    let outcome = match h.outcome {
        Some(Outcome::Resolved) => "resolved",
        Some(Outcome::Escalated) => "escalated to the helpdesk: nothing the articles offer worked",
        None => "in progress",
    };
    let _ = writeln!(out, "Outcome: {outcome}");
    let _ = writeln!(out);
    let what = match h.origin {
        Origin::Paste => "Pasted text",
        Origin::Search => "Searched for",
        Origin::Article => "Started from article",
    };
    let _ = writeln!(out, "{what}:");
    for line in h.input.lines() {
        let _ = writeln!(out, "    {line}");
    }
    if !h.recognised.is_empty() {
        let _ = writeln!(out, "\nRecognised:");
        for r in h.recognised {
            let _ = writeln!(out, "  - {r}");
        }
    }
}

/// The line for one answered step, noting in `summary` what it considered, ruled or tried;
/// `None` for the end steps, which the header already tells.
fn step_line(step: &WizardStep, answer: &Answer, summary: &mut Summary) -> Option<String> {
    Some(match step.kind {
        StepKind::ChooseArticle | StepKind::Related => choice_line(step, answer, summary),
        StepKind::CheckSymptom | StepKind::CheckVersion => {
            let verdict = verdict(answer);
            let what = match step.kind {
                StepKind::CheckSymptom => "symptom",
                _ => "version",
            };
            summary.ruled.push(format!(
                "{verdict}: {} {what} \"{}\"",
                article_id(step),
                step.prompt
            ));
            format!(
                "{} {what}: {} {verdict} ({})",
                article_name(step),
                step.prompt,
                answer.value()
            )
        }
        StepKind::CheckCause => {
            let (num, total, text) = step
                .cause
                .as_ref()
                .map(|c| (c.number, c.total, c.text.as_str()))
                .unwrap_or((0, 0, ""));
            let verdict = verdict(answer);
            let ruled = format!("{verdict}: {} cause \"{text}\"", article_id(step));
            summary.ruled.push(ruled);
            format!(
                "{} cause {num} of {total} \"{text}\": {verdict} ({})",
                article_name(step),
                answer.value()
            )
        }
        StepKind::ChooseBranch => {
            let label = option_label(step, answer);
            summary.ruled.push(format!(
                "branch chosen: {} \"{}\" -> {label}",
                article_id(step),
                step.prompt
            ));
            format!("{}: {} chose {label}", article_name(step), step.prompt)
        }
        StepKind::TryResolution | StepKind::TryWorkaround => fix_line(step, answer, summary),
        StepKind::Resolved | StepKind::Escalated => return None,
    })
}

/// A choose_article or related step: how many articles were offered and which was chosen.
fn choice_line(step: &WizardStep, answer: &Answer, summary: &mut Summary) -> String {
    let offered = step.options.iter().filter(|o| o.article.is_some()).count();
    let from = match step.kind {
        StepKind::Related => format!("articles related to {}", article_name(step)),
        _ => "candidate articles".into(),
    };
    if *answer == Answer::None {
        return format!("{offered} {from} offered; none of them fitted");
    }
    let label = option_label(step, answer);
    if !summary.considered.contains(&label) {
        summary.considered.push(label.clone());
    }
    format!("{offered} {from} offered; chose {label}")
}

/// A try_resolution or try_workaround step: what was tried and whether it fixed it.
fn fix_line(step: &WizardStep, answer: &Answer, summary: &mut Summary) -> String {
    let mut what = match (&step.section, &step.cause) {
        (Some(s), Some(c)) if c.number == 0 => {
            format!("{s}: the fix for cause \"{}\"", c.text)
        }
        (Some(s), _) => format!("{s} ({} items)", step.items.len()),
        (None, _) => "the article's advice".into(),
    };
    if let Some(b) = &step.branch {
        what.push_str(&format!(", branch \"{b}\""));
    }
    let result = if *answer == Answer::Fixed {
        "fixed"
    } else {
        "not fixed"
    };
    summary
        .fixes
        .push(format!("{}: {what}: {result}", article_name(step)));
    format!("tried {what} of {}: {result}", article_name(step))
}

/// Unix seconds as `YYYY-MM-DD HH:MM:SS` (UTC), without a date library.
pub fn utc(secs: i64) -> String {
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    // Howard Hinnant's days-to-civil algorithm.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02} {:02}:{:02}:{:02}",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

#[cfg(test)]
mod tests {
    use super::utc;

    #[test]
    fn utc_dates() {
        assert_eq!(utc(0), "1970-01-01 00:00:00");
        assert_eq!(utc(951_782_400), "2000-02-29 00:00:00");
        assert_eq!(utc(1_795_000_000), "2026-11-18 11:06:40");
    }
}
