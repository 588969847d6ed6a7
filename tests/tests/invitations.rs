//! `POST`, `GET` and `DELETE /v1/infra/user-invitations`, with mail read back from moto.

#![allow(
    clippy::expect_used,
    reason = "a failed setup step should end the test"
)]

use std::collections::HashSet;

use api_tests::{Reply, TestApi, new_context_with, sent_mail, verify_domain};
use chrono::Duration;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use shared::email::Email;
use shared::secret::Secret;

const PATH: &str = "/v1/infra/user-invitations";

/// Returns an address no other test uses, so mail read back from moto is this test's own.
fn unique_email(name: &str) -> String {
    format!("{name}-{}@Example.com", uuid::Uuid::new_v4().simple())
}

async fn invite(api: &TestApi, email: &str) -> Reply {
    api.call(Method::POST, PATH, Some(json!({ "inviteeEmail": email })))
        .await
}

async fn revoke(api: &TestApi, emails: &[&str]) -> Reply {
    api.call(
        Method::DELETE,
        PATH,
        Some(json!({ "inviteeEmails": emails })),
    )
    .await
}

async fn pending(api: &TestApi, query: &str) -> Vec<String> {
    let reply = api.get(&format!("{PATH}{query}")).await;
    assert_eq!(reply.status, StatusCode::OK);
    reply
        .body
        .as_array()
        .expect("array")
        .iter()
        .map(|i| i["inviteeEmail"].as_str().expect("email").to_owned())
        .collect()
}

async fn pending_count(api: &TestApi) -> i64 {
    api.context
        .store
        .get_counters()
        .await
        .expect("counters")
        .pending_invites
}

fn token_of(reply: &Reply) -> Secret {
    let link = reply.body["invitationLink"].as_str().expect("link");
    let token = link.split("token=").nth(1).expect("token in link");
    Secret::from_client(token)
}

fn service_error(status: u16, code: &str) -> Value {
    json!({ "statusCode": status, "message": code })
}

#[tokio::test]
async fn invite_returns_link_and_mails_it() {
    let api = TestApi::start().await;
    let email = unique_email("carol");

    let reply = invite(&api, &email).await;

    assert_eq!(reply.status, StatusCode::CREATED);
    let link = reply.body["invitationLink"]
        .as_str()
        .expect("link")
        .to_owned();
    assert!(
        link.starts_with("http://localhost:3000/enter?token=inv_"),
        "{link}"
    );
    let mail = sent_mail(&email).await;
    assert_eq!(mail.len(), 1);
    assert_eq!(
        mail[0]["subject"],
        "You have been invited to infra-admin test"
    );
    let body = mail[0]["body"].as_str().expect("body");
    assert!(body.contains(&link));
    assert!(body.contains(api.admin.email.as_str()));
    assert_eq!(pending(&api, "").await, [email]);
    assert_eq!(pending_count(&api).await, 1);
}

#[tokio::test]
async fn invitation_stores_only_link_hash() {
    let api = TestApi::start().await;
    let reply = invite(&api, &unique_email("dora")).await;
    let token = token_of(&reply);
    let store = &api.context.store;

    let scan = store
        .client()
        .scan()
        .table_name(store.table())
        .send()
        .await
        .expect("scan");
    let found = store
        .find_invitation_by_link(&token.hash())
        .await
        .expect("query");

    assert!(!format!("{:?}", scan.items()).contains(token.expose()));
    assert!(found.is_some());
}

#[tokio::test]
async fn invite_ignores_email_case() {
    let api = TestApi::start().await;
    let id = uuid::Uuid::new_v4().simple().to_string();

    let first = invite(&api, &format!("Carol-{id}@Example.com")).await;
    let second = invite(&api, &format!("carol-{id}@example.com")).await;

    assert_eq!(first.status, StatusCode::CREATED);
    assert_eq!(second.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        second.body,
        service_error(400, "admin/user_already_invited")
    );
    assert_eq!(pending(&api, "").await.len(), 1);
}

