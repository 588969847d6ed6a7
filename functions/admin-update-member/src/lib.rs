//! `PATCH /v1/admin/workspaces/{id}/members/{uid}`: changes a member's role.

use lambda_http::{Body, Request, Response};
use serde::Deserialize;
use shared::caller::{Caller, record_action};
use shared::edge::{self, Query};
use shared::store::{MemberChange, Role};
use shared::{ApiError, AppContext, ErrorCode};

/// The new role.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateMemberBody {
    pub role: Role,
}

/// Changes a member's role; the only owner cannot be demoted.
#[utoipa::path(
    patch,
    path = "/v1/admin/workspaces/{id}/members/{uid}",
    tag = "workspaces",
    params(("id" = String, Path, description = "The workspace id."), ("uid" = String, Path, description = "The member's uid.")),
    request_body = UpdateMemberBody,
    responses(
        (status = 200, description = "Changed, or already that role.", body = shared::docs::MessageTrue),
        (status = 400, description = "Code: team/only_one_owner; or field validation."),
        (status = 404, description = "Code: team/member_not_found.")
    ),
    security(("session" = []))
)]
pub async fn handle(context: &AppContext, request: Request) -> Response<Body> {
    let result = update_member(context, &request).await;
    edge::respond(&request, result)
}

async fn update_member(
    context: &AppContext,
    request: &Request,
) -> Result<Response<Body>, ApiError> {
    let caller = Caller::authorize(request)?;
    Query::parse(request, &[])?;
    let id = edge::path_param(request, "id")?;
    let uid = edge::path_param(request, "uid")?;
    let body: UpdateMemberBody = edge::json_body(request)?;

    let change = context.store.change_role(&id, &uid, body.role).await?;

    match change {
        MemberChange::Changed => {
            record_action(
                context,
                &caller,
                "workspace.role_changed",
                &format!("{id}/{uid}"),
            )
            .await;
        }
        MemberChange::Unchanged => {}
        MemberChange::NotMember => return Err(ErrorCode::MemberNotFound.into()),
        MemberChange::OnlyOwner => return Err(ErrorCode::OnlyOneOwner.into()),
    }
    Ok(edge::message_true())
}
