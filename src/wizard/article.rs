//! Reading an article the way the wizard walks it: its symptom in a line or two, the
//! causes it lists, and its fix as a checklist. Pure: articles in, text out.

use crate::kb::{self, Article, ArticleId, Block, Item, Section};
use serde::{Deserialize, Serialize};

/// Longest symptom summary shown beside a candidate, in characters.
const SYMPTOM_CHARS: usize = 240;

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

/// One cause an article lists.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cause {
    /// Its position in the article's list, from 0.
    pub index: usize,
    /// The cause as the article words it (without any fix text that follows it).
    pub text: String,
    /// The fix the article gives right after this cause, when it gives one.
    pub fix: Option<String>,
}

/// What a checklist item is in the article.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemKind {
    /// A numbered step.
    Step,
    /// A bulleted item.
    Bullet,
    /// Running text between or around the lists.
    Text,
}

/// One item of a fix's checklist.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChecklistItem {
    /// Step, bullet or text.
    pub kind: ItemKind,
    /// The step's number, for steps.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub number: Option<usize>,
    /// The text, unwrapped.
    pub text: String,
}

fn section<'a>(article: &'a Article, word: &str) -> Option<&'a Section> {
    article.sections.iter().find(|s| s.heading.contains(word))
}

/// The article's symptom in one or two sentences: the start of SYMPTOMS, else of the first
/// section.
pub fn symptom(article: &Article) -> String {
    let Some(s) = section(article, "SYMPTOM").or(article.sections.first()) else {
        return String::new();
    };
    let first = s
        .blocks
        .iter()
        .find_map(|b| match b {
            Block::Paragraph { text } => Some(text.clone()),
            Block::Steps { items, .. } | Block::Bullets { items } => {
                items.first().map(Item::full_text)
            }
            Block::Heading { .. } | Block::Preformatted { .. } => None,
        })
        .unwrap_or_default();
    let mut out = String::new();
    for (i, sentence) in sentences(&first).into_iter().enumerate() {
        if i == 2 || (i > 0 && out.len() + sentence.len() > SYMPTOM_CHARS) {
            break;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(sentence);
    }
    if out.chars().count() > SYMPTOM_CHARS {
        out = out.chars().take(SYMPTOM_CHARS - 1).collect::<String>() + "…";
    }
    out
}

/// Cuts running text after each `. `, `? ` or `! ` that ends a sentence.
fn sentences(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let bytes = text.as_bytes();
    for i in 0..bytes.len() {
        let ends = matches!(bytes[i], b'.' | b'?' | b'!')
            && bytes.get(i + 1) == Some(&b' ')
            && bytes.get(i + 2).is_some_and(|b| b.is_ascii_uppercase());
        if ends {
            out.push(text[start..=i].trim());
            start = i + 1;
        }
    }
    let rest = text[start..].trim();
    if !rest.is_empty() {
        out.push(rest);
    }
    out
}

/// The causes an article lists: the items of the first list in CAUSE (or, without a CAUSE
/// section, a list that SYMPTOMS or MORE INFORMATION introduces as causes), or the
/// paragraphs after a prose lead-in such as "any of the following conditions are true:".
/// Fewer than two means the article names no choice of causes.
pub fn causes(article: &Article) -> Vec<Cause> {
    if let Some(s) = section(article, "CAUSE") {
        return listed_causes(s, true);
    }
    for word in ["SYMPTOM", "MORE INFORMATION"] {
        if let Some(s) = section(article, word) {
            let found = listed_causes(s, false);
            if found.len() >= 2 {
                return found;
            }
        }
    }
    Vec::new()
}

/// Whether a lead-in sentence introduces causes (outside CAUSE, lists are often steps).
fn introduces_causes(lead: &str) -> bool {
    let l = lead.to_lowercase();
    [
        "cause",
        "occur",
        "happen",
        "following condition",
        "if any of",
        "reason",
    ]
    .iter()
    .any(|w| l.contains(w))
}

fn listed_causes(s: &Section, in_cause_section: bool) -> Vec<Cause> {
    let mut lead = String::new();
    for (at, block) in s.blocks.iter().enumerate() {
        match block {
            Block::Steps { items, .. } | Block::Bullets { items }
                if items.len() >= 2 && (in_cause_section || introduces_causes(&lead)) =>
            {
                return items
                    .iter()
                    .enumerate()
                    .map(|(index, item)| split_fix(index, &item.full_text()))
                    .collect();
            }
            Block::Paragraph { text: p } => {
                // A lead-in ending with ':' and naming "the following" introduces the
                // paragraphs after it as the list, when the article wrote them as prose.
                if p.ends_with(':')
                    && p.to_lowercase().contains("following")
                    && (in_cause_section || introduces_causes(p))
                {
                    let items: Vec<&str> = s.blocks[at + 1..]
                        .iter()
                        .map_while(|b| match b {
                            Block::Paragraph { text } => Some(text.as_str()),
                            _ => None,
                        })
                        .take_while(|p| !p.starts_with("NOTE"))
                        .collect();
                    if items.len() >= 2 {
                        return items
                            .into_iter()
                            .enumerate()
                            .map(|(index, item)| split_fix(index, item))
                            .collect();
                    }
                }
                lead = p.clone();
            }
            _ => {}
        }
    }
    Vec::new()
}

/// Splits "cause. To resolve this, do X." into the cause and its own fix.
fn split_fix(index: usize, item: &str) -> Cause {
    let lower = item.to_lowercase();
    let at = FIX_STARTS
        .iter()
        .filter_map(|w| {
            lower
                .match_indices(w)
                .map(|(i, _)| i)
                .find(|&i| i > 0 && (lower[..i].ends_with(". ") || lower[..i].ends_with(".  ")))
        })
        .min();
    match at {
        Some(i) => Cause {
            index,
            text: item[..i].trim().to_string(),
            fix: Some(item[i..].trim().to_string()),
        },
        None => Cause {
            index,
            text: item.trim().to_string(),
            fix: None,
        },
    }
}

/// The fix as a checklist: RESOLUTION, else WORKAROUND, else MORE INFORMATION, each
/// numbered step, bullet and paragraph in order, with the section's heading. `None` when
/// the article has none of those sections.
pub fn resolution_checklist(article: &Article) -> Option<(String, Vec<ChecklistItem>)> {
    let s = ["RESOLUTION", "WORKAROUND", "MORE INFORMATION"]
        .iter()
        .find_map(|w| section(article, w))?;
    let mut items = Vec::new();
    for block in &s.blocks {
        match block {
            Block::Paragraph { .. } | Block::Heading { .. } | Block::Preformatted { .. } => items
                .push(ChecklistItem {
                    kind: ItemKind::Text,
                    number: None,
                    text: block.plain_text(),
                }),
            Block::Steps { items: steps, .. } => {
                items.extend(steps.iter().enumerate().map(|(i, step)| ChecklistItem {
                    kind: ItemKind::Step,
                    number: Some(step.number.map_or(i + 1, |n| n as usize)),
                    text: step.full_text(),
                }))
            }
            Block::Bullets { items: bullets } => {
                items.extend(bullets.iter().map(|b| ChecklistItem {
                    kind: ItemKind::Bullet,
                    number: None,
                    text: b.full_text(),
                }))
            }
        }
    }
    Some((s.heading.clone(), items))
}

/// The articles cited in or right after a sentence saying to troubleshoot this problem
/// "in the same way" as another: the KB's own "if this does not help, go there".
pub fn same_way_citations(article: &Article) -> Vec<ArticleId> {
    let mut out = Vec::new();
    for s in &article.sections {
        let paras: Vec<&str> = s.text.split("\n\n").collect();
        for (i, p) in paras.iter().enumerate() {
            let flat = p.split_whitespace().collect::<Vec<_>>().join(" ");
            if !flat.to_lowercase().contains("same way") {
                continue;
            }
            for q in paras[i..].iter().take(2) {
                for (_, id) in kb::citations(q) {
                    if id != article.id && !out.contains(&id) {
                        out.push(id);
                    }
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str) -> Vec<Block> {
        s.split("\n\n")
            .map(|p| Block::Paragraph { text: p.into() })
            .collect()
    }

    fn bullet_list(items: &[&str]) -> Vec<Item> {
        let mut items = list(items);
        for i in &mut items {
            i.number = None;
        }
        items
    }

    fn list(items: &[&str]) -> Vec<Item> {
        items
            .iter()
            .enumerate()
            .map(|(i, t)| Item {
                number: Some(i as u32 + 1),
                text: (*t).into(),
                blocks: vec![],
            })
            .collect()
    }

    fn article(sections: Vec<(&str, &str, Vec<Block>)>) -> Article {
        Article {
            id: ArticleId(1),
            title: "T".into(),
            date: "1999-01-01".into(),
            category: "c".into(),
            product: String::new(),
            versions: String::new(),
            os: String::new(),
            keywords: vec![],
            applies_to: vec![],
            sections: sections
                .into_iter()
                .map(|(h, t, blocks)| Section {
                    heading: h.into(),
                    text: t.into(),
                    blocks,
                })
                .collect(),
            references: vec![],
            events: vec![],
            query_words: vec![],
            technology: vec![],
            issue_type: None,
            trailer: vec![],
        }
    }

    #[test]
    fn causes_from_a_cause_list_with_their_own_fixes() {
        let a = article(vec![(
            "CAUSE",
            "",
            vec![
                Block::Paragraph {
                    text: "Any of the following can cause it:".into(),
                },
                Block::Bullets {
                    items: bullet_list(&[
                        "The share is gone.",
                        "The password expired. To resolve this, reset it.",
                    ]),
                },
            ],
        )]);
        let c = causes(&a);
        assert_eq!(c.len(), 2);
        assert_eq!(c[0].text, "The share is gone.");
        assert_eq!(c[0].fix, None);
        assert_eq!(c[1].text, "The password expired.");
        assert_eq!(c[1].fix.as_deref(), Some("To resolve this, reset it."));
    }

    #[test]
    fn causes_from_prose_after_a_lead_in() {
        let a = article(vec![(
            "CAUSE",
            "",
            text(
                "This problem can occur if any of the following conditions are true:\n\n\
                 The disk is full.\n\nThe service is stopped.\n\nNOTE: rare.",
            ),
        )]);
        let c: Vec<String> = causes(&a).into_iter().map(|c| c.text).collect();
        assert_eq!(c, ["The disk is full.", "The service is stopped."]);
    }

    #[test]
    fn one_prose_cause_is_no_choice_and_steps_elsewhere_are_not_causes() {
        let a = article(vec![
            (
                "CAUSE",
                "",
                vec![Block::Paragraph {
                    text: "The wrong version is installed.".into(),
                }],
            ),
            (
                "MORE INFORMATION",
                "",
                vec![Block::Steps {
                    lettered: false,
                    items: list(&["Click Start.", "Click Run."]),
                }],
            ),
        ]);
        assert!(causes(&a).is_empty());
        let b = article(vec![(
            "SYMPTOMS",
            "",
            vec![
                Block::Paragraph {
                    text: "To see it, follow these steps:".into(),
                },
                Block::Steps {
                    lettered: false,
                    items: list(&["Click Start.", "Click Run."]),
                },
            ],
        )]);
        assert!(causes(&b).is_empty());
    }

    #[test]
    fn checklist_keeps_steps_bullets_and_text_in_order() {
        let a = article(vec![(
            "RESOLUTION",
            "",
            vec![
                Block::Paragraph {
                    text: "Do this:".into(),
                },
                Block::Steps {
                    lettered: false,
                    items: list(&["One.", "Two."]),
                },
                Block::Bullets {
                    items: bullet_list(&["Either."]),
                },
            ],
        )]);
        let (heading, items) = resolution_checklist(&a).unwrap();
        assert_eq!(heading, "RESOLUTION");
        let kinds: Vec<ItemKind> = items.iter().map(|i| i.kind).collect();
        assert_eq!(
            kinds,
            [
                ItemKind::Text,
                ItemKind::Step,
                ItemKind::Step,
                ItemKind::Bullet
            ]
        );
        assert_eq!(items[2].number, Some(2));
    }

    #[test]
    fn symptom_is_the_first_sentences() {
        let a = article(vec![(
            "SYMPTOMS",
            "",
            text("The bridge stops. Mail queues up. Nobody knows why.\n\nEvent ID: 1"),
        )]);
        assert_eq!(symptom(&a), "The bridge stops. Mail queues up.");
    }

    #[test]
    fn same_way_sentences_name_their_article() {
        let a = article(vec![(
            "MORE INFORMATION",
            "Contact the vendor. See Q000002.\n\nNOTE: You can troubleshoot this in the same\n\
             way as Event ID 70, see:\n\n   Q000003 Title",
            vec![],
        )]);
        assert_eq!(same_way_citations(&a), [ArticleId(3)]);
    }
}
