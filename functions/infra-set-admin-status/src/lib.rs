//! `PATCH /v1/infra/users/{uid}/admin-status`: promotes or demotes a user, never leaving the
//! instance without an admin.

use lambda_http::{Body, Request, Response};
use serde::Deserialize;
use shared::caller::{Caller, record_action};
use shared::edge::{self, Query};
use shared::store::AdminChange;
use shared::{ApiError, AppContext, ErrorCode};

/// The admin status to set.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct AdminStatusBody {
    /// `true` promotes, `false` demotes; a JSON boolean, not a string.
    pub is_admin: bool,
}

/// Promotes or demotes a user; the last admin cannot be demoted.
#[utoipa::path(
    patch,
    path = "/v1/infra/users/{uid}/admin-status",
    tag = "users",
    params(("uid" = String, Path, description = "The user's uid.")),
    request_body = AdminStatusBody,
    responses(
        (status = 200, description = "Set; demoting a non-admin also succeeds.", body = shared::docs::MessageTrue),
        (status = 400, description = "Code: admin/only_one_admin_account_found; or field validation."),
        (status = 404, description = "Codes: user/not_found (promotion), user/users_not_found (demotion).")
    ),
    security(("infra_token" = []))
)]
pub async fn handle(context: &AppContext, request: Request) -> Response<Body> {
    let result = set_admin_status(context, &request).await;
    edge::respond(&request, result)
}

async fn set_admin_status(
    context: &AppContext,
    request: &Request,
) -> Result<Response<Body>, ApiError> {
    let caller = Caller::authorize(request)?;
    Query::parse(request, &[])?;
    let uid = edge::path_param(request, "uid")?;
    let body: AdminStatusBody = edge::json_body(request)?;

    let change = context.store.set_admin(&uid, body.is_admin).await?;

    match (change, body.is_admin) {
        (AdminChange::Changed | AdminChange::Unchanged, _) => {}
        (AdminChange::NotFound, true) => return Err(ErrorCode::UserNotFound.into()),
        (AdminChange::NotFound, false) => return Err(ErrorCode::UsersNotFound.into()),
        (AdminChange::LastAdmin, _) => return Err(ErrorCode::OnlyOneAdmin.into()),
    }
    if change == AdminChange::Changed {
        let action = if body.is_admin {
            "user.promoted"
        } else {
            "user.demoted"
        };
        record_action(context, &caller, action, &uid).await;
    }
    tracing::info!(
        request_id = edge::request_id(request),
        token_id = caller.token_id(),
        session_id = caller.session_id(),
        uid,
        is_admin = body.is_admin,
        changed = change == AdminChange::Changed,
        "admin status set"
    );
    Ok(edge::message_true())
}
