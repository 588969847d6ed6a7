//! Workspaces and their memberships. A workspace item carries exact member counts per
//! role, updated in the same transaction as the memberships they count.

use std::collections::HashMap;

use aws_sdk_dynamodb::types::{ConditionCheck, TransactWriteItem, Update};
use serde::{Deserialize, Serialize};

use super::keys::{self, SEPARATOR, WORKSPACES_PARTITION};
use super::{Item, Store, StoreError, from_item, n, s, to_item};
use crate::clock;

/// A member's role in a workspace.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "UPPERCASE")]
pub enum Role {
    Owner,
    Editor,
    Viewer,
}

impl Role {
    /// Returns the workspace attribute that counts members with this role.
    pub fn counter(self) -> &'static str {
        match self {
            Self::Owner => "ownerCount",
            Self::Editor => "editorCount",
            Self::Viewer => "viewerCount",
        }
    }

    /// Returns the role as the API and the store write it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Owner => "OWNER",
            Self::Editor => "EDITOR",
            Self::Viewer => "VIEWER",
        }
    }
}

/// A workspace with its counters.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Workspace {
    pub id: String,
    pub name: String,
    pub created_on: String,
    #[serde(default)]
    pub member_count: i64,
    #[serde(default)]
    pub owner_count: i64,
    #[serde(default)]
    pub editor_count: i64,
    #[serde(default)]
    pub viewer_count: i64,
    #[serde(default)]
    pub collection_count: i64,
    #[serde(default)]
    pub request_count: i64,
}

/// A user's membership in a workspace.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Membership {
    pub workspace_id: String,
    pub uid: String,
    pub role: Role,
    pub joined_on: String,
}

#[derive(Serialize, Deserialize)]
struct WorkspaceItem {
    pk: String,
    sk: String,
    gsi1pk: String,
    gsi1sk: String,
    #[serde(flatten)]
    workspace: Workspace,
}

#[derive(Serialize, Deserialize)]
struct MembershipItem {
    pk: String,
    sk: String,
    gsi2pk: String,
    gsi2sk: String,
    #[serde(flatten)]
    membership: Membership,
}

/// Result of adding a member.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MemberAdded {
    Added,
    AlreadyMember,
    WorkspaceNotFound,
    UserNotFound,
}

impl Store {
    /// Creates a workspace whose owner is an existing user, and counts it.
    ///
    /// Returns `None` when the owner does not exist.
    pub async fn create_workspace(
        &self,
        name: &str,
        owner_uid: &str,
    ) -> Result<Option<Workspace>, StoreError> {
        let now = clock::format(clock::now());
        let workspace = Workspace {
            id: uuid::Uuid::new_v4().to_string(),
            name: name.to_owned(),
            created_on: now.clone(),
            member_count: 1,
            owner_count: 1,
            editor_count: 0,
            viewer_count: 0,
            collection_count: 0,
            request_count: 0,
        };
        let (pk, sk) = keys::workspace(&workspace.id);
        let item = WorkspaceItem {
            pk,
            sk,
            gsi1pk: WORKSPACES_PARTITION.to_owned(),
            gsi1sk: format!("{}{SEPARATOR}{}", name.to_lowercase(), workspace.id),
            workspace: workspace.clone(),
        };
        let membership = self.membership_item(&workspace.id, owner_uid, Role::Owner, &now)?;

        let result = self
            .client
            .transact_write_items()
            .transact_items(self.user_exists_check(owner_uid)?)
            .transact_items(self.put_new(to_item(&item)?)?)
            .transact_items(self.put_new(membership)?)
            .transact_items(self.count(&[("workspaces", 1)])?)
            .send()
            .await
            .map_err(StoreError::from_transaction);

        match result {
            Ok(_) => Ok(Some(workspace)),
            Err(error) if error.condition_failed_at(0) => Ok(None),
            Err(error) => Err(error),
        }
    }

