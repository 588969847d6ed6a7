//! `POST /v1/admin/workspaces/{id}/members`: adds an existing user with a role.

use http::StatusCode;
use lambda_http::{Body, Request, Response};
use serde::Deserialize;
use shared::caller::Caller;
use shared::edge::{self, Query};
use shared::email::Email;
use shared::store::{MemberAdded, Role};
use shared::{ApiError, AppContext, ErrorCode};

/// The user to add, and the role.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AddMemberBody {
    #[schema(example = "ada@example.com")]
    pub email: String,
    pub role: Role,
}

/// Adds an existing user to a workspace.
#[utoipa::path(
    post,
    path = "/v1/admin/workspaces/{id}/members",
    tag = "workspaces",
    params(("id" = String, Path, description = "The workspace id.")),
    request_body = AddMemberBody,
    responses(
        (status = 201, description = "Added.", body = shared::docs::MessageTrue),
        (status = 400, description = "Codes: invalid/email, team_invite/already_member; or field validation."),
        (status = 404, description = "Codes: user/not_found, team/invalid_id.")
    ),
    security(("session" = []))
)]
pub async fn handle(context: &AppContext, request: Request) -> Response<Body> {
    let result = add_member(context, &request).await;
    edge::respond(&request, result)
}

async fn add_member(context: &AppContext, request: &Request) -> Result<Response<Body>, ApiError> {
    let caller = Caller::authorize(request)?;
    Query::parse(request, &[])?;
    let id = edge::path_param(request, "id")?;
    let body: AddMemberBody = edge::json_body(request)?;
    let email = Email::parse(&body.email).ok_or(ErrorCode::InvalidEmail)?;

    let uid = context.store.find_uid_by_email(&email).await?;
    let uid = uid.ok_or(ErrorCode::UserNotFound)?;
    let audit = caller.audit("workspace.member_added", &format!("{id}/{uid}"));
    let added = context
        .store
        .add_member_accepting(&id, &uid, body.role, Some(email.normalized()), Some(&audit))
        .await?;

    match added {
        MemberAdded::Added => {}
        MemberAdded::AlreadyMember => return Err(ErrorCode::AlreadyMember.into()),
        MemberAdded::WorkspaceNotFound => return Err(ErrorCode::WorkspaceNotFound.into()),
        MemberAdded::UserNotFound => return Err(ErrorCode::UserNotFound.into()),
    }
    let body = serde_json::json!({ "message": "true" });
    Ok(edge::json_response(StatusCode::CREATED, &body))
}
