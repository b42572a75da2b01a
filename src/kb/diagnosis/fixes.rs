//! Every way out an article gives, in order: RESOLUTION, WORKAROUND, a STATUS that names the
//! release correcting the problem, and the MORE INFORMATION procedure the fix points to;
//! each split into its branches ("If you ...", "Method 1", "-or-").

use super::causes::sentences;
use super::items::{FixItem, ItemKind, list_end, section_items};
use super::{Branch, Fix, FixKind, section};
use crate::kb::Article;

/// Longest branch label before it is cut, in characters.
const LABEL_CHARS: usize = 120;
/// Conditions that are about the outcome, not the user's setup ("If the problem persists").
const OUTCOME_IFS: &[&str] = &[
    "persist",
    "does not work",
    "doesn't work",
    "did not",
    "still",
    "prompted",
    "continue",
    "this does not",
    "that does not",
    "not resolve",
    "not fix",
    "want more information",
    "need more information",
    "succeed",
    "fails again",
    "unsuccessful",
];

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

/// A section's items as a fix, split into branches when it has them.
fn branched(kind: FixKind, heading: &str, items: Vec<FixItem>) -> Fix {
    let mut fix = Fix {
        kind,
        heading: heading.to_string(),
        intro: Vec::new(),
        branches: Vec::new(),
        question: None,
        outro: Vec::new(),
        distributed: false,
    };
    let starts = method_starts(&items)
        .or_else(|| heading_starts(&items))
        .or_else(|| if_starts(&items))
        .or_else(|| or_groups(&items));
    match starts {
        Some(split) => {
            fix.intro = items[..split.bounds[0].0].to_vec();
            let last_end = split.bounds.last().map_or(0, |b| b.1);
            fix.outro = items[last_end..].to_vec();
            fix.branches = labelled(&items, &split);
            fix.question = Some(split.question);
        }
        None => fix.intro = items,
    }
    fix
}

/// Where branches start and end, and how they are asked.
struct Split {
    bounds: Vec<(usize, usize)>,
    labels: Vec<String>,
    question: String,
}

/// The condition of an "If you ..., ..." paragraph or bullet, when it is about the setup.
fn if_condition(text: &str) -> Option<String> {
    let rest = text.strip_prefix("If ")?;
    // A colon inside a word ("cc:Mail") does not end the condition.
    let end = [
        rest.find(", "),
        rest.find(": "),
        rest.strip_suffix(':').map(str::len),
    ]
    .into_iter()
    .flatten()
    .min()
    .filter(|&i| i > 0)?;
    let cond = &rest[..end];
    let lower = cond.to_lowercase();
    if OUTCOME_IFS.iter().any(|w| lower.contains(w)) || cond.split_whitespace().count() < 2 {
        return None;
    }
    Some(cond.trim().to_string())
}

/// Branches at two or more "If ..." paragraphs (or bullets of one list): each runs to the
/// next; the last takes the list it introduces (it ends with ':'), the rest is the outro.
fn if_starts(items: &[FixItem]) -> Option<Split> {
    let starts: Vec<(usize, String)> = items
        .iter()
        .enumerate()
        .filter(|(_, i)| i.depth == 0 && matches!(i.kind, ItemKind::Text | ItemKind::Bullet))
        .filter_map(|(n, i)| if_condition(&i.text).map(|c| (n, c)))
        .collect();
    if starts.len() < 2 {
        return None;
    }
    let mut bounds = Vec::new();
    for (k, (at, _)) in starts.iter().enumerate() {
        let end = match starts.get(k + 1) {
            Some((next, _)) => *next,
            None => last_branch_end(items, *at),
        };
        bounds.push((*at, end));
    }
    let labels: Vec<String> = starts.into_iter().map(|(_, c)| c).collect();
    Some(Split {
        question: branch_question(&labels),
        bounds,
        labels,
    })
}

