//! Signing a user in by email: the first sign-in creates the user, and any pending
//! invitation of that mailbox is accepted in the same transaction.

use aws_sdk_dynamodb::types::{TransactWriteItem, Update};

use super::invitations::Invitation;
use super::{Store, StoreError, keys, n, s};
use crate::clock;
use crate::email::Email;
use crate::store::{NewUser, User};

/// Attempts before giving up while concurrent sign-ins of one mailbox race.
const MAX_ATTEMPTS: usize = 5;

impl Store {
    /// Signs in the owner of `email`, creating the user on first sign-in and setting
    /// `lastLoggedOn`. With `link`, the sign-in consumes that invitation link, and returns
    /// `None` when it was used or revoked meanwhile.
    pub async fn sign_in(
        &self,
        email: &Email,
        link: Option<&Invitation>,
    ) -> Result<Option<User>, StoreError> {
        for _ in 0..MAX_ATTEMPTS {
            let pending = match link {
                Some(invitation) => Some(invitation.clone()),
                None => self.get_invitation(email.normalized()).await?,
            };
            let existing = self.find_user_by_email(email).await?;
            let result = match existing {
                Some(user) => self
                    .record_sign_in(&user, pending.as_ref())
                    .await
                    .map(|()| user),
                None => self.create_signed_in_user(email, pending.as_ref()).await,
            };
            match result {
                Ok(user) => return Ok(Some(user)),
                Err(error) if error.condition_failed_at(1) && link.is_some() => return Ok(None),
                Err(error) if error.condition_failed_at(0) || error.condition_failed_at(1) => {
                    continue;
                }
                Err(error) if error.is_transaction_conflict() => continue,
                Err(error) => return Err(error),
            }
        }
        Err(StoreError::Contended {
            operation: "sign in",
        })
    }

    /// Finds the user who owns a mailbox, through its email marker.
    pub async fn find_user_by_email(&self, email: &Email) -> Result<Option<User>, StoreError> {
        let marker = self.get_item(keys::email(email.normalized())).await?;
        let uid = marker.and_then(|item| item.get("uid").and_then(|uid| uid.as_s().ok()).cloned());
        match uid {
            Some(uid) => self.get_user(&uid).await,
            None => Ok(None),
        }
    }

    /// Promotes a user to admin only while the instance has no admin at all.
    ///
    /// Returns whether the user was promoted.
    pub async fn promote_if_no_admin(&self, user: &User) -> Result<bool, StoreError> {
        if user.is_admin {
            return Ok(false);
        }
        let (pk, sk) = keys::counters();
        let counter = Update::builder()
            .table_name(&self.table)
            .key("pk", s(pk))
            .key("sk", s(sk))
            .update_expression("ADD admins :one")
            .condition_expression("attribute_not_exists(admins) OR admins = :zero")
            .expression_attribute_values(":one", n(1))
            .expression_attribute_values(":zero", n(0))
            .build()
            .map_err(|error| StoreError::Malformed(error.to_string()))?;
        let result = self
            .client
            .transact_write_items()
            .transact_items(self.admin_flag_update(user, true)?)
            .transact_items(TransactWriteItem::builder().update(counter).build())
            .send()
            .await
            .map_err(StoreError::from_transaction);

        match result {
            Ok(_) => {
                tracing::info!(uid = %user.uid, "initial admin promoted");
                Ok(true)
            }
            Err(error) if error.condition_failed_at(0) || error.condition_failed_at(1) => Ok(false),
            Err(error) => Err(error),
        }
    }

    /// Sets `lastLoggedOn` of an existing user and accepts a pending invitation.
    /// Item 0 is the user and item 1 the invitation, for the caller's retry logic.
    async fn record_sign_in(
        &self,
        user: &User,
        pending: Option<&Invitation>,
    ) -> Result<(), StoreError> {
        let now = s(clock::format(clock::now()));
        let (pk, sk) = keys::user(&user.uid);
        let login = Update::builder()
            .table_name(&self.table)
            .key("pk", s(pk))
            .key("sk", s(sk))
            .update_expression("SET lastLoggedOn = :now, lastActiveOn = :now")
            .condition_expression("attribute_exists(pk)")
            .expression_attribute_values(":now", now)
            .build()
            .map_err(|error| StoreError::Malformed(error.to_string()))?;
        let mut transaction = self
            .client
            .transact_write_items()
            .transact_items(TransactWriteItem::builder().update(login).build());
        if let Some(invitation) = pending {
            transaction = transaction
                .transact_items(self.invitation_acceptance(invitation)?)
                .transact_items(self.count(&[("pendingInvites", -1)])?);
        }
        transaction
            .send()
            .await
            .map_err(StoreError::from_transaction)?;
        Ok(())
    }

    /// Creates a signed-in user with its marker, accepting a pending invitation.
    /// Item 0 is the marker and item 1 the invitation, for the caller's retry logic.
    async fn create_signed_in_user(
        &self,
        email: &Email,
        pending: Option<&Invitation>,
    ) -> Result<User, StoreError> {
        let now = clock::format(clock::now());
        let new = NewUser {
            email: email.clone(),
            display_name: None,
            is_admin: false,
        };
        let (user, user_put, marker_put) = self.new_user_items(new, Some(now))?;
        let mut transaction = self
            .client
            .transact_write_items()
            .transact_items(marker_put);
        let mut pending_delta = 0;
        if let Some(invitation) = pending {
            transaction = transaction.transact_items(self.invitation_acceptance(invitation)?);
            pending_delta = -1;
        }
        transaction
            .transact_items(user_put)
            .transact_items(self.count(&[("users", 1), ("pendingInvites", pending_delta)])?)
            .send()
            .await
            .map_err(StoreError::from_transaction)?;
        tracing::info!(uid = %user.uid, accepted_invitation = pending.is_some(), "user signed up");
        Ok(user)
    }

    fn invitation_acceptance(
        &self,
        invitation: &Invitation,
    ) -> Result<TransactWriteItem, StoreError> {
        let (pk, sk) = keys::invitation(&invitation.invitee_normalized);
        let delete = aws_sdk_dynamodb::types::Delete::builder()
            .table_name(&self.table)
            .key("pk", s(pk))
            .key("sk", s(sk))
            .condition_expression("linkTokenHash = :hash")
            .expression_attribute_values(":hash", s(&invitation.link_token_hash))
            .build()
            .map_err(|error| StoreError::Malformed(error.to_string()))?;
        Ok(TransactWriteItem::builder().delete(delete).build())
    }
}
