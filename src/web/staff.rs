//! The staff pages behind a password: recent wizard sessions and their outcomes, any
//! transcript, and insights (what resolves, where users give up). Signed HttpOnly cookies,
//! CSRF tokens on every form, throttled logins; every page is a 404 without a password.

use super::extract::HtmlForm;
use super::{AppState, WebError};
use crate::store::{LabelCount, SessionRow};
use crate::wizard::{SessionId, StepKind, Wizard, transcript::utc};
use argon2::password_hash::{PasswordHash, SaltString};
use argon2::{Argon2, PasswordHasher, PasswordVerifier};
use askama::Template;
use axum::extract::connect_info::ConnectInfo;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Extension, Router};
use hmac::{Hmac, Mac};
use serde::Deserialize;
use sha2::Sha256;
use std::collections::HashMap;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::Mutex;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};
use tower_http::set_header::SetResponseHeaderLayer;

/// The staff session cookie.
const COOKIE: &str = "kbfix_staff";
/// The cookie that ties the login form's CSRF token to one browser.
const LOGIN_COOKIE: &str = "kbfix_staff_login";
/// How long a staff login lasts.
const SESSION_SECS: u64 = 8 * 3600;
/// Failed logins allowed per client before it must wait.
const MAX_FAILURES: u32 = 5;
/// How long a client that failed too often waits.
const LOCKOUT: Duration = Duration::from_secs(15 * 60);
/// A session with no outcome and no answer for this long counts as abandoned.
pub const ABANDONED_AFTER_SECS: i64 = 30 * 60;
/// Sessions listed on the staff page.
const LISTED: i64 = 200;

type HmacSha256 = Hmac<Sha256>;

/// What the staff login needs, built once at startup: the password's argon2 hash (the
/// password itself is not kept), a random per-process key that signs cookies and CSRF
/// tokens, and the failed-login counts.
pub struct StaffAuth {
    password_hash: String,
    key: [u8; 32],
    secure_cookies: bool,
    failures: Mutex<HashMap<IpAddr, (u32, Instant)>>,
}

impl std::fmt::Debug for StaffAuth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never print the hash or the key.
        f.debug_struct("StaffAuth")
            .field("secure_cookies", &self.secure_cookies)
            .finish_non_exhaustive()
    }
}

/// Why the staff login could not be set up.
#[derive(Debug, thiserror::Error)]
pub enum StaffSetupError {
    /// The password is empty.
    #[error("the staff password is empty")]
    EmptyPassword,
    /// No randomness for the salt or key.
    #[error("no randomness: {0}")]
    Random(String),
    /// Hashing failed.
    #[error("cannot hash the staff password: {0}")]
    Hash(String),
}

impl StaffAuth {
    /// Hashes `password` with argon2 and draws a fresh signing key. `secure_cookies` marks
    /// cookies Secure on every response (behind a TLS proxy that does not say so).
    pub fn new(password: &str, secure_cookies: bool) -> Result<Self, StaffSetupError> {
        if password.is_empty() {
            return Err(StaffSetupError::EmptyPassword);
        }
        let mut salt = [0u8; 16];
        let mut key = [0u8; 32];
        getrandom::fill(&mut salt).map_err(|e| StaffSetupError::Random(e.to_string()))?;
        getrandom::fill(&mut key).map_err(|e| StaffSetupError::Random(e.to_string()))?;
        let salt =
            SaltString::encode_b64(&salt).map_err(|e| StaffSetupError::Hash(e.to_string()))?;
        let password_hash = Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .map_err(|e| StaffSetupError::Hash(e.to_string()))?
            .to_string();
        Ok(StaffAuth {
            password_hash,
            key,
            secure_cookies,
            failures: Mutex::new(HashMap::new()),
        })
    }

    fn mac(&self, purpose: &str, value: &str) -> String {
        let mut m = HmacSha256::new_from_slice(&self.key).expect("HMAC takes any key length");
        m.update(purpose.as_bytes());
        m.update(b"\0");
        m.update(value.as_bytes());
        hex(&m.finalize().into_bytes())
    }

