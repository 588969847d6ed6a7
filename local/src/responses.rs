//! Gateway responses: the bodies API Gateway returns when no handler runs.

use std::collections::HashMap;

use axum::http::StatusCode;
use serde_json::{Map, Value};

use crate::template::GatewayResponse;

/// API Gateway's default status, `x-amzn-ErrorType` and message of a response type.
fn defaults(kind: &str) -> (u16, &'static str, &'static str) {
    match kind {
        "MISSING_AUTHENTICATION_TOKEN" => (
            403,
            "MissingAuthenticationTokenException",
            "Missing Authentication Token",
        ),
        "UNAUTHORIZED" => (401, "UnauthorizedException", "Unauthorized"),
        "ACCESS_DENIED" => (
            403,
            "AccessDeniedException",
            "User is not authorized to access this resource with an explicit deny",
        ),
        "AUTHORIZER_FAILURE" | "AUTHORIZER_CONFIGURATION_ERROR" => (
            500,
            "AuthorizerConfigurationException",
            "Internal server error",
        ),
        _ => (500, "InternalServerErrorException", "Internal server error"),
    }
}

/// Renders a response type with the template's override, else its `DEFAULT_4XX` or
/// `DEFAULT_5XX` override, else API Gateway's default body.
pub fn render(
    overrides: &HashMap<String, GatewayResponse>,
    kind: &str,
    request_id: &str,
    authorizer: &Map<String, Value>,
) -> (StatusCode, String, &'static str) {
    let (default_status, error_type, message) = defaults(kind);
    let family = if default_status >= 500 {
        "DEFAULT_5XX"
    } else {
        "DEFAULT_4XX"
    };
    let specific = overrides.get(kind);
    let inherited = overrides.get(family);

    let status = specific
        .and_then(|response| response.status)
        .unwrap_or(default_status);
    let template = specific
        .and_then(|response| response.template.as_deref())
        .or_else(|| inherited.and_then(|response| response.template.as_deref()))
        .unwrap_or(r#"{"message":$context.error.messageString}"#);

    let body = substitute(template, |name| match name {
        "requestId" => Some(request_id.to_owned()),
        "error.message" => Some(message.to_owned()),
        "error.messageString" => Some(Value::from(message).to_string()),
        "error.responseType" => Some(kind.to_owned()),
        _ => match authorizer.get(name.strip_prefix("authorizer.")?)? {
            Value::String(text) => Some(text.clone()),
            other => Some(other.to_string()),
        },
    });
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    (status, body, error_type)
}

/// Replaces each `$context.<name>` with its value; unknown names become empty, as in
/// API Gateway's templates.
fn substitute(template: &str, value: impl Fn(&str) -> Option<String>) -> String {
    const MARK: &str = "$context.";
    let mut output = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(start) = rest.find(MARK) {
        output.push_str(&rest[..start]);
        let after = &rest[start + MARK.len()..];
        let end = after
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '.' || c == '_'))
            .unwrap_or(after.len());
        let name = after[..end].trim_end_matches('.');
        output.push_str(&value(name).unwrap_or_default());
        rest = &after[name.len()..];
    }
    output.push_str(rest);
    output
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn substitutes_authorizer_context() {
        let overrides = HashMap::from([(
            "ACCESS_DENIED".to_owned(),
            GatewayResponse {
                status: Some(401),
                template: Some(
                    r#"{"message":"$context.authorizer.code","id":"$context.requestId"}"#
                        .to_owned(),
                ),
            },
        )]);
        let mut context = Map::new();
        context.insert("code".to_owned(), json!("infra_token/expired"));

        let (status, body, _) = render(&overrides, "ACCESS_DENIED", "r-1", &context);

        assert_eq!(status, StatusCode::UNAUTHORIZED);
        assert_eq!(body, r#"{"message":"infra_token/expired","id":"r-1"}"#);
    }

    #[test]
    fn default_body_when_not_overridden() {
        let (status, body, error_type) = render(
            &HashMap::new(),
            "MISSING_AUTHENTICATION_TOKEN",
            "r",
            &Map::new(),
        );

        assert_eq!(status, StatusCode::FORBIDDEN);
        assert_eq!(body, r#"{"message":"Missing Authentication Token"}"#);
        assert_eq!(error_type, "MissingAuthenticationTokenException");
    }
}
