//! Search: the results page and its JSON twin, over FTS5 with bm25 weights.

use super::pager::Pager;
use super::{ApiError, AppState, WebError};
use crate::kb::ArticleId;
use crate::search::{Filters, Results};
use crate::store::{MARK_END, MARK_START};
use askama::Template;
use axum::extract::{Query, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde::{Deserialize, Serialize};

/// This feature's routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/search", get(search_page))
        .route("/api/search", get(search_api))
}

/// The query string of both search routes. Every field is text so that no user input
/// is rejected before we can answer it.
#[derive(Debug, Default, Deserialize)]
pub struct SearchParams {
    #[serde(default)]
    q: String,
    #[serde(default)]
    category: String,
    #[serde(default)]
    product: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    page: String,
}

impl SearchParams {
    fn filters(&self) -> Filters {
        let opt = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
        Filters {
            category: opt(&self.category),
            product: opt(&self.product),
            kind: opt(&self.kind).map(|k| k.trim_end_matches(':').to_ascii_uppercase()),
        }
    }

    fn page(&self) -> i64 {
        self.page
            .trim()
            .parse::<i64>()
            .unwrap_or(1)
            .clamp(1, 10_000)
    }
}

/// Runs the person's query through the one search engine (the wizard uses it too).
async fn run_query(state: &AppState, p: &SearchParams, limit: i64) -> Result<Results, WebError> {
    let offset = (p.page() - 1) * limit;
    Ok(state
        .searcher
        .search(&p.q, &p.filters(), offset as usize, limit as usize)
        .await?)
}

/// An option of a filter select.
struct Choice {
    value: String,
    selected: bool,
}

#[derive(Template)]
#[template(path = "search.html")]
struct SearchTemplate {
    q: String,
    category: String,
    product: String,
    kind: String,
    categories: Vec<Choice>,
    kinds: Vec<Choice>,
    note: Option<String>,
    suggestions: Vec<Suggestion>,
    total: i64,
    first_rank: i64,
    results: Vec<ResultView>,
    pager: Pager,
    unfiltered_url: String,
}

/// A "did you mean" query and its link.
struct Suggestion {
    text: String,
    url: String,
}

struct ResultView {
    id: ArticleId,
    title: String,
    date: String,
    category: String,
    snippet_html: String,
}

const KINDS: [&str; 9] = [
    "XFOR", "BUG", "PRB", "FIX", "HOWTO", "INFO", "DOC", "FILE", "SAMPLE",
];

async fn search_page(
    State(state): State<AppState>,
    Query(p): Query<SearchParams>,
) -> Result<Response, WebError> {
    if let Ok(id) = p.q.parse::<ArticleId>() {
        return Ok(Redirect::to(&format!("/articles/{id}")).into_response());
    }
    let limit = state.config.page_size;
    let outcome = if p.q.trim().is_empty() {
        Results::default()
    } else {
        run_query(&state, &p, limit).await?
    };
    let categories = state.store.categories(0).await?;
    let categories = categories.into_iter().map(|c| c.category).collect();
    let template = SearchTemplate::new(&p, categories, outcome, limit);
    Ok(Html(template.render()?).into_response())
}

impl SearchTemplate {
    /// The results page for `p`: one page of `outcome`, `limit` to a page.
    fn new(p: &SearchParams, categories: Vec<String>, outcome: Results, limit: i64) -> Self {
        let total = outcome.total as i64;
        let page = p.page();
        Self {
            q: p.q.clone(),
            category: p.category.clone(),
            product: p.product.clone(),
            kind: p.kind.clone(),
            categories: categories
                .into_iter()
                .map(|c| Choice {
                    selected: c == p.category,
                    value: c,
                })
                .collect(),
            kinds: KINDS
                .iter()
                .map(|k| Choice {
                    value: k.to_string(),
                    selected: p.kind.eq_ignore_ascii_case(k),
                })
                .collect(),
            note: outcome.note,
            suggestions: outcome
                .suggestions
                .into_iter()
                .map(Suggestion::new)
                .collect(),
            total,
            first_rank: (page - 1) * limit + 1,
            results: outcome.results.into_iter().map(ResultView::from).collect(),
            pager: Pager::new(page, total, limit, ("← Previous", "Next →"), |n| {
                page_url(p, n)
            }),
            unfiltered_url: format!("/search?q={}", encode(&p.q)),
        }
    }
}

