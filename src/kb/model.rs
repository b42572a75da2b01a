//! The typed shape of one KB article, as the parser produces it and `export` writes it.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// A Knowledge Base article number, shown as the archive writes it: `Q168465`, `Q10022`
/// (never zero-padded).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ArticleId(pub u32);

/// Why a string is not an article id.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not an article id (expected something like Q168465 or Q10022)")]
pub struct BadArticleId(pub String);

impl TryFrom<i64> for ArticleId {
    type Error = std::num::TryFromIntError;

    /// Article numbers as they sit in an INTEGER column.
    fn try_from(v: i64) -> Result<Self, Self::Error> {
        u32::try_from(v).map(ArticleId)
    }
}

impl fmt::Display for ArticleId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Q{}", self.0)
    }
}

impl FromStr for ArticleId {
    type Err = BadArticleId;

    /// Accepts `Q168465`, `q168465`, `168465`, `kb168465`, `KB 168465`, and zero-padded
    /// forms such as `Q010022`; any other text (non-ASCII included) is an error.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim();
        let digits = if let Some(rest) = t.strip_prefix(['Q', 'q']) {
            rest
        } else if let Some(rest) = t
            .get(..2)
            .filter(|p| p.eq_ignore_ascii_case("kb"))
            .and_then(|_| t.get(2..))
        {
            rest.trim_start()
        } else {
            t
        };
        if digits.is_empty() || digits.len() > 8 || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(BadArticleId(s.to_string()));
        }
        digits
            .parse::<u32>()
            .ok()
            .filter(|n| *n > 0)
            .map(ArticleId)
            .ok_or_else(|| BadArticleId(s.to_string()))
    }
}

impl Serialize for ArticleId {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for ArticleId {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// One parsed article: header, body sections, trailer and what the body cites or quotes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Article {
    /// The article number from the `DOCUMENT:` line.
    pub id: ArticleId,
    /// The `TITLE` line.
    pub title: String,
    /// The document date as ISO `YYYY-MM-DD`.
    pub date: String,
    /// The bracketed tag of the `DOCUMENT:` line, e.g. `exchange`.
    pub category: String,
    /// The `PRODUCT` line.
    pub product: String,
    /// The `PROD/VER` text without its leading colon.
    pub versions: String,
    /// The `OPER/SYS` line.
    pub os: String,
    /// The `KEYWORDS` line split on whitespace.
    pub keywords: Vec<String>,
    /// The items of "The information in this article applies to:", whitespace collapsed.
    pub applies_to: Vec<String>,
    /// The body sections in order.
    pub sections: Vec<Section>,
    /// Other articles cited in the body, once each, in order of first citation.
    pub references: Vec<Reference>,
    /// Event-log entries quoted in the body.
    pub events: Vec<EventQuote>,
    /// The words of "Additional query words:".
    pub query_words: Vec<String>,
    /// The trailer's `Technology` list.
    pub technology: Vec<String>,
    /// The trailer's `Issue type`, e.g. `kbprb`.
    pub issue_type: Option<String>,
    /// Any other `Label : value` lines of the trailer, in order.
    pub trailer: Vec<TrailerField>,
}

impl Article {
    /// An article with an id and a title and nothing else (no sections, citations or
    /// events): what hand-built articles, test fixtures above all, start from.
    pub fn titled(id: ArticleId, title: &str) -> Article {
        Article {
            id,
            title: title.into(),
            date: String::new(),
            category: String::new(),
            product: String::new(),
            versions: String::new(),
            os: String::new(),
            keywords: Vec::new(),
            applies_to: Vec::new(),
            sections: Vec::new(),
            references: Vec::new(),
            events: Vec::new(),
            query_words: Vec::new(),
            technology: Vec::new(),
            issue_type: None,
            trailer: Vec::new(),
        }
    }
}

/// One `Label : value` line of the trailer block that has no field of its own.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrailerField {
    /// The label, trimmed (`Version`).
    pub label: String,
    /// The value, trimmed.
    pub value: String,
}

/// A body section: an upper-case heading underlined with `=` and the text under it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Section {
    /// The heading as written, e.g. `MORE INFORMATION`.
    pub heading: String,
    /// The text with its line structure and indentation kept (shown preformatted), CRLF gone,
    /// leading and trailing blank lines dropped. Sub-headings underlined with `-` stay inside.
    pub text: String,
    /// The same text cut by layout into paragraphs, sub-headings, lists and preformatted
    /// runs, in order (see [`Block`]).
    pub blocks: Vec<Block>,
}

