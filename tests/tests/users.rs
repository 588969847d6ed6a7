//! `GET /v1/infra/users` and `GET /v1/infra/users/{uid}` through the local gateway.

#![allow(
    clippy::expect_used,
    reason = "a failed setup step should end the test"
)]

use std::collections::HashSet;

use api_tests::TestApi;
use reqwest::StatusCode;
use serde_json::{Value, json};

fn uids(body: &Value) -> Vec<String> {
    body.as_array()
        .expect("array body")
        .iter()
        .map(|user| user["uid"].as_str().expect("uid").to_owned())
        .collect()
}

#[tokio::test]
async fn list_returns_bootstrap_admin() {
    let api = TestApi::start().await;

    let reply = api.get("/v1/infra/users").await;

    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(
        reply.body,
        json!([{
            "uid": api.admin.uid,
            "displayName": "Admin",
            "email": api.admin.email.as_str(),
            "photoURL": null,
            "isAdmin": true,
            "lastLoggedOn": null,
            "lastActiveOn": null,
        }])
    );
}

#[tokio::test]
async fn get_returns_one_user() {
    let api = TestApi::start().await;
    let user = api.create_user("Bob@Example.com", Some("Bob"), false).await;

    let reply = api.get(&format!("/v1/infra/users/{}", user.uid)).await;

    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.body["uid"], json!(user.uid));
    assert_eq!(reply.body["email"], "Bob@Example.com");
    assert_eq!(reply.body["isAdmin"], false);
    assert!(reply.body.get("createdOn").is_none());
}

#[tokio::test]
async fn get_unknown_user_is_404() {
    let api = TestApi::start().await;

    let reply = api.get("/v1/infra/users/no-such-uid").await;

    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    assert_eq!(
        reply.body,
        json!({ "statusCode": 404, "message": "user/not_found" })
    );
}

#[tokio::test]
async fn list_orders_admins_then_names() {
    let api = TestApi::start().await;
    let zed = api.create_user("zed@example.com", Some("Zed"), true).await;
    let bob = api.create_user("bob@example.com", Some("bob"), false).await;
    let alice = api
        .create_user("alice@example.com", Some("Alice"), false)
        .await;
    let unnamed = api.create_user("anon@example.com", None, false).await;

    let reply = api.get("/v1/infra/users?take=100").await;

    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(
        uids(&reply.body),
        [
            api.admin.uid.as_str(),
            &zed.uid,
            &alice.uid,
            &bob.uid,
            &unnamed.uid
        ]
    );
}

#[tokio::test]
async fn search_matches_name_or_email_ignoring_case() {
    let api = TestApi::start().await;
    let alice = api
        .create_user("alice@corp.example", Some("Alice Liddell"), false)
        .await;
    let malik = api
        .create_user("m.alik@example.com", Some("Malik"), false)
        .await;
    api.create_user("carol@example.com", Some("Carol"), false)
        .await;

    let by_name = api.get("/v1/infra/users?searchString=LIDD").await;
    let by_email = api.get("/v1/infra/users?searchString=CORP.EX").await;
    let both = api.get("/v1/infra/users?searchString=ali").await;
    let none = api.get("/v1/infra/users?searchString=zzz").await;

    assert_eq!(uids(&by_name.body), [alice.uid.as_str()]);
    assert_eq!(uids(&by_email.body), [alice.uid.as_str()]);
    assert_eq!(uids(&both.body), [alice.uid.as_str(), &malik.uid]);
    assert_eq!(none.body, json!([]));
}

#[tokio::test]
async fn paging_walks_every_user_once() {
    let api = TestApi::start().await;
    let mut expected = HashSet::from([api.admin.uid.clone()]);
    for index in 0..23 {
        let name = if index % 2 == 0 {
            Some("Same Name")
        } else {
            None
        };
        let user = api
            .create_user(&format!("user{index}@example.com"), name, false)
            .await;
        expected.insert(user.uid);
    }

    let mut seen = Vec::new();
    for skip in (0..).step_by(5) {
        let reply = api
            .get(&format!("/v1/infra/users?skip={skip}&take=5"))
            .await;
        assert_eq!(reply.status, StatusCode::OK);
        let page = uids(&reply.body);
        if page.is_empty() {
            break;
        }
        seen.extend(page);
    }

    assert_eq!(seen.len(), expected.len());
    assert_eq!(seen.iter().cloned().collect::<HashSet<_>>(), expected);
}

#[tokio::test]
async fn paging_with_search_walks_matches_once() {
    let api = TestApi::start().await;
    for index in 0..12 {
        api.create_user(&format!("match{index}@example.com"), Some("Twin"), false)
            .await;
        api.create_user(&format!("other{index}@example.com"), Some("Other"), false)
            .await;
    }

    let first = api.get("/v1/infra/users?searchString=twin&take=7").await;
    let second = api
        .get("/v1/infra/users?searchString=twin&skip=7&take=7")
        .await;

    let mut all = uids(&first.body);
    all.extend(uids(&second.body));
    assert_eq!(all.len(), 12);
    assert_eq!(all.iter().collect::<HashSet<_>>().len(), 12);
}

#[tokio::test]
async fn malformed_query_values_are_400() {
    let api = TestApi::start().await;
    let cases = [
        ("skip=-1", "skip must be an integer from 0 to 100000"),
        ("skip=abc", "skip must be an integer from 0 to 100000"),
        ("take=0", "take must be an integer from 1 to 100"),
        ("take=101", "take must be an integer from 1 to 100"),
        ("take=1.5", "take must be an integer from 1 to 100"),
        ("take=", "take must be an integer from 1 to 100"),
        (
            "searchString=",
            "searchString must be longer than or equal to 1 characters",
        ),
        ("limit=3", "property limit should not exist"),
        ("take=1&take=2", "take must be given at most once"),
    ];

    for (query, message) in cases {
        let reply = api.get(&format!("/v1/infra/users?{query}")).await;

        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{query}");
        assert_eq!(reply.body["message"], json!([message]), "{query}");
        assert_eq!(reply.body["error"], "Bad Request", "{query}");
        assert_eq!(reply.body["statusCode"], 400, "{query}");
    }
}

#[tokio::test]
async fn get_user_rejects_query_parameters() {
    let api = TestApi::start().await;

    let reply = api
        .get(&format!("/v1/infra/users/{}?x=1", api.admin.uid))
        .await;

    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        reply.body["message"],
        json!(["property x should not exist"])
    );
}
