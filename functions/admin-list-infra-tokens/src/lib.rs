//! `GET /v1/admin/infra-tokens`: lists InfraTokens, newest first, without their secrets.

use http::StatusCode;
use lambda_http::{Body, Request, Response};
use shared::caller::Caller;
use shared::edge::{self, Query};
use shared::paging::Page;
use shared::store::InfraTokenInfo;
use shared::{ApiError, AppContext, clock};

/// Lists InfraTokens, newest first, without their secrets.
#[utoipa::path(
    get,
    path = "/v1/admin/infra-tokens",
    tag = "infra-tokens",
    params(shared::docs::PageParams),
    responses((status = 200, description = "Tokens, newest first, without secrets.", body = Vec<InfraTokenInfo>)),
    security(("session" = []))
)]
pub async fn handle(context: &AppContext, request: Request) -> Response<Body> {
    let result = list_tokens(context, &request).await;
    edge::respond(&request, result)
}

async fn list_tokens(context: &AppContext, request: &Request) -> Result<Response<Body>, ApiError> {
    Caller::authorize(request)?;
    let query = Query::parse(request, &["skip", "take"])?;
    let page = Page::from_query(&query)?;

    let tokens = context.store.list_infra_tokens(page).await?;

    let now = clock::now();
    let listed: Vec<InfraTokenInfo> = tokens.iter().map(|token| token.info(now)).collect();
    Ok(edge::json_response(StatusCode::OK, &listed))
}
