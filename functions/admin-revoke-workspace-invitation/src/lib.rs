//! `DELETE /v1/admin/workspaces/{id}/invitations/{invitationId}`: revokes a pending
//! workspace invitation.

use lambda_http::{Body, Request, Response};
use shared::caller::{Caller, record_action};
use shared::edge::{self, Query};
use shared::{ApiError, AppContext, ErrorCode};

/// Revokes one pending invitation of a workspace.
#[utoipa::path(
    delete,
    path = "/v1/admin/workspaces/{id}/invitations/{invitationId}",
    tag = "workspaces",
    params(
        ("id" = String, Path, description = "The workspace id."),
        ("invitationId" = String, Path, description = "The invitation id.")
    ),
    responses(
        (status = 200, description = "Revoked.", body = shared::docs::MessageTrue),
        (status = 404, description = "Code: team_invite/no_invite_found.")
    ),
    security(("session" = []))
)]
pub async fn handle(context: &AppContext, request: Request) -> Response<Body> {
    let result = revoke_invitation(context, &request).await;
    edge::respond(&request, result)
}

async fn revoke_invitation(
    context: &AppContext,
    request: &Request,
) -> Result<Response<Body>, ApiError> {
    let caller = Caller::authorize(request)?;
    Query::parse(request, &[])?;
    let id = edge::path_param(request, "id")?;
    let invitation_id = edge::path_param(request, "invitationId")?;

    let revoked = context
        .store
        .revoke_workspace_invitation(&id, &invitation_id)
        .await?;

    if !revoked {
        return Err(ErrorCode::WorkspaceInvitationNotFound.into());
    }
    record_action(
        context,
        &caller,
        "workspace.invitation_revoked",
        &format!("{id}/{invitation_id}"),
    )
    .await;
    Ok(edge::message_true())
}
