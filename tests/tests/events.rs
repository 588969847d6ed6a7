//! The sample events in `events/`: every route has them, and the handlers accept them.

#![allow(
    clippy::expect_used,
    reason = "a failed setup step should end the test"
)]

use std::path::Path;

use api_tests::{TestApi, load_template, new_context, repo_root};
use aws_lambda_events::apigw::ApiGatewayCustomAuthorizerRequestTypeRequest;
use lambda_http::{Body, Request, Response};
use serde_json::{Value, json};

fn read_event(binary: &str, name: &str) -> String {
    let path = repo_root().join("events").join(binary).join(name);
    std::fs::read_to_string(&path)
        .map_err(|error| format!("{}: {error}", path.display()))
        .expect("every route has its sample events")
}

fn proxy_request(binary: &str) -> Request {
    lambda_http::request::from_str(&read_event(binary, "proxy.json")).expect("proxy event converts")
}

fn authorizer_event(binary: &str, name: &str) -> ApiGatewayCustomAuthorizerRequestTypeRequest {
    serde_json::from_str(&read_event(binary, name)).expect("authorizer event parses")
}

fn json_body(response: &Response<Body>) -> Value {
    serde_json::from_slice(response.body().as_ref()).expect("JSON body")
}

#[test]
fn every_route_has_crate_and_events() {
    let template = load_template(&[]);
    let root = repo_root();
    let crate_exists = |binary: &str| {
        Path::new(&root)
            .join("functions")
            .join(binary)
            .join("Cargo.toml")
            .is_file()
    };

    for route in &template.routes {
        let binary = &route.binary;
        assert!(crate_exists(binary), "no crate functions/{binary}");
        assert!(!read_event(binary, "proxy.json").is_empty());
        if route.authorizer.is_some() {
            assert!(!read_event(binary, "authorizer.json").is_empty());
        }
    }
    for authorizer in template.authorizers.values() {
        assert!(
            crate_exists(&authorizer.binary),
            "no crate functions/{}",
            authorizer.binary
        );
        assert!(!read_event(&authorizer.binary, "request.json").is_empty());
    }
}

#[tokio::test]
async fn list_users_accepts_its_event() {
    let api = TestApi::start().await;

    let response = infra_list_users::handle(&api.context, proxy_request("infra-list-users")).await;

    assert_eq!(response.status(), 200);
    assert_eq!(json_body(&response), json!([]));
}

#[tokio::test]
async fn get_user_accepts_its_event() {
    let api = TestApi::start().await;

    let response = infra_get_user::handle(&api.context, proxy_request("infra-get-user")).await;

    assert_eq!(response.status(), 404);
    assert_eq!(json_body(&response)["message"], "user/not_found");
}

#[tokio::test]
async fn handler_store_fault_is_503() {
    let context = new_context().await;
    let request = proxy_request("infra-list-users");
    let request_id = shared::edge::request_id(&request);

    let response = infra_list_users::handle(&context, request).await;

    assert_eq!(response.status(), 503);
    let body = json_body(&response);
    assert_eq!(body["message"], "database/failed");
    assert_eq!(body["statusCode"], 503);
    assert!(!request_id.is_empty());
    assert_eq!(body["requestId"], request_id);
}

#[tokio::test]
async fn authorizer_events_decide() {
    let api = TestApi::start().await;
    let binary = "infra-token-authorizer";
    let cases = [
        ("request.json", "infra_token/invalid_token"),
        (
            "missing-header.json",
            "infra_token/authorization_token_missing",
        ),
    ];

    for (name, code) in cases {
        let event = authorizer_event(binary, name);
        let output = infra_token_authorizer::handle(&api.context, event)
            .await
            .expect("decision");

        assert_eq!(output.context["code"], code, "{name}");
        let statement = &output.policy_document.statement[0];
        assert_eq!(format!("{:?}", statement.effect), "Deny", "{name}");
    }
}

#[tokio::test]
async fn authorizer_allows_route_family() {
    let api = TestApi::start().await;
    let mut event = authorizer_event("infra-token-authorizer", "request.json");
    let header = format!("Bearer {}", api.token)
        .parse()
        .expect("header value");
    event.headers.insert("authorization", header);

    let output = infra_token_authorizer::handle(&api.context, event)
        .await
        .expect("decision");

    let statement = &output.policy_document.statement[0];
    assert_eq!(format!("{:?}", statement.effect), "Allow");
    assert_eq!(
        statement.resource,
        ["arn:aws:execute-api:us-east-1:123456789012:abc123defg/Prod/*/v1/infra/*"]
    );
    assert_eq!(output.context["creatorUid"], json!(api.admin.uid));
    assert!(output.context["tokenId"].is_string());
}

#[tokio::test]
async fn sweeper_accepts_its_events() {
    let api = TestApi::start().await;

    for name in ["scheduled.json", "custom-input.json"] {
        let event: Value = serde_json::from_str(&read_event("sweeper", name)).expect("JSON");
        let report = sweeper::handle(&api.context, event).await;

        assert!(report.is_ok(), "{name}: {report:?}");
    }
}
