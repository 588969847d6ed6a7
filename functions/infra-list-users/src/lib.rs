//! `GET /v1/infra/users`: lists users, admins first, then by display name, with search.

use http::StatusCode;
use lambda_http::{Body, Request, Response};
use shared::caller::Caller;
use shared::edge::{self, Query};
use shared::paging::Page;
use shared::{ApiError, AppContext};

/// Serves the request.
pub async fn handle(context: &AppContext, request: Request) -> Response<Body> {
    let result = list_users(context, &request).await;
    edge::respond(&request, result)
}

async fn list_users(context: &AppContext, request: &Request) -> Result<Response<Body>, ApiError> {
    Caller::authorize(request)?;
    let query = Query::parse(request, &["skip", "take", "searchString"])?;
    let page = Page::from_query(&query)?;
    let search = query.get("searchString");
    if search == Some("") {
        return Err(ApiError::invalid(
            "searchString must be longer than or equal to 1 characters",
        ));
    }

    let users = context.store.list_users(search, page).await?;

    Ok(edge::json_response(StatusCode::OK, &users))
}
