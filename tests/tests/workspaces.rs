//! Workspaces and members for admins, and the insights dashboard.

#![allow(
    clippy::expect_used,
    reason = "a failed setup step should end the test"
)]

use api_tests::{Reply, TestApi};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

struct Admin<'a> {
    api: &'a TestApi,
    access: Value,
}

impl<'a> Admin<'a> {
    async fn sign_in(api: &'a TestApi) -> Self {
        let access = api.sign_in(api.admin.email.as_str()).await["accessToken"].clone();
        Self { api, access }
    }

    async fn call(&self, method: Method, path: &str, body: Option<Value>) -> Reply {
        self.api.as_session(&self.access, method, path, body).await
    }

    async fn create(&self, name: &str, owner_email: &str) -> Value {
        let body = json!({ "name": name, "ownerEmail": owner_email });
        let reply = self
            .call(Method::POST, "/v1/admin/workspaces", Some(body))
            .await;
        assert_eq!(reply.status, StatusCode::CREATED, "{:?}", reply.body);
        reply.body
    }

    async fn add(&self, id: &str, email: &str, role: &str) -> Reply {
        let body = json!({ "email": email, "role": role });
        self.call(
            Method::POST,
            &format!("/v1/admin/workspaces/{id}/members"),
            Some(body),
        )
        .await
    }
}

fn service_error(status: u16, code: &str) -> Value {
    json!({ "statusCode": status, "message": code })
}

#[tokio::test]
async fn create_workspace_by_uid_or_email() {
    let api = TestApi::start().await;
    let admin = Admin::sign_in(&api).await;
    let owner = api
        .create_user("olga@example.com", Some("Olga"), false)
        .await;

    let by_email = admin.create("  Payments ", "OLGA@example.com").await;
    let by_uid = admin
        .call(
            Method::POST,
            "/v1/admin/workspaces",
            Some(json!({ "name": "Ledger", "ownerUid": owner.uid })),
        )
        .await;

    assert_eq!(by_email["name"], "Payments");
    assert_eq!(by_email["memberCount"], 1);
    assert_eq!(by_email["ownerCount"], 1);
    assert_eq!(by_uid.status, StatusCode::CREATED);
    let workspaces = api
        .get(&format!("/v1/infra/users/{}/workspaces", owner.uid))
        .await;
    assert_eq!(workspaces.body.as_array().map(Vec::len), Some(2));
    assert_eq!(workspaces.body[0]["role"], "OWNER");
}

#[tokio::test]
async fn create_workspace_rejections() {
    let api = TestApi::start().await;
    let admin = Admin::sign_in(&api).await;
    let cases = [
        (
            json!({ "name": "", "ownerEmail": api.admin.email.as_str() }),
            service_error(400, "team/name_invalid"),
        ),
        (
            json!({ "name": "   ", "ownerEmail": api.admin.email.as_str() }),
            service_error(400, "team/name_invalid"),
        ),
        (
            json!({ "name": "x".repeat(101), "ownerEmail": api.admin.email.as_str() }),
            service_error(400, "team/name_invalid"),
        ),
        (
            json!({ "name": format!("{} ", "x".repeat(100)), "ownerEmail": api.admin.email.as_str() }),
            service_error(400, "team/name_invalid"),
        ),
        (
            json!({ "name": "Team", "ownerEmail": "nobody@example.com" }),
            service_error(404, "user/not_found"),
        ),
        (
            json!({ "name": "Team", "ownerUid": "no-such-uid" }),
            service_error(404, "user/not_found"),
        ),
        (
            json!({ "name": "Team", "ownerEmail": "broken" }),
            service_error(400, "invalid/email"),
        ),
    ];

    for (body, expected) in cases {
        let reply = admin
            .call(Method::POST, "/v1/admin/workspaces", Some(body.clone()))
            .await;

        assert_eq!(reply.body, expected, "{body}");
    }
    let neither = admin
        .call(
            Method::POST,
            "/v1/admin/workspaces",
            Some(json!({ "name": "Team" })),
        )
        .await;
    assert_eq!(neither.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        api.context
            .store
            .get_counters()
            .await
            .expect("counters")
            .workspaces,
        0
    );
}

