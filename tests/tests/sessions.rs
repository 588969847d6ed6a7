//! Magic-link sign-in, sessions, and the `/v1/admin` route family.

#![allow(
    clippy::expect_used,
    clippy::panic,
    reason = "a failed setup step should end the test"
)]

use api_tests::{Reply, TestApi, load_template, new_context_with, sent_mail};
use chrono::Duration;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use shared::email::Email;
use shared::secret::Secret;

fn unique_email(name: &str) -> String {
    format!("{name}-{}@example.com", uuid::Uuid::new_v4().simple())
}

fn unauthorized(code: &str) -> Value {
    json!({ "message": code, "error": "Unauthorized", "statusCode": 401 })
}

async fn me(api: &TestApi, access: &Value) -> Reply {
    api.as_session(access, Method::GET, "/v1/auth/me", None)
        .await
}

async fn refresh(api: &TestApi, token: &Value) -> Reply {
    let body = json!({ "refreshToken": token });
    api.send(Method::POST, "/v1/auth/refresh", None, Some(body))
        .await
}

#[tokio::test]
async fn sign_in_round_trip() {
    let api = TestApi::start().await;
    let email = unique_email("ann");

    let token = api.request_magic_link(&email).await;
    let reply = api.verify(&token).await;

    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.body["tokenType"], "Bearer");
    assert_eq!(reply.body["expiresIn"], 900);
    assert!(
        reply.body["refreshToken"]
            .as_str()
            .is_some_and(|t| t.starts_with("rft_"))
    );
    assert_eq!(reply.body["user"]["email"], json!(email));
    assert_eq!(reply.body["user"]["isAdmin"], false);
    assert!(reply.body["user"]["lastLoggedOn"].is_string());
    let mail = sent_mail(&email).await;
    assert_eq!(mail[0]["subject"], "Sign in to infra-admin test");
    let current = me(&api, &reply.body["accessToken"]).await;
    assert_eq!(current.status, StatusCode::OK);
    assert_eq!(current.body["uid"], reply.body["user"]["uid"]);
    assert_eq!(
        api.context
            .store
            .get_counters()
            .await
            .expect("counters")
            .users,
        2
    );
}

#[tokio::test]
async fn sign_in_hides_whether_user_exists() {
    let api = TestApi::start().await;
    let body = |email: &str| Some(json!({ "email": email }));

    let known = api
        .send(
            Method::POST,
            "/v1/auth/signin",
            None,
            body(api.admin.email.as_str()),
        )
        .await;
    let unknown = api
        .send(
            Method::POST,
            "/v1/auth/signin",
            None,
            body(&unique_email("x")),
        )
        .await;
    let invalid = api
        .send(Method::POST, "/v1/auth/signin", None, body("nope"))
        .await;

    assert_eq!(known.status, unknown.status);
    assert_eq!(known.body, unknown.body);
    assert_eq!(invalid.body["message"], "invalid/email");
}

#[tokio::test]
async fn magic_link_works_once() {
    let api = TestApi::start().await;
    let token = api.request_magic_link(&unique_email("bo")).await;

    let first = api.verify(&token).await;
    let second = api.verify(&token).await;

    assert_eq!(first.status, StatusCode::OK);
    assert_eq!(second.status, StatusCode::UNAUTHORIZED);
    assert_eq!(second.body, unauthorized("auth/invalid_link"));
}

#[tokio::test]
async fn newer_magic_link_replaces_older() {
    let api = TestApi::start().await;
    let email = unique_email("cy");
    let older = api.request_magic_link(&email).await;
    let newer = api.request_magic_link(&email).await;

    let replaced = api.verify(&older).await;
    let current = api.verify(&newer).await;

    assert_eq!(replaced.body, unauthorized("auth/invalid_link"));
    assert_eq!(current.status, StatusCode::OK);
}

#[tokio::test]
async fn expired_or_unknown_link_fails() {
    let api = TestApi::start().await;
    let email = Email::parse(&unique_email("di")).expect("valid");
    let store = &api.context.store;
    let (_, secret) = store
        .create_magic_link(&email, Duration::seconds(-1))
        .await
        .expect("stored");

    let expired = api.verify(secret.expose()).await;
    let unknown = api.verify(Secret::generate("mgl_").expose()).await;
    let garbage = api.verify("").await;

    assert_eq!(expired.body, unauthorized("auth/invalid_link"));
    assert_eq!(unknown.body, unauthorized("auth/invalid_link"));
    assert_eq!(garbage.body, unauthorized("auth/invalid_link"));
}

