//! `GET /v1/infra/users/{uid}/workspaces`: lists the workspaces a user belongs to, with the
//! user's role and each workspace's member counts.

use http::StatusCode;
use lambda_http::{Body, Request, Response};
use serde::Serialize;
use shared::caller::Caller;
use shared::edge::{self, Query};
use shared::store::{Membership, Role, Workspace};
use shared::{ApiError, AppContext, ErrorCode};

/// A workspace in the wire shape of the User Management API, whose count fields are
/// snake_case.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct UserWorkspace {
    pub id: String,
    pub name: String,
    pub role: Role,
    pub owner_count: i64,
    pub editor_count: i64,
    pub viewer_count: i64,
    pub member_count: i64,
}

/// Lists a user's workspaces with the user's role and the member counts.
#[utoipa::path(
    get,
    path = "/v1/infra/users/{uid}/workspaces",
    tag = "users",
    params(("uid" = String, Path, description = "The user's uid.")),
    responses(
        (status = 200, description = "The user's workspaces by name, with the user's role and the member counts.", body = Vec<UserWorkspace>),
        (status = 404, description = "Code: user/not_found.")
    ),
    security(("infra_token" = []))
)]
pub async fn handle(context: &AppContext, request: Request) -> Response<Body> {
    let result = user_workspaces(context, &request).await;
    edge::respond(&request, result)
}

async fn user_workspaces(
    context: &AppContext,
    request: &Request,
) -> Result<Response<Body>, ApiError> {
    Caller::authorize(request)?;
    Query::parse(request, &[])?;
    let uid = edge::path_param(request, "uid")?;

    if context.store.get_user(&uid).await?.is_none() {
        return Err(ErrorCode::UserNotFound.into());
    }
    let memberships = context.store.user_memberships(&uid).await?;
    let ids: Vec<String> = memberships.iter().map(|m| m.workspace_id.clone()).collect();
    let workspaces = context.store.get_workspaces(&ids).await?;

    let mut listed: Vec<UserWorkspace> = memberships
        .iter()
        .filter_map(|membership| {
            Some(describe(
                membership,
                workspaces.get(&membership.workspace_id)?,
            ))
        })
        .collect();
    listed.sort_by(|a, b| (a.name.to_lowercase(), &a.id).cmp(&(b.name.to_lowercase(), &b.id)));
    Ok(edge::json_response(StatusCode::OK, &listed))
}

fn describe(membership: &Membership, workspace: &Workspace) -> UserWorkspace {
    UserWorkspace {
        id: workspace.id.clone(),
        name: workspace.name.clone(),
        role: membership.role,
        owner_count: workspace.owner_count,
        editor_count: workspace.editor_count,
        viewer_count: workspace.viewer_count,
        member_count: workspace.member_count,
    }
}
