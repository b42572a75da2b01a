//! Article pages and their JSON: citations linked both ways, events, related articles.

use super::article_html::{self, Links};
use super::{ApiError, AppState, WebError};
use crate::kb::{self, ArticleId};
use crate::store::{StoredArticle, Summary};
use askama::Template;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde::Serialize;
use std::collections::HashSet;

/// This feature's routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/articles/{id}", get(article_page))
        .route("/api/articles/{id}", get(article_api))
}

/// Reads an id from the URL: `Ok(id)` when canonical, a redirect target when only its
/// spelling differs, a 404 when it is no id at all.
fn parse_id(raw: &str, prefix: &str) -> Result<Result<ArticleId, String>, WebError> {
    let id: ArticleId = raw.parse().map_err(|_| {
        WebError::NotFound(format!(
            "{} is not an article number; they look like Q168465.",
            super::error::quoted_or(raw, "That")
        ))
    })?;
    if id.to_string() == raw {
        Ok(Ok(id))
    } else {
        Ok(Err(format!("{prefix}{id}")))
    }
}

async fn load(state: &AppState, id: ArticleId) -> Result<StoredArticle, WebError> {
    state
        .store
        .article(id)
        .await?
        .ok_or_else(|| WebError::NotFound(format!("Article {id} is not in the archive.")))
}

/// A section rendered from its blocks, with its stable anchor.
struct SectionView {
    heading: String,
    anchor: String,
    html: String,
}

struct EventView {
    event_id: u32,
    source: Option<String>,
    source_url: Option<String>,
    url: Option<String>,
    kind: Option<String>,
    category: Option<String>,
    description: Option<String>,
}

struct RefView {
    id: ArticleId,
    title: String,
    present: bool,
}

struct RelatedView {
    id: ArticleId,
    title: String,
    why: String,
}

#[derive(Template)]
#[template(path = "article.html")]
struct ArticleTemplate {
    id: ArticleId,
    title: String,
    date: String,
    product: String,
    versions: String,
    os: String,
    category: String,
    keywords: Vec<String>,
    applies_to: Vec<String>,
    events: Vec<EventView>,
    sections: Vec<SectionView>,
    query_words: Vec<String>,
    references: Vec<RefView>,
    referenced_by: Vec<Summary>,
    related: Vec<RelatedView>,
}

impl From<&kb::EventQuote> for EventView {
    /// The event with links to its source's and its own page, when it names a source.
    fn from(e: &kb::EventQuote) -> Self {
        let key = e
            .source
            .as_deref()
            .map(kb::fold_source)
            .filter(|k| !k.is_empty());
        EventView {
            event_id: e.event_id,
            source_url: key.as_ref().map(|k| format!("/events/{k}")),
            url: key.as_ref().map(|k| format!("/events/{k}/{}", e.event_id)),
            source: e.source.clone(),
            kind: e.kind.clone(),
            category: e.category.clone(),
            description: e.description.clone(),
        }
    }
}

impl ArticleTemplate {
    /// The page of `a`: `present` says which cited articles exist (live links),
    /// `referenced_by` and `related` are what the store knows around it.
    fn new(
        a: kb::Article,
        present: &HashSet<ArticleId>,
        referenced_by: Vec<Summary>,
        related: Vec<(Summary, String)>,
    ) -> Self {
        let links = Links { present };
        let anchors = article_html::anchors(a.sections.iter().map(|s| s.heading.as_str()));
        ArticleTemplate {
            id: a.id,
            sections: a
                .sections
                .iter()
                .zip(anchors)
                .map(|(s, anchor)| SectionView {
                    heading: s.heading.clone(),
                    anchor,
                    html: article_html::render_blocks(&s.blocks, &links),
                })
                .collect(),
            // A message quoted without an id is for the matcher; the page lists events.
            events: a
                .events
                .iter()
                .filter(|e| e.event_id != kb::NO_EVENT_ID)
                .map(EventView::from)
                .collect(),
            references: a
                .references
                .iter()
                .map(|r| RefView {
                    id: r.id,
                    title: r.title.clone().unwrap_or_default(),
                    present: present.contains(&r.id),
                })
                .collect(),
            referenced_by,
            related: related
                .into_iter()
                .map(|(s, why)| RelatedView {
                    id: s.id,
                    title: s.title,
                    why,
                })
                .collect(),
            title: a.title,
            date: a.date,
            product: a.product,
            versions: a.versions,
            os: a.os,
            category: a.category,
            keywords: a.keywords,
            applies_to: a.applies_to,
            query_words: a.query_words,
        }
    }
}

/// Every Q-number written anywhere in the article that is in the archive, to tell live
/// links from dead ones.
async fn present_citations(
    state: &AppState,
    a: &kb::Article,
) -> Result<HashSet<ArticleId>, WebError> {
    let mut cited: Vec<ArticleId> = a.references.iter().map(|r| r.id).collect();
    for s in &a.sections {
        cited.extend(kb::citations(&s.text).map(|(_, id)| id));
    }
    Ok(state
        .store
        .summaries(&cited)
        .await?
        .into_iter()
        .map(|s| s.id)
        .collect())
}

async fn article_page(
    State(state): State<AppState>,
    Path(raw): Path<String>,
) -> Result<Response, WebError> {
    if let Some(raw) = raw.strip_suffix(".txt") {
        return plain_text(&state, raw).await;
    }
    let id = match parse_id(&raw, "/articles/")? {
        Ok(id) => id,
        Err(canonical) => return Ok(Redirect::permanent(&canonical).into_response()),
    };
    if let Some(page) = state.pages.get(&state.store, id).await? {
        return Ok(Html(page).into_response());
    }
    // The generation before reading: a page read during an import is not kept past it.
    let generation = state.pages.generation().await;
    let a = load(&state, id).await?.article;
    let present = present_citations(&state, &a).await?;
    let referenced_by = state.store.referenced_by(id).await?;
    let related = state.store.related(id, 10).await?;
    let page = ArticleTemplate::new(a, &present, referenced_by, related);
    let html = Bytes::from(page.render()?);
    if let Some(generation) = generation {
        state.pages.put(id, generation, html.clone()).await;
    }
    Ok(Html(html).into_response())
}

/// The JSON of an article: the export fields plus the articles citing it.
#[derive(Serialize)]
struct ArticleJson {
    #[serde(flatten)]
    article: StoredArticle,
    referenced_by: Vec<Summary>,
}

async fn article_api(
    State(state): State<AppState>,
    Path(raw): Path<String>,
) -> Result<Response, ApiError> {
    let id = match parse_id(&raw, "/api/articles/")? {
        Ok(id) => id,
        Err(canonical) => return Ok(Redirect::permanent(&canonical).into_response()),
    };
    let article = load(&state, id).await?;
    let referenced_by = state.store.referenced_by(id).await?;
    Ok(Json(ArticleJson {
        article,
        referenced_by,
    })
    .into_response())
}

/// The original article text (the archive's bytes, decoded) as `text/plain`, at
/// `/articles/{id}.txt`; other spellings of the id redirect to the canonical one.
async fn plain_text(state: &AppState, raw: &str) -> Result<Response, WebError> {
    let id = match parse_id(raw, "/articles/")? {
        Ok(id) => id,
        Err(canonical) => {
            return Ok(Redirect::permanent(&format!("{canonical}.txt")).into_response());
        }
    };
    let text = state.store.article_source(id).await?.ok_or_else(|| {
        WebError::NotFound(format!(
            "The original text of {id} is not stored; the archive needs importing again."
        ))
    })?;
    Ok(([(header::CONTENT_TYPE, "text/plain; charset=utf-8")], text).into_response())
}
