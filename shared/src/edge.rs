//! The HTTP edge of a handler: reading the proxy request and writing the response.

use std::collections::BTreeSet;

use http::StatusCode;
use http::header::CONTENT_TYPE;
use lambda_http::request::RequestContext;
use lambda_http::{Body, Request, RequestExt, Response};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::error::{ApiError, ErrorCode};

/// Largest request body accepted, in bytes; every body of this API is far smaller.
pub const MAX_BODY_BYTES: usize = 16 * 1024;

/// Returns the API Gateway request id, which clients see in error bodies.
pub fn request_id(request: &Request) -> String {
    let gateway_id = match request.request_context_ref() {
        Some(RequestContext::ApiGatewayV1(context)) => context.request_id.clone(),
        _ => None,
    };
    gateway_id
        .or_else(|| request.lambda_context_ref().map(|c| c.request_id.clone()))
        .unwrap_or_default()
}

/// Returns a value the authorizer put in the request context.
pub fn authorizer_value(request: &Request, key: &str) -> Option<String> {
    let Some(RequestContext::ApiGatewayV1(context)) = request.request_context_ref() else {
        return None;
    };
    match context.authorizer.fields.get(key)? {
        Value::String(text) => Some(text.clone()),
        _ => None,
    }
}

/// Turns a handler's result into the response, logging failures once with the request id.
pub fn respond(request: &Request, result: Result<Response<Body>, ApiError>) -> Response<Body> {
    let error = match result {
        Ok(response) => return response,
        Err(error) => error,
    };

    let request_id = request_id(request);
    let status = error.status();
    if status.is_server_error() {
        tracing::error!(request_id, error = ?error, "request failed");
    } else {
        tracing::info!(request_id, status = status.as_u16(), error = %error, "request rejected");
    }
    json_response(status, &error.body(&request_id))
}

/// Builds a JSON response.
pub fn json_response<T: Serialize>(status: StatusCode, body: &T) -> Response<Body> {
    let text = serde_json::to_string(body).unwrap_or_else(|_| "null".to_owned());
    let mut response = Response::new(Body::Text(text));
    *response.status_mut() = status;
    response.headers_mut().insert(
        CONTENT_TYPE,
        http::HeaderValue::from_static("application/json"),
    );
    response
}

/// Builds the `{"message": "true"}` body that DELETE and admin-status calls return.
pub fn message_true() -> Response<Body> {
    json_response(StatusCode::OK, &serde_json::json!({ "message": "true" }))
}

/// Returns a path parameter, which API Gateway guarantees for the route's own parameters.
pub fn path_param(request: &Request, name: &str) -> Result<String, ApiError> {
    request
        .path_parameters_ref()
        .and_then(|params| params.first(name))
        .filter(|value| !value.is_empty())
        .map(str::to_owned)
        .ok_or_else(|| ApiError::invalid(format!("{name} must be given in the path")))
}

/// Parses a JSON body into `T`, whose type rejects unknown fields.
pub fn json_body<T: DeserializeOwned>(request: &Request) -> Result<T, ApiError> {
    let bytes = request.body().as_ref();
    if bytes.len() > MAX_BODY_BYTES {
        return Err(ErrorCode::RequestBodyTooLarge.into());
    }

    // An empty body reads as `{}`, so each missing field gets its own message.
    let value: Value = if bytes.iter().all(u8::is_ascii_whitespace) {
        Value::Object(serde_json::Map::new())
    } else {
        require_json_content_type(request)?;
        serde_json::from_slice(bytes).map_err(|_| ErrorCode::MalformedJson)?
    };
    if !value.is_object() {
        return Err(ApiError::invalid("request body must be a JSON object"));
    }

    serde_path_to_error::deserialize(value).map_err(|error| {
        let path = error.path().to_string();
        ApiError::invalid(describe_field_error(&path, &error.into_inner().to_string()))
    })
}

/// Returns a JSON body's bytes after checking its media type and its size against `max`.
pub fn json_bytes(request: &Request, max: usize) -> Result<&[u8], ApiError> {
    let bytes = request.body().as_ref();
    if bytes.len() > max {
        return Err(ErrorCode::RequestBodyTooLarge.into());
    }
    require_json_content_type(request)?;
    Ok(bytes)
}

fn require_json_content_type(request: &Request) -> Result<(), ApiError> {
    let content_type = request
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default();
    let media_type = content_type.split(';').next().unwrap_or_default().trim();
    if media_type.eq_ignore_ascii_case("application/json") {
        Ok(())
    } else {
        Err(ErrorCode::UnsupportedMediaType.into())
    }
}

/// Words a serde message so it names the field, as `property x should not exist`.
fn describe_field_error(path: &str, message: &str) -> String {
    if let Some(field) = quoted_after(message, "unknown field `") {
        return format!("property {field} should not exist");
    }
    if let Some(field) = quoted_after(message, "missing field `") {
        return format!("{field} is required");
    }
    if path == "." {
        return message.to_owned();
    }
    format!("{path}: {message}")
}

fn quoted_after<'a>(message: &'a str, prefix: &str) -> Option<&'a str> {
    let rest = message.strip_prefix(prefix)?;
    rest.split('`').next()
}

/// Query string parameters, where every parameter must be one the handler reads.
#[derive(Debug)]
pub struct Query<'a> {
    request: &'a Request,
}

impl<'a> Query<'a> {
    /// Checks that the query has only `allowed` names, each given at most once.
    pub fn parse(request: &'a Request, allowed: &[&str]) -> Result<Self, ApiError> {
        let mut seen = BTreeSet::new();
        let mut messages = Vec::new();
        if let Some(params) = request.query_string_parameters_ref() {
            for (name, _) in params.iter() {
                if !allowed.contains(&name) {
                    messages.push(format!("property {name} should not exist"));
                } else if !seen.insert(name) {
                    messages.push(format!("{name} must be given at most once"));
                }
            }
        }
        if messages.is_empty() {
            Ok(Self { request })
        } else {
            Err(ApiError::Validation(messages))
        }
    }

    /// Returns the value of a parameter, if given.
    pub fn get(&self, name: &str) -> Option<&'a str> {
        self.request
            .query_string_parameters_ref()
            .and_then(|params| params.first(name))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_field_names_property() {
        let message = describe_field_error(".", "unknown field `foo`, expected `isAdmin`");

        assert_eq!(message, "property foo should not exist");
    }

    #[test]
    fn wrong_type_names_path() {
        let message = describe_field_error(
            "isAdmin",
            "invalid type: string \"true\", expected a boolean",
        );

        assert_eq!(
            message,
            "isAdmin: invalid type: string \"true\", expected a boolean"
        );
    }
}
