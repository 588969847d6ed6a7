//! `GET /v1/auth/me`: returns the signed-in user of an access token, admin or not.

use http::StatusCode;
use lambda_http::{Body, Request, Response};
use shared::auth::{AuthenticateError, authenticate_session};
use shared::edge::{self, Query};
use shared::{ApiError, AppContext, ErrorCode};

/// Returns the signed-in user.
#[utoipa::path(
    get,
    path = "/v1/auth/me",
    tag = "auth",
    responses(
        (status = 200, description = "The signed-in user.", body = shared::store::User),
        (status = 401, description = "Codes: auth/token_missing, auth/invalid_token, auth/token_expired, auth/session_revoked, auth/user_not_found.")
    ),
    security(("session" = []))
)]
pub async fn handle(context: &AppContext, request: Request) -> Response<Body> {
    let result = me(context, &request).await;
    edge::respond(&request, result)
}

async fn me(context: &AppContext, request: &Request) -> Result<Response<Body>, ApiError> {
    Query::parse(request, &[])?;

    let user = match authenticate_session(context, request.headers()).await {
        Ok((user, _)) => user,
        Err(AuthenticateError::Rejected(failure)) => return Err(ErrorCode::Session(failure).into()),
        Err(AuthenticateError::Store(error)) => return Err(error.into()),
    };

    Ok(edge::json_response(StatusCode::OK, &user))
}
