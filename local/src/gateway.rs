//! An API Gateway REST API in one process: routes, REQUEST authorizers with their cache,
//! gateway responses, and the proxy integration, as `template.yaml` declares them.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use aws_lambda_events::apigw::ApiGatewayCustomAuthorizerResponse;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode};
use serde_json::{Map, Value, json};
use shared::AppContext;

use crate::event::{Incoming, method_arn};
use crate::functions::{AuthorizerHandler, HttpHandler, authorizer_handler, http_handler};
use crate::policy::{Decision, evaluate};
use crate::responses::render;
use crate::template::{Authorizer, Route, Template};

/// Largest request body API Gateway accepts, in bytes.
const MAX_PAYLOAD_BYTES: usize = 10 * 1024 * 1024;

/// The gateway cannot serve the template: a route or authorizer has no handler.
#[derive(Debug, thiserror::Error)]
pub enum GatewayError {
    #[error(
        "{0} names binary {1}, which the local gateway does not link; add it to local/src/functions.rs"
    )]
    UnknownBinary(String, String),
    #[error("route {0} names authorizer {1}, which the Api does not declare")]
    UnknownAuthorizer(String, String),
}

/// The event API Gateway passes to Lambda for one request that its authorizer allowed.
pub struct Invocation {
    pub request_id: String,
    /// Binary of the route's function.
    pub binary: String,
    /// Binary of the route's authorizer and the event it was given, when it has one.
    pub authorizer: Option<(String, Value)>,
    /// The REST proxy event for the route's function.
    pub event: Value,
    handler: HttpHandler,
}

impl std::fmt::Debug for Invocation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Invocation")
            .field("request_id", &self.request_id)
            .field("binary", &self.binary)
            .finish()
    }
}

/// A running gateway's routes, handlers and authorizer cache.
pub struct Gateway {
    template: Template,
    routes: Vec<(Route, HttpHandler)>,
    authorizers: HashMap<String, (Authorizer, AuthorizerHandler)>,
    context: Arc<AppContext>,
    cache: Mutex<HashMap<(String, String), (Instant, ApiGatewayCustomAuthorizerResponse)>>,
    /// Emulator endpoint whose sent magic links are printed after each sign-in request.
    mail_echo: Option<String>,
}

impl std::fmt::Debug for Gateway {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Gateway")
            .field("routes", &self.routes.len())
            .finish()
    }
}

impl Gateway {
    /// Links every route and authorizer of the template to its handler.
    pub fn new(template: Template, context: Arc<AppContext>) -> Result<Self, GatewayError> {
        let mut authorizers = HashMap::new();
        for (name, authorizer) in &template.authorizers {
            let handler = authorizer_handler(&authorizer.binary).ok_or_else(|| {
                GatewayError::UnknownBinary(authorizer.function.clone(), authorizer.binary.clone())
            })?;
            authorizers.insert(name.clone(), (authorizer.clone(), handler));
        }

        let mut routes = Vec::new();
        for route in &template.routes {
            let handler = http_handler(&route.binary).ok_or_else(|| {
                GatewayError::UnknownBinary(route.function.clone(), route.binary.clone())
            })?;
            if let Some(name) = &route.authorizer
                && !authorizers.contains_key(name)
            {
                return Err(GatewayError::UnknownAuthorizer(
                    route.path.clone(),
                    name.clone(),
                ));
            }
            routes.push((route.clone(), handler));
        }

        Ok(Self {
            template,
            routes,
            authorizers,
            context,
            cache: Mutex::new(HashMap::new()),
            mail_echo: None,
        })
    }

    /// Prints the magic link mailed by each successful sign-in request, read back from the
    /// emulator at `endpoint`.
    pub fn with_mail_echo(mut self, endpoint: String) -> Self {
        self.mail_echo = Some(endpoint);
        self
    }

    /// Returns the axum router that serves every request through this gateway.
    pub fn into_router(self) -> axum::Router {
        Arc::new(self).router()
    }

    /// Returns the axum router of a shared gateway.
    pub fn router(self: Arc<Self>) -> axum::Router {
        axum::Router::new().fallback(serve).with_state(self)
    }

    /// Handles one request as API Gateway would.
    async fn dispatch(
        &self,
        method: Method,
        uri: &axum::http::Uri,
        headers: HeaderMap,
        body: Bytes,
    ) -> axum::response::Response {
        let invocation = match self.invocation(method, uri, headers, body).await {
            Ok(invocation) => invocation,
            Err(response) => return response,
        };
        let request_id = invocation.request_id.clone();

        let request = match lambda_http::request::from_str(&invocation.event.to_string()) {
            Ok(request) => request,
            Err(error) => {
                tracing::error!(request_id, error = %error, "proxy event does not convert");
                return self.gateway_response("DEFAULT_5XX", &request_id, &Map::new());
            }
        };
        let response = (invocation.handler)(self.context.clone(), request).await;
        if let Some(endpoint) = &self.mail_echo
            && invocation.binary == "auth-signin"
            && response.status().is_success()
        {
            crate::mail_echo::print_newest_magic_link(endpoint).await;
        }
        into_axum(response, &request_id)
    }

