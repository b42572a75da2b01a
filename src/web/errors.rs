//! Answers the framework makes on its own (an extractor's rejection, the body limit's 413,
//! a 405, the timeout's 408, a caught panic) rewritten as the app's own HTML page or, under
//! `/api/`, JSON: no framework text reaches the client. And the one place internal causes
//! are logged.

use super::error::Cause;
use super::{ApiError, WebError, extract, pages};
use axum::extract::Request;
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::any::Any;

/// Marks a response made from a caught panic.
#[derive(Debug, Clone, Copy)]
struct Panicked;

/// The app's 500 for a panic, its message the cause to log; `readable_errors` turns it
/// into JSON under `/api/`.
pub(super) fn panic_response(panic: Box<dyn Any + Send + 'static>) -> Response {
    let what = panic
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| panic.downcast_ref::<&str>().copied())
        .unwrap_or("(no message)");
    let mut res = WebError::Internal(anyhow::anyhow!("handler panicked: {what}")).into_response();
    res.extensions_mut().insert(Panicked);
    res
}

/// Whether `res` is an error the framework wrote (plain text or no body at all) rather
/// than one of our pages.
fn framework_made(res: &Response) -> bool {
    let status = res.status();
    if !(status.is_client_error() || status.is_server_error()) {
        return false;
    }
    if res.extensions().get::<Panicked>().is_some() {
        return true;
    }
    match res.headers().get(header::CONTENT_TYPE) {
        None => true,
        Some(v) => v.as_bytes().starts_with(b"text/plain"),
    }
}

/// Our error for a status the framework chose.
fn error_for(status: StatusCode) -> WebError {
    match status {
        StatusCode::NOT_FOUND => WebError::NotFound(pages::NOT_FOUND.into()),
        StatusCode::PAYLOAD_TOO_LARGE => extract::too_large(),
        StatusCode::METHOD_NOT_ALLOWED => WebError::Refused {
            status,
            message: "This address does not take that kind of request.".into(),
        },
        StatusCode::REQUEST_TIMEOUT => WebError::Refused {
            status,
            message: "The request took too long. Please try again.".into(),
        },
        StatusCode::UNSUPPORTED_MEDIA_TYPE => WebError::Refused {
            status,
            message: "The body is not in a format this address reads (a form or JSON).".into(),
        },
        s if s.is_server_error() => {
            WebError::Internal(anyhow::anyhow!("the framework answered {s}"))
        }
        s => WebError::Refused {
            status: s,
            message: "The address, its parameters or the form could not be read; check for a \
                      repeated or malformed value."
                .into(),
        },
    }
}

/// Rewrites framework-made errors as ours, keeping the status and its `Allow` header.
pub(super) async fn readable_errors(req: Request, next: Next) -> Response {
    let api = req.uri().path().starts_with("/api/");
    let res = next.run(req).await;
    if !framework_made(&res) {
        return res;
    }
    let status = res.status();
    let allow = res.headers().get(header::ALLOW).cloned();
    // A caught panic's message, carried over for `log_causes`.
    let cause = res.extensions().get::<Cause>().cloned();
    let error = if res.extensions().get::<Panicked>().is_some() {
        WebError::Refused {
            status,
            message: "Something went wrong on our side. Please try again.".into(),
        }
    } else {
        error_for(status)
    };
    let mut out = if api {
        ApiError(error).into_response()
    } else {
        error.into_response()
    };
    if let Some(allow) = allow {
        out.headers_mut().insert(header::ALLOW, allow);
    }
    if let Some(cause) = cause {
        out.extensions_mut().insert(cause);
    }
    out
}

/// Logs the internal cause an error response carries (see [`Cause`]), once, wherever in
/// the app the error was made; the person sees only a generic message.
pub(super) async fn log_causes(req: Request, next: Next) -> Response {
    let res = next.run(req).await;
    if let Some(cause) = res.extensions().get::<Cause>() {
        cause.log();
    }
    res
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::Router;
    use axum::body::Body;
    use axum::middleware;
    use axum::routing::get;
    use http_body_util::BodyExt;
    use tower::ServiceExt;
    use tower_http::catch_panic::CatchPanicLayer;

    async fn boom() -> &'static str {
        panic!("boom")
    }

    async fn failing() -> Result<&'static str, WebError> {
        Err(WebError::Internal(
            anyhow::anyhow!("disk on fire").context("saving the step"),
        ))
    }

    /// What the app logs, captured.
    #[derive(Clone, Default)]
    struct Logged(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

    impl std::io::Write for Logged {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    /// An internal cause (a handler's error or a panic, as HTML or JSON) is logged once,
    /// whole, by the middleware, and never shown.
    #[tokio::test]
    async fn internal_causes_are_logged_once_and_not_shown() {
        let logged = Logged::default();
        let writer = logged.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_writer(move || writer.clone())
            .with_ansi(false)
            .finish();
        let _guard = tracing::subscriber::set_default(subscriber);
        let app = Router::new()
            .route("/page", get(failing))
            .route("/api/boom", get(boom))
            .layer(CatchPanicLayer::custom(panic_response))
            .layer(middleware::from_fn(readable_errors))
            .layer(middleware::from_fn(log_causes));
        for (uri, cause) in [
            ("/page", "saving the step: disk on fire"),
            ("/api/boom", "handler panicked: boom"),
        ] {
            logged.0.lock().unwrap().clear();
            let req = axum::http::Request::get(uri).body(Body::empty()).unwrap();
            let res = app.clone().oneshot(req).await.unwrap();
            assert_eq!(res.status(), StatusCode::INTERNAL_SERVER_ERROR);
            let body = res.into_body().collect().await.unwrap().to_bytes();
            assert!(!String::from_utf8_lossy(&body).contains("fire"), "{uri}");
            let log = String::from_utf8_lossy(&logged.0.lock().unwrap()).to_string();
            assert_eq!(log.matches("request failed").count(), 1, "{uri}: {log}");
            assert!(log.contains(cause), "{uri}: {log}");
        }
    }

    /// Any panic (the review's were in id parsing) is the app's 500, as HTML or JSON.
    #[tokio::test]
    async fn a_panic_is_our_500_page_or_json() {
        let app = Router::new()
            .route("/page", get(boom))
            .route("/api/thing", get(boom))
            .layer(CatchPanicLayer::custom(panic_response))
            .layer(middleware::from_fn(readable_errors));
        for (uri, ct, text) in [
            ("/page", "text/html", "Something went wrong"),
            ("/api/thing", "application/json", "\"error\""),
        ] {
            let req = axum::http::Request::get(uri).body(Body::empty()).unwrap();
            let res = app.clone().oneshot(req).await.unwrap();
            assert_eq!(res.status(), StatusCode::INTERNAL_SERVER_ERROR);
            let ctype = res.headers()[header::CONTENT_TYPE]
                .to_str()
                .unwrap()
                .to_string();
            assert!(ctype.starts_with(ct), "{uri}: {ctype}");
            let body = res.into_body().collect().await.unwrap().to_bytes();
            let body = String::from_utf8_lossy(&body);
            assert!(
                body.contains(text) && !body.contains("boom"),
                "{uri}: {body}"
            );
        }
    }
}
