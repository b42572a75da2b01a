//! The sibling articles a version check offers (an article's diagnosis itself is read in
//! `store::packed`).

use super::{Store, StoreError, Summary};
use crate::kb::ArticleId;

impl Store {
    /// Other articles with the same title (the same problem written up for other versions),
    /// newest first.
    pub async fn same_title(&self, id: ArticleId, limit: i64) -> Result<Vec<Summary>, StoreError> {
        Ok(on_pool!(self, "same_title", |pool| sqlx::query_as(
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