    /// Matches the request to a route and runs its authorizer. Returns the proxy event the
    /// route's function gets, or the gateway response that ends the request.
    pub async fn invocation(
        &self,
        method: Method,
        uri: &axum::http::Uri,
        headers: HeaderMap,
        body: Bytes,
    ) -> Result<Invocation, axum::response::Response> {
        let request_id = uuid::Uuid::new_v4().to_string();
        let Some((route, handler, path_parameters)) = self.match_route(&method, uri.path()) else {
            return Err(self.gateway_response(
                "MISSING_AUTHENTICATION_TOKEN",
                &request_id,
                &Map::new(),
            ));
        };

        let incoming = Incoming {
            request_id: request_id.clone(),
            stage: self.template.stage.clone(),
            method,
            resource: route.path.clone(),
            path: uri.path().to_owned(),
            query: uri.query().unwrap_or_default().to_owned(),
            path_parameters,
            headers,
            body,
        };
        let authorizer = route.authorizer.as_ref().map(|name| {
            let binary = self.authorizers[name].0.binary.clone();
            let event = serde_json::to_value(incoming.authorizer_event()).unwrap_or_default();
            (binary, event)
        });
        let authorizer_context = match &route.authorizer {
            Some(name) => self.authorize(name, &incoming).await?,
            None => Map::new(),
        };

        Ok(Invocation {
            request_id,
            binary: route.binary.clone(),
            authorizer,
            event: incoming.proxy_event(authorizer_context),
            handler,
        })
    }

    fn match_route(
        &self,
        method: &Method,
        path: &str,
    ) -> Option<(&Route, HttpHandler, HashMap<String, String>)> {
        let mut best: Option<(&Route, HttpHandler, HashMap<String, String>)> = None;
        for (route, handler) in &self.routes {
            if route.method != method.as_str() && route.method != "ANY" {
                continue;
            }
            let Some(parameters) = match_path(&route.path, path) else {
                continue;
            };
            let fewer_parameters = best
                .as_ref()
                .is_none_or(|(_, _, current)| parameters.len() < current.len());
            if fewer_parameters {
                best = Some((route, *handler, parameters));
            }
        }
        best
    }

    /// Runs the route's authorizer (or its cached decision) and returns the context that
    /// an Allow passes on, or the gateway response that ends the request.
    async fn authorize(
        &self,
        name: &str,
        incoming: &Incoming,
    ) -> Result<Map<String, Value>, axum::response::Response> {
        let (authorizer, handler) = &self.authorizers[name];
        let request_id = &incoming.request_id;
        let identity = identity_key(authorizer, &incoming.headers);

        let cache_key = match (&identity, authorizer.ttl_seconds) {
            (_, 0) => None,
            (None, _) => {
                return Err(self.gateway_response("UNAUTHORIZED", request_id, &Map::new()));
            }
            (Some(identity), _) => Some((name.to_owned(), identity.clone())),
        };
        let output = match self.cached(cache_key.as_ref(), authorizer.ttl_seconds) {
            Some(output) => output,
            None => {
                let event = incoming.authorizer_event();
                match handler(self.context.clone(), event).await {
                    Ok(output) => output,
                    Err(error) => {
                        tracing::error!(request_id, authorizer = name, error, "authorizer failed");
                        return Err(self.gateway_response(
                            "AUTHORIZER_FAILURE",
                            request_id,
                            &Map::new(),
                        ));
                    }
                }
            }
        };
        if let Some(key) = cache_key {
            self.remember(key, output.clone());
        }

        let context = authorizer_context(&output);
        let arn = method_arn(&incoming.stage, &incoming.method, &incoming.path);
        match evaluate(&output.policy_document, &arn) {
            Decision::Allow => Ok(context),
            Decision::Deny => Err(self.gateway_response("ACCESS_DENIED", request_id, &context)),
        }
    }

    fn cached(
        &self,
        key: Option<&(String, String)>,
        ttl_seconds: u64,
    ) -> Option<ApiGatewayCustomAuthorizerResponse> {
        let key = key?;
        let cache = self.cache.lock().ok()?;
        let (stored_at, output) = cache.get(key)?;
        (stored_at.elapsed() < Duration::from_secs(ttl_seconds)).then(|| output.clone())
    }

    fn remember(&self, key: (String, String), output: ApiGatewayCustomAuthorizerResponse) {
        if let Ok(mut cache) = self.cache.lock() {
            cache.insert(key, (Instant::now(), output));
        }
    }

