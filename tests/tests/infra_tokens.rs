//! InfraToken lifecycle for admins, the audit trail, and the scheduled sweeper.

#![allow(
    clippy::expect_used,
    reason = "a failed setup step should end the test"
)]

use std::collections::HashSet;

use api_tests::{Reply, TestApi};
use chrono::{DateTime, Duration, Utc};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use shared::email::Email;
use shared::store::{Actor, NewInfraToken};

const PATH: &str = "/v1/admin/infra-tokens";

async fn admin_session(api: &TestApi) -> Value {
    api.sign_in(api.admin.email.as_str()).await["accessToken"].clone()
}

async fn create(api: &TestApi, access: &Value, body: Value) -> Reply {
    api.as_session(access, Method::POST, PATH, Some(body)).await
}

async fn list(api: &TestApi, access: &Value, query: &str) -> Vec<Value> {
    let reply = api
        .as_session(access, Method::GET, &format!("{PATH}{query}"), None)
        .await;
    assert_eq!(reply.status, StatusCode::OK);
    reply.body.as_array().expect("array").clone()
}

async fn use_token(api: &TestApi, secret: &str) -> StatusCode {
    let header = format!("Bearer {secret}");
    api.send(Method::GET, "/v1/infra/users", Some(&header), None)
        .await
        .status
}

async fn audit_actions(api: &TestApi, access: &Value) -> Vec<(String, String)> {
    let reply = api
        .as_session(access, Method::GET, "/v1/admin/audit?take=100", None)
        .await;
    assert_eq!(reply.status, StatusCode::OK);
    reply
        .body
        .as_array()
        .expect("array")
        .iter()
        .map(|entry| {
            let text = |key: &str| entry[key].as_str().expect("text").to_owned();
            (text("action"), text("target"))
        })
        .collect()
}

fn parse_time(value: &Value) -> DateTime<Utc> {
    shared::clock::parse(value.as_str().expect("time")).expect("ISO time")
}

fn service_error(status: u16, code: &str) -> Value {
    json!({ "statusCode": status, "message": code })
}

#[tokio::test]
async fn create_with_each_expiry() {
    let api = TestApi::start().await;
    let access = admin_session(&api).await;

    for days in [json!(7), json!(30), json!(60), json!(90), Value::Null] {
        let reply = create(
            &api,
            &access,
            json!({ "label": "deploy", "expiryInDays": days }),
        )
        .await;

        assert_eq!(reply.status, StatusCode::CREATED, "{days}");
        let secret = reply.body["token"].as_str().expect("secret");
        assert!(secret.starts_with("iat_"), "{secret}");
        assert_eq!(secret.len(), 68, "{secret}");
        let info = &reply.body["info"];
        assert_eq!(info["label"], "deploy");
        assert_eq!(info["lastUsedOn"], Value::Null);
        assert_eq!(info["expired"], false);
        assert_eq!(
            info["creator"],
            json!({ "uid": api.admin.uid, "email": api.admin.email.as_str() })
        );
        match days.as_i64() {
            Some(days) => {
                let lifetime = parse_time(&info["expiresOn"]) - parse_time(&info["createdOn"]);
                let drift = (lifetime - Duration::days(days)).num_milliseconds().abs();
                assert!(drift < 1000, "{days} days came out as {lifetime}");
            }
            None => assert_eq!(info["expiresOn"], Value::Null),
        }
        assert_eq!(use_token(&api, secret).await, StatusCode::OK);
    }
}

#[tokio::test]
async fn invalid_expiry_and_label() {
    let api = TestApi::start().await;
    let access = admin_session(&api).await;
    let cases = [
        (
            json!({ "label": "deploy", "expiryInDays": 0 }),
            "infra_token/expiry_days_invalid",
        ),
        (
            json!({ "label": "deploy", "expiryInDays": 365 }),
            "infra_token/expiry_days_invalid",
        ),
        (
            json!({ "label": "deploy", "expiryInDays": "7" }),
            "infra_token/expiry_days_invalid",
        ),
        (
            json!({ "label": "deploy", "expiryInDays": 7.5 }),
            "infra_token/expiry_days_invalid",
        ),
        (
            json!({ "label": "deploy", "expiryInDays": -7 }),
            "infra_token/expiry_days_invalid",
        ),
        (
            json!({ "label": "  ab  ", "expiryInDays": 7 }),
            "infra_token/label_too_short",
        ),
        (
            json!({ "label": "x".repeat(101), "expiryInDays": 7 }),
            "infra_token/label_too_long",
        ),
        (
            json!({ "label": format!(" {}", "x".repeat(100)), "expiryInDays": 7 }),
            "infra_token/label_too_long",
        ),
    ];

    for (body, code) in cases {
        let reply = create(&api, &access, body.clone()).await;

        assert_eq!(reply.body, service_error(400, code), "{body}");
    }
    let longest = create(
        &api,
        &access,
        json!({ "label": "x".repeat(100), "expiryInDays": 7 }),
    )
    .await;
    assert_eq!(longest.status, StatusCode::CREATED);
    assert_eq!(list(&api, &access, "").await.len(), 2);
}

