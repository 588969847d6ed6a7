//! `GET /v1/infra/users`: lists users, admins first, then by display name, with search.

use http::StatusCode;
use lambda_http::{Body, Request, Response};
use shared::caller::Caller;
use shared::edge::{self, Query};
use shared::paging::Page;
use shared::{ApiError, AppContext};

/// Query of the user list.
#[derive(Debug, utoipa::IntoParams)]
#[into_params(parameter_in = Query, rename_all = "camelCase")]
pub struct ListUsersParams {
    /// Keeps users whose display name or email contains this text, ignoring case.
    #[param(min_length = 1)]
    pub search_string: Option<String>,
}

/// Lists users: admins first, then by display name, with optional search.
#[utoipa::path(
    get,
    path = "/v1/infra/users",
    tag = "users",
    params(shared::docs::PageParams, ListUsersParams),
    responses((status = 200, description = "Users: admins first, then by display name, then by uid.", body = Vec<shared::store::User>)),
    security(("infra_token" = []))
)]
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
