//! Browsing by category (with product names) and, inside one, by kind, newest first.

use super::pager::Pager;
use super::search::encode;
use super::{ApiError, AppState, WebError};
use crate::store::{CategoryCount, DatedSummary};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Html;
use axum::routing::get;
use axum::{Json, Router};
use serde::{Deserialize, Serialize};

/// This feature's routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/browse", get(categories_page))
        .route("/api/browse", get(categories_api))
        .route("/browse/{category}", get(category_page))
        .route("/api/browse/{category}", get(category_api))
}

/// How many product names to show beside each category.
const PRODUCTS_SHOWN: usize = 3;

#[derive(Template)]
#[template(path = "browse.html")]
struct CategoriesTemplate {
    categories: Vec<CategoryCount>,
}

async fn categories_page(State(state): State<AppState>) -> Result<Html<String>, WebError> {
    let categories = state.store.categories(PRODUCTS_SHOWN).await?;
    Ok(Html(CategoriesTemplate { categories }.render()?))
}

async fn categories_api(
    State(state): State<AppState>,
) -> Result<Json<Vec<CategoryCount>>, ApiError> {
    Ok(Json(state.store.categories(PRODUCTS_SHOWN).await?))
}

/// The query string of a category listing.
#[derive(Debug, Default, Deserialize)]
struct ListParams {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    page: String,
}

/// One page of a category listing, shared by the HTML and the JSON.
#[derive(Serialize)]
struct Listing {
    category: String,
    kind: Option<String>,
    total: i64,
    page: i64,
    pages: i64,
    articles: Vec<DatedSummary>,
}

async fn listing(state: &AppState, category: &str, p: &ListParams) -> Result<Listing, WebError> {
    let limit = state.config.page_size;
    let page = p.page.trim().parse::<i64>().unwrap_or(1).clamp(1, 100_000);
    let kind = Some(p.kind.trim().to_ascii_uppercase()).filter(|k| !k.is_empty());
    let (total, articles) = state
        .store
        .category_articles(category, kind.as_deref(), limit, (page - 1) * limit)
        .await?;
    if total == 0 && kind.is_none() {
        return Err(WebError::NotFound(format!(
            "There is no category {}.",
            super::error::quoted_or(category, "by that name")
        )));
    }
    Ok(Listing {
        category: category.to_string(),
        kind,
        total,
        page,
        pages: (total + limit - 1) / limit,
        articles,
    })
}

struct KindChoice {
    value: String,
    count: i64,
    selected: bool,
}

#[derive(Template)]
#[template(path = "browse_category.html")]
struct CategoryTemplate {
    category: String,
    kinds: Vec<KindChoice>,
    total: i64,
    articles: Vec<DatedSummary>,
    pager: Pager,
}

async fn category_page(
    State(state): State<AppState>,
    Path(category): Path<String>,
    Query(p): Query<ListParams>,
) -> Result<Html<String>, WebError> {
    let l = listing(&state, &category, &p).await?;
    let kinds = state.store.category_kinds(&category).await?;
    let url = |page: i64| {
        let mut u = format!("/browse/{}?page={page}", encode(&l.category));
        if let Some(k) = &l.kind {
            u.push_str(&format!("&kind={}", encode(k)));
        }
        u
    };
    let pager = Pager::new(
        l.page,
        l.total,
        state.config.page_size,
        ("← Newer", "Older →"),
        url,
    );
    let page = CategoryTemplate {
        kinds: kinds
            .into_iter()
            .map(|k| KindChoice {
                selected: l.kind.as_deref() == Some(k.kind.as_str()),
                value: k.kind,
                count: k.count,
            })
            .collect(),
        category: l.category,
        total: l.total,
        articles: l.articles,
        pager,
    };
    Ok(Html(page.render()?))
}

async fn category_api(
    State(state): State<AppState>,
    Path(category): Path<String>,
    Query(p): Query<ListParams>,
) -> Result<Json<Listing>, ApiError> {
    Ok(Json(listing(&state, &category, &p).await?))
}
