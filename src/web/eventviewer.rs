//! Event Viewer's own "online help" link: `/events.asp` (and `/fwlink/events.asp`) answers
//! the query Event Viewer sends with the articles for that event and Troubleshoot buttons;
//! `/api/events/lookup` is its JSON twin; `/eventviewer.reg` and `/help/event-viewer` tell
//! administrators how to point Event Viewer here.

mod params;
mod regfile;

pub use regfile::{BadPublicUrl, PublicUrl};

use super::client::Client;
use super::guard::StartClient;
use super::{ApiError, AppState, WebError};
use crate::kb::{self, ArticleId};
use crate::matcher::{EventQuery, MatchOutcome, describe_pasted};
use crate::store::{EventQuote, Summary};
use crate::wizard::{Known, Session, Wizard};
use askama::Template;
use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Extension, Json, Router};
use params::{LinkProblem, Params};
use regfile::Windows;
use std::collections::HashMap;

/// This feature's routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/events.asp", get(events_page))
        .route("/fwlink/events.asp", get(events_page))
        .route("/api/events/lookup", get(lookup_api))
        .route("/troubleshoot/event", post(troubleshoot))
        .route(
            "/eventviewer.reg",
            get(reg_file).layer(axum::middleware::map_response(host_written)),
        )
        .route(
            "/help/event-viewer",
            get(help_page).layer(axum::middleware::map_response(host_written)),
        )
}

/// Answers that may carry the request's `Host` (without `--public-url`): no cache keeps
/// them, and any that does keys them by Host, so one client's Host never reaches another.
async fn host_written(mut res: Response) -> Response {
    let h = res.headers_mut();
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.append(header::VARY, HeaderValue::from_static("Host"));
    res
}

/// What was found for one event: the matcher's ranking and how each article quotes it.
struct Found {
    outcome: MatchOutcome,
    /// The quotes of the event in the ranked articles, by article.
    quotes: HashMap<ArticleId, Vec<EventQuote>>,
    /// Whether any article quotes the event from this source.
    quoted: bool,
    /// The source's most common spelling in the archive, else as sent.
    source_name: String,
    /// With no quoting article: articles quoting other events of the source.
    about_source: Vec<Summary>,
}

async fn look_up(state: &AppState, q: &EventQuery) -> Result<Found, WebError> {
    let key = kb::fold_source(&q.source);
    let outcome = state.matcher.match_event(q).await?;
    let ids: Vec<ArticleId> = outcome.results.iter().map(|r| r.id).collect();
    let mut quotes: HashMap<ArticleId, Vec<EventQuote>> = HashMap::new();
    for quote in state
        .store
        .event_quotes(i64::from(q.event_id), &ids)
        .await?
    {
        quotes.entry(quote.article_id).or_default().push(quote);
    }
    let quoted = quotes.values().flatten().any(|x| x.source_key == key);
    let about_source = if quoted || key.is_empty() {
        Vec::new()
    } else {
        state.store.source_articles(&key, 10).await?
    };
    let source_name = match state.store.source_name(&key).await? {
        Some(name) if !key.is_empty() => name,
        _ => q.source.clone(),
    };
    Ok(Found {
        outcome,
        quotes,
        quoted,
        source_name,
        about_source,
    })
}

/// One ranked article as the page lists it.
struct Row {
    id: String,
    title: String,
    confidence: String,
    reasons: Vec<String>,
    /// The quoted description, when the article quotes the event.
    description: Option<String>,
    /// The source the article quotes the event from, when not the one sent.
    other_source: Option<String>,
}

fn rows(found: &Found, key: &str) -> (Vec<Row>, Vec<Row>) {
    let (mut quoting, mut others) = (Vec::new(), Vec::new());
    for r in &found.outcome.results {
        let quotes = found.quotes.get(&r.id).map(Vec::as_slice).unwrap_or(&[]);
        let same = quotes.iter().find(|x| x.source_key == key);
        let quote = same.or(quotes.first());
        let row = Row {
            id: r.id.to_string(),
            title: r.title.clone(),
            confidence: format!("{:.0}%", r.confidence * 100.0),
            reasons: r.reasons.clone(),
            description: quote.and_then(|x| x.description.clone()),
            other_source: match (same, quote) {
                (None, Some(x)) => Some(x.source.clone().unwrap_or_else(|| "no source".into())),
                _ => None,
            },
        };
        if same.is_some() {
            quoting.push(row);
        } else {
            others.push(row);
        }
    }
    (quoting, others)
}

