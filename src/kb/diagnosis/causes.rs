//! Causes as separate, checkable conditions: CAUSE list items, "-or-" alternatives and prose
//! cues ("can occur when", "can also occur", "is caused by", "occurs because"), or SYMPTOMS
//! conditions ("This problem occurs if ..."); and pairing each with the fix the article
//! gives for it.

use super::items::{FixItem, ItemKind, list_end, section_items};
use super::question::{checkable, question};
use super::{Condition, Fix, FixAt, section};
use crate::kb::Article;

/// Most conditions asked of one article.
const MAX_CAUSES: usize = 8;
/// Paragraphs of prose read for causes.
const PROSE_PARAGRAPHS: usize = 4;
/// Sentences that start the fix inside a cause item ("... To resolve this, ...").
const FIX_STARTS: &[&str] = &[
    "to resolve",
    "to fix",
    "to correct",
    "to work around",
    "to avoid",
    "to prevent",
    "to solve",
    "resolution:",
    "workaround:",
];
/// Cues after which the rest of the sentence is the condition.
const CUES: &[&str] = &[
    "occur when ",
    "occur if ",
    "occurs when ",
    "occurs if ",
    "occurs only when ",
    "occurs only if ",
    "occur only when ",
    "occur only if ",
    "happen when ",
    "happen if ",
    "happens when ",
    "happens if ",
    "is caused by ",
    "are caused by ",
    "be caused by ",
    "caused when ",
    "appear when ",
    "appears when ",
    "occurs because ",
    "occur because ",
    "occurs after ",
    "occur after ",
    "results when ",
    "happens because ",
    "is generated when ",
];
/// Words every cue holds one of (each cue holds its first word).
const CUE_WORDS: &[&str] = &["occur", "happen", "caused", "appear", "result", "generated"];

/// The explanation (causes the user cannot check) and the checkable conditions.
pub fn conditions(article: &Article) -> (Vec<String>, Vec<Condition>) {
    let (clauses, from_cause) = if let Some(s) = section(article, "CAUSE") {
        let items = section_items(s);
        let listed = listed(&items);
        if listed.len() >= 2 {
            (listed, true)
        } else {
            (prose(&items, false), true)
        }
    } else {
        let prose = section(article, "SYMPTOM")
            .map(|s| prose(&section_items(s), true))
            .unwrap_or_default();
        (prose, false)
    };
    let mut explanation = Vec::new();
    let mut causes: Vec<Condition> = Vec::new();
    for (sentence, clause, cued) in clauses {
        let (text, fix) = split_fix(&sentence);
        if !plausible(&clause) || causes.iter().any(|c| c.text == text) {
            continue;
        }
        let asked = (checkable(&clause, cued) && causes.len() < MAX_CAUSES)
            .then(|| question(&clause))
            .flatten();
        if let Some(question) = asked {
            causes.push(Condition {
                question,
                text,
                fix: fix.into_iter().map(FixItem::text).collect(),
                fix_at: None,
            });
        } else if from_cause && explanation.len() < 2 && !explanation.contains(&text) {
            explanation.push(text);
        }
    }
    (explanation, causes)
}

/// Text that reads as a condition, not an example path, a code line or a citation.
fn plausible(clause: &str) -> bool {
    let words: Vec<&str> = clause.split_whitespace().collect();
    let wordy = words
        .iter()
        .filter(|w| w.len() > 1 && w.chars().all(|c| c.is_ascii_lowercase()))
        .count();
    words.len() >= 3 && wordy >= 2 && !clause.contains("\\\\") && !clause.starts_with('Q')
}

/// The top-level items of CAUSE's lists, or its "-or-" alternatives, as (sentence, clause).
fn listed(items: &[FixItem]) -> Vec<(String, String, bool)> {
    let mut out = Vec::new();
    let mut at = 0;
    while at < items.len() {
        let item = &items[at];
        if matches!(item.kind, ItemKind::Step | ItemKind::Bullet) && item.depth == 0 {
            let end = list_end(items, at);
            let top: Vec<&FixItem> = items[at..end].iter().filter(|i| i.depth == 0).collect();
            if top.len() >= 2 {
                return top.iter().map(|i| one(&strip_or(&i.text))).collect();
            }
            at = end;
            continue;
        }
        at += 1;
    }
    // "-or-" between paragraphs: each paragraph beside one is a cause.
    for (i, item) in items.iter().enumerate() {
        if is_or(&item.text) {
            for j in [i.wrapping_sub(1), i + 1] {
                if let Some(p) = items.get(j).filter(|p| !is_or(&p.text)) {
                    let c = one(&p.text);
                    if !out.contains(&c) {
                        out.push(c);
                    }
                }
            }
        }
    }
    out
}

