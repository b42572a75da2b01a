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
        JsonRejection::JsonDataError(e) => {
            WebError::unprocessable(format!("The JSON body {}.", in_our_words(&e.body_text())))
        }
        JsonRejection::JsonSyntaxError(_) => {
            WebError::BadRequest("The request body is not valid JSON.".into())
        }
        JsonRejection::MissingJsonContentType(_) => WebError::BadRequest(
            "Send the body as JSON, with Content-Type: application/json.".into(),
        ),
        other if other.status() == StatusCode::PAYLOAD_TOO_LARGE => too_large(),
        _ => WebError::BadRequest("The request body could not be read.".into()),
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
                "The form {}.",
                in_our_words(&r.body_text())
            ))),
            Err(FormRejection::InvalidFormContentType(_)) => Err(WebError::Refused {
                status: StatusCode::UNSUPPORTED_MEDIA_TYPE,
                message: "Send the form as a web page's form does \
                          (application/x-www-form-urlencoded)."
                    .into(),
            }),
            Err(_) => Err(WebError::BadRequest("The form could not be read.".into())),
        }
    }
}

/// What serde's message about a body means, said as the app says things: the field named
/// only when it is one of ours (serde names our fields for missing and repeated ones; any
/// other text in its message may be the sender's), and no serde or axum wording.
fn in_our_words(framework: &str) -> String {
    let field = |marker: &str| -> Option<String> {
        let rest = &framework[framework.find(marker)? + marker.len()..];
        let name = &rest[..rest.find('`')?];
        let ours = !name.is_empty()
            && name.len() <= 20
            && name.bytes().all(|b| b.is_ascii_lowercase() || b == b'_');
        ours.then(|| name.to_string())
    };
    if let Some(f) = field("missing field `") {
        format!("has no \"{f}\" field")
    } else if let Some(f) = field("duplicate field `") {
        format!("gives \"{f}\" more than once; send it once")
    } else if framework.contains("invalid type") || framework.contains("invalid value") {
        "has a value of the wrong kind (text where text is expected, a number for a step)"
            .to_string()
    } else {
        "has a field missing, repeated or of the wrong kind".to_string()
    }
}

pub(super) fn too_large() -> WebError {
    WebError::PayloadTooLarge(format!(
        "The request is larger than {} KiB; paste less text.",
        super::MAX_BODY / 1024
    ))
}

#[cfg(test)]
mod tests {
    use super::in_our_words;

    #[test]
    fn serde_messages_become_ours() {
        let cases = [
            (
                "Failed to deserialize form body: duplicate field `q`",
                "gives \"q\" more than once; send it once",
            ),
            (
                "missing field `answer` at line 1 column 2",
                "has no \"answer\" field",
            ),
            (
                "Failed to deserialize the JSON body into the target type: q: invalid type: \
                 integer `5`, expected a string at line 1 column 6",
                "has a value of the wrong kind (text where text is expected, a number for a step)",
            ),
            (
                "unknown field `Your account is locked`",
                "has a field missing, repeated or of the wrong kind",
            ),
            (
                "missing field `Your account`",
                "has a field missing, repeated or of the wrong kind",
            ),
        ];
        for (theirs, ours) in cases {
            assert_eq!(in_our_words(theirs), ours, "{theirs}");
        }
    }
}
