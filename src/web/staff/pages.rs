//! The staff pages' handlers and view models: login and logout, the session list, one
//! session's transcript, and insights. Every page but the login takes a [`StaffSession`].

use super::auth::{
    self, COOKIE, DEVICE_COOKIE, DEVICE_SECS, LOGIN_COOKIE, LOGIN_FORM_SECS, SEEN_COOKIE,
    SESSION_SECS, StaffAuth, StaffSession, Wait, cookie, set_cookie, staff_enabled,
};
use crate::clock::unix_now;
use crate::store::{LabelCount, SessionRow};
use crate::web::WebError;
use crate::web::client::Client;
use crate::web::extract::HtmlForm;
use crate::web::state::AppState;
use crate::wizard::{SessionId, Wizard, transcript::utc};
use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use std::collections::HashMap;
use tower_http::set_header::SetResponseHeaderLayer;

/// A session with no outcome and no answer for this long counts as abandoned.
pub const ABANDONED_AFTER_SECS: i64 = 30 * 60;
/// Sessions listed on the staff page.
const LISTED: i64 = 200;

/// This feature's routes; `state` decides whether they exist at all.
pub fn router(state: &AppState) -> Router<AppState> {
    Router::new()
        .route("/staff", get(sessions_page))
        .route("/staff/login", get(login_page).post(login))
        .route("/staff/logout", post(logout))
        .route("/staff/sessions/{id}", get(session_page))
        .route("/staff/insights", get(insights_page))
        // Session lists and transcripts must not linger in shared or browser caches.
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        ))
        // Their pages carry CSRF tokens: never compressed (`web::Secret`).
        .layer(middleware::map_response(|mut res: Response| async move {
            res.extensions_mut().insert(crate::web::Secret);
            res
        }))
        // Each staff page used renews the session's idle time.
        .layer(middleware::from_fn_with_state(state.clone(), renew_seen))
        // Outside no-store: without a password these are plain 404s like any other.
        .route_layer(middleware::from_fn_with_state(state.clone(), staff_enabled))
}

/// Renews the "seen" cookie of a request with a live session, unless the answer ends or
/// replaces the session itself (logout, login).
async fn renew_seen(
    State(state): State<AppState>,
    req: axum::extract::Request,
    next: middleware::Next,
) -> Response {
    let (parts, body) = req.into_parts();
    let live = auth::auth(&state)
        .ok()
        .and_then(|auth| StaffSession::from_headers(auth, &parts.headers));
    let client = Client::of(&parts, &state.config);
    let mut res = next
        .run(axum::extract::Request::from_parts(parts, body))
        .await;
    let Some(live) = live else {
        return res;
    };
    let ends = res
        .headers()
        .get_all(header::SET_COOKIE)
        .iter()
        .any(|c| c.as_bytes().starts_with(format!("{COOKIE}=").as_bytes()));
    if !ends {
        let auth = &live.auth;
        let seen = auth.new_seen(live.value());
        let cookie = set_cookie(SEEN_COOKIE, &seen, auth.idle_secs(), auth.secure(&client));
        res.headers_mut().append(header::SET_COOKIE, cookie);
    }
    res
}

fn to_login() -> Response {
    Redirect::to("/staff/login").into_response()
}

#[derive(Template)]
#[template(path = "staff_login.html")]
struct LoginPage {
    csrf: String,
    error: Option<String>,
}

/// A login page with a fresh CSRF pairing: the cookie holds an expiry and a nonce, the
/// form their MAC.
fn login_response(
    auth: &StaffAuth,
    client: &Client,
    status: StatusCode,
    error: Option<String>,
) -> Result<Response, WebError> {
    let (value, token) = auth.new_login_pair()?;
    let page = LoginPage { csrf: token, error };
    let mut res = (status, Html(page.render()?)).into_response();
    res.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(LOGIN_COOKIE, &value, LOGIN_FORM_SECS, auth.secure(client)),
    );
    Ok(res)
}

async fn login_page(
    State(state): State<AppState>,
    client: Client,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    let auth = auth::auth(&state)?;
    if StaffSession::from_headers(auth, &headers).is_some() {
        return Ok(Redirect::to("/staff").into_response());
    }
    login_response(auth, &client, StatusCode::OK, None)
}

