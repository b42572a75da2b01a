//! Splitting a fix into the branches it offers ("If you ...", "Method 1", sub-headings,
//! "-or-" alternatives), each with a short label, and the question that asks which applies.

use super::items::{FixItem, ItemKind, list_end};
use super::{Branch, Fix, FixKind};

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
    "impractical",
    "not practical",
    "not possible",
];

/// A section's items as a fix, split into branches when it has them.
pub(super) fn branched(kind: FixKind, heading: &str, items: Vec<FixItem>) -> Fix {
    let mut fix = Fix {
        kind,
        heading: heading.to_string(),
        intro: Vec::new(),
        branches: Vec::new(),
        question: None,
        ordered: false,
        choose_first: false,
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
            fix.ordered = split.ordered;
            fix.choose_first = split.choose_first;
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
    /// Methods or alternatives to try in turn, not conditions to choose among.
    ordered: bool,
    /// Ordered, but each names its situation: asked first.
    choose_first: bool,
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
        ordered: false,
        choose_first: false,
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
    let mut split = split_at(
        items,
        &starts,
        "The article gives several methods. Which one applies to you?",
    )?;
    // Methods are tried in the article's order; "Method 1: If you use Windows 95" /
    // "Method 2: If you use Windows NT" name their situations, so which applies is asked
    // first, and the others still follow on "not fixed".
    split.ordered = true;
    split.choose_first = conditional(&split.labels);
    Some(split)
}

/// Whether most labels state a condition on the user's setup ("If you use ...", "For
/// Windows NT", "On a domain controller") rather than name a method.
fn conditional(labels: &[String]) -> bool {
    const CONDITIONS: &[&str] = &[" if ", " for ", " on ", " when ", " using ", " with "];
    let conditional = labels
        .iter()
        .filter(|l| {
            let l = format!(" {} ", l.to_lowercase().replace(':', " "));
            CONDITIONS.iter().any(|c| l.contains(c))
        })
        .count();
    conditional * 2 > labels.len()
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
        ordered: false,
        choose_first: false,
    })
}

fn is_method(text: &str) -> bool {
    let lower = text.to_lowercase();
    const NUMBERS: &[&str] = &["one", "two", "three", "four", "five", "six", "a:", "b:"];
    // "Methods One" is a typo the archive has; it still names the first method.
    ["method ", "methods ", "option ", "solution ", "workaround "]
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
    let mut split = split_at(items, &starts, "Which of these applies to you?")?;
    // Sub-headings that name methods are tried in order; per-platform or per-version
    // headings are asked.
    split.ordered = split.labels.iter().all(|l| is_method(l));
    split.choose_first = split.ordered && conditional(&split.labels);
    Some(split)
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
    // "-or-" before a citation joins two ways to read about one fix ("obtain the latest
    // service pack -or- Q152734 How to Obtain ..."), not two fixes.
    let cites = |&(a, b): &(usize, usize)| {
        items[a..b].iter().all(|i| {
            let t = i.text.trim_start();
            is_or(t) || (t.starts_with('Q') && t[1..].starts_with(|c: char| c.is_ascii_digit()))
        })
    };
    if bounds.iter().any(cites) {
        return None;
    }
    // The separators themselves are dropped: each branch ends before its separator.
    let labels = bounds
        .iter()
        .map(|&(a, b)| cut(&label_text(&items[a..b])))
        .collect();
    Some(Split {
        bounds,
        labels,
        question: "The article gives alternatives. Which one do you want to try?".into(),
        ordered: true,
        choose_first: false,
    })
}

/// The text that names a unit: its first item, unless that is only a lead-in ("To work
/// around this problem, do one of the following:"), then the item it introduces.
fn label_text(unit: &[FixItem]) -> String {
    let lead_in = |t: &str| {
        let l = t.to_lowercase();
        t.ends_with(':') && (l.contains("following") || l.contains("one of") || l.len() < 60)
    };
    let text = unit
        .iter()
        .map(|i| i.text.as_str())
        .find(|t| !lead_in(t) && !is_or(t))
        .or_else(|| unit.first().map(|i| i.text.as_str()))
        .unwrap_or_default();
    without_purpose(text)
}

/// A label without the purpose it opens with: "To fix this problem, you need a disk
/// editor" as "You need a disk editor"; "To resolve this issue in MSN 2.6, reinstall" as
/// "In MSN 2.6: reinstall"; a heading "To Resolve the Issue if It Occurred" as "If It
/// Occurred".
fn without_purpose(text: &str) -> String {
    let lower = text.to_lowercase();
    let purposes = [
        "to resolve",
        "to fix",
        "to correct",
        "to work around",
        "to avoid",
    ];
    let Some(p) = purposes.iter().find(|p| lower.starts_with(*p)) else {
        return text.to_string();
    };
    let (head, action) = match text.split_once(", ") {
        Some((h, a)) => (h, a),
        None => (text, ""),
    };
    // The words after "to resolve this issue": a condition, when there are any.
    let rest = head[p.len()..].trim_start();
    let rest = ["this ", "the "]
        .iter()
        .find_map(|d| {
            rest.strip_prefix(d)
                .or_else(|| rest.strip_prefix(&capitalise(d)))
        })
        .map(|r| r.split_once(' ').map_or("", |(_, after)| after))
        .unwrap_or(rest);
    match (rest.is_empty(), action.is_empty()) {
        (_, true) if !rest.is_empty() => capitalise(rest),
        (true, false) => capitalise(action),
        (false, false) => format!("{}: {action}", capitalise(rest)),
        _ => text.to_string(),
    }
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
            let whole = capitalise(&cut(&without_purpose(&split.labels[k])));
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
    // A difference that opens or closes on a joining word ("or Workstation 4.0") cut
    // through a phrase, not between alternatives.
    const JOINS: &[&str] = &["or", "and", "of", "for", "with", "to", "in", "on"];
    let ok = diffs.iter().all(|d| {
        let first = d.split(' ').next().unwrap_or("").to_lowercase();
        let last = d.rsplit(' ').next().unwrap_or("").to_lowercase();
        !d.is_empty()
            && d.split(' ').count() <= 5
            && !JOINS.contains(&first.as_str())
            && !JOINS.contains(&last.as_str())
            && !d.starts_with([',', ';'])
    });
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
            let frame = frame.trim().trim_end_matches([':', ',']);
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_lose_the_purpose_they_open_with() {
        for (text, want) in [
            (
                "To fix this problem, you need a disk editor",
                "You need a disk editor",
            ),
            (
                "To resolve this issue in MSN 2.6, reinstall MSN",
                "In MSN 2.6: reinstall MSN",
            ),
            (
                "To Resolve the Issue if the Problem Has Occurred",
                "If the Problem Has Occurred",
            ),
            ("Method 1", "Method 1"),
            (
                "If you use a modem, turn it off",
                "If you use a modem, turn it off",
            ),
        ] {
            assert_eq!(without_purpose(text), want, "{text}");
        }
    }
}
