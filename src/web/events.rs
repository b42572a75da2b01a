//! Browsing by event source: sources, a source's event ids, the articles quoting an event.

use super::{ApiError, AppState, WebError};
use crate::kb;
use crate::store::{EventArticle, EventIdCount, SourceCount};
use askama::Template;
use axum::extract::{Path, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde::Serialize;

/// This feature's routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/events", get(sources_page))
        .route("/api/events", get(sources_api))
        .route("/events/{source}", get(source_page))
        .route("/api/events/{source}", get(source_api))
        .route("/events/{source}/{id}", get(event_page))
        .route("/api/events/{source}/{id}", get(event_api))
}

#[derive(Template)]
#[template(path = "events.html")]
struct SourcesTemplate {
    sources: Vec<SourceCount>,
}

async fn sources_page(State(state): State<AppState>) -> Result<Html<String>, WebError> {
    let sources = state.store.event_sources().await?;
    Ok(Html(SourcesTemplate { sources }.render()?))
}

async fn sources_api(State(state): State<AppState>) -> Result<Json<Vec<SourceCount>>, ApiError> {
    Ok(Json(state.store.event_sources().await?))
}

/// A source named in a URL: its folded key and display name, or a redirect to the key.
async fn resolve_source(
    state: &AppState,
    raw: &str,
) -> Result<Result<(String, String), String>, WebError> {
    let key = kb::fold_source(raw);
    if key != raw {
        return Ok(Err(key));
    }
    match state.store.source_name(&key).await? {
        Some(name) => Ok(Ok((key, name))),
        None => Err(WebError::NotFound(format!(
            "No article quotes an event from {}.",
            super::error::quoted_or(raw, "that source")
        ))),
    }
}

#[derive(Serialize)]
struct SourceJson {
    key: String,
    source: String,
    ids: Vec<EventIdCount>,
}

#[derive(Template)]
#[template(path = "event_source.html")]
struct SourceTemplate {
    key: String,
    source: String,
    ids: Vec<EventIdCount>,
}

async fn source_data(state: &AppState, raw: &str) -> Result<Result<SourceJson, String>, WebError> {
    let (key, source) = match resolve_source(state, raw).await? {
        Ok(found) => found,
        Err(key) => return Ok(Err(key)),
    };
    let ids = state.store.source_event_ids(&key).await?;
    Ok(Ok(SourceJson { key, source, ids }))
}

async fn source_page(
    State(state): State<AppState>,
    Path(raw): Path<String>,
) -> Result<Response, WebError> {
    match source_data(&state, &raw).await? {
        Ok(s) => Ok(Html(
            SourceTemplate {
                key: s.key,
                source: s.source,
                ids: s.ids,
            }
            .render()?,
        )
        .into_response()),
        Err(key) => Ok(
            Redirect::permanent(&format!("/events/{}", super::search::encode(&key)))
                .into_response(),
        ),
    }
}

async fn source_api(
    State(state): State<AppState>,
    Path(raw): Path<String>,
) -> Result<Response, ApiError> {
    match source_data(&state, &raw).await? {
        Ok(s) => Ok(Json(s).into_response()),
        Err(key) => Ok(Redirect::permanent(&format!(
            "/api/events/{}",
            super::search::encode(&key)
        ))
        .into_response()),
    }
}

#[derive(Serialize)]
struct EventJson {
    key: String,
    source: String,
    event_id: i64,
    articles: Vec<EventArticle>,
}

#[derive(Template)]
#[template(path = "event_articles.html")]
struct EventTemplate {
    key: String,
    source: String,
    event_id: i64,
    articles: Vec<EventArticle>,
}

async fn event_data(
    state: &AppState,
    raw: &str,
    raw_id: &str,
) -> Result<Result<EventJson, String>, WebError> {
    let event_id: i64 = raw_id.trim().parse().map_err(|_| {
        WebError::NotFound(format!(
            "{} is not an event id; event ids are numbers.",
            super::error::quoted_or(raw_id, "That")
        ))
    })?;
    let (key, source) = match resolve_source(state, raw).await? {
        Ok(found) => found,
        Err(key) => return Ok(Err(format!("{}/{event_id}", super::search::encode(&key)))),
    };
    let articles = state.store.event_articles(&key, event_id).await?;
    if articles.is_empty() {
        return Err(WebError::NotFound(format!(
            "No article quotes event {event_id} from {source}."
        )));
    }
    Ok(Ok(EventJson {
        key,
        source,
        event_id,
        articles,
    }))
}

async fn event_page(
    State(state): State<AppState>,
    Path((raw, raw_id)): Path<(String, String)>,
) -> Result<Response, WebError> {
    match event_data(&state, &raw, &raw_id).await? {
        Ok(e) => Ok(Html(
            EventTemplate {
                key: e.key,
                source: e.source,
                event_id: e.event_id,
                articles: e.articles,
            }
            .render()?,
        )
        .into_response()),
        Err(path) => Ok(Redirect::permanent(&format!("/events/{path}")).into_response()),
    }
}

async fn event_api(
    State(state): State<AppState>,
    Path((raw, raw_id)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    match event_data(&state, &raw, &raw_id).await? {
        Ok(e) => Ok(Json(e).into_response()),
        Err(path) => Ok(Redirect::permanent(&format!("/api/events/{path}")).into_response()),
    }
}