#[derive(Template)]
#[template(path = "eventviewer.html")]
struct EventPage {
    event_id: u32,
    source: String,
    sent_source: String,
    level: String,
    product: String,
    version: String,
    sent: Vec<(&'static str, String)>,
    quoted: bool,
    quoting: Vec<Row>,
    others: Vec<Row>,
    about_source: Vec<Summary>,
    source_key: String,
    search: String,
}

/// What else Event Viewer sent, shown so the user can check it is their event.
fn sent_details(p: &Params) -> Vec<(&'static str, String)> {
    [
        ("Product", &["prodname"][..]),
        ("Product version", &["prodver"]),
        ("Type", &["evttype"]),
        ("File", &["filename"]),
        ("File version", &["filever"]),
        ("Company", &["coname"]),
        ("Locale", &["lcid"]),
    ]
    .into_iter()
    .filter_map(|(label, names)| p.get(names).map(|v| (label, params::short(v))))
    .collect()
}

async fn events_page(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
) -> Result<Response, WebError> {
    let p = Params::parse(raw.as_deref().unwrap_or(""));
    let q = match params::event_query(&p, &params::EVENT_VIEWER) {
        Ok(q) => q,
        Err(problem) => return bad_link(&problem, &p),
    };
    let found = look_up(&state, &q).await?;
    let key = kb::fold_source(&q.source);
    let (quoting, others) = rows(&found, &key);
    let page = EventPage {
        event_id: q.event_id,
        search: format!("{} {}", found.source_name, q.event_id),
        source: found.source_name,
        sent_source: q.source.clone(),
        level: q.level.clone().unwrap_or_default(),
        product: q.product.clone().unwrap_or_default(),
        version: q.version.clone().unwrap_or_default(),
        sent: sent_details(&p),
        quoted: found.quoted,
        quoting,
        others,
        about_source: found.about_source,
        source_key: key,
    };
    Ok(Html(page.render()?).into_response())
}

#[derive(Template)]
#[template(path = "eventviewer_bad.html")]
struct BadLinkPage {
    message: String,
    search: String,
}

/// The 400 page for a link that names no event: what is wrong and a search box holding
/// whatever of the event the link did name.
fn bad_link(problem: &LinkProblem, p: &Params) -> Result<Response, WebError> {
    let search = [&["evtsrc"][..], &["evtid"]]
        .iter()
        .filter_map(|names| p.get(names))
        .filter(|v| v.chars().count() <= 100)
        .collect::<Vec<_>>()
        .join(" ");
    let page = BadLinkPage {
        message: problem.message(&params::EVENT_VIEWER),
        search,
    };
    Ok((StatusCode::BAD_REQUEST, Html(page.render()?)).into_response())
}

async fn lookup_api(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
) -> Result<Json<MatchOutcome>, ApiError> {
    let p = Params::parse(raw.as_deref().unwrap_or(""));
    let q = params::event_query(&p, &params::API)
        .map_err(|problem| WebError::BadRequest(problem.message(&params::API)))?;
    Ok(Json(state.matcher.match_event(&q).await?))
}

/// The text of a paste that the wizard recognises as the event.
fn event_paste(q: &EventQuery) -> String {
    let mut text = format!("Event ID: {}\r\nSource: {}\r\n", q.event_id, q.source);
    if let Some(level) = &q.level {
        text.push_str(&format!("Type: {level}\r\n"));
    }
    text
}

/// Starts a wizard for the event. With an article chosen, the session starts at that
/// article knowing the product and version sent and, when the article quotes this event
/// from this source, the event as its symptom: the wizard asks none of them again. Without
/// one, it starts as a paste of the event would, from its candidates, still knowing the
/// product and version.
async fn start_wizard(
    state: &AppState,
    q: &EventQuery,
    article: Option<ArticleId>,
    client: Option<StartClient>,
) -> Result<Session, WebError> {
    let w =
        Wizard::new(&state.store, &state.matcher, &state.searcher).for_client(client.map(|c| c.0));
    let mut known = Known::product(
        q.product.as_deref().unwrap_or_default(),
        q.version.as_deref().unwrap_or_default(),
    );
    let Some(article) = article else {
        return Ok(w.start_paste_with(&event_paste(q), known).await?);
    };
    let key = kb::fold_source(&q.source);
    let quotes = state
        .store
        .event_quotes(i64::from(q.event_id), &[article])
        .await?;
    if quotes.iter().any(|x| x.source_key == key) {
        known = known.with_event(&describe_pasted(&q.as_event()));
    }
    Ok(w.start_article_with(article, known).await?)
}

/// `POST /troubleshoot/event`: the page's Troubleshoot buttons (`id`, `source`, `type`,
/// `product`, `version`, and `article` when one was chosen).
async fn troubleshoot(
    State(state): State<AppState>,
    client: Option<Extension<StartClient>>,
    body: Bytes,
) -> Result<Response, WebError> {
    let p = Params::parse(&String::from_utf8_lossy(&body));
    let q = params::event_query(&p, &params::API)
        .map_err(|problem| WebError::BadRequest(problem.message(&params::API)))?;
    let article = match p.get(&["article"]) {
        None => None,
        Some(raw) => Some(raw.parse::<ArticleId>().map_err(|_| {
            WebError::BadRequest(format!(
                "\"{}\" is not an article number; they look like Q168465.",
                params::short(raw)
            ))
        })?),
    };
    let client = client.map(|Extension(c)| c);
    let session = start_wizard(&state, &q, article, client).await?;
    Ok(Redirect::to(&format!("/wizard/{}", session.id)).into_response())
}

/// This server's address: `--public-url`, else the request's `Host` (https when a trusted
/// proxy says so).
fn public_url(state: &AppState, headers: &HeaderMap, client: &Client) -> Option<PublicUrl> {
    if let Some(url) = &state.config.public_url {
        return Some(url.clone());
    }
    let host = headers.get(header::HOST)?.to_str().ok()?;
    PublicUrl::from_host(host, client.forwarded_https)
}

fn no_address() -> WebError {
    WebError::BadRequest(
        "This server cannot tell its own address: the request named no usable host. Start \
         kbfix with --public-url https://your-server to set it."
            .into(),
    )
}

/// `GET /eventviewer.reg[?os=xp]`: the registry file, for Vista and later unless `os=xp`.
async fn reg_file(
    State(state): State<AppState>,
    client: Client,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Result<Response, WebError> {
    let base = public_url(&state, &headers, &client).ok_or_else(no_address)?;
    let windows = match Params::parse(raw.as_deref().unwrap_or("")).get(&["os"]) {
        Some(os) if os.eq_ignore_ascii_case("xp") => Windows::Xp,
        _ => Windows::Vista,
    };
    let text = regfile::reg_text(&base.join("/events.asp"), windows);
    let name = match windows {
        Windows::Vista => "kbfix-eventviewer.reg",
        Windows::Xp => "kbfix-eventviewer-xp.reg",
    };
    let mut res = regfile::reg_bytes(&text).into_response();
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-16"),
    );
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    Ok(res)
}

#[derive(Template)]
#[template(path = "eventviewer_help.html")]
struct HelpPage {
    url: String,
    keys: [&'static str; 2],
    xp_program: &'static str,
    xp_parameters: &'static str,
}

async fn help_page(
    State(state): State<AppState>,
    client: Client,
    headers: HeaderMap,
) -> Result<Html<String>, WebError> {
    let url = public_url(&state, &headers, &client)
        .map(|u| u.join("/events.asp"))
        .unwrap_or_else(|| "https://your-kbfix-server/events.asp".into());
    let page = HelpPage {
        url,
        keys: regfile::KEYS,
        xp_program: regfile::XP_PROGRAM,
        xp_parameters: regfile::XP_PARAMETERS,
    };
    Ok(Html(page.render()?))
}
