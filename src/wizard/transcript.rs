//! The plain-text transcript handed to the helpdesk: what the user saw and did, not the
//! questions put to them. What was pasted and recognised, the message confirmed, the
//! version, each cause confirmed or ruled out in the article's own words, the branch
//! chosen, every fix tried with its outcome, the articles considered, and the user's own
//! note and contact. Pure.

use super::article::message_line;
use super::{Answer, Given, Origin, Outcome, StepKind, WizardStep};
use crate::store::Handoff;
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
    /// What the user wrote for the helpdesk, when they did.
    pub handoff: Option<&'a Handoff>,
}

/// One finding, kept under a key so that an answer given again after Back replaces the
/// earlier one instead of standing beside it.
struct Finding {
    key: String,
    line: String,
}

/// The lists the transcript closes with, filled as the steps are read.
#[derive(Default)]
struct Summary {
    message: Vec<Finding>,
    version: Vec<Finding>,
    causes: Vec<Finding>,
    branches: Vec<Finding>,
    fixes: Vec<Finding>,
    considered: Vec<String>,
}

impl Summary {
    fn consider(&mut self, step: &WizardStep) {
        if let Some(name) = article_name(step)
            && !self.considered.contains(&name)
        {
            self.considered.push(name);
        }
    }
}

/// Sets `line` under `key` in `list`, replacing an earlier finding with the same key.
fn note(list: &mut Vec<Finding>, key: String, line: String) {
    match list.iter_mut().find(|f| f.key == key) {
        Some(f) => f.line = line,
        None => list.push(Finding { key, line }),
    }
}

/// `Q900068 "Title"`, when the step is about an article.
fn article_name(step: &WizardStep) -> Option<String> {
    let id = step.article?;
    Some(match &step.title {
        Some(t) => format!("{id} \"{t}\""),
        None => id.to_string(),
    })
}

fn article_id(step: &WizardStep) -> String {
    step.article.map(|a| a.to_string()).unwrap_or_default()
}

fn option_label(step: &WizardStep, answer: &Answer) -> String {
    let value = answer.value();
    step.options
        .iter()
        .find(|o| o.value.eq_ignore_ascii_case(&value))
        .map(|o| o.label.clone())
        .unwrap_or(value)
}