#[tokio::test]
async fn refresh_rotates_and_detects_reuse() {
    let api = TestApi::start().await;
    let signed_in = api.sign_in(&unique_email("ed")).await;
    let first = signed_in["refreshToken"].clone();

    let rotated = refresh(&api, &first).await;
    assert_eq!(rotated.status, StatusCode::OK);
    let second = rotated.body["refreshToken"].clone();
    assert_ne!(first, second);
    assert_eq!(
        me(&api, &rotated.body["accessToken"]).await.status,
        StatusCode::OK
    );

    let reused = refresh(&api, &first).await;
    assert_eq!(reused.body, unauthorized("auth/invalid_refresh_token"));
    let after_reuse = refresh(&api, &second).await;
    assert_eq!(after_reuse.body, unauthorized("auth/invalid_refresh_token"));
    let access = me(&api, &rotated.body["accessToken"]).await;
    assert_eq!(access.body, unauthorized("auth/session_revoked"));
}

#[tokio::test]
async fn logout_ends_session() {
    let api = TestApi::start().await;
    let signed_in = api.sign_in(&unique_email("fi")).await;
    let body = json!({ "refreshToken": signed_in["refreshToken"] });

    let reply = api
        .send(Method::POST, "/v1/auth/logout", None, Some(body.clone()))
        .await;

    assert_eq!(reply.body, json!({ "message": "true" }));
    assert_eq!(
        me(&api, &signed_in["accessToken"]).await.body,
        unauthorized("auth/session_revoked")
    );
    let refreshed = refresh(&api, &signed_in["refreshToken"]).await;
    assert_eq!(refreshed.body, unauthorized("auth/invalid_refresh_token"));
    let again = api
        .send(Method::POST, "/v1/auth/logout", None, Some(body))
        .await;
    assert_eq!(again.status, StatusCode::OK);
}

#[tokio::test]
async fn admin_session_calls_admin_routes() {
    let api = TestApi::start().await;
    let signed_in = api.sign_in(api.admin.email.as_str()).await;
    let access = &signed_in["accessToken"];

    let listed = api
        .as_session(access, Method::GET, "/v1/admin/users", None)
        .await;
    let invited = api
        .as_session(
            access,
            Method::POST,
            "/v1/admin/user-invitations",
            Some(json!({ "inviteeEmail": "gil@example.com" })),
        )
        .await;

    assert_eq!(listed.status, StatusCode::OK);
    assert_eq!(listed.body[0]["email"], api.admin.email.as_str());
    assert_eq!(invited.status, StatusCode::CREATED);
    let invitation = api
        .context
        .store
        .get_invitation("gil@example.com")
        .await
        .expect("read");
    assert_eq!(
        invitation.map(|i| i.inviter_uid),
        Some(api.admin.uid.clone())
    );
}

#[tokio::test]
async fn demotion_applies_on_next_request() {
    let api = TestApi::start().await;
    let email = unique_email("hu");
    let user = api.create_user(&email, Some("Hu"), true).await;
    let access = api.sign_in(&email).await["accessToken"].clone();
    let before = api
        .as_session(&access, Method::GET, "/v1/admin/users", None)
        .await;
    assert_eq!(before.status, StatusCode::OK);

    let path = format!("/v1/infra/users/{}/admin-status", user.uid);
    api.call(Method::PATCH, &path, Some(json!({ "isAdmin": false })))
        .await;
    let after = api
        .as_session(&access, Method::GET, "/v1/admin/users", None)
        .await;

    assert_eq!(after.status, StatusCode::FORBIDDEN);
    assert_eq!(
        after.body,
        json!({ "statusCode": 403, "message": "auth/admin_required" })
    );
}

#[tokio::test]
async fn deletion_revokes_sessions() {
    let api = TestApi::start().await;
    let email = unique_email("io");
    let access = api.sign_in(&email).await["accessToken"].clone();
    let uid = me(&api, &access).await.body["uid"]
        .as_str()
        .expect("uid")
        .to_owned();

    let deleted = api
        .call(Method::DELETE, &format!("/v1/infra/users/{uid}"), None)
        .await;

    assert_eq!(deleted.status, StatusCode::OK);
    assert_eq!(
        me(&api, &access).await.body,
        unauthorized("auth/session_revoked")
    );
    let sessions = api
        .context
        .store
        .user_session_ids(&uid)
        .await
        .expect("query");
    assert!(sessions.is_empty());
}

#[tokio::test]
async fn non_admin_gets_403_everywhere() {
    let api = TestApi::start().await;
    let access = api.sign_in(&unique_email("jo")).await["accessToken"].clone();
    let template = load_template(&[]);
    let before = api.get("/v1/infra/users?take=100").await.body;

    let admin_routes = template
        .routes
        .iter()
        .filter(|route| route.authorizer.as_deref() == Some("AdminSessionAuthorizer"));
    let mut count = 0;
    for route in admin_routes {
        let method = Method::from_bytes(route.method.as_bytes()).expect("method");
        let path = route.path.replace("{uid}", &api.admin.uid);
        let body =
            (method != Method::GET).then(|| json!({ "displayName": "Hacked", "isAdmin": false }));

        let reply = api.as_session(&access, method.clone(), &path, body).await;

        assert_eq!(reply.status, StatusCode::FORBIDDEN, "{method} {path}");
        assert_eq!(
            reply.body["message"], "auth/admin_required",
            "{method} {path}"
        );
        count += 1;
    }
    assert!(count >= 13, "only {count} admin routes checked");
    assert_eq!(api.get("/v1/infra/users?take=100").await.body, before);
}