    /// Adds an existing user to a workspace with a role, counting the member.
    pub async fn add_member(
        &self,
        workspace_id: &str,
        uid: &str,
        role: Role,
    ) -> Result<MemberAdded, StoreError> {
        let now = clock::format(clock::now());
        let membership = self.membership_item(workspace_id, uid, role, &now)?;

        let result = self
            .client
            .transact_write_items()
            .transact_items(self.user_exists_check(uid)?)
            .transact_items(self.put_new(membership)?)
            .transact_items(self.member_count_update(workspace_id, role, 1)?)
            .send()
            .await
            .map_err(StoreError::from_transaction);

        match result {
            Ok(_) => Ok(MemberAdded::Added),
            Err(error) if error.condition_failed_at(0) => Ok(MemberAdded::UserNotFound),
            Err(error) if error.condition_failed_at(1) => Ok(MemberAdded::AlreadyMember),
            Err(error) if error.condition_failed_at(2) => Ok(MemberAdded::WorkspaceNotFound),
            Err(error) => Err(error),
        }
    }

    /// Lists every membership of a user, paging through the index.
    pub async fn user_memberships(&self, uid: &str) -> Result<Vec<Membership>, StoreError> {
        let items = self.query_gsi2_all(&keys::member_of(uid)).await?;
        items
            .into_iter()
            .map(|item| from_item::<MembershipItem>(item).map(|item| item.membership))
            .collect()
    }

    /// Reads workspaces by id with strongly consistent reads; unknown ids are left out.
    pub async fn get_workspaces(
        &self,
        ids: &[String],
    ) -> Result<HashMap<String, Workspace>, StoreError> {
        let keys = ids.iter().map(|id| keys::workspace(id)).collect();
        let mut found = HashMap::new();
        for item in self.batch_get(keys).await? {
            let workspace = from_item::<WorkspaceItem>(item)?.workspace;
            found.insert(workspace.id.clone(), workspace);
        }
        Ok(found)
    }

    fn membership_item(
        &self,
        workspace_id: &str,
        uid: &str,
        role: Role,
        joined_on: &str,
    ) -> Result<Item, StoreError> {
        let (pk, sk) = keys::membership(workspace_id, uid);
        to_item(&MembershipItem {
            pk,
            sk,
            gsi2pk: keys::member_of(uid),
            gsi2sk: keys::workspace(workspace_id).0,
            membership: Membership {
                workspace_id: workspace_id.to_owned(),
                uid: uid.to_owned(),
                role,
                joined_on: joined_on.to_owned(),
            },
        })
    }

    /// Builds the update of a workspace's member counters by `delta`, which requires the
    /// workspace to exist. Removing an owner also requires another owner to remain.
    pub(crate) fn member_count_update(
        &self,
        workspace_id: &str,
        role: Role,
        delta: i64,
    ) -> Result<TransactWriteItem, StoreError> {
        let (pk, sk) = keys::workspace(workspace_id);
        let mut condition = "attribute_exists(pk)".to_owned();
        let mut update = Update::builder()
            .table_name(&self.table)
            .key("pk", s(pk))
            .key("sk", s(sk))
            .update_expression("ADD memberCount :delta, #role :delta")
            .expression_attribute_names("#role", role.counter())
            .expression_attribute_values(":delta", n(delta));
        if role == Role::Owner && delta < 0 {
            condition.push_str(" AND ownerCount > :one");
            update = update.expression_attribute_values(":one", n(1));
        }
        let update = update
            .condition_expression(condition)
            .build()
            .map_err(|error| StoreError::Malformed(error.to_string()))?;
        Ok(TransactWriteItem::builder().update(update).build())
    }

    /// Builds a check that a user exists.
    fn user_exists_check(&self, uid: &str) -> Result<TransactWriteItem, StoreError> {
        let (pk, sk) = keys::user(uid);
        let check = ConditionCheck::builder()
            .table_name(&self.table)
            .key("pk", s(pk))
            .key("sk", s(sk))
            .condition_expression("attribute_exists(pk)")
            .build()
            .map_err(|error| StoreError::Malformed(error.to_string()))?;
        Ok(TransactWriteItem::builder().condition_check(check).build())
    }
}
