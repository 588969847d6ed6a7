//! Workspaces and their memberships. A workspace item carries exact member counts per
//! role, updated in the same transaction as the memberships they count.

use std::collections::HashMap;

use aws_sdk_dynamodb::types::{ConditionCheck, TransactWriteItem, Update};
use serde::{Deserialize, Serialize};

use super::keys::{self, SEPARATOR, WORKSPACES_PARTITION};
use super::{AuditEntry, Item, Store, StoreError, from_item, n, s, to_item};
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
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
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
#[serde(rename_all = "camelCase")]
struct WorkspaceItem {
    pk: String,
    sk: String,
    /// Absent once the workspace is marked as deleting, which removes it from the list.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    gsi1pk: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    gsi1sk: Option<String>,
    #[serde(default)]
    name_lower: String,
    /// Set while a deletion removes the items under the workspace; reads treat it as gone.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    deleting: bool,
    #[serde(flatten)]
    workspace: Workspace,
}

/// Condition that a workspace exists and is not being deleted.
pub(super) const LIVE_WORKSPACE: &str = "attribute_exists(pk) AND attribute_not_exists(deleting)";

#[derive(Serialize, Deserialize)]
struct MembershipItem {
    pk: String,
    sk: String,
    gsi2pk: String,
    gsi2sk: String,
    #[serde(flatten)]
    membership: Membership,
}

