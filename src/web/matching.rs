//! `POST /api/match`: pasted event text in, recognised events and ranked articles out.

use super::extract::ApiJson;
use super::{ApiError, AppState, WebError};
use crate::matcher::MatchOutcome;
use axum::extract::State;
use axum::routing::post;
use axum::{Json, Router};
use serde::Deserialize;

/// This feature's routes.
pub fn router() -> Router<AppState> {
    Router::new().route("/api/match", post(match_api))
}

/// The body of `POST /api/match`.
#[derive(Debug, Deserialize)]
struct MatchRequest {
    text: String,
}

async fn match_api(
    State(state): State<AppState>,
    ApiJson(req): ApiJson<MatchRequest>,
) -> Result<Json<MatchOutcome>, ApiError> {
    if req.text.trim().is_empty() {
        return Err(ApiError(WebError::unprocessable(
            "the text is empty: paste the event or error message",
        )));
    }
    // A large paste is parsed and matched on a core of its own (`web::cpu`).
    let matcher = std::sync::Arc::clone(&state.matcher);
    let text = req.text;
    let size = text.len();
    let work = async move { matcher.match_text(&text).await };
    Ok(Json(state.cpu.run(size, work).await??))
}
