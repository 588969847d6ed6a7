//! Collection import, listing, and workspace deletion with everything under it.

#![allow(
    clippy::expect_used,
    reason = "a failed setup step should end the test"
)]

use api_tests::{Reply, TestApi, repo_root};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

async fn session(api: &TestApi) -> Value {
    api.sign_in(api.admin.email.as_str()).await["accessToken"].clone()
}

async fn create_workspace(api: &TestApi, access: &Value) -> String {
    let body = json!({ "name": "Imports", "ownerEmail": api.admin.email.as_str() });
    let reply = api
        .as_session(access, Method::POST, "/v1/admin/workspaces", Some(body))
        .await;
    reply.body["id"].as_str().expect("id").to_owned()
}

async fn import(api: &TestApi, access: &Value, id: &str, body: Vec<u8>) -> Reply {
    let path = format!("/v1/admin/workspaces/{id}/collections/import");
    let header = format!("Bearer {}", access.as_str().expect("token"));
    let response = reqwest::Client::new()
        .post(format!("{}{path}", api.url))
        .header("authorization", header)
        .header("content-type", "application/json")
        .body(body)
        .send()
        .await
        .expect("gateway answers");
    let status = response.status();
    let headers = response.headers().clone();
    let body = response.json().await.unwrap_or(Value::Null);
    Reply {
        status,
        body,
        headers,
    }
}

fn real_export() -> Vec<u8> {
    std::fs::read(repo_root().join("tests/fixtures/inventory-api.json")).expect("fixture")
}

async fn counters(api: &TestApi) -> (i64, i64, i64) {
    let counters = api.context.store.get_counters().await.expect("counters");
    (counters.workspaces, counters.collections, counters.requests)
}

#[tokio::test]
async fn real_export_keeps_nesting_and_order() {
    let api = TestApi::start().await;
    let access = session(&api).await;
    let id = create_workspace(&api, &access).await;

    let reply = import(&api, &access, &id, real_export()).await;

    assert_eq!(reply.status, StatusCode::CREATED);
    assert_eq!(reply.body, json!({ "collections": 2, "requests": 1 }));
    let collections = api
        .as_session(
            &access,
            Method::GET,
            &format!("/v1/admin/workspaces/{id}/collections"),
            None,
        )
        .await
        .body;
    let requests = api
        .as_session(
            &access,
            Method::GET,
            &format!("/v1/admin/workspaces/{id}/requests"),
            None,
        )
        .await
        .body;
    assert_eq!(collections[0]["title"], "Inventory API");
    assert_eq!(collections[0]["parentId"], Value::Null);
    assert_eq!(collections[1]["title"], "Items");
    assert_eq!(collections[1]["parentId"], collections[0]["id"]);
    assert_eq!(collections[0]["data"]["variables"][0]["key"], "baseUrl");
    assert_eq!(requests[0]["title"], "Create item");
    assert_eq!(requests[0]["collectionId"], collections[1]["id"]);
    assert_eq!(requests[0]["request"]["v"], "17");
    assert_eq!(
        requests[0]["request"]["body"]["contentType"],
        "application/json"
    );
    let detail = api
        .as_session(
            &access,
            Method::GET,
            &format!("/v1/admin/workspaces/{id}"),
            None,
        )
        .await
        .body;
    assert_eq!(
        (
            detail["collectionCount"].clone(),
            detail["requestCount"].clone()
        ),
        (json!(2), json!(1))
    );
    let insights = api
        .as_session(&access, Method::GET, "/v1/admin/insights", None)
        .await
        .body;
    assert_eq!(
        (
            insights["collections"].clone(),
            insights["requests"].clone()
        ),
        (json!(2), json!(1))
    );
}

#[tokio::test]
async fn array_export_appends_after_existing() {
    let api = TestApi::start().await;
    let access = session(&api).await;
    let id = create_workspace(&api, &access).await;
    import(&api, &access, &id, real_export()).await;
    let array = json!([{ "v": 12, "name": "Second" }, { "v": 1, "name": "Third", "folders": [], "requests": [] }]);

    let reply = import(&api, &access, &id, array.to_string().into_bytes()).await;

    assert_eq!(reply.body, json!({ "collections": 2, "requests": 0 }));
    let collections = api
        .as_session(
            &access,
            Method::GET,
            &format!("/v1/admin/workspaces/{id}/collections?take=10"),
            None,
        )
        .await
        .body;
    let top: Vec<(String, u64)> = collections
        .as_array()
        .expect("array")
        .iter()
        .filter(|c| c["parentId"].is_null())
        .map(|c| {
            (
                c["title"].as_str().expect("title").to_owned(),
                c["orderIndex"].as_u64().expect("order"),
            )
        })
        .collect();
    assert_eq!(
        top,
        [
            ("Inventory API".to_owned(), 0),
            ("Second".to_owned(), 2),
            ("Third".to_owned(), 3)
        ]
    );
}

