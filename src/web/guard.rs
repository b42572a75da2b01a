//! Guards in front of the handlers, kept out of them: cross-site POSTs refused; rate limits
//! per client and in all on the costly lookups (matching, searching), new sessions and
//! refines; and on the wizard's routes an early answer for a finished session, a missing
//! step number or a full session (the wizard and the store check the same again).

use super::client::Client;
use super::limits::{Kind, Over};
use super::state::AppState;
use super::{ApiError, MAX_BODY, WebError};
use crate::wizard::{Answer, MAX_STEPS, SessionId};
use axum::Router;
use axum::body::Body;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};

fn answer_as(api: bool, e: WebError) -> Response {
    if api {
        ApiError(e).into_response()
    } else {
        e.into_response()
    }
}

/// Whether the request's own headers say it came from another site. Browsers send
/// `Sec-Fetch-Site`; older ones only `Origin`, compared with `Host`. Requests with neither
/// (curl, scripts, tests) are not browsers acting for another site, and pass.
fn cross_site(headers: &HeaderMap) -> bool {
    let get = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    if let Some(site) = get("sec-fetch-site") {
        return !matches!(site, "same-origin" | "none");
    }
    let Some(origin) = get("origin") else {
        return false;
    };
    let host = get("host").unwrap_or_default();
    let origin_host = origin
        .strip_prefix("https://")
        .or_else(|| origin.strip_prefix("http://"));
    origin_host.is_none_or(|h| host.is_empty() || !h.eq_ignore_ascii_case(host))
}

/// Refuses POSTs another site's page makes a browser send (403); forms of our own pages,
/// and clients that are not browsers, pass.
pub(super) async fn same_origin_posts(req: Request, next: Next) -> Response {
    if req.method() == Method::POST && cross_site(req.headers()) {
        let api = req.uri().path().starts_with("/api/");
        return answer_as(
            api,
            WebError::Forbidden(
                "Requests from other sites are refused: use the form on this site's own page."
                    .into(),
            ),
        );
    }
    next.run(req).await
}

/// The wizard's routes behind [`wizard_guard`].
pub(super) fn wizard(router: Router<AppState>, state: &AppState) -> Router<AppState> {
    router.route_layer(middleware::from_fn_with_state(state.clone(), wizard_guard))
}

/// What a wizard POST route does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Route {
    Start,
    Answer,
    Refine,
}

fn route_of(path: &str) -> Option<Route> {
    match path {
        "/troubleshoot"
        | "/troubleshoot/search"
        | "/troubleshoot/article/{id}"
        | "/troubleshoot/event"
        | "/api/wizard" => Some(Route::Start),
        "/wizard/{id}" | "/api/wizard/{id}/answer" => Some(Route::Answer),
        "/wizard/{id}/search" | "/api/wizard/{id}/search" => Some(Route::Refine),
        _ => None,
    }
}

async fn wizard_guard(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .and_then(|p| route_of(p.as_str()));
    let api = req.uri().path().starts_with("/api/");
    match route {
        Some(route) if req.method() == Method::POST => {
            let result = if route == Route::Start {
                start(&state, req, next).await
            } else {
                change(&state, route, api, req, next).await
            };
            result.unwrap_or_else(|e| answer_as(api, e))
        }
        _ => next.run(req).await,
    }
}

/// A short, stable name for a client, kept with its sessions; not the address itself.
fn client_key(client: &Client) -> String {
    let digest = Sha256::digest(client.ip.to_string().as_bytes());
    crate::hex::encode(&digest[..8])
}

/// A 429 saying what was refused and for whom, with `Retry-After`, as HTML or JSON.
fn too_many(api: bool, kind: Kind, over: Over) -> Response {
    let what = match kind {
        Kind::Start => "troubleshooting sessions started",
        Kind::Refine => "searches within troubleshooting sessions",
        Kind::Lookup => "searches and pasted events",
    };
    let whom = match over {
        Over::Client(_) => "from here",
        Over::Everyone(_) => "on this server by everyone at once",
    };
    let secs = over.wait().as_secs().max(1);
    let e = WebError::TooManyRequests(format!(
        "Too many {what} {whom}. Wait {secs} s and try again."
    ));
    let mut res = answer_as(api, e);
    res.headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from(secs));
    res
}