#[tokio::test]
async fn concurrent_invites_create_one() {
    let api = TestApi::start().await;
    let email = unique_email("race");

    let replies = futures::future::join_all((0..10).map(|_| invite(&api, &email))).await;

    let created = replies
        .iter()
        .filter(|r| r.status == StatusCode::CREATED)
        .count();
    let rejected: Vec<&Reply> = replies
        .iter()
        .filter(|r| r.status == StatusCode::BAD_REQUEST)
        .collect();
    assert_eq!(created, 1);
    assert_eq!(rejected.len(), 9);
    for reply in rejected {
        assert_eq!(reply.body["message"], "admin/user_already_invited");
    }
    assert_eq!(pending(&api, "").await.len(), 1);
    assert_eq!(pending_count(&api).await, 1);
    assert_eq!(sent_mail(&email).await.len(), 1);
}

#[tokio::test]
async fn mail_failure_leaves_nothing_behind() {
    let domain = format!("unverified-{}.test", uuid::Uuid::new_v4().simple());
    let sender = format!("noreply@{domain}");
    let context = new_context_with(|config| config.mail_sender = sender).await;
    let api = TestApi::start_on(&[], context).await;
    let email = unique_email("erin");

    let failed = invite(&api, &email).await;

    assert_eq!(failed.status, StatusCode::BAD_GATEWAY);
    assert_eq!(failed.body["message"], "email/failed");
    assert_eq!(failed.body["statusCode"], 502);
    let request_id = failed.headers["x-amzn-requestid"].to_str().expect("text");
    assert_eq!(failed.body["requestId"], request_id);
    assert!(pending(&api, "").await.is_empty());
    assert_eq!(pending_count(&api).await, 0);

    verify_domain(&api.context, &domain).await;
    let retried = invite(&api, &email).await;

    assert_eq!(retried.status, StatusCode::CREATED);
    assert_eq!(pending_count(&api).await, 1);
    assert_eq!(sent_mail(&email).await.len(), 1);
}

#[tokio::test]
async fn mail_off_returns_link_only() {
    let context = new_context_with(|config| config.mail_enabled = false).await;
    let api = TestApi::start_on(&[], context).await;
    let email = unique_email("fay");

    let reply = invite(&api, &email).await;

    assert_eq!(reply.status, StatusCode::CREATED);
    assert!(
        reply.body["invitationLink"]
            .as_str()
            .is_some_and(|link| link.contains("token=inv_"))
    );
    assert!(sent_mail(&email).await.is_empty());
    assert_eq!(pending(&api, "").await, [email]);
}

#[tokio::test]
async fn invite_rejections_in_order() {
    let api = TestApi::start().await;
    let user = api.create_user("gus@example.com", Some("Gus"), false).await;

    let existing = invite(&api, "GUS@example.com").await;
    let shouted = format!(" {} ", api.admin.email.to_uppercase());
    let yourself = invite(&api, &shouted).await;
    let invalid = invite(&api, "not-an-email").await;

    assert_eq!(existing.body, service_error(400, "user/already_exists"));
    assert_eq!(
        yourself.body,
        service_error(400, "email/both_emails_cannot_be_same")
    );
    assert_eq!(invalid.body, service_error(400, "invalid/email"));
    assert_eq!(pending_count(&api).await, 0);
    assert_eq!(user.email, "gus@example.com");
}

#[tokio::test]
async fn deleted_creator_is_404() {
    let api = TestApi::start().await;
    let creator = api.create_user("hal@example.com", Some("Hal"), false).await;
    let orphan = api.create_token_by(&creator.uid, None).await;
    let deleted = api
        .call(
            Method::DELETE,
            &format!("/v1/infra/users/{}", creator.uid),
            None,
        )
        .await;
    assert_eq!(deleted.status, StatusCode::OK);
    let header = format!("Bearer {}", orphan.expose());

    let body = json!({ "inviteeEmail": "ida@example.com" });
    let reply = api
        .send(Method::POST, PATH, Some(&header), Some(body))
        .await;

    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    assert_eq!(
        reply.body,
        service_error(404, "infra_token/creator_not_found")
    );
    assert_eq!(pending_count(&api).await, 0);
}