#[tokio::test]
async fn families_reject_each_others_credentials() {
    let api = TestApi::start().await;
    let access = api.sign_in(api.admin.email.as_str()).await["accessToken"].clone();
    let infra_token = format!("Bearer {}", api.token);

    let token_on_admin = api
        .send(Method::GET, "/v1/admin/users", Some(&infra_token), None)
        .await;
    let session_on_infra = api
        .as_session(&access, Method::GET, "/v1/infra/users", None)
        .await;
    let no_header = api.send(Method::GET, "/v1/admin/users", None, None).await;

    assert_eq!(token_on_admin.body, unauthorized("auth/invalid_token"));
    assert_eq!(
        session_on_infra.body,
        unauthorized("infra_token/invalid_token")
    );
    assert_eq!(no_header.body, unauthorized("auth/token_missing"));
}

#[tokio::test]
async fn initial_admin_promoted_only_without_admins() {
    let email = unique_email("root");
    let configured = email.clone();
    let context = new_context_with(|config| config.initial_admin_email = Some(configured)).await;
    let api = TestApi::start_empty(context).await;

    let first = api.sign_in(&email.to_uppercase()).await;
    let other = api.sign_in(&unique_email("other")).await;

    assert_eq!(first["user"]["isAdmin"], true);
    assert_eq!(other["user"]["isAdmin"], false);
    let counters = api.context.store.get_counters().await.expect("counters");
    assert_eq!((counters.users, counters.admins), (2, 1));
}

#[tokio::test]
async fn initial_admin_ignored_when_admin_exists() {
    let email = unique_email("late");
    let configured = email.clone();
    let context = new_context_with(|config| config.initial_admin_email = Some(configured)).await;
    let api = TestApi::start_on(&[], context).await;

    let signed_in = api.sign_in(&email).await;

    assert_eq!(signed_in["user"]["isAdmin"], false);
}

#[tokio::test]
async fn invitation_accepted_by_other_case() {
    let api = TestApi::start().await;
    let id = uuid::Uuid::new_v4().simple().to_string();
    let invited = format!("Kay-{id}@Example.com");
    api.call(
        Method::POST,
        "/v1/infra/user-invitations",
        Some(json!({ "inviteeEmail": invited })),
    )
    .await;

    let signed_in = api.sign_in(&format!("kay-{id}@EXAMPLE.COM")).await;

    assert_eq!(signed_in["user"]["isAdmin"], false);
    let pending = api.get("/v1/infra/user-invitations").await;
    assert_eq!(pending.body, json!([]));
    assert_eq!(
        api.context
            .store
            .get_counters()
            .await
            .expect("counters")
            .pending_invites,
        0
    );
}

#[tokio::test]
async fn invitation_link_signs_in_once() {
    let api = TestApi::start().await;
    let email = unique_email("lu");
    let reply = api
        .call(
            Method::POST,
            "/v1/infra/user-invitations",
            Some(json!({ "inviteeEmail": email })),
        )
        .await;
    let link = reply.body["invitationLink"].as_str().expect("link");
    let token = link.split("token=").nth(1).expect("token").to_owned();

    let first = api.verify(&token).await;
    let second = api.verify(&token).await;

    assert_eq!(first.status, StatusCode::OK);
    assert_eq!(first.body["user"]["email"], json!(email));
    assert_eq!(second.body, unauthorized("auth/invalid_link"));
    assert_eq!(
        api.context
            .store
            .get_counters()
            .await
            .expect("counters")
            .pending_invites,
        0
    );
}

#[tokio::test]
async fn revoked_or_expired_invitation_grants_nothing() {
    let api = TestApi::start().await;
    let revoked_email = unique_email("mo");
    let reply = api
        .call(
            Method::POST,
            "/v1/infra/user-invitations",
            Some(json!({ "inviteeEmail": revoked_email })),
        )
        .await;
    let revoked = reply.body["invitationLink"]
        .as_str()
        .expect("link")
        .split("token=")
        .nth(1)
        .expect("token")
        .to_owned();
    api.call(
        Method::DELETE,
        "/v1/infra/user-invitations",
        Some(json!({ "inviteeEmails": [revoked_email] })),
    )
    .await;
    let expired_email = Email::parse(&unique_email("ny")).expect("valid");
    let store = &api.context.store;
    let expired = store
        .create_invitation(&expired_email, &api.admin, Duration::seconds(-1), None)
        .await
        .expect("stored");
    let shared::store::InviteOutcome::Created(_, expired_secret) = expired else {
        panic!("invitation not created");
    };

    let revoked_reply = api.verify(&revoked).await;
    let expired_reply = api.verify(expired_secret.expose()).await;

    assert_eq!(revoked_reply.body, unauthorized("auth/invalid_link"));
    assert_eq!(expired_reply.body, unauthorized("auth/invalid_link"));
    assert_eq!(store.get_counters().await.expect("counters").users, 1);
}