/// A piece of a section, decided by the article's layout at import and stored as JSON
/// (`{"kind": "paragraph", "text": ...}`, `{"kind": "steps", "items": [...]}`, ...).
///
/// Nothing of the section's words is dropped except the `-`/`=` underlines of sub-headings:
/// every other word of [`Section::text`] is in exactly one block, in order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Block {
    /// One paragraph of running text, unwrapped onto one line (whitespace collapsed).
    Paragraph {
        /// The paragraph's words joined by single spaces.
        text: String,
    },
    /// A sub-heading inside a section (a line underlined with `-` or `=`), without its rule.
    Heading {
        /// The heading as written, whitespace collapsed.
        text: String,
    },
    /// A numbered list (`1.`, `2)` ..., or lettered `a.` `b.` sub-steps), one list however
    /// many paragraphs, notes or listings sit between its items. A step numbered 1 after
    /// other steps starts a new `Steps` block.
    Steps {
        /// The markers were letters (`a.`, `b.`): item numbers count a = 1, b = 2, ...
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        lettered: bool,
        /// The steps, each with the article's own number.
        items: Vec<Item>,
    },
    /// A bulleted list (` - ` or ` * `).
    Bullets {
        /// The items; their `number` is `None`.
        items: Vec<Item>,
    },
    /// Lines that must keep their line breaks and columns: code listings, INI sections,
    /// registry paths, command lines, tables, file lists, quoted messages and event blocks,
    /// ASCII diagrams. Trailing spaces and the run's common indentation are removed; blank
    /// lines inside the run are kept as empty strings. Never reflow these.
    Preformatted {
        /// The lines, in order.
        lines: Vec<String>,
    },
}

/// One item of a [`Block::Steps`] or [`Block::Bullets`] list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Item {
    /// The article's own number for a step (`3` for `3.`; `2` for `b.`); `None` for bullets.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub number: Option<u32>,
    /// The item's first paragraph (the marker line and the lines it wraps onto), unwrapped.
    pub text: String,
    /// What sits indented under the item: notes, nested sub-steps or bullets, listings.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub blocks: Vec<Block>,
}

impl Item {
    /// The item's text followed by the words of everything nested under it, on one line:
    /// what a one-line summary of the item (a checklist entry, a cause) should show.
    pub fn full_text(&self) -> String {
        let mut out = self.text.clone();
        for b in &self.blocks {
            let words = b.plain_text();
            if !words.is_empty() {
                if !out.is_empty() {
                    out.push(' ');
                }
                out.push_str(&words);
            }
        }
        out
    }
}

impl Block {
    /// Every word of the block (list markers excepted) on one line, single spaces: for
    /// summaries and search, never for display of preformatted lines.
    pub fn plain_text(&self) -> String {
        match self {
            Block::Paragraph { text } | Block::Heading { text } => text.clone(),
            Block::Steps { items, .. } | Block::Bullets { items } => items
                .iter()
                .map(Item::full_text)
                .filter(|t| !t.is_empty())
                .collect::<Vec<_>>()
                .join(" "),
            Block::Preformatted { lines } => lines
                .iter()
                .flat_map(|l| l.split_whitespace())
                .collect::<Vec<_>>()
                .join(" "),
        }
    }

    /// The items of a list block; empty for the other kinds.
    pub fn items(&self) -> &[Item] {
        match self {
            Block::Steps { items, .. } | Block::Bullets { items } => items,
            _ => &[],
        }
    }
}

/// A citation of another article from the body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reference {
    /// The cited article.
    pub id: ArticleId,
    /// The title written next to the citation, when the citation line gives one.
    pub title: Option<String>,
    /// The heading of the section the citation first appears in.
    pub section: String,
}

/// An event-log entry quoted in an article.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventQuote {
    /// The event id.
    pub event_id: u32,
    /// The event source, as written (`MSExchangeCCMC`).
    pub source: Option<String>,
    /// The event type (`Error`, `Warning`, `Information`).
    #[serde(rename = "type")]
    pub kind: Option<String>,
    /// The event category (`General`, `None`).
    pub category: Option<String>,
    /// The description unwrapped onto one line, whitespace collapsed.
    pub description: Option<String>,
    /// Whether the description followed a `Description:` label, rather than being unlabelled
    /// text under the block.
    #[serde(default)]
    pub description_labelled: bool,
    /// Whether several of its fields shared a line (`Event ID: 5002, Source: X, Type: Error`),
    /// a looser quote than one field a line.
    #[serde(default)]
    pub inline_fields: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_parse_in_every_spelling_and_show_unpadded() {
        let cases: [(&str, Option<u32>); 20] = [
            ("Q168465", Some(168465)),
            ("q168465", Some(168465)),
            ("168465", Some(168465)),
            ("kb168465", Some(168465)),
            ("KB 168465", Some(168465)),
            ("Q10022", Some(10022)),
            ("Q010022", Some(10022)),
            ("KB10022", Some(10022)),
            ("kb10022", Some(10022)),
            ("10022", Some(10022)),
            (" Q42 ", Some(42)),
            ("Q0", None),
            ("Q", None),
            ("", None),
            ("Q123456789", None),
            ("\u{20ac}1", None),
            ("k\u{e9}1", None),
            ("Q\u{e9}", None),
            ("\u{1f600}", None),
            ("KB\u{2013}12", None),
        ];
        for (raw, want) in cases {
            assert_eq!(
                raw.parse::<ArticleId>().ok().map(|id| id.0),
                want,
                "{raw:?}"
            );
        }
        assert_eq!(ArticleId(10022).to_string(), "Q10022");
        assert_eq!(ArticleId(168465).to_string(), "Q168465");
        assert_eq!(
            serde_json::to_string(&ArticleId(10022)).unwrap(),
            "\"Q10022\""
        );
        assert_eq!(
            serde_json::from_str::<ArticleId>("\"Q010022\"").unwrap(),
            ArticleId(10022)
        );
    }
}