    fn gateway_response(
        &self,
        kind: &str,
        request_id: &str,
        context: &Map<String, Value>,
    ) -> axum::response::Response {
        let (status, body, error_type) =
            render(&self.template.gateway_responses, kind, request_id, context);
        let mut response = axum::response::Response::new(axum::body::Body::from(body));
        *response.status_mut() = status;
        let headers = response.headers_mut();
        headers.insert("content-type", HeaderValue::from_static("application/json"));
        headers.insert("x-amzn-errortype", HeaderValue::from_static(error_type));
        if let Ok(value) = HeaderValue::from_str(request_id) {
            headers.insert("x-amzn-requestid", value);
        }
        response
    }
}

/// Returns the identity source values joined, or `None` when any header is missing or empty.
fn identity_key(authorizer: &Authorizer, headers: &HeaderMap) -> Option<String> {
    let mut values = Vec::new();
    for name in &authorizer.identity_headers {
        let value = headers.get(name.as_str())?.to_str().ok()?;
        if value.is_empty() {
            return None;
        }
        values.push(value);
    }
    Some(values.join("\n"))
}

/// Builds the `requestContext.authorizer` map: the principal id and the context values.
fn authorizer_context(output: &ApiGatewayCustomAuthorizerResponse) -> Map<String, Value> {
    let mut context = match &output.context {
        Value::Object(values) => values.clone(),
        _ => Map::new(),
    };
    if let Some(principal) = &output.principal_id {
        context.insert("principalId".to_owned(), json!(principal));
    }
    context
}

/// Matches a template path such as `/v1/infra/users/{uid}` and returns its decoded parameters.
fn match_path(pattern: &str, path: &str) -> Option<HashMap<String, String>> {
    let pattern: Vec<&str> = pattern.trim_start_matches('/').split('/').collect();
    let segments: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    let mut parameters = HashMap::new();

    for (index, part) in pattern.iter().enumerate() {
        if let Some(name) = part
            .strip_prefix('{')
            .and_then(|rest| rest.strip_suffix("+}"))
        {
            let rest = segments
                .get(index..)
                .filter(|rest| !rest.is_empty())?
                .join("/");
            parameters.insert(name.to_owned(), decode(&rest)?);
            return Some(parameters);
        }
        let segment = segments.get(index)?;
        match part
            .strip_prefix('{')
            .and_then(|rest| rest.strip_suffix('}'))
        {
            Some(name) if !segment.is_empty() => {
                parameters.insert(name.to_owned(), decode(segment)?);
            }
            Some(_) => return None,
            None if part == segment => {}
            None => return None,
        }
    }
    (pattern.len() == segments.len()).then_some(parameters)
}

fn decode(segment: &str) -> Option<String> {
    url::form_urlencoded::parse(format!("x={}", segment.replace('+', "%2B")).as_bytes())
        .next()
        .map(|(_, value)| value.into_owned())
}

fn into_axum(
    response: lambda_http::Response<lambda_http::Body>,
    request_id: &str,
) -> axum::response::Response {
    let (parts, body) = response.into_parts();
    let bytes = match body {
        lambda_http::Body::Empty => Vec::new(),
        lambda_http::Body::Text(text) => text.into_bytes(),
        lambda_http::Body::Binary(bytes) => bytes,
        _ => Vec::new(),
    };
    let mut response = axum::response::Response::new(axum::body::Body::from(bytes));
    *response.status_mut() = parts.status;
    *response.headers_mut() = parts.headers;
    if let Ok(value) = HeaderValue::from_str(request_id) {
        response.headers_mut().insert("x-amzn-requestid", value);
    }
    response
}

async fn serve(
    State(gateway): State<Arc<Gateway>>,
    request: axum::extract::Request,
) -> axum::response::Response {
    let (parts, body) = request.into_parts();
    let Ok(body) = axum::body::to_bytes(body, MAX_PAYLOAD_BYTES).await else {
        let mut response = axum::response::Response::new(axum::body::Body::from(
            r#"{"message":"Request Too Long"}"#,
        ));
        *response.status_mut() = StatusCode::PAYLOAD_TOO_LARGE;
        return response;
    };
    gateway
        .dispatch(parts.method, &parts.uri, parts.headers, body)
        .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_matching() {
        let params = match_path("/v1/infra/users/{uid}", "/v1/infra/users/a%20b");
        assert_eq!(
            params.and_then(|p| p.get("uid").cloned()).as_deref(),
            Some("a b")
        );

        assert_eq!(
            match_path("/v1/infra/users", "/v1/infra/users"),
            Some(HashMap::new())
        );
        assert_eq!(
            match_path("/v1/infra/users/{uid}", "/v1/infra/users/"),
            None
        );
        assert_eq!(match_path("/v1/infra/users/{uid}", "/v1/infra/users"), None);
        assert_eq!(match_path("/v1/infra/users", "/v1/infra/users/x"), None);
        assert_eq!(match_path("/v1/infra/users", "/v1/infra/Users"), None);
    }

    #[test]
    fn plus_in_path_is_kept() {
        let params = match_path("/users/{uid}", "/users/a+b");
        assert_eq!(
            params.and_then(|p| p.get("uid").cloned()).as_deref(),
            Some("a+b")
        );
    }
}
