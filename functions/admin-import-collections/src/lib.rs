//! `POST /v1/admin/workspaces/{id}/collections/import`: imports a Hoppscotch collection
//! export into a workspace, keeping folder nesting and order.

use http::StatusCode;
use lambda_http::{Body, Request, Response};
use shared::caller::{Caller, record_action};
use shared::edge::{self, Query};
use shared::import::{ImportProblem, MAX_IMPORT_BYTES, plan_import};
use shared::store::ImportCounts;
use shared::{ApiError, AppContext, ErrorCode};

/// Imports a collection export (one collection object or an array of them) after checking
/// all of it; nothing is stored when any element is invalid.
#[utoipa::path(
    post,
    path = "/v1/admin/workspaces/{id}/collections/import",
    tag = "workspaces",
    params(("id" = String, Path, description = "The workspace id.")),
    request_body(content = Object, description = "A Hoppscotch collection export: collection schema `v` 1 to 12, REST request `v` from 1 to 17 as a string. At most 2 MiB, 10 levels of folders and 5000 collections and requests."),
    responses(
        (status = 201, description = "Stored counts.", body = ImportCounts),
        (status = 400, description = "Codes: team_coll/invalid_json, team_coll/too_deep, team_coll/too_many_items, each with the `path` of the offending element and a `reason`."),
        (status = 404, description = "Code: team/invalid_id.")
    ),
    security(("session" = []))
)]
pub async fn handle(context: &AppContext, request: Request) -> Response<Body> {
    let result = import(context, &request).await;
    edge::respond(&request, result)
}

async fn import(context: &AppContext, request: &Request) -> Result<Response<Body>, ApiError> {
    let caller = Caller::authorize(request)?;
    Query::parse(request, &[])?;
    let id = edge::path_param(request, "id")?;
    let bytes = edge::json_bytes(request, MAX_IMPORT_BYTES)?;
    let plan = plan_import(bytes).map_err(problem_error)?;

    let counts = context.store.import_collections(&id, &plan).await?;

    let counts = counts.ok_or(ErrorCode::WorkspaceNotFound)?;
    record_action(context, &caller, "workspace.collections_imported", &id).await;
    Ok(edge::json_response(StatusCode::CREATED, &counts))
}

fn problem_error(problem: ImportProblem) -> ApiError {
    match problem {
        ImportProblem::InvalidShape { path, reason } => ApiError::AtPath {
            code: ErrorCode::CollectionInvalidJson,
            path,
            reason,
        },
        ImportProblem::TooDeep { path } => ApiError::AtPath {
            code: ErrorCode::CollectionTooDeep,
            path,
            reason: format!("folders nest deeper than {}", shared::import::MAX_DEPTH),
        },
        ImportProblem::TooManyItems => ApiError::AtPath {
            code: ErrorCode::CollectionTooManyItems,
            path: "$".to_owned(),
            reason: format!(
                "more than {} collections and requests",
                shared::import::MAX_ITEMS
            ),
        },
    }
}