fn is_or(text: &str) -> bool {
    let t = text.trim().trim_matches('-').trim().to_lowercase();
    t == "or"
}

fn strip_or(text: &str) -> String {
    let t = text.trim();
    let lower = t.to_lowercase();
    for tail in ["-or-", "- or -", "-and-"] {
        if lower.ends_with(tail) {
            return t[..t.len() - tail.len()].trim().to_string();
        }
    }
    t.to_string()
}

/// A list item as a cause: its lead-in cue stripped for the question.
fn one(text: &str) -> (String, String, bool) {
    let first = sentences(text).into_iter().next().unwrap_or_default();
    let clause = after_cue(&first).unwrap_or(first);
    (text.to_string(), clause, true)
}

/// Conditions from prose: clauses after the cues, split on "or"; without any cue (and
/// only in CAUSE), the first sentence as stated.
fn prose(items: &[FixItem], cues_only: bool) -> Vec<(String, String, bool)> {
    let mut out = Vec::new();
    let paras = items
        .iter()
        .filter(|i| i.kind == ItemKind::Text)
        .filter(|i| !i.text.starts_with("NOTE") && !i.text.starts_with("For "))
        .take(PROSE_PARAGRAPHS);
    let mut first = None;
    for p in paras {
        for s in sentences(&p.text) {
            first.get_or_insert_with(|| s.clone());
            if let Some(clause) = after_cue(&s).or_else(|| if_clause(&s)) {
                let parts = split_or(&clause);
                // Several conditions in one sentence are each shown as their own clause.
                let several = parts.len() > 1;
                for part in parts {
                    let text = if several {
                        sentence_case(&part)
                    } else {
                        s.clone()
                    };
                    out.push((text, part, true));
                }
            }
        }
    }
    if let Some(s) = first.filter(|_| out.is_empty() && !cues_only) {
        out.push((s.clone(), s, false));
    }
    out
}

/// "the disk is full" as "The disk is full."
fn sentence_case(clause: &str) -> String {
    let mut c = clause.trim().chars();
    let first: String = c
        .next()
        .map(|f| f.to_uppercase().collect())
        .unwrap_or_default();
    format!("{first}{}.", c.as_str().trim_end_matches('.'))
}

/// The clause after a cue such as "can occur when", from its first `, but` on.
fn after_cue(sentence: &str) -> Option<String> {
    let lower = sentence.to_lowercase();
    // Most sentences hold no cue's first word: a few searches rule out all the cues.
    if !CUE_WORDS.iter().any(|w| lower.contains(w)) {
        return None;
    }
    let (at, cue) = CUES
        .iter()
        .filter_map(|c| lower.find(c).map(|i| (i, c.len())))
        .min()?;
    let clause = sentence.get(at + cue..)?.trim();
    let clause = match clause.rfind(", but ") {
        Some(i) => &clause[i + 6..],
        None => clause,
    };
    (!clause.is_empty()).then(|| clause.trim_end_matches('.').to_string())
}

/// "If X, Y." as X, for a sentence that opens with it.
fn if_clause(sentence: &str) -> Option<String> {
    let rest = sentence.strip_prefix("If ")?;
    let comma = rest.find(", ")?;
    Some(rest[..comma].to_string())
}

/// "X, or Y" / "X or by Y" as X and Y, when both halves read as clauses (a bare ", or "
/// only when what follows has a verb of its own: "the files are missing, or the wrong
/// version is installed").
fn split_or(clause: &str) -> Vec<String> {
    for sep in [
        ", or by ",
        " or by ",
        ", or if ",
        " or if ",
        ", or when ",
        " or when ",
        "; or ",
        ", or ",
    ] {
        if sep == ", or "
            && !clause.split(sep).nth(1).is_some_and(|b| {
                b.split_whitespace()
                    .take(8)
                    .any(|w| matches!(w, "is" | "are" | "was" | "were" | "has" | "have"))
            })
        {
            continue;
        }
        if let Some(i) = clause.find(sep) {
            let (a, b) = (&clause[..i], &clause[i + sep.len()..]);
            if a.split_whitespace().count() >= 3 && b.split_whitespace().count() >= 3 {
                let mut out = vec![a.trim().to_string()];
                out.extend(split_or(b));
                return out;
            }
        }
    }
    vec![clause.trim().to_string()]
}

