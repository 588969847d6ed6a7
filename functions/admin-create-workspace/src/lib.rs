//! `POST /v1/admin/workspaces`: creates a workspace whose owner is an existing user.

use http::StatusCode;
use lambda_http::{Body, Request, Response};
use serde::Deserialize;
use shared::caller::{Caller, record_action};
use shared::edge::{self, Query};
use shared::email::Email;
use shared::store::Workspace;
use shared::{ApiError, AppContext, ErrorCode, validate};

/// The workspace to create; the owner is named by uid or by email.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct CreateWorkspaceBody {
    /// At most 100 characters, not blank, without control characters. Surrounding whitespace
    /// is trimmed.
    #[schema(example = "Payments team", min_length = 1, max_length = 100)]
    pub name: String,
    pub owner_uid: Option<String>,
    #[schema(example = "ada@example.com")]
    pub owner_email: Option<String>,
}

/// Creates a workspace with an existing user as its owner.
#[utoipa::path(
    post,
    path = "/v1/admin/workspaces",
    tag = "workspaces",
    request_body = CreateWorkspaceBody,
    responses(
        (status = 201, description = "Created; the owner is its only member.", body = Workspace),
        (status = 400, description = "Codes: team/name_invalid, invalid/email; or field validation (give exactly one of ownerUid and ownerEmail)."),
        (status = 404, description = "Code: user/not_found (no such owner).")
    ),
    security(("session" = []))
)]
pub async fn handle(context: &AppContext, request: Request) -> Response<Body> {
    let result = create_workspace(context, &request).await;
    edge::respond(&request, result)
}

async fn create_workspace(
    context: &AppContext,
    request: &Request,
) -> Result<Response<Body>, ApiError> {
    let caller = Caller::authorize(request)?;
    Query::parse(request, &[])?;
    let body: CreateWorkspaceBody = edge::json_body(request)?;
    let name = validate::workspace_name(&body.name)?;

    let owner_uid = match (body.owner_uid, body.owner_email) {
        (Some(uid), None) => uid,
        (None, Some(email)) => {
            let email = Email::parse(&email).ok_or(ErrorCode::InvalidEmail)?;
            let owner = context.store.find_user_by_email(&email).await?;
            owner.ok_or(ErrorCode::UserNotFound)?.uid
        }
        _ => {
            return Err(ApiError::invalid(
                "give exactly one of ownerUid and ownerEmail",
            ));
        }
    };
    let workspace = context.store.create_workspace(&name, &owner_uid).await?;

    let workspace = workspace.ok_or(ErrorCode::UserNotFound)?;
    record_action(context, &caller, "workspace.created", &workspace.id).await;
    Ok(edge::json_response(StatusCode::CREATED, &workspace))
}
