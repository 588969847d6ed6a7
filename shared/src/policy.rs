//! IAM policies that REQUEST authorizers return to API Gateway.
//!
//! API Gateway may cache a policy per identity and reuse it for every route, so a policy
//! covers exactly the route family the identity may call.

use aws_lambda_events::apigw::{
    ApiGatewayCustomAuthorizerPolicy, ApiGatewayCustomAuthorizerRequestTypeRequest,
    ApiGatewayCustomAuthorizerResponse,
};
use aws_lambda_events::iam::{IamPolicyEffect, IamPolicyStatement};
use serde_json::Value;

use crate::store::StoreError;

/// Failure of an authorizer, which API Gateway turns into its authorizer-failure response.
#[derive(Debug, thiserror::Error)]
pub enum AuthorizerError {
    #[error("method ARN is malformed")]
    MalformedMethodArn,
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Returns the request id of an authorizer event and the resource ARN of every method of
/// `family` on its API and stage.
pub fn event_scope(
    event: &ApiGatewayCustomAuthorizerRequestTypeRequest,
    family: &str,
) -> Result<(String, String), AuthorizerError> {
    let request_id = event.request_context.request_id.clone().unwrap_or_default();
    let method_arn = event.method_arn.as_deref().unwrap_or_default();
    let resource =
        family_resource(method_arn, family).ok_or(AuthorizerError::MalformedMethodArn)?;
    Ok((request_id, resource))
}

/// Context key that carries the reason code of a Deny into the gateway response.
pub const DENY_CODE_KEY: &str = "code";

/// Builds the resource ARN of every method under `family` (such as `/v1/infra`) on the
/// API and stage of `method_arn`.
///
/// Returns `None` when `method_arn` is not `arn:...:<api id>/<stage>/<method>/<path>`.
pub fn family_resource(method_arn: &str, family: &str) -> Option<String> {
    let mut parts = method_arn.splitn(3, '/');
    let api = parts.next().filter(|api| api.starts_with("arn:"))?;
    let stage = parts.next().filter(|stage| !stage.is_empty())?;
    parts.next()?;
    Some(format!("{api}/{stage}/*{family}/*"))
}

/// Builds an Allow response for `resource`, with `context` passed to the handlers.
pub fn allow(
    principal: &str,
    resource: String,
    context: Value,
) -> ApiGatewayCustomAuthorizerResponse {
    response(principal, IamPolicyEffect::Allow, resource, context)
}

/// Builds a Deny response whose context carries `code` for the gateway response body.
pub fn deny(resource: String, code: &str) -> ApiGatewayCustomAuthorizerResponse {
    let context = serde_json::json!({ DENY_CODE_KEY: code });
    response("anonymous", IamPolicyEffect::Deny, resource, context)
}

fn response(
    principal: &str,
    effect: IamPolicyEffect,
    resource: String,
    context: Value,
) -> ApiGatewayCustomAuthorizerResponse {
    let mut statement = IamPolicyStatement::default();
    statement.action = vec!["execute-api:Invoke".to_owned()];
    statement.effect = effect;
    statement.resource = vec![resource];

    let mut policy = ApiGatewayCustomAuthorizerPolicy::default();
    policy.version = Some("2012-10-17".to_owned());
    policy.statement = vec![statement];

    let mut response = ApiGatewayCustomAuthorizerResponse::default();
    response.principal_id = Some(principal.to_owned());
    response.policy_document = policy;
    response.context = context;
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn family_resource_covers_every_method() {
        let arn = "arn:aws:execute-api:us-east-1:123456789012:abc123/Prod/GET/v1/infra/users";

        assert_eq!(
            family_resource(arn, "/v1/infra").as_deref(),
            Some("arn:aws:execute-api:us-east-1:123456789012:abc123/Prod/*/v1/infra/*")
        );
    }

    #[test]
    fn family_resource_rejects_malformed_arn() {
        assert_eq!(family_resource("not-an-arn", "/v1/infra"), None);
        assert_eq!(
            family_resource("arn:aws:execute-api:x:y:api", "/v1/infra"),
            None
        );
    }
}
