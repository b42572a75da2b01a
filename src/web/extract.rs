//! Request extractors whose rejections are messages a person understands, not axum's defaults.

use super::{ApiError, WebError};
use axum::extract::rejection::{FormRejection, JsonRejection};
use axum::extract::{FromRequest, Request};
use axum::http::StatusCode;
use serde::de::DeserializeOwned;

/// A JSON body; malformed JSON is a 400, a wrong shape a 422, too large a 413, all in JSON.
pub struct ApiJson<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match axum::Json::<T>::from_request(req, state).await {
            Ok(axum::Json(v)) => Ok(ApiJson(v)),
            Err(rejection) => Err(ApiError(json_rejection(rejection))),
        }
    }
}

fn json_rejection(r: JsonRejection) -> WebError {
    match r {
        JsonRejection::JsonDataError(e) => WebError::unprocessable(format!(
            "the JSON body does not have the expected fields: {}",
            e.body_text()
        )),
        JsonRejection::JsonSyntaxError(_) => {
            WebError::BadRequest("the request body is not valid JSON".into())
        }
        JsonRejection::MissingJsonContentType(_) => {
            WebError::BadRequest("send the body as JSON with Content-Type: application/json".into())
        }
        other if other.status() == StatusCode::PAYLOAD_TOO_LARGE => too_large(),
        other => WebError::BadRequest(format!(
            "the request body could not be read: {}",
            other.body_text()
        )),
    }
}

/// A form body, with the same readable rejections as HTML pages.
pub struct HtmlForm<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for HtmlForm<T> {
    type Rejection = WebError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match axum::Form::<T>::from_request(req, state).await {
            Ok(axum::Form(v)) => Ok(HtmlForm(v)),
            Err(r) if r.status() == StatusCode::PAYLOAD_TOO_LARGE => Err(too_large()),
            Err(
                r @ (FormRejection::FailedToDeserializeForm(_)
                | FormRejection::FailedToDeserializeFormBody(_)),
            ) => Err(WebError::unprocessable(format!(
                "the form is missing a field or has a wrong one: {}",
                r.body_text()
            ))),
            Err(other) => Err(WebError::BadRequest(format!(
                "the form could not be read: {}",
                other.body_text()
            ))),
        }
    }
}

pub(super) fn too_large() -> WebError {
    WebError::PayloadTooLarge(format!(
        "the request is larger than {} KiB; paste less text",
        super::MAX_BODY / 1024
    ))
}
