//! `GET /api-docs-json` and `GET /api-docs`: the OpenAPI 3 document, generated from the
//! handlers' own request and response types, and a page that browses it.

mod document;

use std::sync::OnceLock;

use http::StatusCode;
use http::header::CONTENT_TYPE;
use lambda_http::request::RequestContext;
use lambda_http::{Body, Request, RequestExt, Response};
use shared::AppContext;
use shared::edge::{self, Query};

pub use document::document;

/// The page that renders the document in a browser, with no external assets.
const PAGE: &str = include_str!("page.html");

/// Serves the document or the page, by the route that matched. Both take no query
/// parameters and, like every other route, reject unknown ones.
pub async fn handle(_context: &AppContext, request: Request) -> Response<Body> {
    if let Err(error) = Query::parse(&request, &[]) {
        return edge::respond(&request, Err(error));
    }

    let resource = match request.request_context_ref() {
        Some(RequestContext::ApiGatewayV1(context)) => context.resource_path.clone(),
        _ => None,
    };
    match resource.as_deref() {
        Some("/api-docs-json") => serve_document(),
        _ => serve_page(),
    }
}

/// Returns the OpenAPI document as JSON.
#[utoipa::path(
    get,
    path = "/api-docs-json",
    tag = "docs",
    responses((status = 200, description = "This OpenAPI 3 document.", content_type = "application/json"))
)]
pub fn serve_document() -> Response<Body> {
    static JSON: OnceLock<String> = OnceLock::new();
    let json = JSON.get_or_init(|| document().to_json().unwrap_or_default());
    respond(json.clone(), "application/json")
}

/// Returns the page that browses the document.
#[utoipa::path(
    get,
    path = "/api-docs",
    tag = "docs",
    responses((status = 200, description = "A page that browses this document.", content_type = "text/html"))
)]
pub fn serve_page() -> Response<Body> {
    respond(PAGE.to_owned(), "text/html; charset=utf-8")
}

fn respond(body: String, content_type: &'static str) -> Response<Body> {
    let mut response = Response::new(Body::Text(body));
    *response.status_mut() = StatusCode::OK;
    response
        .headers_mut()
        .insert(CONTENT_TYPE, http::HeaderValue::from_static(content_type));
    response
}
