//! Signing a user in by email: the first sign-in creates the user, and any pending
//! invitation of that mailbox is accepted in the same transaction.

use aws_sdk_dynamodb::types::{TransactWriteItem, Update};

use chrono::Duration;

use super::invitations::Invitation;
use super::{Store, StoreError, keys, n, s};
use crate::clock;
use crate::email::Email;
use crate::secret::Secret;
use crate::store::{NewUser, Session, User};

/// Attempts before giving up while concurrent sign-ins of one mailbox race.
const MAX_ATTEMPTS: usize = 5;

/// A completed sign-in: the user, and the session started in the same transaction with
/// its first refresh token.
#[derive(Debug)]
pub struct SignedIn {
    pub user: User,
    pub session: Session,
    pub refresh: Secret,
}

impl Store {
    /// Signs in the owner of `email`, creating the user on first sign-in, setting
    /// `lastLoggedOn` and starting a session of `lifetime`, all in one transaction. With
    /// `link`, the sign-in consumes that invitation link and returns `None` when the link
    /// was used or revoked meanwhile. Without `link`, it accepts a pending invitation of the
    /// mailbox.
    pub async fn sign_in(
        &self,
        email: &Email,
        link: Option<&Invitation>,
        lifetime: Duration,
    ) -> Result<Option<SignedIn>, StoreError> {
        for _ in 0..MAX_ATTEMPTS {
            let (pending, uid) = self.mailbox(email, link).await?;
            let existing = match uid {
                Some(uid) => self.get_user(&uid).await?,
                None => None,
            };
            let result = match existing {
                Some(user) => self
                    .record_sign_in(&user, pending.as_ref(), lifetime)
                    .await
                    .map(|(session, refresh)| SignedIn {
                        user,
                        session,
                        refresh,
                    }),
                None => {
                    self.create_signed_in_user(email, pending.as_ref(), lifetime)
                        .await
                }
            };
            match result {
                Ok(signed_in) => return Ok(Some(signed_in)),
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

    /// Reads a mailbox's pending invitation (or takes `link`) and the uid its email marker
    /// names, in one request.
    async fn mailbox(
        &self,
        email: &Email,
        link: Option<&Invitation>,
    ) -> Result<(Option<Invitation>, Option<String>), StoreError> {
        let normalized = email.normalized();
        if let Some(invitation) = link {
            let uid = self.find_uid_by_email(email).await?;
            return Ok((Some(invitation.clone()), uid));
        }

        let invitation_key = keys::invitation(normalized);
        let marker_key = keys::email(normalized);
        let items = self
            .batch_get(vec![invitation_key.clone(), marker_key.clone()])
            .await?;
        let mut pending = None;
        let mut uid = None;
        for item in items {
            let pk = item.get("pk").and_then(|value| value.as_s().ok()).cloned();
            if pk.as_deref() == Some(invitation_key.0.as_str()) {
                pending = Some(Self::read_invitation(item)?);
            } else if pk.as_deref() == Some(marker_key.0.as_str()) {
                uid = item.get("uid").and_then(|value| value.as_s().ok()).cloned();
            }
        }
        Ok((pending, uid))
    }

    /// Finds the user who owns a mailbox, through its email marker.
    pub async fn find_user_by_email(&self, email: &Email) -> Result<Option<User>, StoreError> {
        match self.find_uid_by_email(email).await? {
            Some(uid) => self.get_user(&uid).await,
            None => Ok(None),
        }
    }

    /// Returns the uid the email marker of a mailbox names, with one read. The user may be
    /// deleted meanwhile; a write that needs the user checks it in its transaction.
    pub async fn find_uid_by_email(&self, email: &Email) -> Result<Option<String>, StoreError> {
        let marker = self.get_item(keys::email(email.normalized())).await?;
        Ok(marker.and_then(|item| item.get("uid").and_then(|uid| uid.as_s().ok()).cloned()))
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

    /// Sets `lastLoggedOn` of an existing user, accepts a pending invitation and starts a
    /// session. Item 0 is the user and item 1 the invitation, for the caller's retry logic.
    async fn record_sign_in(
        &self,
        user: &User,
        pending: Option<&Invitation>,
        lifetime: Duration,
    ) -> Result<(Session, Secret), StoreError> {
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
        let (session, refresh, session_put) = self.new_session(&user.uid, lifetime)?;
        transaction
            .transact_items(session_put)
            .send()
            .await
            .map_err(StoreError::from_transaction)?;
        tracing::info!(uid = %user.uid, session_id = %session.id, "signed in");
        Ok((session, refresh))
    }

    /// Creates a signed-in user with its marker and first session, accepting a pending
    /// invitation. Item 0 is the marker and item 1 the invitation, for the caller's retry
    /// logic.
    async fn create_signed_in_user(
        &self,
        email: &Email,
        pending: Option<&Invitation>,
        lifetime: Duration,
    ) -> Result<SignedIn, StoreError> {
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
        let (session, refresh, session_put) = self.new_session(&user.uid, lifetime)?;
        transaction
            .transact_items(user_put)
            .transact_items(self.count(&[("users", 1), ("pendingInvites", pending_delta)])?)
            .transact_items(session_put)
            .send()
            .await
            .map_err(StoreError::from_transaction)?;
        tracing::info!(uid = %user.uid, session_id = %session.id, accepted_invitation = pending.is_some(), "user signed up");
        Ok(SignedIn {
            user,
            session,
            refresh,
        })
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
