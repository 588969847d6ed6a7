//! Assembly of the OpenAPI document: the handlers' own path annotations, the `/v1/admin`
//! copies of the user-management operations, the security schemes, and the error responses
//! every operation can return.

use utoipa::OpenApi;
use utoipa::openapi::path::Operation;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityRequirement, SecurityScheme};
use utoipa::openapi::{ContentBuilder, Ref, Response, ResponseBuilder};

/// Prefix of the InfraToken route family.
const INFRA_PREFIX: &str = "/v1/infra/";
/// Prefix of the admin-session route family.
const ADMIN_PREFIX: &str = "/v1/admin/";

#[derive(OpenApi)]
#[openapi(
    info(
        title = "infra-admin",
        description = "Admin plane of a self-hosted API-development platform. The `/v1/infra` routes keep the wire contract of Hoppscotch's User Management API and take an InfraToken; the `/v1/admin` routes take the access token of a signed-in admin.",
    ),
    paths(
        infra_list_users::handle,
        infra_get_user::handle,
        infra_update_user::handle,
        infra_delete_user::handle,
        infra_set_admin_status::handle,
        infra_user_workspaces::handle,
        infra_invite_user::handle,
        infra_list_invitations::handle,
        infra_revoke_invitations::handle,
        auth_signin::handle,
        auth_verify::handle,
        auth_refresh::handle,
        auth_logout::handle,
        auth_me::handle,
        admin_create_infra_token::handle,
        admin_list_infra_tokens::handle,
        admin_revoke_infra_token::handle,
        admin_list_audit::handle,
        admin_insights::handle,
        admin_create_workspace::handle,
        admin_list_workspaces::handle,
        admin_get_workspace::handle,
        admin_rename_workspace::handle,
        admin_list_members::handle,
        admin_add_member::handle,
        admin_update_member::handle,
        admin_remove_member::handle,
        admin_import_collections::handle,
        admin_list_collections::handle,
        admin_list_requests::handle,
        admin_delete_workspace::handle,
        admin_list_workspace_invitations::handle,
        admin_revoke_workspace_invitation::handle,
        crate::serve_document,
        crate::serve_page,
    ),
    components(schemas(
        shared::docs::ErrorBody,
        shared::docs::ValidationErrorBody,
        shared::docs::BadRequestBody,
        shared::docs::UnauthorizedBody,
        shared::docs::ServerErrorBody,
    ))
)]
struct ApiDoc;

/// Builds the whole document.
pub fn document() -> utoipa::openapi::OpenApi {
    let mut document = ApiDoc::openapi();
    add_security_schemes(&mut document);
    add_admin_copies(&mut document);

    for (path, item) in document.paths.paths.iter_mut() {
        for (method, operation) in operations(item) {
            operation.operation_id = Some(operation_id(method, path));
            add_error_responses(operation, path);
        }
    }
    document
}

fn add_security_schemes(document: &mut utoipa::openapi::OpenApi) {
    let components = document.components.get_or_insert_with(Default::default);
    let bearer = |format: &str, description: &str| {
        let mut http = HttpBuilder::new()
            .scheme(HttpAuthScheme::Bearer)
            .bearer_format(format)
            .build();
        http.description = Some(description.to_owned());
        SecurityScheme::Http(http)
    };
    components.add_security_scheme(
        "infra_token",
        bearer("iat_<64 hex digits>", "An InfraToken, created by an admin."),
    );
    components.add_security_scheme(
        "session",
        bearer(
            "JWT",
            "The accessToken of POST /v1/auth/verify or /v1/auth/refresh.",
        ),
    );
}

/// Serves every `/v1/infra` operation under `/v1/admin` too, for signed-in admins.
fn add_admin_copies(document: &mut utoipa::openapi::OpenApi) {
    let copies: Vec<_> = document
        .paths
        .paths
        .iter()
        .filter_map(|(path, item)| {
            let admin_path = format!("{ADMIN_PREFIX}{}", path.strip_prefix(INFRA_PREFIX)?);
            let mut item = item.clone();
            for (_, operation) in operations(&mut item) {
                operation.security = Some(vec![SecurityRequirement::new(
                    "session",
                    Vec::<String>::new(),
                )]);
                replace_in_description(
                    operation,
                    "infra_token/creator_not_found (the token's creator was deleted)",
                    "user/not_found",
                );
            }
            Some((admin_path, item))
        })
        .collect();
    document.paths.paths.extend(copies);
}