/// Result of removing a member or changing a member's role.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MemberChange {
    Changed,
    /// The member already had that role.
    Unchanged,
    NotMember,
    /// The change would leave the workspace without an owner.
    OnlyOwner,
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
            gsi1pk: Some(WORKSPACES_PARTITION.to_owned()),
            gsi1sk: Some(workspace_sort_key(name, &workspace.id)),
            name_lower: name.to_lowercase(),
            deleting: false,
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
        self.add_member_accepting(workspace_id, uid, role, None, None)
            .await
    }

    /// Adds a member as [`Store::add_member`] does, removing the pending invitations of
    /// `accepting` (a normalized email) to the workspace and writing `audit` in the same
    /// transaction.
    pub async fn add_member_accepting(
        &self,
        workspace_id: &str,
        uid: &str,
        role: Role,
        accepting: Option<&str>,
        audit: Option<&AuditEntry>,
    ) -> Result<MemberAdded, StoreError> {
        let now = clock::format(clock::now());
        let membership = self.membership_item(workspace_id, uid, role, &now)?;
        let invitation_deletes = match accepting {
            Some(normalized) => {
                self.invitation_deletes_for(workspace_id, normalized)
                    .await?
            }
            None => Vec::new(),
        };

        let mut transaction = self
            .client
            .transact_write_items()
            .transact_items(self.user_exists_check(uid)?)
            .transact_items(self.put_new(membership)?)
            .transact_items(self.member_count_update(workspace_id, role, 1)?);
        for delete in invitation_deletes {
            transaction = transaction.transact_items(delete);
        }
        if let Some(entry) = audit {
            transaction = transaction.transact_items(self.audit_put(entry)?);
        }
        let result = transaction
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

    /// Reads one workspace.
    pub async fn get_workspace(&self, id: &str) -> Result<Option<Workspace>, StoreError> {
        let item = self.get_item(keys::workspace(id)).await?;
        let item = item.map(from_item::<WorkspaceItem>).transpose()?;
        Ok(item
            .filter(|item| !item.deleting)
            .map(|item| item.workspace))
    }

    /// Renames a workspace; returns it, or `None` for an unknown id.
    pub async fn rename_workspace(
        &self,
        id: &str,
        name: &str,
    ) -> Result<Option<Workspace>, StoreError> {
        let (pk, sk) = keys::workspace(id);
        let result = self
            .client
            .update_item()
            .table_name(&self.table)
            .key("pk", s(pk))
            .key("sk", s(sk))
            .update_expression("SET #name = :name, nameLower = :lower, gsi1sk = :key")
            .condition_expression(LIVE_WORKSPACE)
            .expression_attribute_names("#name", "name")
            .expression_attribute_values(":name", s(name))
            .expression_attribute_values(":lower", s(name.to_lowercase()))
            .expression_attribute_values(":key", s(workspace_sort_key(name, id)))
            .return_values(aws_sdk_dynamodb::types::ReturnValue::AllNew)
            .send()
            .await
            .map_err(|error| StoreError::from_sdk("UpdateItem", error));
        match result {
            Ok(output) => output
                .attributes
                .map(|item| from_item::<WorkspaceItem>(item).map(|item| item.workspace))
                .transpose(),
            Err(StoreError::ConditionFailed) => Ok(None),
            Err(error) => Err(error),
        }
    }

    /// Lists workspaces by name, then id, keeping those whose name or id contains
    /// `search`, ignoring case.
    pub async fn list_workspaces(
        &self,
        search: Option<&str>,
        page: crate::paging::Page,
    ) -> Result<Vec<Workspace>, StoreError> {
        let filter = search.map(|text| {
            (
                "contains(nameLower, :q) OR contains(id, :q)",
                text.to_owned(),
            )
        });
        let items = self
            .query_gsi1_matching(WORKSPACES_PARTITION, filter, page)
            .await?;
        items
            .into_iter()
            .map(|item| from_item::<WorkspaceItem>(item).map(|item| item.workspace))
            .collect()
    }

    /// Lists every membership of a workspace, in uid order.
    pub async fn workspace_memberships(&self, id: &str) -> Result<Vec<Membership>, StoreError> {
        let mut memberships = Vec::new();
        let mut start_key: Option<Item> = None;
        loop {
            let output = self
                .client
                .query()
                .table_name(&self.table)
                .key_condition_expression("pk = :workspace AND begins_with(sk, :member)")
                .expression_attribute_values(":workspace", s(keys::workspace(id).0))
                .expression_attribute_values(":member", s("MEMBER#"))
                .consistent_read(true)
                .set_exclusive_start_key(start_key.take())
                .send()
                .await
                .map_err(|error| StoreError::from_sdk("Query", error))?;
            for item in output.items.unwrap_or_default() {
                memberships.push(from_item::<MembershipItem>(item)?.membership);
            }
            start_key = output.last_evaluated_key;
            if start_key.is_none() {
                return Ok(memberships);
            }
        }
    }

    /// Removes a member, keeping at least one owner.
    pub async fn remove_member(
        &self,
        workspace_id: &str,
        uid: &str,
    ) -> Result<MemberChange, StoreError> {
        let Some(membership) = self.get_membership(workspace_id, uid).await? else {
            return Ok(MemberChange::NotMember);
        };
        let (pk, sk) = keys::membership(workspace_id, uid);
        let delete = aws_sdk_dynamodb::types::Delete::builder()
            .table_name(&self.table)
            .key("pk", s(pk))
            .key("sk", s(sk))
            .condition_expression("#role = :role")
            .expression_attribute_names("#role", "role")
            .expression_attribute_values(":role", s(membership.role.as_str()))
            .build()
            .map_err(|error| StoreError::Malformed(error.to_string()))?;
        let result = self
            .client
            .transact_write_items()
            .transact_items(TransactWriteItem::builder().delete(delete).build())
            .transact_items(self.member_count_update(workspace_id, membership.role, -1)?)
            .send()
            .await
            .map_err(StoreError::from_transaction);
        match result {
            Ok(_) => Ok(MemberChange::Changed),
            Err(error) if error.condition_failed_at(1) => Ok(MemberChange::OnlyOwner),
            Err(error) if error.condition_failed_at(0) => Ok(MemberChange::NotMember),
            Err(error) => Err(error),
        }
    }

    /// Changes a member's role, keeping at least one owner.
    pub async fn change_role(
        &self,
        workspace_id: &str,
        uid: &str,
        role: Role,
    ) -> Result<MemberChange, StoreError> {
        let Some(membership) = self.get_membership(workspace_id, uid).await? else {
            return Ok(MemberChange::NotMember);
        };
        if membership.role == role {
            return Ok(MemberChange::Unchanged);
        }
        let (pk, sk) = keys::membership(workspace_id, uid);
        let update = Update::builder()
            .table_name(&self.table)
            .key("pk", s(pk))
            .key("sk", s(sk))
            .update_expression("SET #role = :new")
            .condition_expression("#role = :old")
            .expression_attribute_names("#role", "role")
            .expression_attribute_values(":new", s(role.as_str()))
            .expression_attribute_values(":old", s(membership.role.as_str()))
            .build()
            .map_err(|error| StoreError::Malformed(error.to_string()))?;
        let result = self
            .client
            .transact_write_items()
            .transact_items(TransactWriteItem::builder().update(update).build())
            .transact_items(self.role_change_update(workspace_id, membership.role, role)?)
            .send()
            .await
            .map_err(StoreError::from_transaction);
        match result {
            Ok(_) => Ok(MemberChange::Changed),
            Err(error) if error.condition_failed_at(1) => Ok(MemberChange::OnlyOwner),
            Err(error) if error.condition_failed_at(0) => Ok(MemberChange::NotMember),
            Err(error) => Err(error),
        }
    }

    /// Reads one membership.
    pub async fn get_membership(
        &self,
        workspace_id: &str,
        uid: &str,
    ) -> Result<Option<Membership>, StoreError> {
        let item = self.get_item(keys::membership(workspace_id, uid)).await?;
        item.map(|item| from_item::<MembershipItem>(item).map(|item| item.membership))
            .transpose()
    }

    /// Builds the update that moves one member from `old` to `new` in the role counters,
    /// in one update because a transaction may touch an item once. Leaving the owner role
    /// requires another owner to remain.
    fn role_change_update(
        &self,
        workspace_id: &str,
        old: Role,
        new: Role,
    ) -> Result<TransactWriteItem, StoreError> {
        let (pk, sk) = keys::workspace(workspace_id);
        let mut condition = LIVE_WORKSPACE.to_owned();
        let mut update = Update::builder()
            .table_name(&self.table)
            .key("pk", s(pk))
            .key("sk", s(sk))
            .update_expression("ADD #old :minus, #new :plus")
            .expression_attribute_names("#old", old.counter())
            .expression_attribute_names("#new", new.counter())
            .expression_attribute_values(":minus", n(-1))
            .expression_attribute_values(":plus", n(1));
        if old == Role::Owner {
            condition.push_str(" AND ownerCount > :one");
            update = update.expression_attribute_values(":one", n(1));
        }
        let update = update
            .condition_expression(condition)
            .build()
            .map_err(|error| StoreError::Malformed(error.to_string()))?;
        Ok(TransactWriteItem::builder().update(update).build())
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
            let item = from_item::<WorkspaceItem>(item)?;
            if !item.deleting {
                found.insert(item.workspace.id.clone(), item.workspace);
            }
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
        let mut condition = LIVE_WORKSPACE.to_owned();
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

/// Builds the `gsi1sk` that orders workspaces by lower-case name, then id.
fn workspace_sort_key(name: &str, id: &str) -> String {
    format!("{}{SEPARATOR}{id}", name.to_lowercase())
}
