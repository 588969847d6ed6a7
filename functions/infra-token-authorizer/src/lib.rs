//! REQUEST authorizer for the `/v1/infra` route family: admits a request that carries a
//! live InfraToken as `Authorization: Bearer <token>`.

use aws_lambda_events::apigw::{
    ApiGatewayCustomAuthorizerRequestTypeRequest, ApiGatewayCustomAuthorizerResponse,
};
use chrono::Duration;
use serde_json::json;
use shared::auth::{BearerError, bearer_token};
use shared::caller::{CREATOR_UID_KEY, TOKEN_ID_KEY};
use shared::policy::{self, AuthorizerError};
use shared::store::InfraToken;
use shared::{AppContext, clock, secret::Secret};

/// Route family an InfraToken may call.
pub const ROUTE_FAMILY: &str = "/v1/infra";
/// `lastUsedOn` is written at most once per token in this interval, so reads stay cheap.
const LAST_USED_INTERVAL: Duration = Duration::minutes(1);

/// Reason a request is denied, sent as the code of the 401 body.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Denial {
    TokenMissing,
    InvalidToken,
    Expired,
}

impl Denial {
    fn code(self) -> &'static str {
        match self {
            Self::TokenMissing => "infra_token/authorization_token_missing",
            Self::InvalidToken => "infra_token/invalid_token",
            Self::Expired => "infra_token/expired",
        }
    }
}

/// Decides whether the request may call the `/v1/infra` routes.
pub async fn handle(
    context: &AppContext,
    event: ApiGatewayCustomAuthorizerRequestTypeRequest,
) -> Result<ApiGatewayCustomAuthorizerResponse, AuthorizerError> {
    let (request_id, resource) = policy::event_scope(&event, ROUTE_FAMILY)?;

    let secret = match bearer_secret(&event) {
        Ok(secret) => secret,
        Err(denial) => return Ok(deny(&request_id, resource, denial, None)),
    };
    let hash = secret.hash();

    let token = match context.store.find_infra_token(&hash).await? {
        Some(token) => token,
        None => return Ok(deny(&request_id, resource, Denial::InvalidToken, None)),
    };
    let now = clock::now();
    if token.is_expired(now) {
        return Ok(deny(
            &request_id,
            resource,
            Denial::Expired,
            Some(&token.id),
        ));
    }

    record_use(context, &token, &hash).await;
    tracing::info!(request_id, token_id = %token.id, "InfraToken accepted");
    let claims = json!({ TOKEN_ID_KEY: token.id, CREATOR_UID_KEY: token.creator_uid });
    Ok(policy::allow(&token.id, resource, claims))
}

/// Reads the secret from `Authorization: Bearer <token>`.
fn bearer_secret(event: &ApiGatewayCustomAuthorizerRequestTypeRequest) -> Result<Secret, Denial> {
    match bearer_token(&event.headers) {
        Ok(token) => Ok(Secret::from_client(token)),
        Err(BearerError::Missing) => Err(Denial::TokenMissing),
        Err(BearerError::Malformed) => Err(Denial::InvalidToken),
    }
}

/// Sets `lastUsedOn` when it is older than the interval. A failure is logged, not fatal,
/// because the token itself was valid.
async fn record_use(context: &AppContext, token: &InfraToken, hash: &str) {
    let now = clock::now();
    if !token.last_use_older_than(LAST_USED_INTERVAL, now) {
        return;
    }
    let cutoff = now - LAST_USED_INTERVAL;
    if let Err(error) = context
        .store
        .record_infra_token_use(hash, now, cutoff)
        .await
    {
        tracing::warn!(token_id = %token.id, error = ?error, "recording InfraToken use failed");
    }
}

fn deny(
    request_id: &str,
    resource: String,
    denial: Denial,
    token_id: Option<&str>,
) -> ApiGatewayCustomAuthorizerResponse {
    tracing::info!(
        request_id,
        token_id,
        code = denial.code(),
        "InfraToken denied"
    );
    policy::deny(resource, denial.code())
}
