//! The web layer's error type: each case maps to a status and an HTML or JSON body.
//! Internal causes are never shown: the response carries them as a [`Cause`] extension and
//! the `log_causes` middleware logs each once.

use askama::Template;
use axum::Json;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use serde_json::json;

/// `raw` (a piece of the address or a parameter) quoted for an error message when it is
/// short and looks like an identifier; otherwise `instead`. Error pages do not repeat
/// sentences a link's author chose ("/articles/Your account is locked…" read as ours).
pub(super) fn quoted_or(raw: &str, instead: &str) -> String {
    const LONGEST: usize = 24;
    let plain = raw
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | ':'));
    if plain && !raw.is_empty() && raw.len() <= LONGEST {
        format!("\"{raw}\"")
    } else {
        instead.to_string()
    }
}

/// What a handler can fail with.
#[derive(Debug, thiserror::Error)]
pub enum WebError {
    /// The thing asked for does not exist; the text says what.
    #[error("{0}")]
    NotFound(String),
    /// The request could not be read (malformed JSON, a bad parameter).
    #[error("{0}")]
    BadRequest(String),
    /// The request was read but its content is not acceptable; `valid` lists what would be.
    #[error("{message}")]
    Unprocessable {
        /// What was wrong.
        message: String,
        /// The acceptable values, when there is a fixed set.
        valid: Vec<String>,
    },
    /// The body is larger than the server accepts.
    #[error("{0}")]
    PayloadTooLarge(String),
    /// Too many attempts; try again later.
    #[error("{0}")]
    TooManyRequests(String),
    /// The request is not allowed (a missing or wrong CSRF token).
    #[error("{0}")]
    Forbidden(String),
    /// The request raced another change (a wizard step answered twice).
    #[error("{0}")]
    Conflict(String),
    /// A status the framework chose (405, 408, 415, a malformed query string...), with our
    /// own message instead of its text.
    #[error("{message}")]
    Refused {
        /// The status to answer.
        status: StatusCode,
        /// What the person sees.
        message: String,
    },
    /// Something failed inside; logged, shown as a generic message.
    #[error("internal error")]
    Internal(#[source] anyhow::Error),
}

impl WebError {
    /// A 422 with `message` and no fixed set of acceptable values.
    pub fn unprocessable(message: impl Into<String>) -> Self {
        WebError::Unprocessable {
            message: message.into(),
            valid: Vec::new(),
        }
    }

