//! `GET /v1/admin/workspaces`: lists and searches workspaces.

use http::StatusCode;
use lambda_http::{Body, Request, Response};
use shared::caller::Caller;
use shared::edge::{self, Query};
use shared::paging::Page;
use shared::{ApiError, AppContext};

/// Search of the workspace list.
#[derive(Debug, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SearchParams {
    /// Keeps workspaces whose name or id contains this text, ignoring case.
    #[param(min_length = 1)]
    pub search: Option<String>,
}

/// Lists workspaces by name, then id.
#[utoipa::path(
    get,
    path = "/v1/admin/workspaces",
    tag = "workspaces",
    params(shared::docs::PageParams, SearchParams),
    responses((status = 200, description = "Workspaces with their counts.", body = Vec<shared::store::Workspace>)),
    security(("session" = []))
)]
pub async fn handle(context: &AppContext, request: Request) -> Response<Body> {
    let result = list_workspaces(context, &request).await;
    edge::respond(&request, result)
}

async fn list_workspaces(
    context: &AppContext,
    request: &Request,
) -> Result<Response<Body>, ApiError> {
    Caller::authorize(request)?;
    let query = Query::parse(request, &["skip", "take", "search"])?;
    let page = Page::from_query(&query)?;
    let search = query.get("search");
    if search == Some("") {
        return Err(ApiError::invalid(
            "search must be longer than or equal to 1 characters",
        ));
    }

    let workspaces = context.store.list_workspaces(search, page).await?;

    Ok(edge::json_response(StatusCode::OK, &workspaces))
}