/// The end of the last "If" branch: its paragraph, the list it introduces, or (for a
/// bullet) the rest of its list item's nesting.
fn last_branch_end(items: &[FixItem], at: usize) -> usize {
    let item = &items[at];
    let mut end = at + 1;
    if item.kind == ItemKind::Bullet {
        while end < items.len() && items[end].depth > 0 {
            end += 1;
        }
        return end;
    }
    if item.text.ends_with(':') && end < items.len() && items[end].kind != ItemKind::Text {
        end = list_end(items, end);
    }
    end
}

/// Branches at "Method 1", "Method 2" ... headings, each running to the next.
fn method_starts(items: &[FixItem]) -> Option<Split> {
    let starts: Vec<usize> = items
        .iter()
        .enumerate()
        .filter(|(_, i)| {
            i.depth == 0
                && matches!(i.kind, ItemKind::Text | ItemKind::Heading)
                && is_method(&i.text)
        })
        .map(|(n, _)| n)
        .collect();
    split_at(
        items,
        &starts,
        "The article gives several methods. Which one do you want to try?",
    )
}

/// Branches starting at each of `starts` (two or more), each running to the next, labelled
/// by its first item.
fn split_at(items: &[FixItem], starts: &[usize], question: &str) -> Option<Split> {
    if starts.len() < 2 {
        return None;
    }
    let bounds: Vec<(usize, usize)> = starts
        .iter()
        .enumerate()
        .map(|(k, &at)| (at, starts.get(k + 1).copied().unwrap_or(items.len())))
        .collect();
    let labels = starts.iter().map(|&at| cut(&items[at].text)).collect();
    Some(Split {
        bounds,
        labels,
        question: question.into(),
    })
}

fn is_method(text: &str) -> bool {
    let lower = text.to_lowercase();
    const NUMBERS: &[&str] = &["one", "two", "three", "four", "five", "six", "a:", "b:"];
    ["method ", "option ", "solution ", "workaround "]
        .iter()
        .any(|w| {
            lower.strip_prefix(w).is_some_and(|r| {
                r.starts_with(|c: char| c.is_ascii_digit())
                    || NUMBERS.iter().any(|n| r.starts_with(n))
            })
        })
}

/// Branches at two or more sub-headings of the section (per platform, per version, per
/// method), each running to the next; what precedes the first is the intro.
fn heading_starts(items: &[FixItem]) -> Option<Split> {
    let starts: Vec<usize> = items
        .iter()
        .enumerate()
        .filter(|(_, i)| i.depth == 0 && i.kind == ItemKind::Heading)
        .map(|(n, _)| n)
        .collect();
    split_at(
        items,
        &starts,
        "The article gives these alternatives. Which one applies to you, or do you want to \
         try first?",
    )
}

/// Alternatives separated by "-or-" paragraphs: the unit before each separator and the one
/// after the last (a paragraph with the list it introduces, or a list).
fn or_groups(items: &[FixItem]) -> Option<Split> {
    let seps: Vec<usize> = items
        .iter()
        .enumerate()
        .filter(|(_, i)| is_or(&i.text))
        .map(|(n, _)| n)
        .collect();
    if seps.is_empty() {
        return None;
    }
    let mut bounds = Vec::new();
    let mut start = unit_start(items, seps[0]);
    for &sep in &seps {
        if sep > start {
            bounds.push((start, sep));
        }
        start = sep + 1;
    }
    if start < items.len() {
        bounds.push((start, unit_end(items, start)));
    }
    if bounds.len() < 2 {
        return None;
    }
    // The separators themselves are dropped: each branch ends before its separator.
    let labels = bounds.iter().map(|&(a, _)| cut(&items[a].text)).collect();
    Some(Split {
        bounds,
        labels,
        question: "The article gives alternatives. Which one do you want to try?".into(),
    })
}

fn is_or(text: &str) -> bool {
    text.trim()
        .trim_matches('-')
        .trim()
        .eq_ignore_ascii_case("or")
}

