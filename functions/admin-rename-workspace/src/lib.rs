//! `PATCH /v1/admin/workspaces/{id}`: renames a workspace.

use http::StatusCode;
use lambda_http::{Body, Request, Response};
use serde::Deserialize;
use shared::caller::{Caller, record_action};
use shared::edge::{self, Query};
use shared::{ApiError, AppContext, ErrorCode, validate};

/// The new name.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RenameWorkspaceBody {
    /// At most 100 characters, not blank, without control characters. Surrounding whitespace
    /// is trimmed.
    #[schema(min_length = 1, max_length = 100)]
    pub name: String,
}

/// Renames a workspace.
#[utoipa::path(
    patch,
    path = "/v1/admin/workspaces/{id}",
    tag = "workspaces",
    params(("id" = String, Path, description = "The workspace id.")),
    request_body = RenameWorkspaceBody,
    responses(
        (status = 200, description = "The renamed workspace.", body = shared::store::Workspace),
        (status = 400, description = "Code: team/name_invalid; or field validation."),
        (status = 404, description = "Code: team/invalid_id.")
    ),
    security(("session" = []))
)]
pub async fn handle(context: &AppContext, request: Request) -> Response<Body> {
    let result = rename_workspace(context, &request).await;
    edge::respond(&request, result)
}

async fn rename_workspace(
    context: &AppContext,
    request: &Request,
) -> Result<Response<Body>, ApiError> {
    let caller = Caller::authorize(request)?;
    Query::parse(request, &[])?;
    let id = edge::path_param(request, "id")?;
    let body: RenameWorkspaceBody = edge::json_body(request)?;
    let name = validate::workspace_name(&body.name)?;

    let workspace = context.store.rename_workspace(&id, &name).await?;

    let workspace = workspace.ok_or(ErrorCode::WorkspaceNotFound)?;
    record_action(context, &caller, "workspace.renamed", &id).await;
    Ok(edge::json_response(StatusCode::OK, &workspace))
}
