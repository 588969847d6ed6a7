//! The InfraToken authorizer and gateway responses, through the local gateway.

#![allow(
    clippy::expect_used,
    reason = "a failed setup step should end the test"
)]

use api_tests::TestApi;
use aws_sdk_dynamodb::types::AttributeValue;
use chrono::{Duration, Utc};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use shared::secret::Secret;

fn unauthorized(code: &str) -> Value {
    json!({ "message": code, "error": "Unauthorized", "statusCode": 401 })
}

async fn list_with(api: &TestApi, authorization: Option<&str>) -> (StatusCode, Value) {
    let reply = api
        .send(Method::GET, "/v1/infra/users", authorization, None)
        .await;
    (reply.status, reply.body)
}

#[tokio::test]
async fn missing_header_is_token_missing() {
    let api = TestApi::start().await;

    let (status, body) = list_with(&api, None).await;

    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        body,
        unauthorized("infra_token/authorization_token_missing")
    );
}

#[tokio::test]
async fn malformed_headers_are_invalid_token() {
    let api = TestApi::start().await;
    let token = api.token.clone();
    let cases = [
        format!("Basic {token}"),
        format!("bearer {token}"),
        format!("Bearer  {token}"),
        format!("Bearer{token}"),
        "Bearer ".to_owned(),
        "Bearer".to_owned(),
        token.clone(),
    ];

    for header in cases {
        let (status, body) = list_with(&api, Some(&header)).await;

        assert_eq!(status, StatusCode::UNAUTHORIZED, "{header:?}");
        assert_eq!(
            body,
            unauthorized("infra_token/invalid_token"),
            "{header:?}"
        );
    }
}

#[tokio::test]
async fn unknown_token_is_invalid() {
    let api = TestApi::start().await;
    let unknown = Secret::generate("iat_");

    let (status, body) = list_with(&api, Some(&format!("Bearer {}", unknown.expose()))).await;

    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(body, unauthorized("infra_token/invalid_token"));
}

#[tokio::test]
async fn expired_token_is_expired() {
    let api = TestApi::start().await;
    let secret = api
        .create_token(Some(Utc::now() - Duration::seconds(1)))
        .await;

    let (status, body) = list_with(&api, Some(&format!("Bearer {}", secret.expose()))).await;

    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(body, unauthorized("infra_token/expired"));
}

#[tokio::test]
async fn unexpired_and_never_expiring_tokens_work() {
    let api = TestApi::start().await;
    let later = api.create_token(Some(Utc::now() + Duration::days(7))).await;
    let never = api.create_token(None).await;

    for secret in [later, never] {
        let (status, _) = list_with(&api, Some(&format!("Bearer {}", secret.expose()))).await;

        assert_eq!(status, StatusCode::OK);
    }
}

#[tokio::test]
async fn stored_token_is_only_a_hash() {
    let api = TestApi::start().await;
    let store = &api.context.store;

    let scan = store
        .client()
        .scan()
        .table_name(store.table())
        .send()
        .await
        .expect("scan");
    let items = scan.items();
    let dump = format!("{items:?}");
    let hash = Secret::from_client(&api.token).hash();

    assert!(!dump.contains(&api.token));
    let key = AttributeValue::S(format!("INFRATOKEN#{hash}"));
    assert!(items.iter().any(|item| item.get("pk") == Some(&key)));
}

#[tokio::test]
async fn stored_hash_is_not_a_token() {
    let api = TestApi::start().await;
    let hash = Secret::from_client(&api.token).hash();

    let (status, body) = list_with(&api, Some(&format!("Bearer {hash}"))).await;

    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(body, unauthorized("infra_token/invalid_token"));
}

#[tokio::test]
async fn use_sets_last_used_on_once_a_minute() {
    let api = TestApi::start().await;
    let secret = api.create_token(None).await;
    let hash = secret.hash();
    let header = format!("Bearer {}", secret.expose());
    let read = || async {
        let token = api
            .context
            .store
            .find_infra_token(&hash)
            .await
            .expect("read");
        token.expect("token exists").last_used_on
    };
    assert_eq!(read().await, None);

    list_with(&api, Some(&header)).await;
    let first = read().await;
    list_with(&api, Some(&header)).await;
    let second = read().await;

    assert!(first.is_some());
    assert_eq!(first, second);
}

#[tokio::test]
async fn unknown_route_is_missing_authentication_token() {
    let api = TestApi::start().await;

    for (method, path) in [
        (Method::GET, "/v1/infra/nothing"),
        (Method::POST, "/v1/infra/users"),
        (Method::GET, "/"),
        (Method::GET, "/v1/infra/users/a/b/c"),
    ] {
        let reply = api.call(method.clone(), path, None).await;

        assert_eq!(reply.status, StatusCode::FORBIDDEN, "{method} {path}");
        assert_eq!(
            reply.body,
            json!({ "message": "Missing Authentication Token" })
        );
    }
}

#[tokio::test]
async fn authorizer_store_fault_is_500() {
    let api = TestApi::start().await;
    let store = &api.context.store;
    store
        .client()
        .delete_table()
        .table_name(store.table())
        .send()
        .await
        .expect("table deleted");

    let reply = api.get("/v1/infra/users").await;

    assert_eq!(reply.status, StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(reply.body["message"], "authorizer/failed");
    let request_id = reply.headers["x-amzn-requestid"].to_str().expect("text");
    assert_eq!(reply.body["requestId"], request_id);
}

#[tokio::test]
async fn cached_decision_outlives_revocation_for_ttl() {
    let api = TestApi::start_with(&[("AuthorizerTtl", "300")]).await;
    let secret = api.create_token(None).await;
    let header = format!("Bearer {}", secret.expose());
    let (status, _) = list_with(&api, Some(&header)).await;
    assert_eq!(status, StatusCode::OK);

    delete_token(&api, &secret).await;
    let (status, _) = list_with(&api, Some(&header)).await;

    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn uncached_decision_sees_revocation() {
    let api = TestApi::start().await;
    let secret = api.create_token(None).await;
    let header = format!("Bearer {}", secret.expose());
    let (status, _) = list_with(&api, Some(&header)).await;
    assert_eq!(status, StatusCode::OK);

    delete_token(&api, &secret).await;
    let (status, body) = list_with(&api, Some(&header)).await;

    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(body, unauthorized("infra_token/invalid_token"));
}

#[tokio::test]
async fn cached_mode_answers_missing_header_at_gateway() {
    let api = TestApi::start_with(&[("AuthorizerTtl", "300")]).await;

    let (status, body) = list_with(&api, None).await;

    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        body,
        unauthorized("infra_token/authorization_token_missing")
    );
}

async fn delete_token(api: &TestApi, secret: &Secret) {
    let store = &api.context.store;
    store
        .client()
        .delete_item()
        .table_name(store.table())
        .key(
            "pk",
            AttributeValue::S(format!("INFRATOKEN#{}", secret.hash())),
        )
        .key("sk", AttributeValue::S("INFRATOKEN".to_owned()))
        .send()
        .await
        .expect("token deleted");
}