    fn status(&self) -> StatusCode {
        match self {
            WebError::NotFound(_) => StatusCode::NOT_FOUND,
            WebError::BadRequest(_) => StatusCode::BAD_REQUEST,
            WebError::Unprocessable { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            WebError::PayloadTooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            WebError::TooManyRequests(_) => StatusCode::TOO_MANY_REQUESTS,
            WebError::Forbidden(_) => StatusCode::FORBIDDEN,
            WebError::Conflict(_) => StatusCode::CONFLICT,
            WebError::Refused { status, .. } => *status,
            WebError::Internal(cause) if database_away(cause) => StatusCode::SERVICE_UNAVAILABLE,
            WebError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The message a person sees; an internal cause is not shown (see [`WebError::cause`]).
    fn public_message(&self) -> String {
        match self {
            WebError::Internal(cause) if database_away(cause) => {
                "The database is not answering at the moment. Please try again in a minute."
                    .to_string()
            }
            WebError::Internal(_) => {
                "Something went wrong on our side. Please try again.".to_string()
            }
            other => other.to_string(),
        }
    }

    /// The internal cause to log, for the response's extensions.
    fn cause(&self) -> Option<Cause> {
        match self {
            WebError::Internal(cause) => Some(Cause {
                text: format!("{cause:#}"),
                unavailable: database_away(cause),
            }),
            _ => None,
        }
    }
}

/// An internal failure behind an error response, with its whole chain of causes: put in the
/// response's extensions so that one middleware logs it, once, whichever layer made it.
#[derive(Debug, Clone)]
pub(super) struct Cause {
    text: String,
    /// The database is away (a 503): a warning, not an error.
    unavailable: bool,
}

impl Cause {
    /// Logs the cause with tracing.
    pub(super) fn log(&self) {
        if self.unavailable {
            tracing::warn!(error = %self.text, "the database is not answering");
        } else {
            tracing::error!(error = %self.text, "request failed");
        }
    }
}

/// Puts `error`'s internal cause, if any, in `res`'s extensions.
fn with_cause(error: &WebError, mut res: Response) -> Response {
    if let Some(cause) = error.cause() {
        res.extensions_mut().insert(cause);
    }
    res
}

/// Whether an internal failure is the database being away (a 503, not a 500), wherever in
/// the chain of causes the store's error sits.
fn database_away(cause: &anyhow::Error) -> bool {
    cause.chain().any(|e| {
        e.downcast_ref::<crate::store::StoreError>()
            .is_some_and(crate::store::StoreError::is_unavailable)
    })
}

impl From<crate::store::StoreError> for WebError {
    fn from(e: crate::store::StoreError) -> Self {
        match e {
            // A bounded read stopped at its limit where no caller had a smaller answer:
            // nothing is broken, the server is busy.
            crate::store::StoreError::Interrupted => WebError::Refused {
                status: StatusCode::SERVICE_UNAVAILABLE,
                message: "The server is busy with long searches; please try again in a moment."
                    .into(),
            },
            e => WebError::Internal(e.into()),
        }
    }
}

impl From<crate::wizard::WizardError> for WebError {
    fn from(e: crate::wizard::WizardError) -> Self {
        use crate::wizard::WizardError as W;
        match e {
            W::NoSession => WebError::NotFound(
                "There is no troubleshooting session at this address. It may have been \
                 mistyped; start again from the home page."
                    .into(),
            ),
            W::NoArticle(id) => WebError::NotFound(format!("Article {id} is not in the archive.")),
            W::InvalidAnswer { answer, valid } => WebError::Unprocessable {
                message: format!("{answer:?} is not an answer to this step."),
                valid,
            },
            W::EmptyInput(message) => WebError::unprocessable(message),
            W::Conflict => WebError::Conflict(
                "This step was already answered; the session has moved on.".into(),
            ),
            W::Finished(outcome) => WebError::Conflict(format!(
                "This session is finished ({outcome}) and can no longer change; Back reopens \
                 it, or start a new one from the home page."
            )),
            W::TooManySteps => WebError::Conflict(format!(
                "This session has reached {} steps; start a new one from the home page.",
                crate::wizard::MAX_STEPS
            )),
            W::TooLarge => WebError::Conflict(
                "This session has stored as much as one may; start a new one from the home page."
                    .into(),
            ),
            W::MissingStep => WebError::unprocessable(
                "The form does not say which step it answers: reload the page and answer again.",
            ),
            W::Store(e) => e.into(),
            other => WebError::Internal(other.into()),
        }
    }
}

impl From<askama::Error> for WebError {
    fn from(e: askama::Error) -> Self {
        WebError::Internal(e.into())
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    status: u16,
    title: String,
    message: String,
    valid: Vec<String>,
    offer_search: bool,
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        let status = self.status();
        let message = self.public_message();
        let valid = match &self {
            WebError::Unprocessable { valid, .. } => valid.clone(),
            _ => Vec::new(),
        };
        let page = ErrorPage {
            status: status.as_u16(),
            title: status.canonical_reason().unwrap_or("Error").to_string(),
            message,
            valid,
            offer_search: status == StatusCode::NOT_FOUND,
        };
        let res = match page.render() {
            Ok(html) => (status, Html(html)).into_response(),
            Err(_) => (status, page.message).into_response(),
        };
        with_cause(&self, res)
    }
}

/// The same errors with a JSON body, for `/api/...` handlers.
#[derive(Debug)]
pub struct ApiError(pub WebError);

impl<E: Into<WebError>> From<E> for ApiError {
    fn from(e: E) -> Self {
        ApiError(e.into())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = self.0.status();
        let mut body = json!({ "error": self.0.public_message() });
        if let WebError::Unprocessable { valid, .. } = &self.0
            && !valid.is_empty()
        {
            body["valid"] = json!(valid);
        }
        with_cause(&self.0, (status, Json(body)).into_response())
    }
}
