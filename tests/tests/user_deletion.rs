//! `DELETE /v1/infra/users/{uid}` and `GET /v1/infra/users/{uid}/workspaces`.

#![allow(
    clippy::expect_used,
    reason = "a failed setup step should end the test"
)]

use api_tests::{Reply, TestApi};
use chrono::Duration;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use shared::email::Email;
use shared::store::{Counters, MemberAdded, Role, Workspace};

async fn delete(api: &TestApi, uid: &str) -> Reply {
    api.call(Method::DELETE, &format!("/v1/infra/users/{uid}"), None)
        .await
}

async fn workspaces_of(api: &TestApi, uid: &str) -> Reply {
    api.get(&format!("/v1/infra/users/{uid}/workspaces")).await
}

async fn counters(api: &TestApi) -> Counters {
    api.context.store.get_counters().await.expect("counters")
}

async fn workspace(api: &TestApi, name: &str, owner: &str) -> Workspace {
    let store = &api.context.store;
    store
        .create_workspace(name, owner)
        .await
        .expect("created")
        .expect("owner exists")
}

async fn add(api: &TestApi, workspace: &Workspace, uid: &str, role: Role) {
    let added = api
        .context
        .store
        .add_member(&workspace.id, uid, role)
        .await
        .expect("added");
    assert_eq!(added, MemberAdded::Added);
}

async fn reread(api: &TestApi, workspace: &Workspace) -> Workspace {
    let ids = [workspace.id.clone()];
    let mut found = api.context.store.get_workspaces(&ids).await.expect("read");
    found.remove(&workspace.id).expect("workspace exists")
}

fn service_error(status: u16, code: &str) -> Value {
    json!({ "statusCode": status, "message": code })
}

#[tokio::test]
async fn delete_removes_user_and_marker() {
    let api = TestApi::start().await;
    let user = api.create_user("Kim@Example.com", Some("Kim"), false).await;

    let reply = delete(&api, &user.uid).await;

    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.body, json!({ "message": "true" }));
    let deleted_user = api.get(&format!("/v1/infra/users/{}", user.uid)).await;
    assert_eq!(deleted_user.status, StatusCode::NOT_FOUND);
    assert_eq!(counters(&api).await.users, 1);
    let again = api.create_user("kim@example.com", None, false).await;
    assert_eq!(again.email, "kim@example.com");
}

#[tokio::test]
async fn delete_unknown_and_admin() {
    let api = TestApi::start().await;
    let other_admin = api.create_user("lee@example.com", Some("Lee"), true).await;

    let unknown = delete(&api, "no-such-uid").await;
    let admin = delete(&api, &other_admin.uid).await;

    assert_eq!(unknown.body, service_error(404, "user/not_found"));
    assert_eq!(admin.body, service_error(400, "user/is_admin"));
    assert_eq!(counters(&api).await.users, 2);
}

#[tokio::test]
async fn sole_owner_cannot_be_deleted() {
    let api = TestApi::start().await;
    let owner = api.create_user("max@example.com", Some("Max"), false).await;
    let viewer = api.create_user("ned@example.com", Some("Ned"), false).await;
    let space = workspace(&api, "Max's space", &owner.uid).await;
    add(&api, &space, &viewer.uid, Role::Viewer).await;
    let before = counters(&api).await;

    let reply = delete(&api, &owner.uid).await;

    assert_eq!(reply.body, service_error(400, "user/is_owner"));
    assert_eq!(counters(&api).await, before);
    let unchanged = reread(&api, &space).await;
    assert_eq!(unchanged.owner_count, 1);
    assert_eq!(unchanged.member_count, 2);
    assert_eq!(
        workspaces_of(&api, &owner.uid).await.body[0]["role"],
        "OWNER"
    );
}

#[tokio::test]
async fn co_owner_deletion_keeps_workspace() {
    let api = TestApi::start().await;
    let first = api.create_user("ola@example.com", Some("Ola"), false).await;
    let second = api.create_user("pia@example.com", Some("Pia"), false).await;
    let editor_space = workspace(&api, "Other", &api.admin.uid).await;
    let space = workspace(&api, "Shared", &first.uid).await;
    add(&api, &space, &second.uid, Role::Owner).await;
    add(&api, &editor_space, &first.uid, Role::Editor).await;

    let reply = delete(&api, &first.uid).await;

    assert_eq!(reply.status, StatusCode::OK);
    let shared_space = reread(&api, &space).await;
    assert_eq!(
        (shared_space.owner_count, shared_space.member_count),
        (1, 1)
    );
    let other = reread(&api, &editor_space).await;
    assert_eq!((other.editor_count, other.member_count), (0, 1));
    let left = workspaces_of(&api, &second.uid).await;
    assert_eq!(left.body[0]["owner_count"], 1);
    assert_eq!(counters(&api).await.users, 2);
    assert!(
        api.context
            .store
            .user_memberships(&first.uid)
            .await
            .expect("query")
            .is_empty()
    );
}