/// The login form.
#[derive(Debug, Deserialize)]
struct LoginForm {
    #[serde(default)]
    password: String,
    #[serde(default)]
    csrf: String,
}

fn too_many(wait: Wait) -> Response {
    let (wait, whose) = match wait {
        Wait::Client(w) => (w, "from here"),
        Wait::Account(w) => (
            w,
            "to the staff account (from anywhere; an administrator can lift this with \
             kbfix staff unlock)",
        ),
    };
    let secs = wait.as_secs().max(1);
    let mut res = WebError::TooManyRequests(format!(
        "Too many failed logins {whose}. Wait {secs} s before trying again."
    ))
    .into_response();
    res.headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from(secs));
    res
}

async fn login(
    State(state): State<AppState>,
    client: Client,
    headers: HeaderMap,
    HtmlForm(form): HtmlForm<LoginForm>,
) -> Result<Response, WebError> {
    let auth = auth::auth(&state)?;
    if !cookie(&headers, LOGIN_COOKIE).is_some_and(|c| auth.valid_login_pair(c, &form.csrf)) {
        return Err(WebError::Forbidden(
            "The form's security token is missing, wrong or too old. Reload the login page \
             and try again."
                .into(),
        ));
    }
    let known = cookie(&headers, DEVICE_COOKIE).is_some_and(|c| auth.known_device(c));
    match auth.claim_attempt(client.ip, known) {
        Ok(()) => {}
        // Locked for the account: an administrator may have lifted it since (read only
        // here, on the refused path, so attempts that pass cost no read).
        Err(Wait::Account(wait)) => {
            let unlocked = state.store.staff_unlocked_at().await?;
            let lifted = unlocked.is_some_and(|at| auth.lift_if_unlocked_since(at));
            if !lifted {
                return Ok(too_many(Wait::Account(wait)));
            }
            if let Err(wait) = auth.claim_attempt(client.ip, known) {
                return Ok(too_many(wait));
            }
        }
        Err(wait) => return Ok(too_many(wait)),
    }
    if !auth.verify(form.password).await? {
        return login_response(
            auth,
            &client,
            StatusCode::UNAUTHORIZED,
            Some("Wrong password.".into()),
        );
    }
    auth.clear_failures(client.ip);
    let session = auth.new_session()?;
    let mut res = Redirect::to("/staff").into_response();
    let secure = auth.secure(&client);
    let h = res.headers_mut();
    h.append(
        header::SET_COOKIE,
        set_cookie(COOKIE, &session, SESSION_SECS, secure),
    );
    h.append(header::SET_COOKIE, set_cookie(LOGIN_COOKIE, "", 0, secure));
    if let Some(session) = auth.valid_session(&session) {
        h.append(
            header::SET_COOKIE,
            set_cookie(
                SEEN_COOKIE,
                &auth.new_seen(session),
                auth.idle_secs(),
                secure,
            ),
        );
    }
    h.append(
        header::SET_COOKIE,
        set_cookie(DEVICE_COOKIE, &auth.new_device()?, DEVICE_SECS, secure),
    );
    Ok(res)
}

/// A form that only carries its CSRF token.
#[derive(Debug, Deserialize)]
struct CsrfForm {
    #[serde(default)]
    csrf: String,
}

async fn logout(
    State(state): State<AppState>,
    staff: StaffSession,
    client: Client,
    HtmlForm(form): HtmlForm<CsrfForm>,
) -> Result<Response, WebError> {
    if !staff.csrf_ok(&form.csrf) {
        return Err(WebError::Forbidden(
            "The form's security token is missing or wrong.".into(),
        ));
    }
    // The cookie is cleared in the browser and refused on the server, so a copy kept
    // elsewhere is worthless too.
    staff.revoke(&state.store).await?;
    let mut res = to_login();
    res.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(COOKIE, "", 0, staff.auth.secure(&client)),
    );
    Ok(res)
}

/// One session in the staff list.
struct SessionLine {
    id: String,
    started: String,
    status: &'static str,
    status_class: String,
    origin: String,
    input: String,
    step: String,
    resolved_by: String,
}

fn status(row: &SessionRow, now: i64) -> &'static str {
    match row.outcome {
        Some(outcome) => outcome.as_str(),
        None if row.updated_at < now - ABANDONED_AFTER_SECS => "abandoned",
        None => "in progress",
    }
}

