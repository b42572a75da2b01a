//! A fix as items to work through: the section's blocks as steps (with the article's own
//! numbers), bullets, paragraphs, preformatted text and alternative headings.

use crate::kb::{Block, Section};
use serde::{Deserialize, Serialize};

/// What an item is in the article.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemKind {
    /// A numbered step.
    Step,
    /// A bulleted item.
    Bullet,
    /// A paragraph of running text.
    Text,
    /// Code, an INI section, a file list or a table, line by line.
    Pre,
    /// The heading of an alternative ("Alternative 1 of 2: ...").
    Heading,
}

/// One item of a fix.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FixItem {
    /// Step, bullet, text, pre or heading.
    pub kind: ItemKind,
    /// The article's own number, for steps.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub number: Option<u32>,
    /// How deeply nested (0 at the top).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub depth: u8,
    /// The text: unwrapped, or line by line for `pre`.
    pub text: String,
}

fn is_zero(d: &u8) -> bool {
    *d == 0
}

impl FixItem {
    /// A paragraph.
    pub fn text(text: impl Into<String>) -> Self {
        FixItem {
            kind: ItemKind::Text,
            number: None,
            depth: 0,
            text: text.into(),
        }
    }

    /// An alternative's heading.
    pub fn heading(text: impl Into<String>) -> Self {
        FixItem {
            kind: ItemKind::Heading,
            ..FixItem::text(text)
        }
    }

    /// Whether this is a paragraph (the unit branches start at).
    pub fn is_text(&self) -> bool {
        self.kind == ItemKind::Text
    }
}

/// Paragraphs of a text block (blank-line separated), each on one line.
pub fn paragraphs(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split("\n\n")
        .map(|p| p.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|p| !p.is_empty())
}

/// A section's blocks as items, in order.
pub fn section_items(section: &Section) -> Vec<FixItem> {
    let mut items = Vec::new();
    for block in &section.blocks {
        match block {
            Block::Text(t) => items.extend(paragraphs(t).map(FixItem::text)),
            Block::Steps(steps) => {
                items.extend(steps.iter().enumerate().map(|(i, text)| FixItem {
                    kind: ItemKind::Step,
                    number: u32::try_from(i + 1).ok(),
                    depth: 0,
                    text: text.clone(),
                }))
            }
            Block::Bullets(bullets) => items.extend(bullets.iter().map(|text| FixItem {
                kind: ItemKind::Bullet,
                number: None,
                depth: 0,
                text: text.clone(),
            })),
        }
    }
    items
}

/// Whether items `i` and `i + 1` belong to one list (both steps or both bullets, same depth).
pub fn same_list(a: &FixItem, b: &FixItem) -> bool {
    let listed = |i: &FixItem| matches!(i.kind, ItemKind::Step | ItemKind::Bullet);
    (listed(a) || a.depth > 0) && b.depth > 0
        || listed(a)
            && a.kind == b.kind
            && !(b.kind == ItemKind::Step && b.number == Some(1) && b.depth == a.depth)
}

/// The end (exclusive) of the list starting at `at`, or `at + 1` for a paragraph.
pub fn list_end(items: &[FixItem], at: usize) -> usize {
    let mut end = at + 1;
    while end < items.len() && same_list(&items[end - 1], &items[end]) {
        end += 1;
    }
    end
}
