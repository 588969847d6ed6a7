//! `PATCH /v1/infra/users/{uid}`: sets a user's display name.

use http::StatusCode;
use lambda_http::{Body, Request, Response};
use serde::Deserialize;
use shared::caller::{Caller, record_action};
use shared::edge::{self, Query};
use shared::{ApiError, AppContext, ErrorCode, validate};

/// Maximum display name length, in characters as sent.
pub const MAX_DISPLAY_NAME_CHARS: usize = 256;

/// New values of a user; only the display name can change.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct UpdateUserBody {
    /// At most 256 characters, not blank, without control characters. Surrounding whitespace
    /// is trimmed.
    #[schema(example = "Ada Lovelace", min_length = 1, max_length = 256)]
    pub display_name: Option<String>,
}

/// Sets a user's display name.
#[utoipa::path(
    patch,
    path = "/v1/infra/users/{uid}",
    tag = "users",
    params(("uid" = String, Path, description = "The user's uid.")),
    request_body = UpdateUserBody,
    responses(
        (status = 200, description = "The updated user.", body = shared::store::User),
        (status = 400, description = "Code: user/short_display_name, checked before the lookup; or field validation."),
        (status = 404, description = "Code: user/not_found.")
    ),
    security(("infra_token" = []))
)]
pub async fn handle(context: &AppContext, request: Request) -> Response<Body> {
    let result = update_user(context, &request).await;
    edge::respond(&request, result)
}

async fn update_user(context: &AppContext, request: &Request) -> Result<Response<Body>, ApiError> {
    let caller = Caller::authorize(request)?;
    Query::parse(request, &[])?;
    let uid = edge::path_param(request, "uid")?;
    let body: UpdateUserBody = edge::json_body(request)?;
    let name = display_name(body.display_name)?;

    let user = context.store.rename_user(&uid, &name).await?;

    let user = user.ok_or(ErrorCode::UserNotFound)?;
    record_action(context, &caller, "user.renamed", &uid).await;
    tracing::info!(
        request_id = edge::request_id(request),
        token_id = caller.token_id(),
        session_id = caller.session_id(),
        uid,
        "user renamed"
    );
    Ok(edge::json_response(StatusCode::OK, &user))
}

/// Validates a display name: at most the maximum length as sent, not blank, no control
/// characters. Returns it trimmed.
fn display_name(name: Option<String>) -> Result<String, ApiError> {
    let name = name.unwrap_or_default();
    let Some(name) = validate::trim_within(&name, MAX_DISPLAY_NAME_CHARS) else {
        return Err(ApiError::invalid(format!(
            "displayName must be shorter than or equal to {MAX_DISPLAY_NAME_CHARS} characters"
        )));
    };
    if name.is_empty() {
        return Err(ErrorCode::UserShortDisplayName.into());
    }
    if name.chars().any(char::is_control) {
        return Err(ApiError::invalid(
            "displayName must not contain control characters",
        ));
    }
    Ok(name.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_name_rules() {
        assert_eq!(
            display_name(Some("  Ada ".to_owned())).ok().as_deref(),
            Some("Ada")
        );
        assert!(display_name(None).is_err());
        assert!(display_name(Some("   ".to_owned())).is_err());
        assert!(display_name(Some("a\u{1}b".to_owned())).is_err());
        assert!(display_name(Some("x".repeat(MAX_DISPLAY_NAME_CHARS + 1))).is_err());
        assert!(display_name(Some("é".repeat(MAX_DISPLAY_NAME_CHARS))).is_ok());
        let padded = format!(" {}", "x".repeat(MAX_DISPLAY_NAME_CHARS));
        assert!(display_name(Some(padded)).is_err());
    }
}
