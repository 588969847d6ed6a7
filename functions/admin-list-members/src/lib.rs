//! `GET /v1/admin/workspaces/{id}/members`: lists a workspace's members with their roles.

use std::collections::HashMap;

use http::StatusCode;
use lambda_http::{Body, Request, Response};
use serde::Serialize;
use shared::caller::Caller;
use shared::edge::{self, Query};
use shared::paging::Page;
use shared::store::Role;
use shared::{ApiError, AppContext, ErrorCode};

/// A member of a workspace.
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Member {
    pub uid: String,
    pub email: String,
    pub display_name: Option<String>,
    pub role: Role,
}

/// Lists a workspace's members in uid order.
#[utoipa::path(
    get,
    path = "/v1/admin/workspaces/{id}/members",
    tag = "workspaces",
    params(("id" = String, Path, description = "The workspace id."), shared::docs::PageParams),
    responses(
        (status = 200, description = "Members with their roles.", body = Vec<Member>),
        (status = 404, description = "Code: team/invalid_id.")
    ),
    security(("session" = []))
)]
pub async fn handle(context: &AppContext, request: Request) -> Response<Body> {
    let result = list_members(context, &request).await;
    edge::respond(&request, result)
}

async fn list_members(context: &AppContext, request: &Request) -> Result<Response<Body>, ApiError> {
    Caller::authorize(request)?;
    let query = Query::parse(request, &["skip", "take"])?;
    let page = Page::from_query(&query)?;
    let id = edge::path_param(request, "id")?;

    if context.store.get_workspace(&id).await?.is_none() {
        return Err(ErrorCode::WorkspaceNotFound.into());
    }
    let memberships = context.store.workspace_memberships(&id).await?;
    let memberships: Vec<_> = memberships
        .into_iter()
        .skip(page.skip)
        .take(page.take)
        .collect();
    let uids: Vec<String> = memberships.iter().map(|m| m.uid.clone()).collect();
    let users: HashMap<String, shared::store::User> = context
        .store
        .get_users(&uids)
        .await?
        .into_iter()
        .map(|user| (user.uid.clone(), user))
        .collect();

    let members: Vec<Member> = memberships
        .into_iter()
        .filter_map(|membership| {
            let user = users.get(&membership.uid)?;
            Some(Member {
                uid: membership.uid,
                email: user.email.clone(),
                display_name: user.display_name.clone(),
                role: membership.role,
            })
        })
        .collect();
    Ok(edge::json_response(StatusCode::OK, &members))
}