    /// Compares in constant time, so a forged tag cannot be found byte by byte.
    fn check(&self, purpose: &str, value: &str, tag: &str) -> bool {
        let Some(tag) = unhex(tag) else { return false };
        let mut m = HmacSha256::new_from_slice(&self.key).expect("HMAC takes any key length");
        m.update(purpose.as_bytes());
        m.update(b"\0");
        m.update(value.as_bytes());
        m.verify_slice(&tag).is_ok()
    }

    /// A new signed session cookie value: `expiry.nonce.tag`.
    fn new_session(&self) -> Result<String, WebError> {
        let expires = unix_now() + SESSION_SECS;
        let value = format!("{expires}.{}", nonce()?);
        Ok(format!("{value}.{}", self.mac("session", &value)))
    }

    /// The session's value (`expiry.nonce`) when the cookie is signed and not expired.
    fn valid_session<'c>(&self, cookie: &'c str) -> Option<&'c str> {
        let (value, tag) = cookie.rsplit_once('.')?;
        let expires: u64 = value.split_once('.')?.0.parse().ok()?;
        (expires > unix_now() && self.check("session", value, tag)).then_some(value)
    }

    /// How long a client must still wait, when it failed too often.
    fn locked_for(&self, ip: IpAddr) -> Option<Duration> {
        let mut f = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        match f.get(&ip) {
            Some((n, since)) if *n >= MAX_FAILURES => {
                let waited = since.elapsed();
                if waited >= LOCKOUT {
                    f.remove(&ip);
                    None
                } else {
                    Some(LOCKOUT - waited)
                }
            }
            _ => None,
        }
    }

    fn record_failure(&self, ip: IpAddr) {
        let mut f = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        // Forget clients whose lockout has passed, so the map cannot grow without bound.
        f.retain(|_, (_, since)| since.elapsed() < LOCKOUT);
        let e = f.entry(ip).or_insert((0, Instant::now()));
        e.0 += 1;
        e.1 = Instant::now();
    }

    fn clear_failures(&self, ip: IpAddr) {
        let mut f = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        f.remove(&ip);
    }
}

fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

fn nonce() -> Result<String, WebError> {
    let mut b = [0u8; 16];
    getrandom::fill(&mut b).map_err(|e| WebError::Internal(anyhow::anyhow!("{e}")))?;
    Ok(hex(&b))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(s: &str) -> Option<Vec<u8>> {
    if !s.len().is_multiple_of(2) || !s.is_ascii() {
        return None;
    }
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).ok())
        .collect()
}

/// This feature's routes.
pub fn router() -> Router<AppState> {
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
}

/// The staff settings, or a plain 404 when no password is configured: the pages do not
/// exist then, not even the login.
fn auth(state: &AppState) -> Result<&StaffAuth, WebError> {
    state
        .config
        .staff
        .as_deref()
        .ok_or_else(|| WebError::NotFound("There is no page at this address.".into()))
}

fn cookie<'h>(headers: &'h HeaderMap, name: &str) -> Option<&'h str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|c| c.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// Whether this request reached us over TLS (directly configured, or said by the proxy).
fn secure(auth: &StaffAuth, headers: &HeaderMap) -> bool {
    auth.secure_cookies
        || headers
            .get("x-forwarded-proto")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.trim().eq_ignore_ascii_case("https"))
}

fn set_cookie(name: &str, value: &str, max_age: u64, secure: bool) -> HeaderValue {
    let s = format!(
        "{name}={value}; Path=/staff; HttpOnly; SameSite=Strict; Max-Age={max_age}{}",
        if secure { "; Secure" } else { "" }
    );
    HeaderValue::from_str(&s).expect("cookie values are hex and digits")
}

/// The logged-in staff session's value, when the request carries a valid cookie.
fn logged_in(auth: &StaffAuth, headers: &HeaderMap) -> Option<String> {
    cookie(headers, COOKIE)
        .and_then(|c| auth.valid_session(c))
        .map(str::to_string)
}

fn to_login() -> Response {
    Redirect::to("/staff/login").into_response()
}