/// The sentences of running text, owned (see [`crate::kb::sentences`]).
pub fn sentences(text: &str) -> Vec<String> {
    crate::kb::sentences(text)
        .into_iter()
        .map(str::to_string)
        .collect()
}

/// Splits "cause. To resolve this, do X." into the cause and its own fix.
fn split_fix(item: &str) -> (String, Option<String>) {
    let lower = item.to_lowercase();
    let at = FIX_STARTS
        .iter()
        .filter_map(|w| {
            lower
                .match_indices(w)
                .map(|(i, _)| i)
                .find(|&i| i > 0 && lower[..i].trim_end().ends_with('.'))
        })
        .min();
    match at {
        Some(i) if item.is_char_boundary(i) => (
            item[..i].trim().to_string(),
            Some(item[i..].trim().to_string()),
        ),
        _ => (item.trim().to_string(), None),
    }
}

/// Word stems (first five letters of words of four or more) that carry meaning.
fn stems(text: &str) -> Vec<String> {
    const STOP: &[&str] = &[
        "this",
        "that",
        "with",
        "from",
        "have",
        "will",
        "your",
        "there",
        "which",
        "when",
        "does",
        "following",
        "problem",
        "error",
        "message",
        "cause",
        "resolve",
        "ensure",
        "make",
        "sure",
        "correct",
        "cannot",
        "should",
        "into",
        "been",
        "were",
        "they",
    ];
    let mut out: Vec<String> = text
        .split(|c: char| !c.is_alphanumeric())
        .map(str::to_lowercase)
        .filter(|w| w.len() >= 4 && !STOP.contains(&w.as_str()))
        .map(|w| w.chars().take(5).collect())
        .collect();
    out.sort();
    out.dedup();
    out
}

/// Pairs causes with the fix the article gives for each: one fix part per cause when the
/// first fix lists as many alternatives as there are causes; else a part that shares two
/// or more meaningful words with exactly one cause. A branched fix is never cut up for a
/// cause: a cause points at the whole fix (so its branch is asked), or, for methods the
/// article orders, at the method that names it.
pub fn pair(causes: &mut [Condition], fixes: &mut [Fix]) {
    let Some(fix) = fixes.first_mut() else {
        return;
    };
    let parts = fix_parts(fix);
    let branched = !fix.branches.is_empty();
    if causes.len() >= 2 && parts.len() == causes.len() && (!branched || fix.ordered) {
        for (k, (c, p)) in causes.iter_mut().zip(&parts).enumerate() {
            if !c.fix.is_empty() {
                continue;
            }
            if branched {
                c.fix_at = Some(FixAt {
                    fix: 0,
                    branch: Some(k),
                });
            } else {
                c.fix = p.clone();
            }
        }
        fix.distributed = !branched;
        return;
    }
    let cause_stems: Vec<Vec<String>> = causes.iter().map(|c| stems(&c.text)).collect();
    for part in &parts {
        let Some(i) = best_cause(&cause_stems, part) else {
            continue;
        };
        if !causes[i].fix.is_empty() || causes[i].fix_at.is_some() {
            continue;
        }
        if branched {
            // A branched fix is reached whole: its branch asked, or its methods tried from
            // the first (a cause starts at a later method only when paired one to one).
            causes[i].fix_at = Some(FixAt {
                fix: 0,
                branch: None,
            });
        } else {
            causes[i].fix = part.clone();
        }
    }
}

/// The one cause sharing the most (two or more) meaningful words with a fix part.
fn best_cause(cause_stems: &[Vec<String>], part: &[FixItem]) -> Option<usize> {
    let ps = stems(
        &part
            .iter()
            .map(|i| i.text.as_str())
            .collect::<Vec<_>>()
            .join(" "),
    );
    let scores: Vec<usize> = cause_stems
        .iter()
        .map(|cs| cs.iter().filter(|s| ps.contains(s)).count())
        .collect();
    let best = scores.iter().copied().max().unwrap_or(0);
    (best >= 2 && scores.iter().filter(|&&s| s == best).count() == 1)
        .then(|| scores.iter().position(|&s| s == best))
        .flatten()
}

