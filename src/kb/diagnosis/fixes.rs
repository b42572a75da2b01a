//! Every way out an article gives, in order: RESOLUTION, WORKAROUND, a STATUS that names the
//! release correcting the problem, and the MORE INFORMATION procedure the fix points to;
//! each split into its branches ("If you ...", "Method 1", "-or-").

use super::branches::branched;
use super::causes::sentences;
use super::items::{FixItem, ItemKind, list_end, section_items};
use super::{Fix, FixKind, section};
use crate::kb::Article;

/// The fixes, in the order to try them.
pub fn fixes(article: &Article) -> Vec<Fix> {
    let mut out = Vec::new();
    for (word, kind) in [
        ("RESOLUTION", FixKind::Resolution),
        ("WORKAROUND", FixKind::Workaround),
    ] {
        if let Some(s) = section(article, word) {
            let items = section_items(s);
            if !items.is_empty() {
                out.push(branched(kind, &s.heading, items));
            }
        }
    }
    if let Some(fix) = status_fix(article) {
        out.push(fix);
    }
    if let Some(fix) = procedure(article, &out) {
        out.push(fix);
    }
    out
}

/// Why an article with no fix has none, in a sentence.
pub fn no_fix_reason(article: &Article) -> String {
    let status = section(article, "STATUS")
        .and_then(|s| section_items(s).into_iter().next())
        .and_then(|i| sentences(&i.text).into_iter().next());
    match status {
        Some(s) => format!("{} gives no fix or workaround. {s}", article.id),
        None => format!("{} gives no fix or workaround.", article.id),
    }
}

/// STATUS naming the release that corrects the problem, as something to do.
fn status_fix(article: &Article) -> Option<Fix> {
    let s = section(article, "STATUS")?;
    let text = section_items(s)
        .into_iter()
        .filter(|i| i.kind == ItemKind::Text)
        .map(|i| i.text)
        .collect::<Vec<_>>()
        .join(" ");
    let sentence = sentences(&text).into_iter().find(|s| {
        let l = s.to_lowercase();
        ["corrected in", "fixed in", "resolved in"]
            .iter()
            .any(|w| l.contains(w))
    })?;
    let lower = sentence.to_lowercase();
    let at = ["corrected in ", "fixed in ", "resolved in "]
        .iter()
        .filter_map(|w| lower.find(w).map(|i| i + w.len()))
        .min()?;
    let target = sentence.get(at..)?.trim_end_matches('.').trim();
    let target = target.strip_prefix("the ").unwrap_or(target);
    let update = ["service pack", "hotfix", "update", "patch", "fix", "sp"]
        .iter()
        .any(|w| target.to_lowercase().contains(w));
    let action = if update {
        format!("Install {target} (this problem was corrected there).")
    } else {
        format!("Upgrade to {target}: this problem was corrected there.")
    };
    Some(Fix {
        kind: FixKind::Status,
        heading: s.heading.clone(),
        intro: vec![FixItem::text(action), FixItem::text(sentence.clone())],
        branches: Vec::new(),
        question: None,
        ordered: false,
        choose_first: false,
        outro: Vec::new(),
        distributed: false,
    })
}

/// Cues in a fix that point below it.
const POINTERS: &[&str] = &[
    "more information section",
    "described below",
    "mentioned below",
    "listed below",
    "shown below",
    "see below",
    "explained below",
    "following procedure",
    "steps below",
    "procedure below",
    "as follows below",
];

/// The procedure under MORE INFORMATION that the fix points to, or that says it corrects
/// the problem, or (with no other fix) the first one there.
fn procedure(article: &Article, fixes: &[Fix]) -> Option<Fix> {
    let s = section(article, "MORE INFORMATION")?;
    let fix_text: String = fixes
        .iter()
        .flat_map(|f| f.all_items())
        .map(|i| i.text.to_lowercase())
        .collect::<Vec<_>>()
        .join(" ");
    let items = section_items(s);
    let pointed = POINTERS.iter().any(|p| fix_text.contains(p));
    let (lead, end) = procedures(&items).into_iter().find(|&(lead, _)| {
        let l = items[lead].text.to_lowercase();
        pointed
            || fixes.is_empty()
            || ["correct", "resolve", "fix", "work around", "workaround"]
                .iter()
                .any(|w| l.contains(w))
            || names_it(&fix_text, &l)
    })?;
    Some(Fix {
        kind: FixKind::Procedure,
        heading: s.heading.clone(),
        intro: items[lead..end].to_vec(),
        branches: Vec::new(),
        question: None,
        ordered: false,
        choose_first: false,
        outro: Vec::new(),
        distributed: false,
    })
}