/// Takes one `kind` for the request's client under the configured rates; in-process
/// callers (no peer address) are nobody in particular and not limited, except for session
/// starts (see [`start`]).
fn take(state: &AppState, kind: Kind, client: &Client) -> Result<(), Over> {
    let c = &state.config;
    let (per_client, total) = match kind {
        Kind::Start => (c.sessions_per_minute, c.sessions_per_minute_total),
        Kind::Refine => (c.refines_per_minute, c.refines_per_minute_total),
        Kind::Lookup => (c.lookups_per_minute, c.lookups_per_minute_total),
    };
    if client.ip.is_unspecified() {
        if kind == Kind::Start {
            return state.limits.take(kind, client.ip, per_client, 0);
        }
        return Ok(());
    }
    state.limits.take(kind, client.ip, per_client, total)
}

/// The costly lookups' routes (matching a paste, searching) behind a shared rate limit
/// per client and for the whole server.
pub(super) fn lookups(router: Router<AppState>, state: &AppState) -> Router<AppState> {
    router.route_layer(middleware::from_fn_with_state(state.clone(), lookup_guard))
}

async fn lookup_guard(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let (parts, body) = req.into_parts();
    let client = Client::of(&parts, &state.config);
    if let Err(over) = take(&state, Kind::Lookup, &client) {
        return too_many(parts.uri.path().starts_with("/api/"), Kind::Lookup, over);
    }
    next.run(Request::from_parts(parts, body)).await
}

/// A new session: within the client's rate and the server's, and remembered as the
/// client's, so that its outcome counts once per client towards the ranking. Starting from
/// a paste or words is a lookup too.
async fn start(state: &AppState, req: Request, next: Next) -> Result<Response, WebError> {
    let (parts, body) = req.into_parts();
    let client = Client::of(&parts, &state.config);
    let api = parts.uri.path().starts_with("/api/");
    if let Err(over) = take(state, Kind::Start, &client) {
        return Ok(too_many(api, Kind::Start, over));
    }
    let looks_up = matches!(
        parts.uri.path(),
        "/troubleshoot" | "/troubleshoot/search" | "/api/wizard"
    );
    if looks_up && let Err(over) = take(state, Kind::Lookup, &client) {
        return Ok(too_many(api, Kind::Lookup, over));
    }
    let mut req = Request::from_parts(parts, body);
    // An unknown client (no peer address: in-process callers) is nobody in particular, not
    // one client: its sessions count each. The handler stores the key with the session.
    if !client.ip.is_unspecified() {
        req.extensions_mut()
            .insert(StartClient(client_key(&client)));
    }
    Ok(next.run(req).await)
}

/// The client starting a session, as the start routes keep it with the session (see
/// [`client_key`]); absent for in-process callers.
#[derive(Debug, Clone)]
pub struct StartClient(pub String);

/// The session id in a wizard change's path: `/wizard/{id}...` or `/api/wizard/{id}/...`,
/// percent-decoded as the router decodes it for the handler (an encoded id once slipped
/// past this early check; `Wizard` and the store now check again in any case).
fn session_in(path: &str) -> Option<SessionId> {
    let rest = path
        .strip_prefix("/api/wizard/")
        .or_else(|| path.strip_prefix("/wizard/"))?;
    let raw = rest.split('/').next()?;
    percent_decoded(raw)?.parse().ok()
}

