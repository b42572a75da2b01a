//! The HTTP layer: axum routes grouped by feature, each file with its own `router()`,
//! merged here with the middleware every request passes through.

mod article_html;
mod articles;
mod browse;
mod cache;
pub mod client;
mod cpu;
mod error;
mod errors;
mod events;
mod eventviewer;
mod extract;
mod guard;
mod limits;
mod matching;
mod pager;
mod pages;
mod search;
mod server;
mod staff;
mod state;
mod wizard;

pub use error::{ApiError, WebError};
pub use eventviewer::{BadPublicUrl, PublicUrl};
pub use server::{ServeOptions, serve};
pub use staff::{StaffAuth, StaffSession, StaffSetupError};
pub use state::{AppState, Config};

use axum::Router;
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware;
use axum::response::IntoResponse;
use axum::response::Response;
use std::time::Duration;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::compression::predicate::{DefaultPredicate, Predicate};
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

/// The largest request body accepted, on every route.
pub const MAX_BODY: usize = 256 * 1024;

/// The whole application: every feature's routes and the shared middleware.
pub fn app(state: AppState) -> Router {
    let hsts = state.config.hsts;
    Router::new()
        .merge(pages::router())
        .merge(guard::lookups(search::router(), &state))
        .merge(articles::router())
        .merge(browse::router())
        .merge(events::router())
        // Its Troubleshoot buttons start sessions: the wizard's guard applies.
        .merge(guard::wizard(eventviewer::router(), &state))
        .merge(guard::lookups(matching::router(), &state))
        .merge(guard::wizard(wizard::router(), &state))
        .merge(staff::router(&state))
        .fallback(pages::not_found)
        .with_state(state)
        // A panic anywhere below becomes the app's own 500 (logged), not a dropped
        // connection (a 502 behind a proxy).
        .layer(CatchPanicLayer::custom(errors::panic_response))
        // Not a response carrying a CSRF token (the staff pages, `Secret`): compressed
        // beside text an attacker chose, its length could leak the token (BREACH).
        .layer(CompressionLayer::new().compress_when(DefaultPredicate::new().and(not_secret)))
        .layer(RequestBodyLimitLayer::new(MAX_BODY))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            Duration::from_secs(15),
        ))
        // Outside everything that answers on its own (rejections, the body limit, the
        // timeout, a panic): each answer becomes the app's own HTML or JSON error.
        .layer(middleware::from_fn(errors::readable_errors))
        // Outside the error rewriting, so each internal cause is logged once, here.
        .layer(middleware::from_fn(errors::log_causes))
        .layer(middleware::from_fn(guard::same_origin_posts))
        .layer(middleware::from_fn(one_host))
        .layer(TraceLayer::new_for_http())
        // Outermost, so that responses made by the layers themselves carry the headers too.
        .layer(middleware::map_response(security_headers))
        .layer(SetResponseHeaderLayer::overriding(
            header::STRICT_TRANSPORT_SECURITY,
            move |_: &Response| hsts.then(|| HeaderValue::from_static(HSTS)),
        ))
}

/// A year of HTTPS only, once the site is served over TLS (`--secure-cookies`).
const HSTS: &str = "max-age=31536000";

/// Marks a response that carries a secret (a CSRF token): never compressed.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Secret;

fn not_secret(
    _: StatusCode,
    _: axum::http::Version,
    _: &axum::http::HeaderMap,
    extensions: &axum::http::Extensions,
) -> bool {
    extensions.get::<Secret>().is_none()
}

/// Refuses a request with two `Host` headers (400): which one a cache or proxy in front
/// keys by, and which one we would write into a page, could differ.
async fn one_host(req: axum::extract::Request, next: middleware::Next) -> Response {
    if req.headers().get_all(header::HOST).iter().nth(1).is_some() {
        let e = WebError::BadRequest("The request names its host more than once.".into());
        return if req.uri().path().starts_with("/api/") {
            ApiError(e).into_response()
        } else {
            e.into_response()
        };
    }
    next.run(req).await
}

/// Headers every response carries: no inline script, no framing, no sniffing, no powerful
/// browser features, no window shared with other sites.
async fn security_headers(mut res: Response) -> Response {
    const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
                       object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
    const PERMISSIONS: &str = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), \
                               interest-cohort=()";
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert("permissions-policy", HeaderValue::from_static(PERMISSIONS));
    h.insert(
        "cross-origin-opener-policy",
        HeaderValue::from_static("same-origin"),
    );
    res
}