/// Whether the fix names what a "To increase virtual memory:" lead-in does.
fn names_it(fix_text: &str, lead: &str) -> bool {
    let Some(goal) = lead.strip_prefix("to ") else {
        return false;
    };
    let words: Vec<&str> = goal
        .trim_end_matches(':')
        .split_whitespace()
        .filter(|w| w.len() > 3)
        .collect();
    words.len() >= 2 && words.iter().all(|w| fix_text.contains(w))
}

/// Lead-in paragraphs (ending with ':') followed by numbered steps: (lead, end of steps).
/// "Steps to reproduce" lists are not procedures that fix anything.
fn procedures(items: &[FixItem]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    for at in 1..items.len() {
        let lead = &items[at - 1];
        let lower = lead.text.to_lowercase();
        if items[at].kind == ItemKind::Step
            && items[at].depth == 0
            && lead.kind == ItemKind::Text
            && lead.text.ends_with(':')
            && !lower.contains("reproduce")
        {
            out.push((at - 1, list_end(items, at)));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::test_support::article;
    use super::*;

    const DB: &str = "If you are connecting to a cc:Mail DB6 post office, run Import 5.15.\n\n\
        If you are connecting to a cc:Mail DB8 post office, run Import 6.0.\n\n\
        To select a version, follow these steps:\n\n\
        1. Start the program.\n\n2. Open the properties.\n\n3. Select the version.";

    #[test]
    fn if_paragraphs_become_branches_with_a_shared_outro() {
        let a = article("", &[("RESOLUTION", DB)]);
        let f = &fixes(&a)[0];
        let labels: Vec<&str> = f.branches.iter().map(|b| b.label.as_str()).collect();
        assert_eq!(labels, ["DB6", "DB8"]);
        assert_eq!(
            f.question.as_deref(),
            Some("Which applies to you: you are connecting to a cc:Mail … post office?")
        );
        let items = f.branch_items(1);
        assert!(items[0].text.contains("DB8"));
        let steps: Vec<Option<u32>> = items
            .iter()
            .filter(|i| i.kind == ItemKind::Step)
            .map(|i| i.number)
            .collect();
        assert_eq!(steps, [Some(1), Some(2), Some(3)]);
        assert!(!items.iter().any(|i| i.text.contains("DB6")));
        let all = f.all_items();
        assert_eq!(
            all.iter().filter(|i| i.kind == ItemKind::Heading).count(),
            2
        );
    }

    #[test]
    fn methods_and_or_alternatives() {
        let a = article(
            "",
            &[(
                "WORKAROUND",
                "Method 1: Use the menu\n\nClick Tools.\n\nMethod 2: Use the keyboard\n\nPress F2.",
            )],
        );
        let f = &fixes(&a)[0];
        assert_eq!(f.branches.len(), 2);
        assert_eq!(f.branches[1].items.len(), 2);
        let b = article(
            "",
            &[(
                "RESOLUTION",
                "Do one of these:\n\nRestart the server.\n\n-or-\n\nStop the service.",
            )],
        );
        let f = &fixes(&b)[0];
        assert_eq!(f.intro[0].text, "Do one of these:");
        assert_eq!(f.branches.len(), 2);
        assert_eq!(f.branches[1].items[0].text, "Stop the service.");
    }

    #[test]
    fn outcome_ifs_are_not_branches() {
        let a = article(
            "",
            &[(
                "RESOLUTION",
                "Reinstall it.\n\nIf the problem persists, call us.\n\nIf you are prompted, click OK.",
            )],
        );
        assert!(fixes(&a)[0].branches.is_empty());
    }

    #[test]
    fn status_and_procedure_follow_the_fix() {
        let a = article(
            "",
            &[
                ("WORKAROUND", "Increase the virtual memory settings."),
                (
                    "STATUS",
                    "Microsoft has confirmed this to be a problem. This problem was \
                     corrected in Windows NT 4.0 Service Pack 4.",
                ),
                (
                    "MORE INFORMATION",
                    "To increase virtual memory:\n\n1. Open Control Panel.\n\n2. Click Change.",
                ),
            ],
        );
        let f = fixes(&a);
        let kinds: Vec<FixKind> = f.iter().map(|f| f.kind).collect();
        assert_eq!(
            kinds,
            [FixKind::Workaround, FixKind::Status, FixKind::Procedure]
        );
        assert_eq!(
            f[1].intro[0].text,
            "Install Windows NT 4.0 Service Pack 4 (this problem was corrected there)."
        );
        assert_eq!(f[2].intro.len(), 3);
        let b = article(
            "",
            &[(
                "STATUS",
                "This problem was corrected in Visual C++ version 6.0 for Windows.",
            )],
        );
        assert!(
            fixes(&b)[0].intro[0]
                .text
                .starts_with("Upgrade to Visual C++ version 6.0")
        );
    }
}