/// `s` with its `%XX` escapes decoded; `None` when that is not UTF-8.
fn percent_decoded(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match (bytes[i], bytes.get(i + 1), bytes.get(i + 2)) {
            (b'%', Some(&h), Some(&l)) if hex(h).is_some() && hex(l).is_some() => {
                out.push((hex(h)? * 16 + hex(l)?) as u8);
                i += 3;
            }
            (b, _, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).ok()
}

/// The fields of an answer or refine body that the guard reads. The search text is not
/// among them: `Wizard::refine` caps what it keeps.
#[derive(Debug, Default)]
struct Fields {
    answer: Option<String>,
    /// `None` when absent; `Some("")` when sent empty.
    step: Option<String>,
}

fn read_fields(api: bool, bytes: &[u8]) -> Fields {
    if api {
        let v: serde_json::Value = serde_json::from_slice(bytes).unwrap_or_default();
        let text = |k: &str| v.get(k).and_then(|x| x.as_str()).map(str::to_string);
        return Fields {
            answer: text("answer"),
            step: v.get("step").map(|s| s.to_string()),
        };
    }
    let mut f = Fields::default();
    for (k, v) in form_urlencoded::parse(bytes) {
        match k.as_ref() {
            "answer" => f.answer = Some(v.into_owned()),
            "step" => f.step = Some(v.into_owned()),
            _ => {}
        }
    }
    f
}

/// Checks a change to a session against its stored state before the handler runs.
fn refuse_change(
    row: &crate::store::SessionRow,
    route: Route,
    api: bool,
    f: &Fields,
) -> Option<WebError> {
    let back = f
        .answer
        .as_deref()
        .is_some_and(|a| a.parse::<Answer>() == Ok(Answer::Back));
    if let Some(outcome) = &row.outcome
        && (route == Route::Refine || !back)
    {
        return Some(WebError::Conflict(format!(
            "This session is finished ({outcome}) and can no longer change; Back reopens it, \
             or start a new one from the home page."
        )));
    }
    if row.current_n >= MAX_STEPS && !back {
        return Some(WebError::Conflict(format!(
            "This session has reached {MAX_STEPS} steps; start a new one from the home page."
        )));
    }
    if route == Route::Answer && !api {
        // The step number is what stops an answer from a stale page landing on a later step.
        match f.step.as_deref().map(str::trim) {
            None | Some("") => {
                return Some(WebError::unprocessable(
                    "The form does not say which step it answers: reload the page \
                     and answer again.",
                ));
            }
            Some(n) if n.parse::<i64>().ok() != Some(row.current_n) => {
                return Some(WebError::Conflict(
                    "This step was already answered; the session has moved on.".into(),
                ));
            }
            Some(_) => {}
        }
    }
    None
}

async fn change(
    state: &AppState,
    route: Route,
    api: bool,
    mut req: Request,
    next: Next,
) -> Result<Response, WebError> {
    if route == Route::Refine {
        let (parts, body) = req.into_parts();
        let client = Client::of(&parts, &state.config);
        if let Err(over) = take(state, Kind::Refine, &client) {
            return Ok(too_many(api, Kind::Refine, over));
        }
        req = Request::from_parts(parts, body);
    }
    let Some(id) = session_in(req.uri().path()) else {
        return Ok(next.run(req).await);
    };
    let Some(row) = state.store.session(id.as_str()).await? else {
        return Ok(next.run(req).await);
    };
    let (parts, body) = req.into_parts();
    let bytes = axum::body::to_bytes(body, MAX_BODY)
        .await
        .map_err(|_| super::extract::too_large())?;
    let fields = read_fields(api, &bytes);
    if let Some(e) = refuse_change(&row, route, api, &fields) {
        return Err(e);
    }
    Ok(next
        .run(Request::from_parts(parts, Body::from(bytes)))
        .await)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wizard::{Origin, Outcome};
    use axum::http::StatusCode;

    #[test]
    fn cross_site_by_fetch_metadata_then_origin() {
        let cases: &[(&[(&str, &str)], bool)] = &[
            (&[], false),
            (&[("sec-fetch-site", "same-origin")], false),
            (&[("sec-fetch-site", "none")], false),
            (&[("sec-fetch-site", "cross-site")], true),
            (&[("sec-fetch-site", "same-site")], true),
            (
                &[("origin", "https://evil.example"), ("host", "kb.local")],
                true,
            ),
            (&[("origin", "null"), ("host", "kb.local")], true),
            (
                &[
                    ("origin", "http://kb.local:3000"),
                    ("host", "kb.local:3000"),
                ],
                false,
            ),
            (
                &[("origin", "https://KB.local"), ("host", "kb.local")],
                false,
            ),
            // A browser's own judgement wins over a proxy's rewritten Host.
            (
                &[
                    ("sec-fetch-site", "same-origin"),
                    ("origin", "https://kb.example"),
                    ("host", "127.0.0.1:3000"),
                ],
                false,
            ),
        ];
        for (headers, want) in cases {
            let mut map = HeaderMap::new();
            for (k, v) in *headers {
                map.insert(*k, v.parse().unwrap());
            }
            assert_eq!(cross_site(&map), *want, "{headers:?}");
        }
    }

    #[test]
    fn session_ids_are_read_as_the_router_decodes_them() {
        let id = "0123456789abcdef0123456789abcdef";
        for path in [
            format!("/wizard/{id}"),
            format!("/api/wizard/%30{}/search", &id[1..]),
            format!("/wizard/%30%31{}/search", &id[2..]),
        ] {
            assert_eq!(
                session_in(&path).map(|s| s.to_string()).as_deref(),
                Some(id)
            );
        }
        assert_eq!(session_in("/wizard/%FF%FE"), None);
        assert_eq!(percent_decoded("a%2"), Some("a%2".into()));
    }

    fn row(current_n: i64, outcome: Option<Outcome>) -> crate::store::SessionRow {
        crate::store::SessionRow {
            id: "0".repeat(32),
            created_at: 0,
            updated_at: 0,
            origin: Origin::Paste,
            input: String::new(),
            recognised: "[]".into(),
            event_key: None,
            current_n,
            current_kind: crate::wizard::StepKind::CheckCause,
            outcome,
            ended_kind: None,
            resolved_article: None,
            resolved_cause: None,
        }
    }

    #[test]
    fn changes_refused_by_session_state() {
        let answer = |a: &str, step: Option<&str>| Fields {
            answer: Some(a.into()),
            step: step.map(str::to_string),
        };
        let refine = Fields::default();
        let status = |r: Option<WebError>| r.map(|e| e.into_response().status());
        let cases = [
            (
                row(3, None),
                Route::Answer,
                false,
                answer("yes", Some("3")),
                None,
            ),
            (row(3, None), Route::Answer, true, answer("yes", None), None),
            (
                row(3, None),
                Route::Answer,
                false,
                answer("yes", None),
                Some(StatusCode::UNPROCESSABLE_ENTITY),
            ),
            (
                row(3, None),
                Route::Answer,
                false,
                answer("yes", Some("2")),
                Some(StatusCode::CONFLICT),
            ),
            (
                row(3, Some(Outcome::Resolved)),
                Route::Refine,
                true,
                refine,
                Some(StatusCode::CONFLICT),
            ),
            (
                row(3, Some(Outcome::Resolved)),
                Route::Answer,
                true,
                answer("yes", None),
                Some(StatusCode::CONFLICT),
            ),
            (
                row(3, Some(Outcome::Escalated)),
                Route::Answer,
                false,
                answer("back", Some("3")),
                None,
            ),
            (
                row(MAX_STEPS, None),
                Route::Answer,
                true,
                answer("yes", None),
                Some(StatusCode::CONFLICT),
            ),
            (
                row(MAX_STEPS, None),
                Route::Answer,
                true,
                answer("back", None),
                None,
            ),
        ];
        for (i, (row, route, api, fields, want)) in cases.into_iter().enumerate() {
            assert_eq!(
                status(refuse_change(&row, route, api, &fields)),
                want,
                "case {i}"
            );
        }
    }
}
