//! Each article's diagnosis (what the wizard asks and offers), written with the article at
//! import and read back whole, plus the sibling articles a version check offers.

use super::{Store, StoreError, Summary};
use crate::kb::{ArticleId, Diagnosis};

impl Store {
    /// The stored diagnosis of an article; `None` when the article is not stored.
    pub async fn diagnosis(&self, id: ArticleId) -> Result<Option<Diagnosis>, StoreError> {
        let body: Option<String> = on_pool!(self, |pool| sqlx::query_scalar(
            "SELECT body FROM diagnoses WHERE article_id = $1"
        )
        .bind(i64::from(id.0))
        .fetch_optional(pool)
        .await)?;
        Ok(match body {
            Some(b) => Some(serde_json::from_str(&b)?),
            None => None,
        })
    }

    /// Other articles with the same title (the same problem written up for other versions),
    /// newest first.
    pub async fn same_title(&self, id: ArticleId, limit: i64) -> Result<Vec<Summary>, StoreError> {
        Ok(on_pool!(self, |pool| sqlx::query_as(
            "SELECT b.id, b.title FROM articles a JOIN articles b \
             ON b.title = a.title AND b.id != a.id WHERE a.id = $1 \
             ORDER BY b.date DESC, b.id LIMIT $2",
        )
        .bind(i64::from(id.0))
        .bind(limit)
        .fetch_all(pool)
        .await)?)
    }
}