#[tokio::test]
async fn delete_removes_pending_invitation() {
    let api = TestApi::start().await;
    let email = Email::parse("Quinn@Example.com").expect("valid");
    let store = &api.context.store;
    store
        .create_invitation(&email, &api.admin, Duration::days(1), None)
        .await
        .expect("invited");
    let user = api.create_user("quinn@example.com", None, false).await;
    assert_eq!(counters(&api).await.pending_invites, 1);

    let reply = delete(&api, &user.uid).await;

    assert_eq!(reply.status, StatusCode::OK);
    assert!(
        store
            .get_invitation("quinn@example.com")
            .await
            .expect("read")
            .is_none()
    );
    assert_eq!(counters(&api).await.pending_invites, 0);
}

#[tokio::test]
async fn workspaces_list_roles_and_counts() {
    let api = TestApi::start().await;
    let user = api.create_user("ray@example.com", Some("Ray"), false).await;
    let big = workspace(&api, "Big", &api.admin.uid).await;
    let owned = workspace(&api, "alpha", &user.uid).await;
    add(&api, &big, &user.uid, Role::Viewer).await;
    for index in 0..110 {
        let member = api
            .create_user(&format!("m{index}@example.com"), None, false)
            .await;
        let role = if index % 2 == 0 {
            Role::Editor
        } else {
            Role::Viewer
        };
        add(&api, &big, &member.uid, role).await;
    }

    let reply = workspaces_of(&api, &user.uid).await;

    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(
        reply.body,
        json!([
            {
                "id": owned.id, "name": "alpha", "role": "OWNER",
                "owner_count": 1, "editor_count": 0, "viewer_count": 0, "member_count": 1,
            },
            {
                "id": big.id, "name": "Big", "role": "VIEWER",
                "owner_count": 1, "editor_count": 55, "viewer_count": 56, "member_count": 112,
            },
        ])
    );
}

#[tokio::test]
async fn workspaces_of_unknown_user_is_404() {
    let api = TestApi::start().await;

    let reply = workspaces_of(&api, "no-such-uid").await;

    assert_eq!(reply.body, service_error(404, "user/not_found"));
}

#[tokio::test]
async fn member_additions_check_existence() {
    let api = TestApi::start().await;
    let space = workspace(&api, "Checks", &api.admin.uid).await;
    let store = &api.context.store;

    let unknown_user = store
        .add_member(&space.id, "nobody", Role::Viewer)
        .await
        .expect("ran");
    let twice = store
        .add_member(&space.id, &api.admin.uid, Role::Viewer)
        .await
        .expect("ran");
    let no_space = store
        .add_member("missing", &api.admin.uid, Role::Viewer)
        .await
        .expect("ran");

    assert_eq!(unknown_user, MemberAdded::UserNotFound);
    assert_eq!(twice, MemberAdded::AlreadyMember);
    assert_eq!(no_space, MemberAdded::WorkspaceNotFound);
    assert_eq!(reread(&api, &space).await.member_count, 1);
}

#[tokio::test]
async fn concurrent_owner_deletions_keep_one_owner() {
    let api = TestApi::start().await;

    for round in 0..10 {
        let first = api
            .create_user(&format!("s{round}@example.com"), None, false)
            .await;
        let second = api
            .create_user(&format!("t{round}@example.com"), None, false)
            .await;
        let space = workspace(&api, &format!("Race {round}"), &first.uid).await;
        add(&api, &space, &second.uid, Role::Owner).await;

        let (a, b) = tokio::join!(delete(&api, &first.uid), delete(&api, &second.uid));

        let mut statuses = [a.status.as_u16(), b.status.as_u16()];
        statuses.sort_unstable();
        assert_eq!(statuses, [200, 400], "round {round}");
        let after = reread(&api, &space).await;
        assert_eq!(
            (after.owner_count, after.member_count),
            (1, 1),
            "round {round}"
        );
    }
}