#[tokio::test]
async fn secret_only_in_create_response() {
    let api = TestApi::start().await;
    let access = admin_session(&api).await;
    let reply = create(
        &api,
        &access,
        json!({ "label": "ci deploy", "expiryInDays": 30 }),
    )
    .await;
    let secret = reply.body["token"].as_str().expect("secret").to_owned();
    let hash = shared::secret::Secret::from_client(&secret).hash();
    let store = &api.context.store;

    let listed = serde_json::to_string(&list(&api, &access, "").await).expect("JSON");
    let scan = store
        .client()
        .scan()
        .table_name(store.table())
        .send()
        .await
        .expect("scan");

    assert!(!listed.contains(&secret));
    assert!(!listed.contains(&hash));
    assert!(!format!("{:?}", scan.items()).contains(&secret));
    assert_eq!(use_token(&api, &hash).await, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn revoke_takes_effect_at_once() {
    let api = TestApi::start().await;
    let access = admin_session(&api).await;
    let reply = create(
        &api,
        &access,
        json!({ "label": "ci deploy", "expiryInDays": null }),
    )
    .await;
    let secret = reply.body["token"].as_str().expect("secret").to_owned();
    let id = reply.body["info"]["id"].as_str().expect("id").to_owned();
    assert_eq!(use_token(&api, &secret).await, StatusCode::OK);

    let revoked = api
        .as_session(&access, Method::DELETE, &format!("{PATH}/{id}"), None)
        .await;
    let again = api
        .as_session(&access, Method::DELETE, &format!("{PATH}/{id}"), None)
        .await;
    let unknown = api
        .as_session(&access, Method::DELETE, &format!("{PATH}/no-such-id"), None)
        .await;

    assert_eq!(revoked.body, json!({ "message": "true" }));
    assert_eq!(use_token(&api, &secret).await, StatusCode::UNAUTHORIZED);
    assert_eq!(
        again.body,
        service_error(404, "infra_token/infra_token_not_found")
    );
    assert_eq!(
        unknown.body,
        service_error(404, "infra_token/infra_token_not_found")
    );
}

#[tokio::test]
async fn list_shows_use_and_expiry_newest_first() {
    let api = TestApi::start().await;
    let access = admin_session(&api).await;
    let expired = create_token(&api, "old", Some(Utc::now() - Duration::seconds(1))).await;
    let used = create(&api, &access, json!({ "label": "used", "expiryInDays": 7 })).await;
    let secret = used.body["token"].as_str().expect("secret");
    use_token(&api, secret).await;

    let listed = list(&api, &access, "?take=2").await;

    assert_eq!(listed[0]["label"], "used");
    assert!(listed[0]["lastUsedOn"].is_string());
    assert_eq!(listed[0]["expired"], false);
    assert_eq!(listed[1]["label"], "old");
    assert_eq!(listed[1]["expired"], true);
    assert_eq!(use_token(&api, &expired).await, StatusCode::UNAUTHORIZED);
    let rest = list(&api, &access, "?skip=2").await;
    assert_eq!(rest.len(), 1);
    assert_eq!(rest[0]["label"], "bootstrap");
}

#[tokio::test]
async fn audit_records_token_actions() {
    let api = TestApi::start().await;
    let access = admin_session(&api).await;
    let reply = create(
        &api,
        &access,
        json!({ "label": "audited", "expiryInDays": 7 }),
    )
    .await;
    let id = reply.body["info"]["id"].as_str().expect("id").to_owned();
    let secret = reply.body["token"].as_str().expect("secret").to_owned();
    let user = api.create_user("zia@example.com", Some("Zia"), false).await;
    let header = format!("Bearer {secret}");
    let rename = json!({ "displayName": "Zia B" });
    api.send(
        Method::PATCH,
        &format!("/v1/infra/users/{}", user.uid),
        Some(&header),
        Some(rename),
    )
    .await;
    api.as_session(&access, Method::DELETE, &format!("{PATH}/{id}"), None)
        .await;

    let actions = audit_actions(&api, &access).await;

    assert_eq!(
        actions[..3],
        [
            ("infra_token.revoked".to_owned(), id.clone()),
            ("user.renamed".to_owned(), user.uid.clone()),
            ("infra_token.created".to_owned(), id.clone()),
        ]
    );
    let entries = api
        .as_session(&access, Method::GET, "/v1/admin/audit?take=3", None)
        .await
        .body;
    assert_eq!(entries[1]["actorType"], "infra_token");
    assert_eq!(entries[1]["actorId"], json!(id));
    assert_eq!(entries[0]["actorType"], "session");
}

async fn create_token(api: &TestApi, label: &str, expires_on: Option<DateTime<Utc>>) -> String {
    let new = NewInfraToken {
        label: label.to_owned(),
        creator_uid: api.admin.uid.clone(),
        creator_email: api.admin.email.as_str().to_owned(),
        expires_on,
    };
    let store = &api.context.store;
    let (_, secret) = store
        .create_infra_token(new, &Actor::system())
        .await
        .expect("created");
    secret.expose().to_owned()
}

/// Fills the table with expired and live items of every kind the sweeper removes.
async fn seed_expiring(api: &TestApi, expired_tokens: usize) -> HashSet<String> {
    let store = &api.context.store;
    let past = Some(Utc::now() - Duration::minutes(5));
    for index in 0..expired_tokens {
        create_token(api, &format!("expired {index}"), past).await;
    }
    let mut live = HashSet::new();
    for index in 0..3 {
        let secret = create_token(
            api,
            &format!("live {index}"),
            Some(Utc::now() + Duration::days(1)),
        )
        .await;
        live.insert(secret);
    }
    for index in 0..12 {
        let email = Email::parse(&format!("gone{index}@example.com")).expect("valid");
        store
            .create_invitation(&email, &api.admin, Duration::seconds(-1), None)
            .await
            .expect("invited");
    }
    for index in 0..2 {
        let email = Email::parse(&format!("kept{index}@example.com")).expect("valid");
        store
            .create_invitation(&email, &api.admin, Duration::days(1), None)
            .await
            .expect("invited");
    }
    for index in 0..7 {
        let email = Email::parse(&format!("link{index}@example.com")).expect("valid");
        store
            .create_magic_link(&email, Duration::seconds(-1))
            .await
            .expect("stored");
        store
            .create_session(&api.admin.uid, Duration::seconds(-1))
            .await
            .expect("stored");
    }
    store
        .create_session(&api.admin.uid, Duration::days(1))
        .await
        .expect("stored");
    live
}

#[tokio::test]
async fn sweeper_removes_exactly_expired() {
    let api = TestApi::start().await;
    let live = seed_expiring(&api, 130).await;
    let event = json!({ "kinds": ["infraTokens", "invitations", "magicLinks", "sessions"], "pageSize": 25 });

    let report = sweeper::handle(&api.context, event).await.expect("sweep");

    assert_eq!(report.infra_tokens, 130);
    assert_eq!(report.invitations, 12);
    assert_eq!(report.magic_links, 7);
    assert_eq!(report.sessions, 7);
    let store = &api.context.store;
    let page = shared::paging::Page { skip: 0, take: 100 };
    let remaining = store.list_infra_tokens(page).await.expect("list");
    assert_eq!(remaining.len(), 4);
    for secret in live {
        assert_eq!(use_token(&api, &secret).await, StatusCode::OK);
    }
    assert_eq!(
        store
            .list_pending_invitations(page)
            .await
            .expect("list")
            .len(),
        2
    );
    assert_eq!(
        store
            .get_counters()
            .await
            .expect("counters")
            .pending_invites,
        2
    );
    assert_eq!(
        store
            .user_session_ids(&api.admin.uid)
            .await
            .expect("ids")
            .len(),
        1
    );
    let audit = store.list_audit(page).await.expect("audit");
    let expired = audit
        .iter()
        .filter(|entry| entry.action == "infra_token.expired")
        .count();
    assert_eq!(expired, 100);

    let scheduled =
        json!({ "detail-type": "Scheduled Event", "source": "aws.events", "detail": {} });
    let second = sweeper::handle(&api.context, scheduled)
        .await
        .expect("sweep");
    assert_eq!(second, sweeper::SweepReport::default());
}

#[tokio::test]
async fn concurrent_sweepers_count_once() {
    let api = TestApi::start().await;
    seed_expiring(&api, 60).await;
    let event = || json!({ "pageSize": 10 });

    let (first, second) = tokio::join!(
        sweeper::handle(&api.context, event()),
        sweeper::handle(&api.context, event()),
    );

    let (first, second) = (first.expect("sweep"), second.expect("sweep"));
    assert_eq!(first.infra_tokens + second.infra_tokens, 60);
    assert_eq!(first.invitations + second.invitations, 12);
    assert_eq!(first.magic_links + second.magic_links, 7);
    assert_eq!(first.sessions + second.sessions, 7);
    let store = &api.context.store;
    assert_eq!(
        store
            .get_counters()
            .await
            .expect("counters")
            .pending_invites,
        2
    );
    let page = shared::paging::Page { skip: 0, take: 100 };
    let audit = store.list_audit(page).await.expect("audit");
    let expired = audit
        .iter()
        .filter(|entry| entry.action == "infra_token.expired")
        .count();
    assert_eq!(expired, 60);
}

#[tokio::test]
async fn sweeper_rejects_bad_input() {
    let api = TestApi::start().await;

    let unknown_kind = sweeper::handle(&api.context, json!({ "kinds": ["users"] })).await;
    let page_size = sweeper::handle(&api.context, json!({ "pageSize": 0 })).await;

    assert!(unknown_kind.is_err());
    assert!(page_size.is_err());
}
