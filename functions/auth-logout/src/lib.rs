//! `POST /v1/auth/logout`: ends the session of a refresh token. Its access tokens stop
//! working on the next request, since every check reads the session.

use lambda_http::{Body, Request, Response};
use serde::Deserialize;
use shared::edge::{self, Query};
use shared::store::parse_refresh_token;
use shared::{ApiError, AppContext, ErrorCode};

/// The refresh token of the session to end.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct LogoutBody {
    pub refresh_token: String,
}

/// Ends the session of a refresh token.
#[utoipa::path(
    post,
    path = "/v1/auth/logout",
    tag = "auth",
    request_body = LogoutBody,
    responses(
        (status = 200, description = "The session has ended, or had already.", body = shared::docs::MessageTrue),
        (status = 401, description = "Code: auth/invalid_refresh_token.")
    )
)]
pub async fn handle(context: &AppContext, request: Request) -> Response<Body> {
    let result = logout(context, &request).await;
    edge::respond(&request, result)
}

async fn logout(context: &AppContext, request: &Request) -> Result<Response<Body>, ApiError> {
    Query::parse(request, &[])?;
    let body: LogoutBody = edge::json_body(request)?;
    let (session_id, presented) =
        parse_refresh_token(&body.refresh_token).ok_or(ErrorCode::InvalidRefreshToken)?;

    let session = context.store.get_session(&session_id).await?;
    let Some(session) = session else {
        return Ok(edge::message_true());
    };
    if session.refresh_hash != presented.hash() {
        return Err(ErrorCode::InvalidRefreshToken.into());
    }
    context.store.revoke_session(&session_id).await?;

    tracing::info!(request_id = edge::request_id(request), uid = %session.uid, session_id, "logged out");
    Ok(edge::message_true())
}
