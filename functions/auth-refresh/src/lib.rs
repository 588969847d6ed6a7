//! `POST /v1/auth/refresh`: exchanges a refresh token for a new access token and a new
//! refresh token. The old refresh token stops working, and using it again revokes the
//! session.

use http::StatusCode;
use lambda_http::{Body, Request, Response};
use serde::Deserialize;
use shared::edge::{self, Query};
use shared::session::SessionTokens;
use shared::store::{Refresh, parse_refresh_token};
use shared::{ApiError, AppContext, ErrorCode};

/// A session's current refresh token.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct RefreshBody {
    pub refresh_token: String,
}

/// Exchanges a refresh token for new session tokens.
#[utoipa::path(
    post,
    path = "/v1/auth/refresh",
    tag = "auth",
    request_body = RefreshBody,
    responses(
        (status = 200, description = "New tokens; the old refresh token stops working.", body = shared::session::SessionTokens),
        (status = 401, description = "Code: auth/invalid_refresh_token. Presenting a replaced token ends the session.")
    )
)]
pub async fn handle(context: &AppContext, request: Request) -> Response<Body> {
    let result = refresh(context, &request).await;
    edge::respond(&request, result)
}

async fn refresh(context: &AppContext, request: &Request) -> Result<Response<Body>, ApiError> {
    Query::parse(request, &[])?;
    let body: RefreshBody = edge::json_body(request)?;
    let (session_id, presented) =
        parse_refresh_token(&body.refresh_token).ok_or(ErrorCode::InvalidRefreshToken)?;

    let (session, refresh) = match context
        .store
        .refresh_session(&session_id, &presented)
        .await?
    {
        Refresh::Rotated(session, refresh) => (session, refresh),
        Refresh::Invalid | Refresh::Reused => return Err(ErrorCode::InvalidRefreshToken.into()),
    };
    let user = context.store.get_user(&session.uid).await?;
    let user = user.ok_or(ErrorCode::InvalidRefreshToken)?;

    tracing::info!(request_id = edge::request_id(request), uid = %user.uid, session_id, "session refreshed");
    let secret = &context.config.session_secret;
    let tokens = SessionTokens::issue(secret, &user, &session.id, &refresh);
    Ok(edge::json_response(StatusCode::OK, &tokens))
}
