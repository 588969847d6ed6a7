//! Every endpoint that takes a body or a query rejects bad input with a 4xx and a code,
//! and writes nothing.

#![allow(
    clippy::expect_used,
    reason = "a failed setup step should end the test"
)]

use api_tests::TestApi;
use reqwest::{Method, StatusCode};
use serde_json::Value;
use shared::store::Counters;

/// Bodies every JSON endpoint must reject, with the status and the `message` each gets.
fn bad_bodies() -> Vec<(&'static str, Vec<u8>, u16)> {
    vec![
        ("application/json", b"{\"a\":".to_vec(), 400),
        ("application/json", b"not json".to_vec(), 400),
        ("text/plain", b"{}".to_vec(), 415),
        ("application/x-www-form-urlencoded", b"a=1".to_vec(), 415),
        ("application/json", b"{\"unknownField\":1}".to_vec(), 400),
        ("application/json", b"[]".to_vec(), 400),
        ("application/json", b"null".to_vec(), 400),
        ("application/json", vec![b' '; 17 * 1024], 413),
    ]
}

async fn state(api: &TestApi) -> (Counters, Value, Value) {
    let counters = api.context.store.get_counters().await.expect("counters");
    let users = api.get("/v1/infra/users?take=100").await.body;
    let invitations = api.get("/v1/infra/user-invitations?take=100").await.body;
    (counters, users, invitations)
}

#[tokio::test]
async fn json_endpoints_reject_bad_bodies() {
    let api = TestApi::start().await;
    let user = api.create_user("uma@example.com", Some("Uma"), false).await;
    let endpoints = [
        (Method::PATCH, format!("/v1/infra/users/{}", user.uid)),
        (
            Method::PATCH,
            format!("/v1/infra/users/{}/admin-status", user.uid),
        ),
        (Method::POST, "/v1/infra/user-invitations".to_owned()),
        (Method::DELETE, "/v1/infra/user-invitations".to_owned()),
    ];
    let before = state(&api).await;

    for (method, path) in &endpoints {
        for (content_type, body, status) in bad_bodies() {
            let reply = api.send_raw(method.clone(), path, content_type, body).await;

            let case = format!("{method} {path} {content_type}");
            assert_eq!(reply.status.as_u16(), status, "{case}");
            assert!(!reply.body["message"].is_null(), "{case}");
            assert_eq!(reply.body["statusCode"], status, "{case}");
        }
    }
    assert_eq!(state(&api).await, before);
}

#[tokio::test]
async fn wrong_types_are_400() {
    let api = TestApi::start().await;
    let uid = api.admin.uid.clone();
    let cases = [
        (
            Method::PATCH,
            format!("/v1/infra/users/{uid}"),
            r#"{"displayName":["x"]}"#,
        ),
        (
            Method::PATCH,
            format!("/v1/infra/users/{uid}/admin-status"),
            r#"{"isAdmin":"false"}"#,
        ),
        (
            Method::POST,
            "/v1/infra/user-invitations".to_owned(),
            r#"{"inviteeEmail":{"a":1}}"#,
        ),
        (
            Method::DELETE,
            "/v1/infra/user-invitations".to_owned(),
            r#"{"inviteeEmails":"a@b.co"}"#,
        ),
    ];
    let before = state(&api).await;

    for (method, path, body) in cases {
        let reply = api
            .send_raw(method.clone(), &path, "application/json", body.into())
            .await;

        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{method} {path}");
        assert_eq!(reply.body["error"], "Bad Request", "{method} {path}");
        assert!(reply.body["message"].is_array(), "{method} {path}");
    }
    assert_eq!(state(&api).await, before);
}

#[tokio::test]
async fn query_parameters_are_checked() {
    let api = TestApi::start().await;
    let uid = api.admin.uid.clone();
    let paths = [
        "/v1/infra/users?x=1".to_owned(),
        format!("/v1/infra/users/{uid}?x=1"),
        format!("/v1/infra/users/{uid}/workspaces?x=1"),
        "/v1/infra/user-invitations?x=1".to_owned(),
        "/v1/infra/user-invitations?take=0".to_owned(),
        "/v1/infra/user-invitations?skip=x".to_owned(),
    ];

    for path in paths {
        let reply = api.get(&path).await;

        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{path}");
        assert!(reply.body["message"].is_array(), "{path}");
    }
}