/// The transcript of `steps` (each with what it was given, `None` for the current one).
pub fn transcript(h: &Header<'_>, steps: &[(&WizardStep, Option<Given>)]) -> String {
    let mut out = String::new();
    write_header(&mut out, h);
    if let Some(handoff) = h.handoff {
        write_handoff(&mut out, handoff);
    }
    let mut summary = Summary::default();
    let _ = writeln!(out, "\nWhat the user did, in order:");
    let mut n = 0;
    for (step, given) in steps {
        let line = match given {
            None if matches!(step.kind, StepKind::Resolved | StepKind::Escalated) => continue,
            None => format!("(now at) {}", now_at(step)),
            Some(Given::Answer(Answer::Back)) => format!("Went back from: {}", now_at(step)),
            Some(Given::Search(q)) => format!("Searched again for \"{}\".", q.trim()),
            Some(Given::Answer(answer)) => match step_line(step, answer, &mut summary) {
                Some(line) => line,
                None => continue,
            },
        };
        n += 1;
        let _ = writeln!(out, "{n:>3}. {line}");
    }
    for (title, list) in [
        ("The message", &summary.message),
        ("Version", &summary.version),
        ("Causes, in the article's words", &summary.causes),
        ("Which case applies", &summary.branches),
        ("Fixes tried", &summary.fixes),
    ] {
        if list.is_empty() {
            continue;
        }
        let _ = writeln!(out, "\n{title}:");
        for f in list {
            let _ = writeln!(out, "  - {}", f.line);
        }
    }
    let _ = writeln!(out, "\nArticles considered:");
    if summary.considered.is_empty() {
        let _ = writeln!(out, "  - none chosen");
    }
    for a in &summary.considered {
        let _ = writeln!(out, "  - {a}");
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
    indented(out, h.input);
    if !h.recognised.is_empty() {
        let _ = writeln!(out, "\nRecognised:");
        for r in h.recognised {
            let _ = writeln!(out, "  - {r}");
        }
    }
}

/// What the user wrote for the helpdesk. Their words are indented under labels, so no
/// line of theirs can pass for a line of the transcript's own.
fn write_handoff(out: &mut String, handoff: &Handoff) {
    let _ = writeln!(out, "\nFrom the user, for the helpdesk:");
    for (label, value) in [
        ("Name", &handoff.name),
        ("Machine", &handoff.machine),
        ("Contact", &handoff.contact),
    ] {
        if !value.trim().is_empty() {
            let _ = writeln!(out, "  {label}: {}", one_line(value));
        }
    }
    if !handoff.tried.trim().is_empty() {
        let _ = writeln!(out, "  What they tried, in their words:");
        indented(out, &handoff.tried);
    }
    let _ = writeln!(out, "  (written {} UTC)", utc(handoff.saved_at));
}

fn indented(out: &mut String, text: &str) {
    for line in text.lines() {
        let _ = writeln!(out, "    {line}");
    }
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A short description of the step the user stands at, for unanswered steps and Back.
fn now_at(step: &WizardStep) -> String {
    let about = article_name(step)
        .map(|a| format!(" ({a})"))
        .unwrap_or_default();
    format!("{}{about}", step.kind.label())
}

/// What the symptom step showed: the message's own line, else the symptom in words.
fn shown_symptom(step: &WizardStep) -> String {
    step.message
        .as_deref()
        .and_then(|m| message_line(m.lines()))
        .or_else(|| step.summary.clone())
        .unwrap_or_else(|| "the article's symptom".into())
}

/// "Are you running X?" as "X"; other version questions as asked.
fn version_asked(step: &WizardStep) -> String {
    let p = step.prompt.trim();
    p.strip_prefix("Are you running ")
        .or_else(|| p.strip_prefix("Do you run "))
        .and_then(|rest| rest.strip_suffix('?'))
        .map(str::to_string)
        .unwrap_or_else(|| format!("\"{p}\""))
}

/// The line for one answered step, noting in `summary` what it settled or tried; `None`
/// for the end steps, which the header already tells.
fn step_line(step: &WizardStep, answer: &Answer, summary: &mut Summary) -> Option<String> {
    let id = article_id(step);
    Some(match (step.kind, answer) {
        (_, Answer::Others) => {
            format!("Said {id} is not their problem and asked for the other articles.")
        }
        (StepKind::ChooseArticle | StepKind::Related, _) => choice_line(step, answer, summary),
        (StepKind::CheckSymptom, a) => {
            summary.consider(step);
            let what = shown_symptom(step);
            let line = match a {
                Answer::Yes => format!("Confirmed: \"{what}\" ({id})"),
                Answer::No => format!("Not their problem: \"{what}\" ({id})"),
                _ => format!("Not sure it is their problem: \"{what}\" ({id})"),
            };
            note(&mut summary.message, id, line.clone());
            line
        }
        (StepKind::CheckVersion, a) => {
            summary.consider(step);
            let what = version_asked(step);
            let line = match a {
                Answer::Yes => format!("Runs {what} ({id})"),
                Answer::No => format!("Runs another version, not {what} ({id})"),
                _ => format!("Not sure whether they run {what} ({id})"),
            };
            note(&mut summary.version, id, line.clone());
            line
        }
        (StepKind::CheckCause, a) => {
            summary.consider(step);
            let text = step.cause.as_ref().map(|c| c.text.as_str()).unwrap_or("");
            let verdict = match a {
                Answer::Yes => "Confirmed",
                Answer::No => "Ruled out",
                _ => "Not sure",
            };
            let line = format!("{verdict}: \"{}\" ({id})", one_line(text));
            let key = format!("{id}/{}", step.cause.as_ref().map_or(0, |c| c.index));
            note(&mut summary.causes, key, line.clone());
            line
        }
        (StepKind::ChooseBranch, a) => {
            summary.consider(step);
            let section = step.section.as_deref().unwrap_or("the fix");
            let line = match a {
                Answer::Branch(_) => format!(
                    "Chose \"{}\" in {section} ({id})",
                    option_label(step, answer)
                ),
                _ => format!("Not sure which case applies in {section}: shown them all ({id})"),
            };
            let key = format!("{id}/{}", step.fix.unwrap_or(0));
            note(&mut summary.branches, key, line.clone());
            line
        }
        (StepKind::TryResolution | StepKind::TryWorkaround, _) => fix_line(step, answer, summary),
        (StepKind::Resolved | StepKind::Escalated, _) => return None,
    })
}

/// A choose_article or related step: how many articles were offered and which was chosen.
fn choice_line(step: &WizardStep, answer: &Answer, summary: &mut Summary) -> String {
    let offered = step.options.iter().filter(|o| o.article.is_some()).count();
    let from = match (step.kind, article_name(step)) {
        (StepKind::Related, Some(a)) => format!("{offered} articles related to {a}"),
        _ => format!("{offered} candidate articles"),
    };
    if *answer == Answer::None && offered == 0 {
        return "No article was left to offer; handed to the helpdesk.".into();
    }
    if *answer == Answer::None {
        return format!("None of the {from} fitted; handed to the helpdesk.");
    }
    let label = option_label(step, answer);
    let name = match label.split_once(": ") {
        Some((id, title)) => format!("{id} \"{title}\""),
        None => label,
    };
    if !summary.considered.contains(&name) {
        summary.considered.push(name.clone());
    }
    format!("Chose {name} from {from}.")
}

/// A try_resolution or try_workaround step: what was tried and whether it fixed it.
fn fix_line(step: &WizardStep, answer: &Answer, summary: &mut Summary) -> String {
    summary.consider(step);
    let id = article_id(step);
    let mut what = step.section.clone().unwrap_or_else(|| "the advice".into());
    if let Some(b) = &step.branch {
        what.push_str(&format!(", \"{b}\""));
    }
    if let Some(c) = step.cause.as_ref().filter(|c| c.number == 0) {
        what.push_str(&format!(", for the cause \"{}\"", one_line(&c.text)));
    }
    let steps = step
        .items
        .iter()
        .filter(|i| i.kind == super::ItemKind::Step)
        .count();
    if steps > 0 {
        what.push_str(&format!(" ({steps} steps)"));
    }
    let result = if *answer == Answer::Fixed {
        "fixed"
    } else {
        "not fixed"
    };
    let line = format!("Tried {what} of {id}: {result}");
    let key = format!(
        "{id}/{}/{}/{}",
        step.fix.map_or(-1, |f| f as i64),
        step.branch.as_deref().unwrap_or(""),
        step.cause.as_ref().map_or(-1, |c| c.index as i64)
    );
    note(&mut summary.fixes, key, line.clone());
    line
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
    use super::super::steps::empty;
    use super::super::{CauseRef, ChecklistItem, ItemKind, StepOption};
    use super::*;
    use crate::kb::ArticleId;

    #[test]
    fn utc_dates() {
        assert_eq!(utc(0), "1970-01-01 00:00:00");
        assert_eq!(utc(951_782_400), "2000-02-29 00:00:00");
        assert_eq!(utc(1_795_000_000), "2026-11-18 11:06:40");
    }

    fn about(kind: StepKind, prompt: &str) -> WizardStep {
        WizardStep {
            article: Some(ArticleId(900068)),
            title: Some("XFOR: Event ID 68".into()),
            prompt: prompt.into(),
            ..empty(kind)
        }
    }

    fn cause(index: usize, text: &str) -> WizardStep {
        WizardStep {
            cause: Some(CauseRef {
                index,
                number: index + 1,
                total: 2,
                text: text.into(),
            }),
            ..about(
                StepKind::CheckCause,
                "Are the helper programs the wrong versions?",
            )
        }
    }

    fn item(kind: ItemKind, text: &str) -> ChecklistItem {
        ChecklistItem {
            kind,
            number: None,
            depth: 0,
            text: text.into(),
        }
    }

    fn header<'a>(handoff: Option<&'a Handoff>) -> Header<'a> {
        Header {
            id: "abc",
            origin: Origin::Paste,
            input: "Event ID: 68\nSource: MSExchangeCCMC",
            recognised: &[],
            started: 0,
            outcome: Some(Outcome::Escalated),
            handoff,
        }
    }

    /// A walk: the message confirmed, the version, a cause ruled out then (after Back)
    /// confirmed, the other unsure, a branch, a fix not fixed, then a related article.
    fn walk() -> Vec<(WizardStep, Option<Given>)> {
        let a = |x| Some(Given::Answer(x));
        let mut choose = empty(StepKind::ChooseArticle);
        choose.options = vec![StepOption {
            article: Some(ArticleId(900068)),
            ..StepOption::keyword(
                Answer::Article(ArticleId(900068)),
                "Q900068: XFOR: Event ID 68",
            )
        }];
        let symptom = WizardStep {
            message: Some(
                "Event ID: 68\nSource: MSExchangeCCMC\nDescription: Bridge EXPORT failed.".into(),
            ),
            ..about(
                StepKind::CheckSymptom,
                "Do you see this message (or one like it)?",
            )
        };
        let version = about(
            StepKind::CheckVersion,
            "Are you running Microsoft Exchange Server 5.0 or 5.5?",
        );
        let mut branch = about(
            StepKind::ChooseBranch,
            "Which post office do you connect to?",
        );
        branch.section = Some("RESOLUTION".into());
        branch.fix = Some(0);
        branch.options = vec![StepOption::keyword(Answer::Branch(1), "Modern")];
        let fix = WizardStep {
            section: Some("RESOLUTION".into()),
            branch: Some("Modern".into()),
            fix: Some(0),
            items: vec![
                item(ItemKind::Step, "Open the console."),
                item(ItemKind::Step, "Choose the helpers."),
                item(ItemKind::Text, "NOTE: restart."),
            ],
            ..about(
                StepKind::TryResolution,
                "Work through these steps. Did this fix it?",
            )
        };
        let mut related = about(StepKind::Related, "That did not fix it.");
        related.options = vec![StepOption {
            article: Some(ArticleId(900070)),
            ..StepOption::keyword(Answer::Article(ArticleId(900070)), "Q900070: Event ID 70")
        }];
        vec![
            (choose, a(Answer::Article(ArticleId(900068)))),
            (symptom, a(Answer::Yes)),
            (version, a(Answer::Yes)),
            (
                cause(0, "You run the wrong helper versions."),
                a(Answer::No),
            ),
            (cause(1, "The wrong versions are chosen."), a(Answer::Back)),
            (
                cause(0, "You run the wrong helper versions."),
                a(Answer::Yes),
            ),
            (
                cause(1, "The wrong versions are chosen."),
                a(Answer::Unsure),
            ),
            (branch, a(Answer::Branch(1))),
            (fix, a(Answer::NotFixed)),
            (related, a(Answer::None)),
            (empty(StepKind::Escalated), None),
        ]
    }

    fn section<'a>(text: &'a str, title: &str) -> Vec<&'a str> {
        let Some(at) = text.find(&format!("\n{title}:\n")) else {
            return Vec::new();
        };
        text[at + title.len() + 3..]
            .lines()
            .take_while(|l| l.starts_with("  - "))
            .collect()
    }

    #[test]
    fn the_transcript_says_what_the_user_saw_and_did() {
        let steps = walk();
        let refs: Vec<(&WizardStep, Option<Given>)> =
            steps.iter().map(|(s, g)| (s, g.clone())).collect();
        let t = transcript(&header(None), &refs);
        for (title, want) in [
            (
                "The message",
                vec!["  - Confirmed: \"Bridge EXPORT failed.\" (Q900068)"],
            ),
            (
                "Version",
                vec!["  - Runs Microsoft Exchange Server 5.0 or 5.5 (Q900068)"],
            ),
            (
                "Causes, in the article's words",
                vec![
                    "  - Confirmed: \"You run the wrong helper versions.\" (Q900068)",
                    "  - Not sure: \"The wrong versions are chosen.\" (Q900068)",
                ],
            ),
            (
                "Which case applies",
                vec!["  - Chose \"Modern\" in RESOLUTION (Q900068)"],
            ),
            (
                "Fixes tried",
                vec!["  - Tried RESOLUTION, \"Modern\" (2 steps) of Q900068: not fixed"],
            ),
            (
                "Articles considered",
                vec!["  - Q900068 \"XFOR: Event ID 68\""],
            ),
        ] {
            assert_eq!(section(&t, title), want, "{title}:\n{t}");
        }
        // Prompts are not what the helpdesk reads.
        for prompt in [
            "Do you see this message",
            "Are the helper programs",
            "Did this fix it",
        ] {
            assert!(!t.contains(prompt), "{prompt}:\n{t}");
        }
        assert!(t.contains("Went back from: check a cause"), "{t}");
        assert!(
            t.contains("None of the 1 articles related to Q900068"),
            "{t}"
        );
        assert!(!t.contains("From the user"), "{t}");
    }

    #[test]
    fn the_users_note_is_included_and_cannot_pass_for_the_transcripts_own_lines() {
        for (handoff, want, absent) in [
            (
                Handoff {
                    name: "Ann Smith".into(),
                    machine: "MAIL01".into(),
                    contact: "ann@example.com\n555 0100".into(),
                    tried: "Restarted the bridge.\nOutcome: resolved".into(),
                    saved_at: 86_400,
                },
                vec![
                    "  Name: Ann Smith",
                    "  Machine: MAIL01",
                    "  Contact: ann@example.com 555 0100",
                    "    Restarted the bridge.",
                    "    Outcome: resolved",
                    "  (written 1970-01-02 00:00:00 UTC)",
                ],
                vec!["\nOutcome: resolved"],
            ),
            (
                Handoff {
                    name: String::new(),
                    machine: String::new(),
                    contact: "555 0100".into(),
                    tried: String::new(),
                    saved_at: 0,
                },
                vec!["  Contact: 555 0100"],
                vec!["Name:", "Machine:", "What they tried"],
            ),
        ] {
            let t = transcript(&header(Some(&handoff)), &[]);
            assert!(t.contains("From the user, for the helpdesk:"), "{t}");
            for w in want {
                assert!(t.contains(&format!("{w}\n")), "{w:?}:\n{t}");
            }
            for a in absent {
                assert!(!t.contains(a), "{a:?}:\n{t}");
            }
        }
    }

    #[test]
    fn version_questions_read_as_facts() {
        for (prompt, want) in [
            ("Are you running Word 97?", "Word 97"),
            ("Do you run Windows NT 4.0?", "Windows NT 4.0"),
            ("Which version do you run?", "\"Which version do you run?\""),
        ] {
            assert_eq!(version_asked(&about(StepKind::CheckVersion, prompt)), want);
        }
    }
}