#[derive(Template)]
#[template(path = "staff_sessions.html")]
struct SessionsPage {
    csrf: String,
    unresolved: bool,
    sessions: Vec<SessionLine>,
}

/// The list's query string.
#[derive(Debug, Default, Deserialize)]
struct ListParams {
    #[serde(default)]
    filter: String,
}

async fn sessions_page(
    State(state): State<AppState>,
    staff: StaffSession,
    Query(params): Query<ListParams>,
) -> Result<Response, WebError> {
    let unresolved = params.filter == "unresolved";
    let now = unix_now();
    let rows = state.store.recent_sessions(unresolved, LISTED).await?;
    let sessions = rows
        .iter()
        .map(|r| SessionLine {
            id: r.id.clone(),
            started: utc(r.created_at),
            status: status(r, now),
            status_class: status(r, now).replace(' ', "-"),
            origin: r.origin.to_string(),
            input: r.input.chars().take(120).collect(),
            step: r.current_kind.label().to_string(),
            resolved_by: match (r.resolved_article, r.resolved_cause) {
                (Some(a), Some(c)) => format!("Q{a}, cause {}", c + 1),
                (Some(a), None) => format!("Q{a}"),
                _ => String::new(),
            },
        })
        .collect();
    let page = SessionsPage {
        csrf: staff.csrf(),
        unresolved,
        sessions,
    };
    Ok(Html(page.render()?).into_response())
}

#[derive(Template)]
#[template(path = "staff_session.html")]
struct SessionPage {
    csrf: String,
    id: String,
    status: &'static str,
    transcript: String,
    /// What the user wrote for the helpdesk, when they did.
    handoff: Option<crate::store::Handoff>,
    /// When they wrote it, as a date.
    handoff_at: String,
}

async fn session_page(
    State(state): State<AppState>,
    staff: StaffSession,
    Path(raw): Path<String>,
) -> Result<Response, WebError> {
    let id: SessionId = raw.parse()?;
    let session = Wizard::new(&state.store, &state.matcher, &state.searcher)
        .load(&id)
        .await?;
    let page = SessionPage {
        csrf: staff.csrf(),
        id: id.to_string(),
        status: status(&session.row, unix_now()),
        transcript: session.transcript(),
        handoff_at: session
            .handoff
            .as_ref()
            .map(|h| utc(h.saved_at))
            .unwrap_or_default(),
        handoff: session.handoff,
    };
    Ok(Html(page.render()?).into_response())
}

/// A row of an insights table.
struct InsightLine {
    what: String,
    detail: String,
    sessions: i64,
}

#[derive(Template)]
#[template(path = "staff_insights.html")]
struct InsightsPage {
    csrf: String,
    resolutions: Vec<InsightLine>,
    give_ups: Vec<InsightLine>,
}

async fn insights_page(
    State(state): State<AppState>,
    staff: StaffSession,
) -> Result<Response, WebError> {
    let now = unix_now();
    let top = state.store.top_resolutions(20).await?;
    let ids: Vec<crate::kb::ArticleId> = top
        .iter()
        .filter_map(|r| r.label.parse::<u32>().ok().map(crate::kb::ArticleId))
        .collect();
    let titles: HashMap<String, String> = state
        .store
        .summaries(&ids)
        .await?
        .into_iter()
        .map(|s| (s.id.0.to_string(), s.title))
        .collect();
    let resolutions = top
        .iter()
        .map(|r: &LabelCount| InsightLine {
            what: format!(
                "Q{:0>6} {}",
                r.label,
                titles.get(&r.label).cloned().unwrap_or_default()
            ),
            detail: match r.detail.as_deref().and_then(|c| c.parse::<i64>().ok()) {
                Some(c) => format!("cause {}", c + 1),
                None => "its resolution".into(),
            },
            sessions: r.sessions,
        })
        .collect();
    let give_ups = state
        .store
        .give_ups(now - ABANDONED_AFTER_SECS)
        .await?
        .into_iter()
        .map(|r| InsightLine {
            what: r.kind.label().to_string(),
            detail: r.detail.to_string(),
            sessions: r.sessions,
        })
        .collect();
    let page = InsightsPage {
        csrf: staff.csrf(),
        resolutions,
        give_ups,
    };
    Ok(Html(page.render()?).into_response())
}
