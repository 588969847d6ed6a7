//! `DELETE /v1/admin/workspaces/{id}`: deletes a workspace with its members, collections and
//! requests.

use lambda_http::{Body, Request, Response};
use shared::caller::Caller;
use shared::edge::{self, Query};
use shared::{ApiError, AppContext, ErrorCode};

/// Deletes a workspace and everything under it; the counters drop accordingly.
#[utoipa::path(
    delete,
    path = "/v1/admin/workspaces/{id}",
    tag = "workspaces",
    params(("id" = String, Path, description = "The workspace id.")),
    responses(
        (status = 200, description = "Deleted.", body = shared::docs::MessageTrue),
        (status = 404, description = "Code: team/invalid_id.")
    ),
    security(("session" = []))
)]
pub async fn handle(context: &AppContext, request: Request) -> Response<Body> {
    let result = delete_workspace(context, &request).await;
    edge::respond(&request, result)
}

async fn delete_workspace(
    context: &AppContext,
    request: &Request,
) -> Result<Response<Body>, ApiError> {
    let caller = Caller::authorize(request)?;
    Query::parse(request, &[])?;
    let id = edge::path_param(request, "id")?;

    let audit = caller.audit("workspace.deleted", &id);
    if !context.store.delete_workspace(&id, Some(&audit)).await? {
        return Err(ErrorCode::WorkspaceNotFound.into());
    }

    Ok(edge::message_true())
}
