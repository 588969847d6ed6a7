//! `DELETE /v1/admin/workspaces/{id}/members/{uid}`: removes a member.

use lambda_http::{Body, Request, Response};
use shared::caller::{Caller, record_action};
use shared::edge::{self, Query};
use shared::store::MemberChange;
use shared::{ApiError, AppContext, ErrorCode};

/// Removes a member; the only owner cannot be removed.
#[utoipa::path(
    delete,
    path = "/v1/admin/workspaces/{id}/members/{uid}",
    tag = "workspaces",
    params(("id" = String, Path, description = "The workspace id."), ("uid" = String, Path, description = "The member's uid.")),
    responses(
        (status = 200, description = "Removed.", body = shared::docs::MessageTrue),
        (status = 400, description = "Code: team/only_one_owner."),
        (status = 404, description = "Code: team/member_not_found.")
    ),
    security(("session" = []))
)]
pub async fn handle(context: &AppContext, request: Request) -> Response<Body> {
    let result = remove_member(context, &request).await;
    edge::respond(&request, result)
}

async fn remove_member(
    context: &AppContext,
    request: &Request,
) -> Result<Response<Body>, ApiError> {
    let caller = Caller::authorize(request)?;
    Query::parse(request, &[])?;
    let id = edge::path_param(request, "id")?;
    let uid = edge::path_param(request, "uid")?;

    let change = context.store.remove_member(&id, &uid).await?;

    match change {
        MemberChange::Changed | MemberChange::Unchanged => {}
        MemberChange::NotMember => return Err(ErrorCode::MemberNotFound.into()),
        MemberChange::OnlyOwner => return Err(ErrorCode::OnlyOneOwner.into()),
    }
    record_action(
        context,
        &caller,
        "workspace.member_removed",
        &format!("{id}/{uid}"),
    )
    .await;
    Ok(edge::message_true())
}
