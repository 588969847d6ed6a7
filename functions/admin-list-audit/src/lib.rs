//! `GET /v1/admin/audit`: lists the audit trail, newest first.

use http::StatusCode;
use lambda_http::{Body, Request, Response};
use shared::caller::Caller;
use shared::edge::{self, Query};
use shared::paging::Page;
use shared::{ApiError, AppContext};

/// Lists the audit trail, newest first.
#[utoipa::path(
    get,
    path = "/v1/admin/audit",
    tag = "audit",
    params(shared::docs::PageParams),
    responses((status = 200, description = "Audit entries, newest first.", body = Vec<shared::store::AuditEntry>)),
    security(("session" = []))
)]
pub async fn handle(context: &AppContext, request: Request) -> Response<Body> {
    let result = list_audit(context, &request).await;
    edge::respond(&request, result)
}

async fn list_audit(context: &AppContext, request: &Request) -> Result<Response<Body>, ApiError> {
    Caller::authorize(request)?;
    let query = Query::parse(request, &["skip", "take"])?;
    let page = Page::from_query(&query)?;

    let entries = context.store.list_audit(page).await?;

    Ok(edge::json_response(StatusCode::OK, &entries))
}
