//! The typed shape of one KB article, as the parser produces it and `export` writes it.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// A Knowledge Base article number, shown as `Q168465`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ArticleId(pub u32);

/// Why a string is not an article id.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not an article id (expected something like Q168465)")]
pub struct BadArticleId(pub String);

impl ArticleId {
    /// The canonical text form, `Q` followed by six or more digits.
    pub fn as_string(&self) -> String {
        self.to_string()
    }
}

impl TryFrom<i64> for ArticleId {
    type Error = std::num::TryFromIntError;

    /// Article numbers as they sit in an INTEGER column.
    fn try_from(v: i64) -> Result<Self, Self::Error> {
        u32::try_from(v).map(ArticleId)
    }
}

impl fmt::Display for ArticleId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Q{:06}", self.0)
    }
}

impl FromStr for ArticleId {
    type Err = BadArticleId;

    /// Accepts `Q168465`, `q168465`, `168465`, `kb168465` and `KB 168465`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim();
        let digits = if let Some(rest) = t.strip_prefix(['Q', 'q']) {
            rest
        } else if let Some(rest) = t.get(..2).filter(|p| p.eq_ignore_ascii_case("kb")) {
            // `get`, not `[..2]`: the second byte may fall inside a character ("€1").
            t[rest.len()..].trim_start()
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
    /// The same text cut into paragraphs, numbered steps and bulleted items, in order.
    pub blocks: Vec<Block>,
}

/// A piece of a section's text, as the wizard walks it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "items", rename_all = "snake_case")]
pub enum Block {
    /// Running text (one paragraph, or several that sit between lists), unwrapped.
    Text(String),
    /// A run of numbered steps (`1.`, `2.` ...), each item's full text unwrapped.
    Steps(Vec<String>),
    /// A run of bulleted items (` - `), each item's full text unwrapped.
    Bullets(Vec<String>),
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
