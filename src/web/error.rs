//! The web layer's error type: each case maps to a status and an HTML or JSON body.
//! Internal causes are logged with tracing and never shown raw.

use askama::Template;
use axum::Json;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use serde_json::json;

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

    /// The message a person sees; internal causes are logged here, not shown.
    fn public_message(&self) -> String {
        match self {
            WebError::Internal(cause) if database_away(cause) => {
                tracing::warn!(error = %format!("{cause:#}"), "the database is not answering");
                "The database is not answering at the moment. Please try again in a minute."
                    .to_string()
            }
            WebError::Internal(cause) => {
                tracing::error!(error = %format!("{cause:#}"), "request failed");
                "Something went wrong on our side. Please try again.".to_string()
            }
            other => other.to_string(),
        }
    }
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
        WebError::Internal(e.into())
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
        match page.render() {
            Ok(html) => (status, Html(html)).into_response(),
            Err(_) => (status, page.message).into_response(),
        }
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
        (status, Json(body)).into_response()
    }
}
