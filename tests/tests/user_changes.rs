//! `PATCH /v1/infra/users/{uid}` and `PATCH /v1/infra/users/{uid}/admin-status`.

#![allow(
    clippy::expect_used,
    reason = "a failed setup step should end the test"
)]

use api_tests::TestApi;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

async fn rename(api: &TestApi, uid: &str, body: Value) -> api_tests::Reply {
    api.call(Method::PATCH, &format!("/v1/infra/users/{uid}"), Some(body))
        .await
}

async fn set_admin(api: &TestApi, uid: &str, body: Value) -> api_tests::Reply {
    let path = format!("/v1/infra/users/{uid}/admin-status");
    api.call(Method::PATCH, &path, Some(body)).await
}

async fn admin_count(api: &TestApi) -> (usize, i64) {
    let listed = api.get("/v1/infra/users?take=100").await;
    let admins = listed
        .body
        .as_array()
        .expect("array")
        .iter()
        .filter(|user| user["isAdmin"] == true)
        .count();
    let counted = api
        .context
        .store
        .get_counters()
        .await
        .expect("counters")
        .admins;
    (admins, counted)
}

fn service_error(status: u16, code: &str) -> Value {
    json!({ "statusCode": status, "message": code })
}

#[tokio::test]
async fn rename_returns_updated_user() {
    let api = TestApi::start().await;
    let user = api.create_user("zoe@example.com", Some("Zoe"), false).await;

    let reply = rename(&api, &user.uid, json!({ "displayName": "  Aaron " })).await;

    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.body["displayName"], "Aaron");
    assert_eq!(reply.body["uid"], json!(user.uid));
    let listed = api.get("/v1/infra/users?searchString=aaron").await;
    assert_eq!(listed.body[0]["displayName"], "Aaron");
}

#[tokio::test]
async fn rename_moves_user_in_order() {
    let api = TestApi::start().await;
    let first = api.create_user("a@example.com", Some("Anna"), false).await;
    let second = api.create_user("b@example.com", Some("Bert"), false).await;

    rename(&api, &first.uid, json!({ "displayName": "Zara" })).await;
    let listed = api.get("/v1/infra/users?skip=1").await;

    assert_eq!(listed.body[0]["uid"], json!(second.uid));
    assert_eq!(listed.body[1]["uid"], json!(first.uid));
}

#[tokio::test]
async fn rename_checks_name_before_lookup() {
    let api = TestApi::start().await;

    for body in [
        json!({}),
        json!({ "displayName": "" }),
        json!({ "displayName": "   " }),
        json!({ "displayName": null }),
    ] {
        let reply = rename(&api, "no-such-uid", body.clone()).await;

        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{body}");
        assert_eq!(
            reply.body,
            service_error(400, "user/short_display_name"),
            "{body}"
        );
    }
}

#[tokio::test]
async fn rename_length_counts_untrimmed_name() {
    let api = TestApi::start().await;
    let uid = api.admin.uid.clone();
    let longest = "x".repeat(256);

    let padded = rename(
        &api,
        &uid,
        json!({ "displayName": format!("{longest}\u{a0}") }),
    )
    .await;
    assert_eq!(padded.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        padded.body["message"],
        json!(["displayName must be shorter than or equal to 256 characters"])
    );
    let unchanged = api.get(&format!("/v1/infra/users/{uid}")).await;
    assert_eq!(unchanged.body["displayName"], "Admin");

    let renamed = rename(&api, &uid, json!({ "displayName": longest })).await;
    assert_eq!(renamed.status, StatusCode::OK);
    assert_eq!(renamed.body["displayName"], json!(longest));
}

#[tokio::test]
async fn rename_unknown_user_is_404() {
    let api = TestApi::start().await;

    let reply = rename(&api, "no-such-uid", json!({ "displayName": "Ann" })).await;

    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    assert_eq!(reply.body, service_error(404, "user/not_found"));
}