#[tokio::test]
async fn rename_and_detail() {
    let api = TestApi::start().await;
    let admin = Admin::sign_in(&api).await;
    let id = admin.create("Before", api.admin.email.as_str()).await["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let path = format!("/v1/admin/workspaces/{id}");

    let renamed = admin
        .call(Method::PATCH, &path, Some(json!({ "name": " After " })))
        .await;
    let invalid = admin
        .call(Method::PATCH, &path, Some(json!({ "name": "" })))
        .await;
    let unknown = admin
        .call(
            Method::PATCH,
            "/v1/admin/workspaces/nope",
            Some(json!({ "name": "X" })),
        )
        .await;
    let detail = admin.call(Method::GET, &path, None).await;
    let missing = admin
        .call(Method::GET, "/v1/admin/workspaces/nope", None)
        .await;

    assert_eq!(renamed.body["name"], "After");
    assert_eq!(invalid.body, service_error(400, "team/name_invalid"));
    assert_eq!(unknown.body, service_error(404, "team/invalid_id"));
    assert_eq!(detail.body["name"], "After");
    assert_eq!(detail.body["collectionCount"], 0);
    assert_eq!(detail.body["requestCount"], 0);
    assert_eq!(missing.body, service_error(404, "team/invalid_id"));
}

#[tokio::test]
async fn list_orders_and_searches() {
    let api = TestApi::start().await;
    let admin = Admin::sign_in(&api).await;
    let mut ids = Vec::new();
    for name in ["beta", "Alpha", "gamma", "alpha"] {
        ids.push(
            admin.create(name, api.admin.email.as_str()).await["id"]
                .as_str()
                .expect("id")
                .to_owned(),
        );
    }

    let all = admin
        .call(Method::GET, "/v1/admin/workspaces?take=10", None)
        .await;
    let names: Vec<&str> = all
        .body
        .as_array()
        .expect("array")
        .iter()
        .map(|w| w["name"].as_str().expect("name"))
        .collect();
    let search = admin
        .call(Method::GET, "/v1/admin/workspaces?search=ALP", None)
        .await;
    let by_id = admin
        .call(
            Method::GET,
            &format!("/v1/admin/workspaces?search={}", &ids[2][..8]),
            None,
        )
        .await;
    let second_page = admin
        .call(Method::GET, "/v1/admin/workspaces?skip=2&take=2", None)
        .await;
    let empty = admin
        .call(Method::GET, "/v1/admin/workspaces?search=", None)
        .await;

    assert_eq!(names[2..], ["beta", "gamma"]);
    assert_eq!(
        names[..2]
            .iter()
            .map(|n| n.to_lowercase())
            .collect::<Vec<_>>(),
        ["alpha", "alpha"]
    );
    assert_eq!(search.body.as_array().map(Vec::len), Some(2));
    assert_eq!(by_id.body[0]["id"], json!(ids[2]));
    assert_eq!(second_page.body[0]["name"], "beta");
    assert_eq!(empty.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn members_add_list_and_rules() {
    let api = TestApi::start().await;
    let admin = Admin::sign_in(&api).await;
    let editor = api.create_user("eve@example.com", Some("Eve"), false).await;
    let id = admin.create("Team", api.admin.email.as_str()).await["id"]
        .as_str()
        .expect("id")
        .to_owned();

    let added = admin.add(&id, "EVE@example.com", "EDITOR").await;
    let twice = admin.add(&id, "eve@example.com", "VIEWER").await;
    let unknown_user = admin.add(&id, "nobody@example.com", "VIEWER").await;
    let unknown_space = admin.add("nope", "eve@example.com", "VIEWER").await;
    let invalid_email = admin.add(&id, "broken", "VIEWER").await;
    let invalid_role = admin.add(&id, "eve@example.com", "ADMIN").await;
    let members = admin
        .call(
            Method::GET,
            &format!("/v1/admin/workspaces/{id}/members"),
            None,
        )
        .await;

    assert_eq!(added.status, StatusCode::CREATED);
    assert_eq!(twice.body, service_error(400, "team_invite/already_member"));
    assert_eq!(unknown_user.body, service_error(404, "user/not_found"));
    assert_eq!(unknown_space.body, service_error(404, "team/invalid_id"));
    assert_eq!(invalid_email.body, service_error(400, "invalid/email"));
    assert_eq!(invalid_role.status, StatusCode::BAD_REQUEST);
    let listed = members.body.as_array().expect("array");
    assert_eq!(listed.len(), 2);
    let eve = listed
        .iter()
        .find(|m| m["uid"] == json!(editor.uid))
        .expect("eve listed");
    assert_eq!(eve["email"], "eve@example.com");
    assert_eq!(eve["displayName"], "Eve");
    assert_eq!(eve["role"], "EDITOR");
    let detail = admin
        .call(Method::GET, &format!("/v1/admin/workspaces/{id}"), None)
        .await;
    assert_eq!(
        (
            detail.body["memberCount"].clone(),
            detail.body["editorCount"].clone()
        ),
        (json!(2), json!(1))
    );
}

#[tokio::test]
async fn only_owner_cannot_leave_or_be_demoted() {
    let api = TestApi::start().await;
    let admin = Admin::sign_in(&api).await;
    let id = admin.create("Solo", api.admin.email.as_str()).await["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let member = |uid: &str| format!("/v1/admin/workspaces/{id}/members/{uid}");
    let owner = api.admin.uid.clone();

    let remove = admin.call(Method::DELETE, &member(&owner), None).await;
    let demote = admin
        .call(
            Method::PATCH,
            &member(&owner),
            Some(json!({ "role": "VIEWER" })),
        )
        .await;
    let stranger = admin
        .call(Method::DELETE, &member("no-such-uid"), None)
        .await;
    let stranger_role = admin
        .call(
            Method::PATCH,
            &member("no-such-uid"),
            Some(json!({ "role": "VIEWER" })),
        )
        .await;

    assert_eq!(remove.body, service_error(400, "team/only_one_owner"));
    assert_eq!(demote.body, service_error(400, "team/only_one_owner"));
    assert_eq!(stranger.body, service_error(404, "team/member_not_found"));
    assert_eq!(
        stranger_role.body,
        service_error(404, "team/member_not_found")
    );
    let detail = admin
        .call(Method::GET, &format!("/v1/admin/workspaces/{id}"), None)
        .await;
    assert_eq!(detail.body["ownerCount"], 1);
}

#[tokio::test]
async fn role_change_agrees_with_user_workspaces() {
    let api = TestApi::start().await;
    let admin = Admin::sign_in(&api).await;
    let user = api.create_user("fay@example.com", None, false).await;
    let id = admin.create("Shared", api.admin.email.as_str()).await["id"]
        .as_str()
        .expect("id")
        .to_owned();
    admin.add(&id, "fay@example.com", "VIEWER").await;

    let path = format!("/v1/admin/workspaces/{id}/members/{}", user.uid);
    let promoted = admin
        .call(Method::PATCH, &path, Some(json!({ "role": "OWNER" })))
        .await;
    let demoted_first = admin
        .call(
            Method::PATCH,
            &format!("/v1/admin/workspaces/{id}/members/{}", api.admin.uid),
            Some(json!({ "role": "EDITOR" })),
        )
        .await;

    assert_eq!(promoted.status, StatusCode::OK);
    assert_eq!(demoted_first.status, StatusCode::OK);
    let listed = api
        .get(&format!("/v1/infra/users/{}/workspaces", user.uid))
        .await;
    let detail = admin
        .call(Method::GET, &format!("/v1/admin/workspaces/{id}"), None)
        .await;
    assert_eq!(listed.body[0]["role"], "OWNER");
    assert_eq!(listed.body[0]["owner_count"], detail.body["ownerCount"]);
    assert_eq!(listed.body[0]["editor_count"], detail.body["editorCount"]);
    assert_eq!(listed.body[0]["viewer_count"], detail.body["viewerCount"]);
    assert_eq!(listed.body[0]["member_count"], detail.body["memberCount"]);
    assert_eq!(
        (
            detail.body["ownerCount"].clone(),
            detail.body["editorCount"].clone(),
            detail.body["viewerCount"].clone()
        ),
        (json!(1), json!(1), json!(0))
    );
}

#[tokio::test]
async fn concurrent_owner_removals_leave_one() {
    let api = TestApi::start().await;
    let admin = Admin::sign_in(&api).await;

    for round in 0..10 {
        let first = api
            .create_user(&format!("p{round}@example.com"), None, false)
            .await;
        let second = api
            .create_user(&format!("q{round}@example.com"), None, false)
            .await;
        let id = admin.create(&format!("Race {round}"), &first.email).await["id"]
            .as_str()
            .expect("id")
            .to_owned();
        admin.add(&id, &second.email, "OWNER").await;
        let path = |uid: &str| format!("/v1/admin/workspaces/{id}/members/{uid}");

        let (first_path, second_path) = (path(&first.uid), path(&second.uid));
        let (a, b) = tokio::join!(
            admin.call(Method::DELETE, &first_path, None),
            admin.call(Method::DELETE, &second_path, None),
        );

        let mut statuses = [a.status.as_u16(), b.status.as_u16()];
        statuses.sort_unstable();
        assert_eq!(statuses, [200, 400], "round {round}");
        let detail = admin
            .call(Method::GET, &format!("/v1/admin/workspaces/{id}"), None)
            .await;
        assert_eq!(detail.body["ownerCount"], 1, "round {round}");
        assert_eq!(detail.body["memberCount"], 1, "round {round}");
    }
}

/// Counts every item of a list endpoint, page by page.
async fn count_listed(admin: &Admin<'_>, path: &str) -> i64 {
    let mut count = 0;
    for skip in (0..).step_by(100) {
        let reply = admin
            .call(Method::GET, &format!("{path}?skip={skip}&take=100"), None)
            .await;
        let page = reply.body.as_array().expect("array").len();
        if page == 0 {
            return count;
        }
        count += i64::try_from(page).expect("small");
    }
    count
}

#[tokio::test]
async fn insights_match_listings_after_concurrent_changes() {
    let api = TestApi::start().await;
    let admin = Admin::sign_in(&api).await;
    let users: Vec<_> = futures::future::join_all(
        (0..12).map(|i| api.create_user_async(format!("i{i}@example.com"))),
    )
    .await;
    let delete_paths: Vec<String> = users
        .iter()
        .take(5)
        .map(|user| format!("/v1/admin/users/{}", user.uid))
        .collect();
    let deletions = delete_paths
        .iter()
        .map(|path| admin.call(Method::DELETE, path, None));
    let creations = users
        .iter()
        .skip(5)
        .map(|user| admin.create("Concurrent", &user.email));
    let invites = (0..3).map(|i| {
        admin.call(
            Method::POST,
            "/v1/admin/user-invitations",
            Some(json!({ "inviteeEmail": format!("pending{i}@example.com") })),
        )
    });
    futures::future::join3(
        futures::future::join_all(deletions),
        futures::future::join_all(creations),
        futures::future::join_all(invites),
    )
    .await;

    let insights = admin
        .call(Method::GET, "/v1/admin/insights", None)
        .await
        .body;

    assert_eq!(
        insights["users"],
        count_listed(&admin, "/v1/admin/users").await
    );
    assert_eq!(
        insights["workspaces"],
        count_listed(&admin, "/v1/admin/workspaces").await
    );
    assert_eq!(
        insights["pendingInvitations"],
        count_listed(&admin, "/v1/admin/user-invitations").await
    );
    assert_eq!(insights["users"], 8);
    assert_eq!(insights["workspaces"], 7);
    assert_eq!(insights["admins"], 1);
    assert_eq!(insights["activeUsers7d"], 1);
    assert_eq!(insights["activeUsers30d"], 1);
}

#[tokio::test]
async fn workspace_invitations_list_and_revoke() {
    let api = TestApi::start().await;
    let admin = Admin::sign_in(&api).await;
    let id = admin.create("Invites", api.admin.email.as_str()).await["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let store = &api.context.store;
    let email = |text: &str| shared::email::Email::parse(text).expect("valid");
    let first = store
        .create_workspace_invitation(
            &id,
            &email("Gus@Example.com"),
            shared::store::Role::Editor,
            &api.admin.uid,
        )
        .await
        .expect("invited");
    store
        .create_workspace_invitation(
            &id,
            &email("hal@example.com"),
            shared::store::Role::Viewer,
            &api.admin.uid,
        )
        .await
        .expect("invited");
    let path = format!("/v1/admin/workspaces/{id}/invitations");

    let listed = admin.call(Method::GET, &path, None).await;
    let revoked = admin
        .call(Method::DELETE, &format!("{path}/{}", first.id), None)
        .await;
    let again = admin
        .call(Method::DELETE, &format!("{path}/{}", first.id), None)
        .await;
    let unknown_space = admin
        .call(Method::GET, "/v1/admin/workspaces/nope/invitations", None)
        .await;
    let after = admin.call(Method::GET, &path, None).await;

    assert_eq!(listed.body.as_array().map(Vec::len), Some(2));
    assert_eq!(listed.body[0]["inviteeEmail"], "Gus@Example.com");
    assert_eq!(listed.body[0]["role"], "EDITOR");
    assert_eq!(revoked.body, json!({ "message": "true" }));
    assert_eq!(
        again.body,
        service_error(404, "team_invite/no_invite_found")
    );
    assert_eq!(unknown_space.body, service_error(404, "team/invalid_id"));
    assert_eq!(after.body[0]["inviteeEmail"], "hal@example.com");
}

#[tokio::test]
async fn adding_member_removes_their_invitation() {
    let api = TestApi::start().await;
    let admin = Admin::sign_in(&api).await;
    let id = admin.create("Join", api.admin.email.as_str()).await["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let other = admin.create("Other", api.admin.email.as_str()).await["id"]
        .as_str()
        .expect("id")
        .to_owned();
    api.create_user("ivy@example.com", None, false).await;
    let store = &api.context.store;
    let invitee = shared::email::Email::parse("IVY@example.com").expect("valid");
    for workspace in [&id, &other] {
        store
            .create_workspace_invitation(
                workspace,
                &invitee,
                shared::store::Role::Viewer,
                &api.admin.uid,
            )
            .await
            .expect("invited");
    }

    let added = admin.add(&id, "ivy@example.com", "VIEWER").await;

    assert_eq!(added.status, StatusCode::CREATED);
    let joined_invitations = admin
        .call(
            Method::GET,
            &format!("/v1/admin/workspaces/{id}/invitations"),
            None,
        )
        .await;
    let other_invitations = admin
        .call(
            Method::GET,
            &format!("/v1/admin/workspaces/{other}/invitations"),
            None,
        )
        .await;
    assert_eq!(joined_invitations.body, json!([]));
    assert_eq!(other_invitations.body.as_array().map(Vec::len), Some(1));
}