fn replace_in_description(operation: &mut Operation, from: &str, to: &str) {
    for response in operation.responses.responses.values_mut() {
        if let utoipa::openapi::RefOr::T(response) = response {
            response.description = response.description.replace(from, to);
        }
    }
}

/// Returns the operations of a path item with their methods.
fn operations(item: &mut utoipa::openapi::PathItem) -> Vec<(&'static str, &mut Operation)> {
    [
        ("get", &mut item.get),
        ("put", &mut item.put),
        ("post", &mut item.post),
        ("delete", &mut item.delete),
        ("patch", &mut item.patch),
    ]
    .into_iter()
    .filter_map(|(method, operation)| Some((method, operation.as_mut()?)))
    .collect()
}

/// Builds an operation id such as `patch_v1_admin_users_uid_admin_status`.
fn operation_id(method: &str, path: &str) -> String {
    let words: Vec<String> = path
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|word| !word.is_empty())
        .map(str::to_owned)
        .collect();
    format!("{method}_{}", words.join("_"))
}

/// Documents the error responses an operation can return, each with its body schema; the
/// descriptions an annotation wrote are kept.
fn add_error_responses(operation: &mut Operation, path: &str) {
    let secured = operation
        .security
        .as_ref()
        .is_some_and(|security| !security.is_empty());
    let has_body = operation.request_body.is_some();
    let is_admin = path.starts_with(ADMIN_PREFIX);
    let is_infra = path.starts_with(INFRA_PREFIX);

    let mut errors: Vec<(&str, &str, &str)> = vec![
        (
            "400",
            "BadRequestBody",
            "Invalid query parameters or body fields.",
        ),
        ("429", "ErrorBody", "Code: request/throttled."),
        (
            "500",
            "ServerErrorBody",
            "Codes: authorizer/failed, gateway/failed.",
        ),
        ("502", "ServerErrorBody", "Code: gateway/failed."),
        ("503", "ServerErrorBody", "Code: database/failed."),
    ];
    if has_body {
        errors.push((
            "413",
            "ErrorBody",
            "Code: request/body_too_large (over 16 KiB).",
        ));
        errors.push((
            "415",
            "ErrorBody",
            "Code: request/unsupported_media_type (not application/json).",
        ));
    }
    if is_infra {
        errors.push(("401", "UnauthorizedBody", "Codes: infra_token/authorization_token_missing, infra_token/invalid_token, infra_token/expired."));
    } else if secured {
        errors.push(("401", "UnauthorizedBody", "Codes: auth/token_missing, auth/invalid_token, auth/token_expired, auth/session_revoked, auth/user_not_found."));
    }
    if is_admin {
        errors.push((
            "403",
            "ErrorBody",
            "Code: auth/admin_required (the session's user is not an admin).",
        ));
    }
    for status in ["401", "404"] {
        let schema = if status == "401" {
            "UnauthorizedBody"
        } else {
            "ErrorBody"
        };
        if operation.responses.responses.contains_key(status) {
            errors.push((status, schema, ""));
        }
    }

    for (status, schema, description) in errors {
        let responses = &mut operation.responses.responses;
        let existing = match responses.get(status) {
            Some(utoipa::openapi::RefOr::T(response)) => Some(response.description.clone()),
            _ => None,
        };
        let description = existing.unwrap_or_else(|| description.to_owned());
        responses.insert(
            status.to_owned(),
            error_response(&description, schema).into(),
        );
    }
}

fn error_response(description: &str, schema: &str) -> Response {
    let content = ContentBuilder::new()
        .schema(Some(Ref::from_schema_name(schema)))
        .build();
    ResponseBuilder::new()
        .description(description)
        .content("application/json", content)
        .build()
}
