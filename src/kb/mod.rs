//! The KB article format: pure parsing of Microsoft's plain-text articles, no I/O.
//! (placeholder until the parser lands)

mod facts;
mod model;

pub use facts::{citations, mentioned_event_ids, title_kind};
pub use model::*;

/// Why bytes are not an article.
#[derive(Debug, thiserror::Error)]
pub enum ParseError {
    /// Placeholder.
    #[error("does not start with a DOCUMENT: line")]
    NotAnArticle,
}

/// Parses one article.
pub fn parse_article(_bytes: &[u8]) -> Result<Article, ParseError> {
    Err(ParseError::NotAnArticle)
}

/// Folds an event source for lookup.
pub fn fold_source(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).flat_map(char::to_lowercase).collect()
}
