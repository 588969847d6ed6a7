//! `DELETE /v1/admin/infra-tokens/{id}`: revokes an InfraToken; it fails on the very next
//! request.

use lambda_http::{Body, Request, Response};
use shared::caller::Caller;
use shared::edge::{self, Query};
use shared::{ApiError, AppContext, ErrorCode};

/// Revokes an InfraToken at once.
#[utoipa::path(
    delete,
    path = "/v1/admin/infra-tokens/{id}",
    tag = "infra-tokens",
    params(("id" = String, Path, description = "The token's id.")),
    responses(
        (status = 200, description = "Revoked; the token fails on the next request.", body = shared::docs::MessageTrue),
        (status = 404, description = "Code: infra_token/infra_token_not_found.")
    ),
    security(("session" = []))
)]
pub async fn handle(context: &AppContext, request: Request) -> Response<Body> {
    let result = revoke_token(context, &request).await;
    edge::respond(&request, result)
}

async fn revoke_token(context: &AppContext, request: &Request) -> Result<Response<Body>, ApiError> {
    let caller = Caller::authorize(request)?;
    Query::parse(request, &[])?;
    let id = edge::path_param(request, "id")?;

    let deleted = context
        .store
        .delete_infra_token(&id, "infra_token.revoked", &caller.actor(), None)
        .await?;

    if !deleted {
        return Err(ErrorCode::InfraTokenNotFound.into());
    }
    tracing::info!(
        request_id = edge::request_id(request),
        token_id = id,
        session_id = caller.session_id(),
        "InfraToken revoked"
    );
    Ok(edge::message_true())
}
