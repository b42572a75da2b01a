//! The HTTP layer: axum routes grouped by feature, each file with its own `router()`,
//! merged here with the middleware every request passes through.

mod articles;
mod browse;
mod cache;
mod error;
mod events;
mod eventviewer;
mod extract;
mod matching;
mod pages;
mod search;
mod staff;
mod wizard;

pub use error::{ApiError, WebError};
pub use eventviewer::{BadPublicUrl, PublicUrl};
pub use staff::{StaffAuth, StaffSetupError};

use crate::matcher::Matcher;
use crate::store::Store;
use axum::Router;
use axum::extract::Request;
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use cache::PageCache;
use std::sync::Arc;
use std::time::Duration;
use tower_http::compression::CompressionLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

/// The largest request body accepted, on every route.
pub const MAX_BODY: usize = 256 * 1024;

/// Settings the handlers read.
#[derive(Debug, Clone, Default)]
pub struct Config {
    /// Results per page on search and browse pages.
    pub page_size: i64,
    /// The staff login; `None` (no password configured) makes every staff page a 404.
    pub staff: Option<Arc<StaffAuth>>,
    /// This server's address as users reach it, for Event Viewer's registry file; `None`
    /// takes it from each request's `Host`.
    pub public_url: Option<PublicUrl>,
}

/// What every handler reaches through `State`: the store, the matcher and the configuration.
#[derive(Clone)]
pub struct AppState {
    /// The database.
    pub store: Store,
    /// Paste matching over the store.
    pub matcher: Arc<Matcher>,
    /// Settings.
    pub config: Arc<Config>,
    /// Rendered article pages.
    pub pages: Arc<PageCache>,
}

impl AppState {
    /// State over `store` with default settings.
    pub fn new(store: Store) -> Self {
        Self {
            matcher: Arc::new(Matcher::new(store.clone())),
            pages: Arc::new(PageCache::default()),
            store,
            config: Arc::new(Config {
                page_size: 20,
                staff: None,
                public_url: None,
            }),
        }
    }

    /// State over `store` with the staff login enabled.
    pub fn with_staff(store: Store, staff: StaffAuth) -> Self {
        let mut state = Self::new(store);
        state.config = Arc::new(Config {
            staff: Some(Arc::new(staff)),
            ..(*state.config).clone()
        });
        state
    }

    /// The same state with this server's public address set (`None` leaves it to each
    /// request's `Host`).
    pub fn with_public_url(mut self, public_url: Option<PublicUrl>) -> Self {
        self.config = Arc::new(Config {
            public_url,
            ..(*self.config).clone()
        });
        self
    }
}

/// The whole application: every feature's routes and the shared middleware.
pub fn app(state: AppState) -> Router {
    Router::new()
        .merge(pages::router())
        .merge(search::router())
        .merge(articles::router())
        .merge(browse::router())
        .merge(events::router())
        .merge(eventviewer::router())
        .merge(matching::router())
        .merge(wizard::router())
        .merge(staff::router())
        .fallback(pages::not_found)
        .with_state(state)
        .layer(CompressionLayer::new())
        .layer(RequestBodyLimitLayer::new(MAX_BODY))
        .layer(middleware::from_fn(readable_too_large))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            Duration::from_secs(15),
        ))
        .layer(TraceLayer::new_for_http())
        // Outermost, so that responses made by the layers themselves (the body limit's 413,
        // the timeout's 408) carry the headers too.
        .layer(middleware::map_response(security_headers))
}

/// The body limit refuses a body whose Content-Length is too large before any handler runs,
/// with a bare text 413; answer as the app does instead: JSON under `/api/`, a page elsewhere.
async fn readable_too_large(req: Request, next: Next) -> Response {
    let api = req.uri().path().starts_with("/api/");
    let res = next.run(req).await;
    let plain = res
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"text/plain"));
    if res.status() != StatusCode::PAYLOAD_TOO_LARGE || !plain {
        return res;
    }
    if api {
        ApiError(extract::too_large()).into_response()
    } else {
        extract::too_large().into_response()
    }
}

/// Headers every response carries: no inline script, no framing, no sniffing.
async fn security_headers(mut res: Response) -> Response {
    const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
                       object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
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
    res
}

/// Serves `app` on `listener` until Ctrl-C or SIGTERM, then finishes in-flight requests.
pub async fn serve(listener: tokio::net::TcpListener, state: AppState) -> std::io::Result<()> {
    // The peer address reaches handlers so failed staff logins are counted per client.
    axum::serve(
        listener,
        app(state).into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
    tracing::info!("shutting down");
}
