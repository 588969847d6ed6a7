//! `GET /v1/admin/workspaces/{id}/invitations`: lists a workspace's pending invitations.

use http::StatusCode;
use lambda_http::{Body, Request, Response};
use shared::caller::Caller;
use shared::edge::{self, Query};
use shared::paging::Page;
use shared::{ApiError, AppContext, ErrorCode};

/// Lists a workspace's pending invitations, oldest first.
#[utoipa::path(
    get,
    path = "/v1/admin/workspaces/{id}/invitations",
    tag = "workspaces",
    params(("id" = String, Path, description = "The workspace id."), shared::docs::PageParams),
    responses(
        (status = 200, description = "Pending invitations.", body = Vec<shared::store::WorkspaceInvitation>),
        (status = 404, description = "Code: team/invalid_id.")
    ),
    security(("session" = []))
)]
pub async fn handle(context: &AppContext, request: Request) -> Response<Body> {
    let result = list_invitations(context, &request).await;
    edge::respond(&request, result)
}

async fn list_invitations(
    context: &AppContext,
    request: &Request,
) -> Result<Response<Body>, ApiError> {
    Caller::authorize(request)?;
    let query = Query::parse(request, &["skip", "take"])?;
    let page = Page::from_query(&query)?;
    let id = edge::path_param(request, "id")?;

    if context.store.get_workspace(&id).await?.is_none() {
        return Err(ErrorCode::WorkspaceNotFound.into());
    }
    let invitations = context.store.list_workspace_invitations(&id).await?;

    let page: Vec<_> = invitations
        .into_iter()
        .skip(page.skip)
        .take(page.take)
        .collect();
    Ok(edge::json_response(StatusCode::OK, &page))
}
