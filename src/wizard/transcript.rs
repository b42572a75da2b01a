//! The plain-text transcript handed to the helpdesk: what was pasted and recognised, every
//! article considered, every cause ruled in or out, every fix tried, in order. Pure.

use super::{StepKind, WizardStep};
use std::fmt::Write;

/// The session facts the transcript opens with.
#[derive(Debug, Clone)]
pub struct Header<'a> {
    /// The session id.
    pub id: &'a str,
    /// `paste`, `article` or `search`.
    pub origin: &'a str,
    /// The pasted text, search words or article id.
    pub input: &'a str,
    /// What the paste was recognised as.
    pub recognised: &'a [String],
    /// Unix seconds of the start.
    pub started: i64,
    /// `resolved`, `escalated` or none yet.
    pub outcome: Option<&'a str>,
}

fn option_label(step: &WizardStep, value: &str) -> String {
    step.options
        .iter()
        .find(|o| o.value.eq_ignore_ascii_case(value))
        .map(|o| o.label.clone())
        .unwrap_or_else(|| value.to_string())
}

fn article_id(step: &WizardStep) -> String {
    step.article.map(|a| a.to_string()).unwrap_or_default()
}

fn verdict(answer: &str) -> &'static str {
    match answer {
        "yes" => "ruled in",
        "no" => "ruled out",
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

/// The transcript of `steps` (each with its answer, `None` for the current one).
pub fn transcript(h: &Header<'_>, steps: &[(&WizardStep, Option<&str>)]) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "kbfix troubleshooting transcript");
    let _ = writeln!(out, "Session: {}", h.id);
    let _ = writeln!(out, "Started: {} UTC", utc(h.started));
    let outcome = match h.outcome {
        Some("resolved") => "resolved",
        Some("escalated") => "escalated to the helpdesk: nothing the articles offer worked",
        _ => "in progress",
    };
    let _ = writeln!(out, "Outcome: {outcome}");
    let _ = writeln!(out);
    let what = match h.origin {
        "paste" => "Pasted text",
        "search" => "Searched for",
        _ => "Started from article",
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

    let mut considered: Vec<String> = Vec::new();
    let mut ruled: Vec<String> = Vec::new();
    let mut fixes: Vec<String> = Vec::new();
    let _ = writeln!(out, "\nSteps, in order:");
    for (i, (step, answer)) in steps.iter().enumerate() {
        let n = i + 1;
        let Some(answer) = answer else {
            if !matches!(step.kind, StepKind::Resolved | StepKind::Escalated) {
                let _ = writeln!(out, "{n:>3}. (not answered yet) {}", step.prompt);
            }
            continue;
        };
        if *answer == "back" {
            let _ = writeln!(out, "{n:>3}. {}: went back", step.kind.label());
            continue;
        }
        let line = match step.kind {
            StepKind::ChooseArticle | StepKind::Related => {
                let offered = step.options.iter().filter(|o| o.article.is_some()).count();
                let from = match step.kind {
                    StepKind::Related => format!("articles related to {}", article_name(step)),
                    _ => "candidate articles".into(),
                };
                if *answer == "none" {
                    format!("{offered} {from} offered; none of them fitted")
                } else {
                    let label = option_label(step, answer);
                    if !considered.contains(&label) {
                        considered.push(label.clone());
                    }
                    format!("{offered} {from} offered; chose {label}")
                }
            }
            StepKind::CheckSymptom | StepKind::CheckVersion => {
                let verdict = verdict(answer);
                let what = match step.kind {
                    StepKind::CheckSymptom => "symptom",
                    _ => "version",
                };
                ruled.push(format!(
                    "{verdict}: {} {what} \"{}\"",
                    article_id(step),
                    step.prompt
                ));
                format!(
                    "{} {what}: {} {verdict} ({answer})",
                    article_name(step),
                    step.prompt
                )
            }
            StepKind::CheckCause => {
                let (num, total, text) = step
                    .cause
                    .as_ref()
                    .map(|c| (c.number, c.total, c.text.as_str()))
                    .unwrap_or((0, 0, ""));
                let verdict = verdict(answer);
                ruled.push(format!("{verdict}: {} cause \"{text}\"", article_id(step)));
                format!(
                    "{} cause {num} of {total} \"{text}\": {verdict} ({answer})",
                    article_name(step)
                )
            }
            StepKind::ChooseBranch => {
                let label = option_label(step, answer);
                ruled.push(format!(
                    "branch chosen: {} \"{}\" -> {label}",
                    article_id(step),
                    step.prompt
                ));
                format!("{}: {} chose {label}", article_name(step), step.prompt)
            }
            StepKind::TryResolution | StepKind::TryWorkaround => {
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
                let result = if *answer == "fixed" {
                    "fixed"
                } else {
                    "not fixed"
                };
                fixes.push(format!("{}: {what}: {result}", article_name(step)));
                format!("tried {what} of {}: {result}", article_name(step))
            }
            StepKind::Resolved | StepKind::Escalated => continue,
        };
        let _ = writeln!(out, "{n:>3}. {line}");
    }
    for (step, _) in steps {
        if step.article.is_some() && !matches!(step.kind, StepKind::Related) {
            let name = article_name(step);
            if !considered.iter().any(|c| c.starts_with(&article_id(step))) {
                considered.push(name);
            }
        }
    }
    for (title, list) in [
        ("Articles considered", &considered),
        ("Causes", &ruled),
        ("Fixes tried", &fixes),
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
