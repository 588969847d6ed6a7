//! The events API Gateway sends to Lambda: the REST proxy event and the REQUEST
//! authorizer event, built from one incoming HTTP request.

use std::collections::{BTreeMap, HashMap};

use aws_lambda_events::apigw::ApiGatewayCustomAuthorizerRequestTypeRequest;
use axum::body::Bytes;
use axum::http::{HeaderMap, Method};
use base64::Engine;
use serde_json::{Map, Value, json};

/// Account id that local ARNs carry.
const ACCOUNT_ID: &str = "123456789012";
/// API id that local ARNs and events carry.
pub const API_ID: &str = "local";

/// One HTTP request, matched to a route.
#[derive(Debug)]
pub struct Incoming {
    pub request_id: String,
    pub stage: String,
    pub method: Method,
    pub resource: String,
    pub path: String,
    pub query: String,
    pub path_parameters: HashMap<String, String>,
    pub headers: HeaderMap,
    pub body: Bytes,
}

/// Returns the method ARN API Gateway gives authorizers for this request.
pub fn method_arn(stage: &str, method: &Method, path: &str) -> String {
    format!("arn:aws:execute-api:us-east-1:{ACCOUNT_ID}:{API_ID}/{stage}/{method}{path}")
}

impl Incoming {
    /// Builds the REST proxy event, with `authorizer` as `requestContext.authorizer`.
    pub fn proxy_event(&self, authorizer: Map<String, Value>) -> Value {
        let (body, is_base64) = match std::str::from_utf8(&self.body) {
            _ if self.body.is_empty() => (Value::Null, false),
            Ok(text) => (json!(text), false),
            Err(_) => (
                json!(base64::engine::general_purpose::STANDARD.encode(&self.body)),
                true,
            ),
        };
        let mut event = self.common_fields();
        event.insert(
            "requestContext".to_owned(),
            self.request_context(Some(authorizer)),
        );
        event.insert("body".to_owned(), body);
        event.insert("isBase64Encoded".to_owned(), json!(is_base64));
        Value::Object(event)
    }

    /// Builds the REQUEST authorizer event.
    pub fn authorizer_event(&self) -> ApiGatewayCustomAuthorizerRequestTypeRequest {
        let mut event = self.common_fields();
        event.insert("type".to_owned(), json!("REQUEST"));
        event.insert(
            "methodArn".to_owned(),
            json!(method_arn(&self.stage, &self.method, &self.path)),
        );
        event.insert("requestContext".to_owned(), self.request_context(None));
        serde_json::from_value(Value::Object(event)).unwrap_or_default()
    }

    fn common_fields(&self) -> Map<String, Value> {
        let (headers, multi_headers) = self.header_maps();
        let (query, multi_query) = self.query_maps();
        let mut fields = Map::new();
        fields.insert("resource".to_owned(), json!(self.resource));
        fields.insert("path".to_owned(), json!(self.path));
        fields.insert("httpMethod".to_owned(), json!(self.method.as_str()));
        fields.insert("headers".to_owned(), headers);
        fields.insert("multiValueHeaders".to_owned(), multi_headers);
        fields.insert("queryStringParameters".to_owned(), query);
        fields.insert("multiValueQueryStringParameters".to_owned(), multi_query);
        fields.insert(
            "pathParameters".to_owned(),
            nullable(json!(self.path_parameters)),
        );
        fields.insert("stageVariables".to_owned(), Value::Null);
        fields
    }

    fn request_context(&self, authorizer: Option<Map<String, Value>>) -> Value {
        let now = chrono::Utc::now();
        let user_agent = self
            .headers
            .get("user-agent")
            .and_then(|value| value.to_str().ok());
        let mut context = json!({
            "accountId": ACCOUNT_ID,
            "apiId": API_ID,
            "resourceId": "local",
            "resourcePath": self.resource,
            "httpMethod": self.method.as_str(),
            "path": format!("/{}{}", self.stage, self.path),
            "stage": self.stage,
            "protocol": "HTTP/1.1",
            "requestId": self.request_id,
            "extendedRequestId": self.request_id,
            "requestTime": now.format("%d/%b/%Y:%H:%M:%S %z").to_string(),
            "requestTimeEpoch": now.timestamp_millis(),
            "domainName": "127.0.0.1",
            "identity": { "sourceIp": "127.0.0.1", "userAgent": user_agent },
        });
        if let (Some(authorizer), Value::Object(fields)) = (authorizer, &mut context) {
            fields.insert("authorizer".to_owned(), Value::Object(authorizer));
        }
        context
    }

    /// Returns `headers` (last value of each name) and `multiValueHeaders`.
    fn header_maps(&self) -> (Value, Value) {
        let mut multi: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for (name, value) in &self.headers {
            let value = String::from_utf8_lossy(value.as_bytes()).into_owned();
            multi
                .entry(name.as_str().to_owned())
                .or_default()
                .push(value);
        }
        split_single(multi)
    }

    /// Returns `queryStringParameters` and `multiValueQueryStringParameters`, decoded.
    fn query_maps(&self) -> (Value, Value) {
        let mut multi: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for (name, value) in url::form_urlencoded::parse(self.query.as_bytes()) {
            multi
                .entry(name.into_owned())
                .or_default()
                .push(value.into_owned());
        }
        split_single(multi)
    }
}

fn split_single(multi: BTreeMap<String, Vec<String>>) -> (Value, Value) {
    let single: BTreeMap<&String, &String> = multi
        .iter()
        .filter_map(|(name, values)| Some((name, values.last()?)))
        .collect();
    (nullable(json!(single)), nullable(json!(multi)))
}

/// API Gateway sends `null`, not `{}`, for an empty map.
fn nullable(map: Value) -> Value {
    match &map {
        Value::Object(fields) if fields.is_empty() => Value::Null,
        _ => map,
    }
}