/// The client's address for throttling; one shared bucket when it is unknown.
fn client_ip(info: Option<Extension<ConnectInfo<SocketAddr>>>) -> IpAddr {
    info.map(|Extension(ConnectInfo(a))| a.ip())
        .unwrap_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED))
}

#[derive(Template)]
#[template(path = "staff_login.html")]
struct LoginPage {
    csrf: String,
    error: Option<String>,
}

/// A login page with a fresh CSRF pairing: the cookie holds a nonce, the form its MAC.
fn login_response(
    auth: &StaffAuth,
    headers: &HeaderMap,
    status: StatusCode,
    error: Option<String>,
) -> Result<Response, WebError> {
    let n = nonce()?;
    let page = LoginPage {
        csrf: auth.mac("login", &n),
        error,
    };
    let mut res = (status, Html(page.render()?)).into_response();
    res.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(LOGIN_COOKIE, &n, 3600, secure(auth, headers)),
    );
    Ok(res)
}

async fn login_page(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    let auth = auth(&state)?;
    if logged_in(auth, &headers).is_some() {
        return Ok(Redirect::to("/staff").into_response());
    }
    login_response(auth, &headers, StatusCode::OK, None)
}

/// The login form.
#[derive(Debug, Deserialize)]
struct LoginForm {
    #[serde(default)]
    password: String,
    #[serde(default)]
    csrf: String,
}

async fn login(
    State(state): State<AppState>,
    info: Option<Extension<ConnectInfo<SocketAddr>>>,
    headers: HeaderMap,
    HtmlForm(form): HtmlForm<LoginForm>,
) -> Result<Response, WebError> {
    let auth = auth(&state)?;
    let csrf_ok =
        cookie(&headers, LOGIN_COOKIE).is_some_and(|n| auth.check("login", n, &form.csrf));
    if !csrf_ok {
        return Err(WebError::Forbidden(
            "The form's security token is missing or wrong. Reload the login page and try again."
                .into(),
        ));
    }
    let ip = client_ip(info);
    if let Some(wait) = auth.locked_for(ip) {
        let mut res = WebError::TooManyRequests(
            "Too many failed logins. Wait a while before trying again.".into(),
        )
        .into_response();
        let secs = wait.as_secs().max(1).to_string();
        if let Ok(v) = HeaderValue::from_str(&secs) {
            res.headers_mut().insert(header::RETRY_AFTER, v);
        }
        return Ok(res);
    }
    let hash = auth.password_hash.clone();
    let password = form.password;
    // Argon2 is deliberately slow; keep it off the async workers.
    let ok = tokio::task::spawn_blocking(move || {
        PasswordHash::new(&hash)
            .map(|h| {
                Argon2::default()
                    .verify_password(password.as_bytes(), &h)
                    .is_ok()
            })
            .unwrap_or(false)
    })
    .await
    .map_err(|e| WebError::Internal(e.into()))?;
    if !ok {
        auth.record_failure(ip);
        return login_response(
            auth,
            &headers,
            StatusCode::UNAUTHORIZED,
            Some("Wrong password.".into()),
        );
    }
    auth.clear_failures(ip);
    let mut res = Redirect::to("/staff").into_response();
    let secure = secure(auth, &headers);
    let h = res.headers_mut();
    h.append(
        header::SET_COOKIE,
        set_cookie(COOKIE, &auth.new_session()?, SESSION_SECS, secure),
    );
    h.append(header::SET_COOKIE, set_cookie(LOGIN_COOKIE, "", 0, secure));
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
    headers: HeaderMap,
    HtmlForm(form): HtmlForm<CsrfForm>,
) -> Result<Response, WebError> {
    let auth = auth(&state)?;
    let Some(session) = logged_in(auth, &headers) else {
        return Ok(to_login());
    };
    if !auth.check("csrf", &session, &form.csrf) {
        return Err(WebError::Forbidden(
            "The form's security token is missing or wrong.".into(),
        ));
    }
    let mut res = Redirect::to("/staff/login").into_response();
    res.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(COOKIE, "", 0, secure(auth, &headers)),
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
    match row.outcome.as_deref() {
        Some("resolved") => "resolved",
        Some("escalated") => "escalated",
        _ if row.updated_at < now - ABANDONED_AFTER_SECS => "abandoned",
        _ => "in progress",
    }
}