#[tokio::test]
async fn pending_list_newest_first_without_users() {
    let api = TestApi::start().await;
    let emails: Vec<String> = (0..5).map(|i| unique_email(&format!("p{i}"))).collect();
    for email in &emails {
        invite(&api, email).await;
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
    api.create_user(&emails[2], None, false).await;

    let listed = pending(&api, "").await;

    let expected: Vec<&String> = [4, 3, 1, 0].iter().map(|&i| &emails[i]).collect();
    assert_eq!(listed.iter().collect::<Vec<_>>(), expected);
}

#[tokio::test]
async fn pending_pages_have_no_repeats_or_gaps() {
    let api = TestApi::start().await;
    let mut expected = HashSet::new();
    for index in 0..13 {
        let email = unique_email(&format!("q{index}"));
        invite(&api, &email).await;
        expected.insert(email);
    }

    let mut seen = Vec::new();
    for skip in (0..20).step_by(4) {
        seen.extend(pending(&api, &format!("?skip={skip}&take=4")).await);
    }

    assert_eq!(seen.len(), 13);
    assert_eq!(seen.into_iter().collect::<HashSet<_>>(), expected);
}

#[tokio::test]
async fn revoke_ignores_case_and_unknown() {
    let api = TestApi::start().await;
    let kept_email = unique_email("kept");
    let revoked_email = unique_email("gone");
    invite(&api, &kept_email).await;
    let link = token_of(&invite(&api, &revoked_email).await);

    let reply = revoke(&api, &[&revoked_email.to_uppercase(), "nobody@example.com"]).await;

    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.body, json!({ "message": "true" }));
    assert_eq!(pending(&api, "").await, [kept_email]);
    assert_eq!(pending_count(&api).await, 1);
    let store = &api.context.store;
    assert!(
        store
            .find_invitation_by_link(&link.hash())
            .await
            .expect("query")
            .is_none()
    );

    let again = invite(&api, &revoked_email).await;
    assert_eq!(again.status, StatusCode::CREATED);
    assert_eq!(pending_count(&api).await, 2);
}

#[tokio::test]
async fn revoke_validates_before_deleting() {
    let api = TestApi::start().await;
    let email = unique_email("ivy");
    invite(&api, &email).await;

    let empty = revoke(&api, &[]).await;
    let invalid = revoke(&api, &[&email, "broken"]).await;
    let missing = api.call(Method::DELETE, PATH, Some(json!({}))).await;

    assert_eq!(
        empty.body["message"],
        json!(["inviteeEmails must contain at least 1 elements"])
    );
    assert_eq!(invalid.body, service_error(400, "invalid/email"));
    assert_eq!(
        missing.body["message"],
        json!(["inviteeEmails is required"])
    );
    assert_eq!(pending(&api, "").await, [email]);
}

#[tokio::test]
async fn expired_invitation_is_replaced() {
    let api = TestApi::start().await;
    let email = Email::parse(&unique_email("jo")).expect("valid");
    let store = &api.context.store;
    store
        .create_invitation(&email, &api.admin, Duration::seconds(-1), None)
        .await
        .expect("recorded");
    assert!(pending(&api, "").await.is_empty());

    let reply = invite(&api, email.as_str()).await;

    assert_eq!(reply.status, StatusCode::CREATED);
    assert_eq!(pending(&api, "").await, [email.as_str()]);
    assert_eq!(pending_count(&api).await, 1);
}

#[tokio::test]
async fn invite_bad_bodies_write_nothing() {
    let api = TestApi::start().await;
    let cases: [(&str, Vec<u8>, u16); 6] = [
        ("application/json", b"{\"inviteeEmail\":".to_vec(), 400),
        (
            "text/plain",
            b"{\"inviteeEmail\":\"a@example.com\"}".to_vec(),
            415,
        ),
        (
            "application/json",
            b"{\"inviteeEmail\":\"a@example.com\",\"x\":1}".to_vec(),
            400,
        ),
        ("application/json", b"{\"inviteeEmail\":7}".to_vec(), 400),
        ("application/json", b"{}".to_vec(), 400),
        (
            "application/json",
            format!(
                "{{\"inviteeEmail\":\"{}@example.com\"}}",
                "a".repeat(20_000)
            )
            .into_bytes(),
            413,
        ),
    ];

    for (content_type, body, status) in cases {
        let reply = api.send_raw(Method::POST, PATH, content_type, body).await;

        assert_eq!(reply.status.as_u16(), status);
        assert!(!reply.body["message"].is_null());
    }
    assert!(pending(&api, "").await.is_empty());
    assert_eq!(pending_count(&api).await, 0);
}