/// The start of the unit that ends right before `sep`.
fn unit_start(items: &[FixItem], sep: usize) -> usize {
    let mut at = sep.saturating_sub(1);
    while at > 0 && items[at].kind != ItemKind::Text && items[at - 1].kind != ItemKind::Text {
        at -= 1;
    }
    if at > 0 && items[at].kind != ItemKind::Text && items[at - 1].text.ends_with(':') {
        at -= 1;
    }
    at
}

/// The end of the unit that starts at `at`.
fn unit_end(items: &[FixItem], at: usize) -> usize {
    if items[at].kind == ItemKind::Text {
        if items[at].text.ends_with(':') && at + 1 < items.len() {
            return list_end(items, at + 1);
        }
        return at + 1;
    }
    list_end(items, at)
}

/// Branches with their labels: the part that differs among the conditions when they
/// share words around it ("DB6" / "DB8"), with the whole condition as detail.
fn labelled(items: &[FixItem], split: &Split) -> Vec<Branch> {
    let short = short_labels(&split.labels);
    split
        .bounds
        .iter()
        .enumerate()
        .map(|(k, &(a, b))| {
            let whole = capitalise(&cut(&split.labels[k]));
            let (label, detail) = match &short {
                Some(s) => (s[k].clone(), whole),
                None => (whole, String::new()),
            };
            Branch {
                label,
                detail,
                items: items[a..b.max(a)]
                    .iter()
                    .filter(|i| !is_or(&i.text))
                    .cloned()
                    .collect(),
            }
        })
        .collect()
}

/// The differing words of labels that share a prefix or suffix, when each is short.
fn short_labels(labels: &[String]) -> Option<Vec<String>> {
    let words: Vec<Vec<&str>> = labels
        .iter()
        .map(|l| l.split_whitespace().collect())
        .collect();
    let min = words.iter().map(Vec::len).min()?;
    let at = |i: usize| words.iter().all(|w| w[i] == words[0][i]);
    let from_end = |i: usize| {
        words
            .iter()
            .all(|w| w[w.len() - 1 - i] == words[0][words[0].len() - 1 - i])
    };
    let pre = (0..min).take_while(|&i| at(i)).count();
    let suf = (0..min - pre).take_while(|&i| from_end(i)).count();
    if pre + suf < 2 {
        return None;
    }
    let diffs: Vec<String> = words
        .iter()
        .map(|w| w[pre..w.len() - suf].join(" "))
        .collect();
    let ok = diffs
        .iter()
        .all(|d| !d.is_empty() && d.split(' ').count() <= 5);
    let distinct = diffs
        .iter()
        .enumerate()
        .all(|(i, d)| !diffs[..i].contains(d));
    (ok && distinct).then(|| diffs.iter().map(|d| capitalise(d)).collect())
}

/// "Which of these applies to you?" or, for labels sharing words, the shared frame.
fn branch_question(labels: &[String]) -> String {
    let words: Vec<&str> = labels[0].split_whitespace().collect();
    match short_labels(labels) {
        Some(short) => {
            let first: Vec<&str> = short[0].split_whitespace().collect();
            let pre = words
                .iter()
                .position(|w| first.first().is_some_and(|f| f.eq_ignore_ascii_case(w)))
                .unwrap_or(0);
            let suf = words.len().saturating_sub(pre + first.len());
            let frame = format!(
                "{} … {}",
                words[..pre].join(" "),
                words[words.len() - suf..].join(" ")
            );
            format!("Which applies to you: {}?", frame.trim())
        }
        None => "Which of these applies to you?".into(),
    }
}

fn cut(text: &str) -> String {
    if text.chars().count() <= LABEL_CHARS {
        return text.trim_end_matches([':', '.']).to_string();
    }
    let mut out: String = text.chars().take(LABEL_CHARS).collect();
    if let Some(i) = out.rfind(' ') {
        out.truncate(i);
    }
    out + " …"
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
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
