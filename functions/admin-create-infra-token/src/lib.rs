//! `POST /v1/admin/infra-tokens`: creates an InfraToken and returns its secret, once.

use chrono::Duration;
use http::StatusCode;
use lambda_http::{Body, Request, Response};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use shared::caller::Caller;
use shared::edge::{self, Query};
use shared::store::{InfraTokenInfo, NewInfraToken};
use shared::{ApiError, AppContext, ErrorCode, clock, validate};

/// Expiries a token may have, in days; `null` means it never expires.
pub const EXPIRY_DAYS: [u64; 4] = [7, 30, 60, 90];
/// Minimum label length, in characters after trimming.
pub const MIN_LABEL_CHARS: usize = 3;
/// Maximum label length, in characters as sent.
pub const MAX_LABEL_CHARS: usize = 100;

/// The token to create.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct CreateTokenBody {
    /// At most 100 characters, and at least 3 once surrounding whitespace is trimmed.
    #[schema(example = "deploy script", min_length = 3, max_length = 100)]
    pub label: String,
    /// 7, 30, 60 or 90; `null` or absent for a token that never expires.
    #[serde(default)]
    #[schema(value_type = Option<u32>, example = 30)]
    pub expiry_in_days: Value,
}

/// The one response that carries a token's secret.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CreatedToken<'a> {
    /// The secret, shown this once.
    #[schema(value_type = String, example = "iat_0123")]
    pub token: &'a str,
    pub info: InfraTokenInfo,
}

/// Creates an InfraToken and returns its secret, once.
#[utoipa::path(
    post,
    path = "/v1/admin/infra-tokens",
    tag = "infra-tokens",
    request_body = CreateTokenBody,
    responses(
        (status = 201, description = "Created; the secret is in this response only.", body = CreatedToken),
        (status = 400, description = "Codes: infra_token/expiry_days_invalid, infra_token/label_too_short, infra_token/label_too_long; or field validation.")
    ),
    security(("session" = []))
)]
pub async fn handle(context: &AppContext, request: Request) -> Response<Body> {
    let result = create_token(context, &request).await;
    edge::respond(&request, result)
}

async fn create_token(context: &AppContext, request: &Request) -> Result<Response<Body>, ApiError> {
    let caller = Caller::authorize(request)?;
    Query::parse(request, &[])?;
    let body: CreateTokenBody = edge::json_body(request)?;
    let label = label(&body.label)?;
    let days = expiry_days(&body.expiry_in_days)?;

    let creator = context.store.get_user(caller.acting_uid()).await?;
    let creator = creator.ok_or(ErrorCode::UserNotFound)?;
    let now = clock::now();
    let new = NewInfraToken {
        label,
        creator_uid: creator.uid,
        creator_email: creator.email,
        expires_on: days.map(|days| now + Duration::days(days)),
    };
    let (token, secret) = context
        .store
        .create_infra_token(new, &caller.actor())
        .await?;

    tracing::info!(request_id = edge::request_id(request), token_id = %token.id, session_id = caller.session_id(), "InfraToken created");
    let created = CreatedToken {
        token: secret.expose(),
        info: token.info(now),
    };
    Ok(edge::json_response(StatusCode::CREATED, &created))
}

fn label(text: &str) -> Result<String, ApiError> {
    let label = validate::trim_within(text, MAX_LABEL_CHARS).ok_or(ErrorCode::LabelTooLong)?;
    if label.chars().count() < MIN_LABEL_CHARS {
        return Err(ErrorCode::LabelTooShort.into());
    }
    Ok(label.to_owned())
}

/// Reads `expiryInDays`: one of [`EXPIRY_DAYS`], or `null` (or absent) for no expiry.
fn expiry_days(value: &Value) -> Result<Option<i64>, ApiError> {
    match value {
        Value::Null => Ok(None),
        Value::Number(number) => number
            .as_u64()
            .filter(|days| EXPIRY_DAYS.contains(days))
            .and_then(|days| i64::try_from(days).ok())
            .map(Some)
            .ok_or_else(|| ErrorCode::ExpiryDaysInvalid.into()),
        _ => Err(ErrorCode::ExpiryDaysInvalid.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn expiry_days_accepts_listed_values() {
        assert_eq!(expiry_days(&Value::Null).ok(), Some(None));
        for days in EXPIRY_DAYS {
            assert_eq!(expiry_days(&json!(days)).ok(), Some(Some(days as i64)));
        }
    }

    #[test]
    fn expiry_days_rejects_others() {
        for value in [
            json!(0),
            json!(1),
            json!(-7),
            json!(7.5),
            json!("7"),
            json!(true),
            json!([7]),
            json!(365),
        ] {
            assert!(expiry_days(&value).is_err(), "{value}");
        }
    }

    #[test]
    fn label_rules() {
        assert!(label("  ab ").is_err());
        assert_eq!(label(" abc ").ok().as_deref(), Some("abc"));
        assert!(label(&"x".repeat(MAX_LABEL_CHARS)).is_ok());
        assert!(label(&"x".repeat(MAX_LABEL_CHARS + 1)).is_err());
    }
}
