//! `DELETE /v1/admin/infra-tokens/{id}`: revokes an InfraToken; it fails on the very next
//! request.

use lambda_http::{Body, Request, Response};
use shared::caller::Caller;
use shared::edge::{self, Query};
use shared::{ApiError, AppContext, ErrorCode};

/// Serves the request.
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

    deleted.ok_or(ErrorCode::InfraTokenNotFound)?;
    tracing::info!(
        request_id = edge::request_id(request),
        token_id = id,
        session_id = caller.session_id(),
        "InfraToken revoked"
    );
    Ok(edge::message_true())
}
