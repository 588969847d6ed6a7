//! Deleting a user whole: the user, its email marker, memberships, sessions and pending
//! invitation go in one transaction with the counters they change, or nothing changes.

use aws_sdk_dynamodb::types::{AttributeValue, Delete, TransactWriteItem};

use super::workspaces::{Membership, Role};
use super::{Store, StoreError, keys, s};
use crate::store::User;

/// Attempts before giving up while concurrent changes keep moving the user's state.
const MAX_ATTEMPTS: usize = 5;
/// Items DynamoDB accepts in one transaction.
const MAX_TRANSACTION_ITEMS: usize = 100;

/// Result of a user deletion.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UserDeletion {
    Deleted,
    NotFound,
    /// Admins are demoted before they can be deleted.
    IsAdmin,
    /// The user is the only owner of a workspace.
    IsOwner,
    /// The user has more memberships and sessions than one transaction can remove.
    TooManyMemberships,
}

/// Kind of item each transaction entry removes, for reading a cancellation back.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Part {
    User,
    Other,
    OwnerCount,
}

impl Store {
    /// Deletes a user who is not an admin and not the only owner of any workspace.
    pub async fn delete_user(&self, uid: &str) -> Result<UserDeletion, StoreError> {
        for _ in 0..MAX_ATTEMPTS {
            let Some(user) = self.get_user(uid).await? else {
                return Ok(UserDeletion::NotFound);
            };
            if user.is_admin {
                return Ok(UserDeletion::IsAdmin);
            }
            let memberships = self.user_memberships(uid).await?;
            if self.owns_alone(&memberships).await? {
                return Ok(UserDeletion::IsOwner);
            }

            let (items, parts) = self.deletion_items(&user, &memberships).await?;
            if items.len() > MAX_TRANSACTION_ITEMS {
                return Ok(UserDeletion::TooManyMemberships);
            }
            let result = self
                .client
                .transact_write_items()
                .set_transact_items(Some(items))
                .send()
                .await
                .map_err(StoreError::from_transaction);

            match result {
                Ok(_) => {
                    tracing::info!(uid, memberships = memberships.len(), "user deleted");
                    return Ok(UserDeletion::Deleted);
                }
                Err(error) => match failed_part(&error, &parts) {
                    Some(Part::OwnerCount) => return Ok(UserDeletion::IsOwner),
                    Some(Part::User | Part::Other) => continue,
                    None => return Err(error),
                },
            }
        }
        Err(StoreError::Contended {
            operation: "delete user",
        })
    }

    /// Tells whether the user is the only owner of any of these workspaces.
    async fn owns_alone(&self, memberships: &[Membership]) -> Result<bool, StoreError> {
        let owned: Vec<String> = memberships
            .iter()
            .filter(|membership| membership.role == Role::Owner)
            .map(|membership| membership.workspace_id.clone())
            .collect();
        let workspaces = self.get_workspaces(&owned).await?;
        Ok(workspaces
            .values()
            .any(|workspace| workspace.owner_count <= 1))
    }

    /// Builds every write of the deletion, each conditional on the state that was read.
    async fn deletion_items(
        &self,
        user: &User,
        memberships: &[Membership],
    ) -> Result<(Vec<TransactWriteItem>, Vec<Part>), StoreError> {
        let normalized = user.email.to_lowercase();
        let invitation = self.get_invitation(&normalized).await?;
        let sessions = self.user_session_ids(&user.uid).await?;
        let mut items = Vec::new();
        let mut parts = Vec::new();

        let (pk, sk) = keys::user(&user.uid);
        items.push(self.delete(
            pk,
            sk,
            "isAdmin = :false",
            (":false", AttributeValue::Bool(false)),
        )?);
        parts.push(Part::User);
        let (pk, sk) = keys::email(&normalized);
        items.push(self.delete(pk, sk, "uid = :uid", (":uid", s(&user.uid)))?);
        parts.push(Part::Other);

        let pending = if let Some(invitation) = &invitation {
            let (pk, sk) = keys::invitation(&normalized);
            let hash = s(&invitation.link_token_hash);
            items.push(self.delete(pk, sk, "linkTokenHash = :hash", (":hash", hash))?);
            parts.push(Part::Other);
            -1
        } else {
            0
        };
        items.push(self.count(&[("users", -1), ("pendingInvites", pending)])?);
        parts.push(Part::Other);

        for session_id in &sessions {
            let (pk, sk) = keys::session(session_id);
            items.push(self.delete(pk, sk, "uid = :uid", (":uid", s(&user.uid)))?);
            parts.push(Part::Other);
        }
        for membership in memberships {
            let (pk, sk) = keys::membership(&membership.workspace_id, &user.uid);
            let role = s(membership.role.as_str());
            items.push(self.delete(pk, sk, "#role = :role", (":role", role))?);
            parts.push(Part::Other);
            items.push(self.member_count_update(&membership.workspace_id, membership.role, -1)?);
            parts.push(if membership.role == Role::Owner {
                Part::OwnerCount
            } else {
                Part::Other
            });
        }
        Ok((items, parts))
    }

    /// Builds a conditional delete; the condition may name the `role` attribute as `#role`.
    fn delete(
        &self,
        pk: String,
        sk: String,
        condition: &str,
        value: (&str, AttributeValue),
    ) -> Result<TransactWriteItem, StoreError> {
        let mut delete = Delete::builder()
            .table_name(&self.table)
            .key("pk", s(pk))
            .key("sk", s(sk))
            .condition_expression(condition)
            .expression_attribute_values(value.0, value.1);
        if condition.contains("#role") {
            delete = delete.expression_attribute_names("#role", "role");
        }
        let delete = delete
            .build()
            .map_err(|error| StoreError::Malformed(error.to_string()))?;
        Ok(TransactWriteItem::builder().delete(delete).build())
    }
}

/// Returns the part whose condition failed, if the transaction was canceled by one.
fn failed_part(error: &StoreError, parts: &[Part]) -> Option<Part> {
    let failed: Vec<Part> = (0..parts.len())
        .filter(|&index| error.condition_failed_at(index))
        .map(|index| parts[index])
        .collect();
    if failed.contains(&Part::OwnerCount) {
        return Some(Part::OwnerCount);
    }
    if failed.is_empty() && error.is_transaction_conflict() {
        return Some(Part::Other);
    }
    failed.first().copied()
}
