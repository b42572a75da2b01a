//! Browsing by category, product and kind.

use super::cache::FacetRows;
use super::{Store, StoreError, Summary};
use serde::Serialize;
use sqlx::FromRow;

/// A category with its article count and its main products.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CategoryCount {
    /// The category tag.
    pub category: String,
    /// Articles in it.
    pub count: i64,
    /// Its most common product names, most common first.
    pub products: Vec<String>,
}

/// A title kind (`XFOR`) and how many articles of a category carry it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, FromRow)]
pub struct KindCount {
    pub kind: String,
    /// Articles with it.
    pub count: i64,
}

/// A dated summary for listings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, FromRow)]
pub struct DatedSummary {
    /// Id and title.
    #[sqlx(flatten)]
    #[serde(flatten)]
    pub summary: Summary,
    /// ISO date.
    pub date: String,
}

impl Store {
    /// The articles by category and product, most first within a category (uncached: see
    /// [`Store::categories`]).
    pub(super) async fn count_facets(&self) -> Result<FacetRows, StoreError> {
        Ok(on_pool!(self, "categories", |pool| sqlx::query_as(
            "SELECT category, product, count(*) AS n FROM articles \
             GROUP BY category, product ORDER BY category, n DESC, product",
        )
        .fetch_all(pool)
        .await)?)
    }

    /// Every category with its count and up to `products` product names (counted once per
    /// generation of the archive: `store::cache`).
    pub async fn categories(&self, products: usize) -> Result<Vec<CategoryCount>, StoreError> {
        let rows = self.facet_rows().await?;
        let mut out: Vec<CategoryCount> = Vec::new();
        for (category, product, n) in rows.iter().cloned() {
            match out.last_mut() {
                Some(last) if last.category == category => {
                    last.count += n;
                    if last.products.len() < products && !product.is_empty() {
                        last.products.push(product);
                    }
                }
                _ => out.push(CategoryCount {
                    category,
                    count: n,
                    products: if product.is_empty() {
                        vec![]
                    } else {
                        vec![product]
                    },
                }),
            }
        }
        Ok(out)
    }

    /// The kinds of a category's articles with counts, most common first.
    pub async fn category_kinds(&self, category: &str) -> Result<Vec<KindCount>, StoreError> {
        Ok(on_pool!(self, "category_kinds", |pool| sqlx::query_as(
            "SELECT kind, count(*) AS count FROM articles WHERE category = $1 AND kind != '' \
             GROUP BY kind ORDER BY count DESC, kind",
        )
        .bind(category)
        .fetch_all(pool)
        .await)?)
    }

    /// A page of a category's articles, newest first, optionally of one kind; with the total.
    pub async fn category_articles(
        &self,
        category: &str,
        kind: Option<&str>,
        limit: i64,
        offset: i64,
    ) -> Result<(i64, Vec<DatedSummary>), StoreError> {
        let total: i64 = on_pool!(self, "category_articles", |pool| sqlx::query_scalar(
            "SELECT count(*) FROM articles WHERE category = $1 AND ($2 IS NULL OR kind = $2)",
        )
        .bind(category)
        .bind(kind)
        .fetch_one(pool)
        .await)?;
        let rows = on_pool!(self, "category_articles", |pool| {
            sqlx::query_as(
            "SELECT id, title, date FROM articles WHERE category = $1 AND ($2 IS NULL OR kind = $2) \
             ORDER BY date DESC, id DESC LIMIT $3 OFFSET $4",
        )
        .bind(category)
        .bind(kind)
        .bind(limit)
        .bind(offset)
        .fetch_all(pool)
        .await
        })?;
        Ok((total, rows))
    }
}
