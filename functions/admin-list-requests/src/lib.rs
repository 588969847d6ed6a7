//! `GET /v1/admin/workspaces/{id}/requests`: lists a workspace's requests.

use http::StatusCode;
use lambda_http::{Body, Request, Response};
use shared::caller::Caller;
use shared::edge::{self, Query};
use shared::paging::Page;
use shared::{ApiError, AppContext, ErrorCode};

/// Lists requests in creation order, each with its collection and position.
#[utoipa::path(
    get,
    path = "/v1/admin/workspaces/{id}/requests",
    tag = "workspaces",
    params(("id" = String, Path, description = "The workspace id."), shared::docs::PageParams),
    responses(
        (status = 200, description = "Requests.", body = Vec<shared::store::StoredRequest>),
        (status = 404, description = "Code: team/invalid_id.")
    ),
    security(("session" = []))
)]
pub async fn handle(context: &AppContext, request: Request) -> Response<Body> {
    let result = list_requests(context, &request).await;
    edge::respond(&request, result)
}

async fn list_requests(
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
    let requests = context.store.list_requests(&id, page).await?;

    Ok(edge::json_response(StatusCode::OK, &requests))
}