#[tokio::test]
async fn rename_rejects_bad_bodies_unchanged() {
    let api = TestApi::start().await;
    let uid = api.admin.uid.clone();
    let path = format!("/v1/infra/users/{uid}");
    let cases: [(&str, Vec<u8>, u16, Value); 5] = [
        (
            "application/json",
            b"{\"displayName\":".to_vec(),
            400,
            json!("request/malformed_json"),
        ),
        (
            "text/plain",
            b"{\"displayName\":\"X\"}".to_vec(),
            415,
            json!("request/unsupported_media_type"),
        ),
        (
            "application/json",
            b"{\"displayName\":\"X\",\"admin\":true}".to_vec(),
            400,
            json!(["property admin should not exist"]),
        ),
        (
            "application/json",
            b"{\"displayName\":5}".to_vec(),
            400,
            json!(["displayName: invalid type: integer `5`, expected a string"]),
        ),
        (
            "application/json",
            b"[\"X\"]".to_vec(),
            400,
            json!(["request body must be a JSON object"]),
        ),
    ];

    for (content_type, body, status, message) in cases {
        let reply = api.send_raw(Method::PATCH, &path, content_type, body).await;

        assert_eq!(reply.status.as_u16(), status, "{message}");
        assert_eq!(reply.body["message"], message);
    }
    let oversized = format!("{{\"displayName\":\"{}\"}}", "x".repeat(20_000));
    let reply = api
        .send_raw(
            Method::PATCH,
            &path,
            "application/json",
            oversized.into_bytes(),
        )
        .await;
    assert_eq!(reply.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(reply.body["message"], "request/body_too_large");

    let user = api.get(&path).await;
    assert_eq!(user.body["displayName"], "Admin");
}

#[tokio::test]
async fn promote_and_demote_keep_count() {
    let api = TestApi::start().await;
    let user = api.create_user("bea@example.com", Some("Bea"), false).await;

    let promoted = set_admin(&api, &user.uid, json!({ "isAdmin": true })).await;
    assert_eq!(promoted.status, StatusCode::OK);
    assert_eq!(promoted.body, json!({ "message": "true" }));
    assert_eq!(admin_count(&api).await, (2, 2));

    let again = set_admin(&api, &user.uid, json!({ "isAdmin": true })).await;
    assert_eq!(again.status, StatusCode::OK);
    assert_eq!(admin_count(&api).await, (2, 2));

    let demoted = set_admin(&api, &user.uid, json!({ "isAdmin": false })).await;
    assert_eq!(demoted.status, StatusCode::OK);
    assert_eq!(admin_count(&api).await, (1, 1));
}

#[tokio::test]
async fn last_admin_cannot_be_demoted() {
    let api = TestApi::start().await;

    let reply = set_admin(&api, &api.admin.uid, json!({ "isAdmin": false })).await;

    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        reply.body,
        service_error(400, "admin/only_one_admin_account_found")
    );
    assert_eq!(admin_count(&api).await, (1, 1));
}

#[tokio::test]
async fn admin_status_unknown_and_non_admin() {
    let api = TestApi::start().await;
    let user = api.create_user("cy@example.com", Some("Cy"), false).await;

    let promote = set_admin(&api, "no-such-uid", json!({ "isAdmin": true })).await;
    let demote = set_admin(&api, "no-such-uid", json!({ "isAdmin": false })).await;
    let non_admin = set_admin(&api, &user.uid, json!({ "isAdmin": false })).await;

    assert_eq!(promote.body, service_error(404, "user/not_found"));
    assert_eq!(demote.body, service_error(404, "user/users_not_found"));
    assert_eq!(non_admin.status, StatusCode::OK);
    assert_eq!(admin_count(&api).await, (1, 1));
}

#[tokio::test]
async fn admin_status_requires_boolean() {
    let api = TestApi::start().await;
    let uid = api.admin.uid.clone();

    for body in [
        json!({ "isAdmin": "true" }),
        json!({}),
        json!({ "isAdmin": 1 }),
    ] {
        let reply = set_admin(&api, &uid, body.clone()).await;

        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{body}");
        assert_eq!(reply.body["error"], "Bad Request", "{body}");
    }
}

#[tokio::test]
async fn mutual_demotion_leaves_one_admin() {
    let api = TestApi::start().await;
    let other = api.create_user("dee@example.com", Some("Dee"), true).await;
    let uids = [api.admin.uid.clone(), other.uid.clone()];

    for round in 0..20 {
        let (first, second) = tokio::join!(
            set_admin(&api, &uids[0], json!({ "isAdmin": false })),
            set_admin(&api, &uids[1], json!({ "isAdmin": false })),
        );

        let mut statuses = [first.status.as_u16(), second.status.as_u16()];
        statuses.sort_unstable();
        assert_eq!(statuses, [200, 400], "round {round}");
        assert_eq!(admin_count(&api).await, (1, 1), "round {round}");
        let demoted = if first.status == StatusCode::OK {
            &uids[0]
        } else {
            &uids[1]
        };
        set_admin(&api, demoted, json!({ "isAdmin": true })).await;
    }
}