/// The address of page `page` of the search `p`, its filters kept.
fn page_url(p: &SearchParams, page: i64) -> String {
    let mut u = format!("/search?q={}", encode(&p.q));
    for (k, v) in [
        ("category", &p.category),
        ("product", &p.product),
        ("kind", &p.kind),
    ] {
        if !v.is_empty() {
            u.push_str(&format!("&{k}={}", encode(v)));
        }
    }
    if page > 1 {
        u.push_str(&format!("&page={page}"));
    }
    u
}

impl Suggestion {
    fn new(text: String) -> Self {
        Self {
            url: format!("/search?q={}", encode(&text)),
            text,
        }
    }
}

impl From<crate::search::Found> for ResultView {
    fn from(r: crate::search::Found) -> Self {
        Self {
            snippet_html: snippet_html(&r.snippet),
            id: r.id,
            title: r.title,
            date: r.date,
            category: r.category,
        }
    }
}

/// One result of `/api/search`.
#[derive(Serialize)]
struct ApiHit {
    id: ArticleId,
    title: String,
    date: String,
    category: String,
    snippet: String,
    snippet_html: String,
    score: f64,
    /// The searched words its title and symptoms hold.
    matched: Vec<String>,
}

/// The body of `/api/search`.
#[derive(Serialize)]
struct ApiResults {
    /// Articles holding any of the words.
    total: usize,
    /// Of them, those holding all the words.
    exact: usize,
    page: i64,
    /// What happened to the words (corrected, left out, only some matched).
    #[serde(skip_serializing_if = "Option::is_none")]
    note: Option<String>,
    /// Queries to try instead.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    suggestions: Vec<String>,
    results: Vec<ApiHit>,
}

async fn search_api(
    State(state): State<AppState>,
    Query(p): Query<SearchParams>,
) -> Result<Json<ApiResults>, ApiError> {
    let outcome = run_query(&state, &p, state.config.page_size).await?;
    Ok(Json(ApiResults {
        total: outcome.total,
        exact: outcome.exact,
        page: p.page(),
        note: outcome.note,
        suggestions: outcome.suggestions,
        results: outcome
            .results
            .into_iter()
            .map(|r| ApiHit {
                snippet: r.snippet.replace([MARK_START, MARK_END], ""),
                snippet_html: snippet_html(&r.snippet),
                id: r.id,
                title: r.title,
                date: r.date,
                category: r.category,
                score: r.score,
                matched: r.matched,
            })
            .collect(),
    }))
}

/// Escapes a snippet and turns its highlight marks into `<mark>` elements.
fn snippet_html(snippet: &str) -> String {
    let mut out = String::with_capacity(snippet.len() + 32);
    for c in snippet.chars() {
        match c {
            MARK_START => out.push_str("<mark>"),
            MARK_END => out.push_str("</mark>"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Percent-encodes a query-string value (a space as `+`).
pub fn encode(s: &str) -> String {
    form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snippets_are_escaped_and_marked() {
        let cases = [
            ("a \u{2}b\u{3} c", "a <mark>b</mark> c"),
            ("<script>&\"'", "&lt;script&gt;&amp;&quot;&#39;"),
            ("", ""),
        ];
        for (input, want) in cases {
            assert_eq!(snippet_html(input), want);
        }
    }

    #[test]
    fn encodes_query_values() {
        assert_eq!(encode("cc:Mail dirsync"), "cc%3AMail+dirsync");
        assert_eq!(encode("a&b=c"), "a%26b%3Dc");
    }
}
