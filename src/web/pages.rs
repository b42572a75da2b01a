//! The home page, the health check, static files and the not-found page.

use super::{AppState, WebError};
use askama::Template;
use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::json;

/// The stylesheet, built into the binary so the server runs from any directory.
const STYLE_CSS: &str = include_str!("../../static/style.css");
/// The wizard's one script (copy buttons), built in likewise; the pages work without it.
const WIZARD_JS: &str = include_str!("../../static/wizard.js");

/// This feature's routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(home))
        .route("/healthz", get(healthz))
        .route("/static/style.css", get(style))
        .route("/static/wizard.js", get(wizard_js))
}

#[derive(Template)]
#[template(path = "home.html")]
struct Home {
    text: String,
    error: Option<String>,
    articles: i64,
    categories: usize,
    sources: usize,
}

async fn home(State(state): State<AppState>) -> Result<Html<String>, WebError> {
    Ok(Html(home_page(&state, String::new(), None).await?))
}

/// The home page, its paste form holding `text`, with `error` above it when given; over an
/// empty archive, how to import one instead of forms that could find nothing.
pub(super) async fn home_page(
    state: &AppState,
    text: String,
    error: Option<String>,
) -> Result<String, WebError> {
    let store = &state.store;
    let page = Home {
        text,
        error,
        articles: store.article_count().await?,
        categories: store.categories(0).await?.len(),
        sources: store.event_sources().await?.len(),
    };
    Ok(page.render()?)
}

async fn healthz(
    State(state): State<AppState>,
) -> Result<Json<serde_json::Value>, super::ApiError> {
    let articles = state.store.article_count().await?;
    let mut body = json!({ "status": "ok", "articles": articles });
    // How long pooled connections were held, by call site, for the load script's check of
    // the bound: only with --metrics, since the names and times describe the code to anyone.
    if state.config.metrics {
        body["pool"] = serde_json::to_value(state.store.hold_stats()).unwrap_or_default();
    }
    Ok(Json(body))
}

async fn style() -> Response {
    static_file(STYLE_CSS, "text/css; charset=utf-8")
}

async fn wizard_js() -> Response {
    static_file(WIZARD_JS, "text/javascript; charset=utf-8")
}

/// A file built into the binary, with its type.
fn static_file(body: &'static str, kind: &'static str) -> Response {
    let mut res = body.into_response();
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(kind));
    // The URL carries a version (?v=1), so browsers may keep the file for a day.
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=86400"),
    );
    res
}

/// What a 404 for an unknown address says.
pub(super) const NOT_FOUND: &str = "There is no page at this address.";

/// The page for any URL no route knows; JSON under `/api/`, as every API answer is. The
/// address itself is not repeated.
pub async fn not_found(uri: axum::http::Uri) -> Response {
    let e = WebError::NotFound(NOT_FOUND.into());
    if uri.path().starts_with("/api/") {
        super::ApiError(e).into_response()
    } else {
        e.into_response()
    }
}
