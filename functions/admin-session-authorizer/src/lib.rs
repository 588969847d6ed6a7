//! REQUEST authorizer for the `/v1/admin` route family: admits a request whose access token
//! belongs to a live session of an existing user, read from the current state.
//!
//! Every valid session is allowed with `isAdmin` in the context, and handlers reject
//! non-admins with 403: API Gateway gives all denials one status, and the InfraToken family
//! needs that status to be 401.

use aws_lambda_events::apigw::{
    ApiGatewayCustomAuthorizerRequestTypeRequest, ApiGatewayCustomAuthorizerResponse,
};
use serde_json::json;
use shared::AppContext;
use shared::auth::{AuthenticateError, authenticate_session};
use shared::caller::{IS_ADMIN_KEY, SESSION_ID_KEY, UID_KEY};
use shared::policy::{self, AuthorizerError};

/// Route family a session may call.
pub const ROUTE_FAMILY: &str = "/v1/admin";

/// Decides whether the request may call the `/v1/admin` routes.
pub async fn handle(
    context: &AppContext,
    event: ApiGatewayCustomAuthorizerRequestTypeRequest,
) -> Result<ApiGatewayCustomAuthorizerResponse, AuthorizerError> {
    let (request_id, resource) = policy::event_scope(&event, ROUTE_FAMILY)?;

    let (user, session) = match authenticate_session(context, &event.headers).await {
        Ok(found) => found,
        Err(AuthenticateError::Rejected(failure)) => {
            tracing::info!(request_id, code = failure.code(), "session denied");
            return Ok(policy::deny(resource, failure.code()));
        }
        Err(AuthenticateError::Store(error)) => return Err(error.into()),
    };

    tracing::info!(request_id, uid = %user.uid, session_id = %session.id, is_admin = user.is_admin, "session accepted");
    let claims = json!({
        UID_KEY: user.uid,
        SESSION_ID_KEY: session.id,
        IS_ADMIN_KEY: user.is_admin.to_string(),
    });
    Ok(policy::allow(&user.uid, resource, claims))
}