/// A fix's alternatives: its branches, else the top-level items of its one bulleted list.
fn fix_parts(fix: &Fix) -> Vec<Vec<FixItem>> {
    if !fix.branches.is_empty() {
        return fix.branches.iter().map(|b| b.items.clone()).collect();
    }
    let items = &fix.intro;
    let Some(at) = items.iter().position(|i| i.kind == ItemKind::Bullet) else {
        return Vec::new();
    };
    let end = list_end(items, at);
    let mut parts: Vec<Vec<FixItem>> = Vec::new();
    for item in &items[at..end] {
        match parts.last_mut() {
            Some(p) if item.depth > 0 => p.push(item.clone()),
            _ => parts.push(vec![item.clone()]),
        }
    }
    parts
}

#[cfg(test)]
mod tests {
    use super::super::test_support::article;
    use super::*;

    fn texts(a: &Article) -> (Vec<String>, Vec<String>) {
        let (e, c) = conditions(a);
        (e, c.into_iter().map(|c| c.question).collect())
    }

    /// The quick rule-out in `after_cue` holds only while every cue holds a cue word.
    #[test]
    fn every_cue_holds_a_cue_word() {
        for cue in CUES {
            assert!(CUE_WORDS.iter().any(|w| cue.contains(w)), "{cue:?}");
        }
    }

    #[test]
    fn a_bare_or_splits_only_between_clauses() {
        assert_eq!(
            split_or("the files are missing or damaged, or the wrong version is installed"),
            [
                "the files are missing or damaged",
                "the wrong version is installed"
            ]
        );
        assert_eq!(
            split_or("you use Word, or Excel"),
            ["you use Word, or Excel"]
        );
    }

    #[test]
    fn prose_causes_split_by_cues() {
        let a = article(
            "",
            &[(
                "CAUSE",
                "This problem can occur when you are using the wrong version of Import.exe.\n\
                 The problem can also occur when you are using the correct versions of the\n\
                 files, but the wrong versions are selected in the properties of the connector.",
            )],
        );
        let (_, q) = texts(&a);
        assert_eq!(
            q,
            [
                "Are you using the wrong version of Import.exe?",
                "Are the wrong versions selected in the properties of the connector?"
            ]
        );
    }

    #[test]
    fn listed_causes_and_or_alternatives() {
        let a = article(
            "",
            &[(
                "CAUSE",
                "This can happen for either reason:\n\n - The fax software is not set up properly.\n\n   -or-\n\n - The fax software is not installed.",
            )],
        );
        let (_, q) = texts(&a);
        assert_eq!(
            q,
            [
                "Is the fax software not set up properly?",
                "Is the fax software not installed?"
            ]
        );
        let b = article(
            "",
            &[(
                "CAUSE",
                "Your password has expired.\n\n-or-\n\nYour account is disabled.",
            )],
        );
        let (_, q) = texts(&b);
        assert_eq!(
            q,
            ["Has your password expired?", "Is your account disabled?"]
        );
    }

    #[test]
    fn defects_are_explained_not_asked() {
        let a = article(
            "",
            &[(
                "CAUSE",
                "The driver incorrectly frees the buffer twice. This causes a fault.",
            )],
        );
        let (e, q) = texts(&a);
        assert!(q.is_empty());
        assert_eq!(e, ["The driver incorrectly frees the buffer twice."]);
    }

    #[test]
    fn symptoms_conditions_and_example_paths() {
        let a = article(
            "",
            &[(
                "SYMPTOMS",
                "The service stops. This problem occurs if the disk is full or if the \
                 log file is set to read-only.",
            )],
        );
        let (_, q) = texts(&a);
        assert_eq!(
            q,
            ["Is the disk full?", "Is the log file set to read-only?"]
        );
        assert!(!plausible("C:\\Program Files\\exchsrvr\\ccmcdata"));
    }

    #[test]
    fn causes_pair_with_their_fix() {
        let a = article(
            "",
            &[
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
        let d = super::super::diagnose(&a);
        assert_eq!(d.causes[0].fix[0].text, "Print to an active port.");
        assert_eq!(d.causes[1].fix[0].text, "Use MODE to set the speed.");
        assert!(d.fixes[0].distributed);
    }
}
