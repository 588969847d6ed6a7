//! `GET /v1/admin/workspaces/{id}`: one workspace with its counts.

use http::StatusCode;
use lambda_http::{Body, Request, Response};
use shared::caller::Caller;
use shared::edge::{self, Query};
use shared::{ApiError, AppContext, ErrorCode};

/// Returns one workspace with its member, collection and request counts.
#[utoipa::path(
    get,
    path = "/v1/admin/workspaces/{id}",
    tag = "workspaces",
    params(("id" = String, Path, description = "The workspace id.")),
    responses(
        (status = 200, description = "The workspace.", body = shared::store::Workspace),
        (status = 404, description = "Code: team/invalid_id.")
    ),
    security(("session" = []))
)]
pub async fn handle(context: &AppContext, request: Request) -> Response<Body> {
    let result = get_workspace(context, &request).await;
    edge::respond(&request, result)
}

async fn get_workspace(
    context: &AppContext,
    request: &Request,
) -> Result<Response<Body>, ApiError> {
    Caller::authorize(request)?;
    Query::parse(request, &[])?;
    let id = edge::path_param(request, "id")?;

    let workspace = context.store.get_workspace(&id).await?;

    let workspace = workspace.ok_or(ErrorCode::WorkspaceNotFound)?;
    Ok(edge::json_response(StatusCode::OK, &workspace))
}