#[tokio::test]
async fn malformed_files_store_nothing() {
    let api = TestApi::start().await;
    let access = session(&api).await;
    let id = create_workspace(&api, &access).await;
    let cases = [
        (b"{\"v\": 12,".to_vec(), "team_coll/invalid_json", "$"),
        (b"\"text\"".to_vec(), "team_coll/invalid_json", "$"),
        (json!([{ "v": 12, "name": "ok" }, { "v": 12, "name": "bad", "requests": [{ "v": "99", "name": "r" }] }]).to_string().into_bytes(), "team_coll/invalid_json", "$[1].requests[0].v"),
        (json!({ "v": 12, "name": 5 }).to_string().into_bytes(), "team_coll/invalid_json", "$.name"),
    ];

    for (body, code, path) in cases {
        let reply = import(&api, &access, &id, body).await;

        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{path}");
        assert_eq!(reply.body["message"], code, "{path}");
        let expected_path = if path == "$.name" { "$[0].name" } else { path };
        assert_eq!(reply.body["path"], expected_path);
    }
    let mut deep = json!({ "v": 12, "name": "leaf" });
    for _ in 0..10 {
        deep = json!({ "v": 12, "name": "level", "folders": [deep] });
    }
    let too_deep = import(&api, &access, &id, deep.to_string().into_bytes()).await;
    assert_eq!(too_deep.body["message"], "team_coll/too_deep");
    let oversized = format!("{{\"v\":12,\"name\":\"{}\"}}", "x".repeat(2 * 1024 * 1024));
    let too_large = import(&api, &access, &id, oversized.into_bytes()).await;
    assert_eq!(too_large.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(counters(&api).await, (1, 0, 0));
    let unknown = import(&api, &access, "no-such-workspace", real_export()).await;
    assert_eq!(unknown.body["message"], "team/invalid_id");
}

#[tokio::test]
async fn delete_large_workspace_restores_counts() {
    let api = TestApi::start().await;
    let access = session(&api).await;
    let id = create_workspace(&api, &access).await;
    let member = api.create_user("mia@example.com", None, false).await;
    let body = json!({ "email": "mia@example.com", "role": "EDITOR" });
    api.as_session(
        &access,
        Method::POST,
        &format!("/v1/admin/workspaces/{id}/members"),
        Some(body),
    )
    .await;
    let requests: Vec<Value> = (0..230)
        .map(|i| json!({ "v": "17", "name": format!("r{i}") }))
        .collect();
    let folders: Vec<Value> = (0..20)
        .map(|i| json!({ "v": 12, "name": format!("f{i}") }))
        .collect();
    let file = json!({ "v": 12, "name": "Big", "folders": folders, "requests": requests });
    let imported = import(&api, &access, &id, file.to_string().into_bytes()).await;
    assert_eq!(imported.body, json!({ "collections": 21, "requests": 230 }));
    assert_eq!(counters(&api).await, (1, 21, 230));

    let deleted = api
        .as_session(
            &access,
            Method::DELETE,
            &format!("/v1/admin/workspaces/{id}"),
            None,
        )
        .await;
    let again = api
        .as_session(
            &access,
            Method::DELETE,
            &format!("/v1/admin/workspaces/{id}"),
            None,
        )
        .await;

    assert_eq!(deleted.body, json!({ "message": "true" }));
    assert_eq!(
        again.body,
        json!({ "statusCode": 404, "message": "team/invalid_id" })
    );
    assert_eq!(counters(&api).await, (0, 0, 0));
    let memberships = api
        .get(&format!("/v1/infra/users/{}/workspaces", member.uid))
        .await;
    assert_eq!(memberships.body, json!([]));
    let insights = api
        .as_session(&access, Method::GET, "/v1/admin/insights", None)
        .await
        .body;
    assert_eq!(
        (insights["workspaces"].clone(), insights["requests"].clone()),
        (json!(0), json!(0))
    );
}

#[tokio::test]
async fn interrupted_deletion_hides_workspace_and_retry_finishes() {
    let api = TestApi::start().await;
    let access = session(&api).await;
    let id = create_workspace(&api, &access).await;
    import(&api, &access, &id, real_export()).await;
    let store = &api.context.store;
    let table = store.table().to_owned();
    let counter = |delta: &str| aws_sdk_dynamodb::types::AttributeValue::N(delta.to_owned());
    let text = |value: &str| aws_sdk_dynamodb::types::AttributeValue::S(value.to_owned());
    store
        .client()
        .update_item()
        .table_name(&table)
        .key("pk", text(&format!("WS#{id}")))
        .key("sk", text("WS"))
        .update_expression("SET deleting = :true REMOVE gsi1pk, gsi1sk")
        .expression_attribute_values(":true", aws_sdk_dynamodb::types::AttributeValue::Bool(true))
        .send()
        .await
        .expect("marked as a first deletion attempt would");
    store
        .client()
        .update_item()
        .table_name(&table)
        .key("pk", text("STATS"))
        .key("sk", text("STATS"))
        .update_expression("ADD workspaces :minus, collections :collections, requests :requests")
        .expression_attribute_values(":minus", counter("-1"))
        .expression_attribute_values(":collections", counter("-2"))
        .expression_attribute_values(":requests", counter("-1"))
        .send()
        .await
        .expect("counted out as a first deletion attempt would");

    let detail = api
        .as_session(
            &access,
            Method::GET,
            &format!("/v1/admin/workspaces/{id}"),
            None,
        )
        .await;
    let listed = api
        .as_session(&access, Method::GET, "/v1/admin/workspaces", None)
        .await;
    let add = json!({ "email": api.admin.email, "role": "VIEWER" });
    let member = api
        .as_session(
            &access,
            Method::POST,
            &format!("/v1/admin/workspaces/{id}/members"),
            Some(add),
        )
        .await;
    let retried = api
        .as_session(
            &access,
            Method::DELETE,
            &format!("/v1/admin/workspaces/{id}"),
            None,
        )
        .await;

    assert_eq!(detail.status, StatusCode::NOT_FOUND);
    assert_eq!(listed.body, json!([]));
    assert_ne!(member.status, StatusCode::CREATED);
    assert_eq!(retried.body, json!({ "message": "true" }));
    assert_eq!(counters(&api).await, (0, 0, 0));
}
