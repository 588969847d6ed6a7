//! `GET /v1/infra/users/{uid}`: returns one user.

use http::StatusCode;
use lambda_http::{Body, Request, Response};
use shared::caller::Caller;
use shared::edge::{self, Query};
use shared::{ApiError, AppContext, ErrorCode};

/// Returns one user.
#[utoipa::path(
    get,
    path = "/v1/infra/users/{uid}",
    tag = "users",
    params(("uid" = String, Path, description = "The user's uid.")),
    responses(
        (status = 200, description = "The user.", body = shared::store::User),
        (status = 404, description = "Code: user/not_found.")
    ),
    security(("infra_token" = []))
)]
pub async fn handle(context: &AppContext, request: Request) -> Response<Body> {
    let result = get_user(context, &request).await;
    edge::respond(&request, result)
}

async fn get_user(context: &AppContext, request: &Request) -> Result<Response<Body>, ApiError> {
    Caller::authorize(request)?;
    Query::parse(request, &[])?;
    let uid = edge::path_param(request, "uid")?;

    let user = context.store.get_user(&uid).await?;

    let user = user.ok_or(ErrorCode::UserNotFound)?;
    Ok(edge::json_response(StatusCode::OK, &user))
}
