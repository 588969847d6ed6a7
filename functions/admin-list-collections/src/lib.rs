//! `GET /v1/admin/workspaces/{id}/collections`: lists a workspace's collections and folders.

use http::StatusCode;
use lambda_http::{Body, Request, Response};
use shared::caller::Caller;
use shared::edge::{self, Query};
use shared::paging::Page;
use shared::{ApiError, AppContext, ErrorCode};

/// Lists collections and folders in creation order, each with its parent and position.
#[utoipa::path(
    get,
    path = "/v1/admin/workspaces/{id}/collections",
    tag = "workspaces",
    params(("id" = String, Path, description = "The workspace id."), shared::docs::PageParams),
    responses(
        (status = 200, description = "Collections and folders.", body = Vec<shared::store::StoredCollection>),
        (status = 404, description = "Code: team/invalid_id.")
    ),
    security(("session" = []))
)]
pub async fn handle(context: &AppContext, request: Request) -> Response<Body> {
    let result = list_collections(context, &request).await;
    edge::respond(&request, result)
}

async fn list_collections(
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
    let collections = context.store.list_collections(&id, page).await?;

    Ok(edge::json_response(StatusCode::OK, &collections))
}