fn kind_label(kind: &str) -> String {
    serde_json::from_value::<StepKind>(serde_json::Value::String(kind.to_string()))
        .map(|k| k.label().to_string())
        .unwrap_or_else(|_| kind.to_string())
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
    headers: HeaderMap,
    Query(params): Query<ListParams>,
) -> Result<Response, WebError> {
    let auth = auth(&state)?;
    let Some(session) = logged_in(auth, &headers) else {
        return Ok(to_login());
    };
    let unresolved = params.filter == "unresolved";
    let now = unix_now() as i64;
    let rows = state.store.recent_sessions(unresolved, LISTED).await?;
    let sessions = rows
        .iter()
        .map(|r| SessionLine {
            id: r.id.clone(),
            started: utc(r.created_at),
            status: status(r, now),
            status_class: status(r, now).replace(' ', "-"),
            origin: r.origin.clone(),
            input: r.input.chars().take(120).collect(),
            step: kind_label(&r.current_kind),
            resolved_by: match (r.resolved_article, r.resolved_cause) {
                (Some(a), Some(c)) => format!("Q{a}, cause {}", c + 1),
                (Some(a), None) => format!("Q{a}"),
                _ => String::new(),
            },
        })
        .collect();
    let page = SessionsPage {
        csrf: auth.mac("csrf", &session),
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
}

async fn session_page(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(raw): Path<String>,
) -> Result<Response, WebError> {
    let auth = auth(&state)?;
    let Some(login) = logged_in(auth, &headers) else {
        return Ok(to_login());
    };
    let id: SessionId = raw.parse()?;
    let session = Wizard::new(&state.store, &state.matcher).load(&id).await?;
    let page = SessionPage {
        csrf: auth.mac("csrf", &login),
        id: id.to_string(),
        status: status(&session.row, unix_now() as i64),
        transcript: session.transcript(),
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
    headers: HeaderMap,
) -> Result<Response, WebError> {
    let auth = auth(&state)?;
    let Some(login) = logged_in(auth, &headers) else {
        return Ok(to_login());
    };
    let now = unix_now() as i64;
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
            what: kind_label(&r.label),
            detail: r.detail.unwrap_or_default(),
            sessions: r.sessions,
        })
        .collect();
    let page = InsightsPage {
        csrf: auth.mac("csrf", &login),
        resolutions,
        give_ups,
    };
    Ok(Html(page.render()?).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn session_cookies_are_signed_and_expire() {
        let auth = StaffAuth::new("pw", false).unwrap();
        let c = auth.new_session().unwrap();
        assert!(auth.valid_session(&c).is_some());
        let other = StaffAuth::new("pw", false).unwrap();
        assert!(other.valid_session(&c).is_none(), "another process's key");
        let (value, tag) = c.rsplit_once('.').unwrap();
        let (_, nonce) = value.split_once('.').unwrap();
        let forged = format!("99999999999.{nonce}.{tag}");
        assert!(auth.valid_session(&forged).is_none());
        let past = format!("1.{nonce}");
        let expired = format!("{past}.{}", auth.mac("session", &past));
        assert!(auth.valid_session(&expired).is_none());
        assert!(auth.valid_session("garbage").is_none());
    }

    #[test]
    fn lockout_after_five_failures() {
        let auth = StaffAuth::new("pw", false).unwrap();
        let ip = IpAddr::V4(Ipv4Addr::LOCALHOST);
        for _ in 0..5 {
            assert!(auth.locked_for(ip).is_none());
            auth.record_failure(ip);
        }
        assert!(auth.locked_for(ip).is_some());
        assert!(auth.locked_for(IpAddr::V4(Ipv4Addr::BROADCAST)).is_none());
        auth.clear_failures(ip);
        assert!(auth.locked_for(ip).is_none());
    }
}
