//! `DELETE /v1/infra/users/{uid}`: deletes a user with its memberships, email marker and
//! pending invitation, in one transaction.

use lambda_http::{Body, Request, Response};
use shared::caller::{Caller, record_action};
use shared::edge::{self, Query};
use shared::store::UserDeletion;
use shared::{ApiError, AppContext, ErrorCode};

/// Deletes a user with their memberships, sessions and pending invitation.
#[utoipa::path(
    delete,
    path = "/v1/infra/users/{uid}",
    tag = "users",
    params(("uid" = String, Path, description = "The user's uid.")),
    responses(
        (status = 200, description = "Deleted with memberships, sessions and pending invitation.", body = shared::docs::MessageTrue),
        (status = 400, description = "Codes: user/is_admin, user/is_owner (the only owner of a workspace), user/too_many_memberships."),
        (status = 404, description = "Code: user/not_found.")
    ),
    security(("infra_token" = []))
)]
pub async fn handle(context: &AppContext, request: Request) -> Response<Body> {
    let result = delete_user(context, &request).await;
    edge::respond(&request, result)
}

async fn delete_user(context: &AppContext, request: &Request) -> Result<Response<Body>, ApiError> {
    let caller = Caller::authorize(request)?;
    Query::parse(request, &[])?;
    let uid = edge::path_param(request, "uid")?;

    let deletion = context.store.delete_user(&uid).await?;

    match deletion {
        UserDeletion::Deleted => {}
        UserDeletion::NotFound => return Err(ErrorCode::UserNotFound.into()),
        UserDeletion::IsAdmin => return Err(ErrorCode::UserIsAdmin.into()),
        UserDeletion::IsOwner => return Err(ErrorCode::UserIsOwner.into()),
        UserDeletion::TooManyMemberships => return Err(ErrorCode::UserTooManyMemberships.into()),
    }
    record_action(context, &caller, "user.deleted", &uid).await;
    tracing::info!(
        request_id = edge::request_id(request),
        token_id = caller.token_id(),
        session_id = caller.session_id(),
        uid,
        "user deleted"
    );
    Ok(edge::message_true())
}
