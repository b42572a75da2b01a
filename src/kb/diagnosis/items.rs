//! A fix as items to work through: the section's blocks as steps (with the article's own
//! numbers), bullets, paragraphs, preformatted text and alternative headings.

use crate::kb::{Block, Item, Section};
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
}

/// A section's blocks as items, in order: steps keep the article's own numbers, nested
/// blocks sit one level deeper, preformatted runs stay line by line.
pub fn section_items(section: &Section) -> Vec<FixItem> {
    let mut items = Vec::new();
    push_blocks(&section.blocks, 0, &mut items);
    items
}

fn push_blocks(blocks: &[Block], depth: u8, out: &mut Vec<FixItem>) {
    for block in blocks {
        let leaf = |kind, text: &str| FixItem {
            kind,
            number: None,
            depth,
            text: text.to_string(),
        };
        match block {
            Block::Paragraph { text } => out.push(leaf(ItemKind::Text, text)),
            Block::Heading { text } => out.push(leaf(ItemKind::Heading, text)),
            Block::Preformatted { lines } => out.push(leaf(ItemKind::Pre, &lines.join("\n"))),
            Block::Steps { items, .. } => push_items(items, ItemKind::Step, depth, out),
            Block::Bullets { items } => push_items(items, ItemKind::Bullet, depth, out),
        }
    }
}

fn push_items(items: &[Item], kind: ItemKind, depth: u8, out: &mut Vec<FixItem>) {
    for item in items {
        out.push(FixItem {
            kind,
            number: item.number,
            depth,
            text: item.text.clone(),
        });
        // Deep nesting is rare; past a few levels it is shown at the deepest one.
        push_blocks(&item.blocks, depth.saturating_add(1).min(4), out);
    }
}

/// The end (exclusive) of the list whose first item is at `at` (everything nested under
/// its items included), or `at + 1` for anything else.
pub fn list_end(items: &[FixItem], at: usize) -> usize {
    let first = &items[at];
    let listed = matches!(first.kind, ItemKind::Step | ItemKind::Bullet);
    let mut end = at + 1;
    while listed && end < items.len() {
        let b = &items[end];
        let same = b.depth == first.depth
            && b.kind == first.kind
            && !(b.kind == ItemKind::Step && b.number == Some(1));
        if b.depth > first.depth || same {
            end += 1;
        } else {
            break;
        }
    }
    end
}
