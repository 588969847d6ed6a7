//! Changes to an existing user: display name and admin status.
//!
//! Both rewrite `gsi1sk`, which orders the user list, so each write is conditional on the
//! key it read and retries when a concurrent change moved it.

use aws_sdk_dynamodb::types::{TransactWriteItem, Update};

use super::users::list_sort_key;
use super::{Store, StoreError, keys, n, s};
use crate::store::User;

/// Attempts of a read-then-conditional-write before giving up under contention.
const MAX_ATTEMPTS: usize = 5;

/// Result of an admin status change.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AdminChange {
    /// The status changed.
    Changed,
    /// The user already had that status.
    Unchanged,
    /// No user has that uid.
    NotFound,
    /// Demoting would leave the instance without an admin.
    LastAdmin,
}

impl Store {
    /// Sets a user's display name; returns the updated user, or `None` for an unknown uid.
    pub async fn rename_user(&self, uid: &str, name: &str) -> Result<Option<User>, StoreError> {
        for _ in 0..MAX_ATTEMPTS {
            let Some(user) = self.get_user(uid).await? else {
                return Ok(None);
            };
            let old_key = list_sort_key(&user);
            let renamed = User {
                display_name: Some(name.to_owned()),
                ..user
            };
            let (pk, sk) = keys::user(uid);

            let result = self
                .client
                .update_item()
                .table_name(&self.table)
                .key("pk", s(pk))
                .key("sk", s(sk))
                .update_expression("SET displayName = :name, nameLower = :lower, gsi1sk = :key")
                .condition_expression("gsi1sk = :old")
                .expression_attribute_values(":name", s(name))
                .expression_attribute_values(":lower", s(name.to_lowercase()))
                .expression_attribute_values(":key", s(list_sort_key(&renamed)))
                .expression_attribute_values(":old", s(old_key))
                .send()
                .await
                .map_err(|error| StoreError::from_sdk("UpdateItem", error));

            match result {
                Ok(_) => return Ok(Some(renamed)),
                Err(StoreError::ConditionFailed) => continue,
                Err(error) => return Err(error),
            }
        }
        Err(StoreError::Contended {
            operation: "rename user",
        })
    }

    /// Promotes or demotes a user, keeping the admin counter exact.
    ///
    /// A demotion also requires the counter to stay at 1 or more, in the same transaction,
    /// so two admins demoting each other at once leave one admin.
    pub async fn set_admin(&self, uid: &str, is_admin: bool) -> Result<AdminChange, StoreError> {
        for _ in 0..MAX_ATTEMPTS {
            let Some(user) = self.get_user(uid).await? else {
                return Ok(AdminChange::NotFound);
            };
            if user.is_admin == is_admin {
                return Ok(AdminChange::Unchanged);
            }

            let result = self
                .client
                .transact_write_items()
                .transact_items(self.admin_flag_update(&user, is_admin)?)
                .transact_items(self.admin_count_update(is_admin)?)
                .send()
                .await
                .map_err(StoreError::from_transaction);

            match result {
                Ok(_) => {
                    tracing::info!(uid, is_admin, "admin status changed");
                    return Ok(AdminChange::Changed);
                }
                Err(error) if error.condition_failed_at(1) => return Ok(AdminChange::LastAdmin),
                Err(error) if error.condition_failed_at(0) => continue,
                Err(error) => return Err(error),
            }
        }
        Err(StoreError::Contended {
            operation: "set admin status",
        })
    }

    /// Builds the user update, conditional on the status and list key that were read.
    pub(super) fn admin_flag_update(
        &self,
        user: &User,
        is_admin: bool,
    ) -> Result<TransactWriteItem, StoreError> {
        let changed = User {
            is_admin,
            ..user.clone()
        };
        let (pk, sk) = keys::user(&user.uid);
        let update = Update::builder()
            .table_name(&self.table)
            .key("pk", s(pk))
            .key("sk", s(sk))
            .update_expression("SET isAdmin = :new, gsi1sk = :key")
            .condition_expression("isAdmin = :old AND gsi1sk = :old_key")
            .expression_attribute_values(
                ":new",
                aws_sdk_dynamodb::types::AttributeValue::Bool(is_admin),
            )
            .expression_attribute_values(
                ":old",
                aws_sdk_dynamodb::types::AttributeValue::Bool(user.is_admin),
            )
            .expression_attribute_values(":key", s(list_sort_key(&changed)))
            .expression_attribute_values(":old_key", s(list_sort_key(user)))
            .build()
            .map_err(|error| StoreError::Malformed(error.to_string()))?;
        Ok(TransactWriteItem::builder().update(update).build())
    }

    /// Builds the admin counter update; a demotion requires another admin to remain.
    fn admin_count_update(&self, promote: bool) -> Result<TransactWriteItem, StoreError> {
        let (pk, sk) = keys::counters();
        let mut update = Update::builder()
            .table_name(&self.table)
            .key("pk", s(pk))
            .key("sk", s(sk))
            .update_expression("ADD admins :delta")
            .expression_attribute_values(":delta", n(if promote { 1 } else { -1 }));
        if !promote {
            update = update
                .condition_expression("admins > :one")
                .expression_attribute_values(":one", n(1));
        }
        let update = update
            .build()
            .map_err(|error| StoreError::Malformed(error.to_string()))?;
        Ok(TransactWriteItem::builder().update(update).build())
    }
}
