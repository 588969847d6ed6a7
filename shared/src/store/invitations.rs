//! Pending invitations: one per normalized email, with a one-time link token stored as
//! its SHA-256.

use std::collections::HashSet;

use aws_sdk_dynamodb::types::{ConditionCheck, Delete, TransactWriteItem};
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use super::keys::{self, GSI1, INVITATIONS_PARTITION, SEPARATOR};
use super::{AuditEntry, Item, Store, StoreError, from_item, s, to_item};
use crate::clock;
use crate::email::Email;
use crate::paging::Page;
use crate::secret::{INVITATION_TOKEN_PREFIX, Secret};
use crate::store::User;

/// A pending invitation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Invitation {
    pub invitee_email: String,
    pub invitee_normalized: String,
    pub inviter_uid: String,
    pub inviter_email: String,
    pub invited_on: String,
    pub expires_on: String,
    pub link_token_hash: String,
}

#[derive(Serialize, Deserialize)]
struct InvitationItem {
    pk: String,
    sk: String,
    gsi1pk: String,
    gsi1sk: String,
    gsi2pk: String,
    gsi2sk: String,
    ttl: i64,
    #[serde(flatten)]
    invitation: Invitation,
}

/// Result of recording an invitation.
#[derive(Debug)]
pub enum InviteOutcome {
    /// Recorded; the secret goes into the link and is not stored.
    Created(Invitation, Secret),
    /// A live invitation for that mailbox exists.
    AlreadyInvited,
    /// The mailbox already belongs to a user.
    UserExists,
}

impl Invitation {
    /// Tells whether the invitation has expired at `now`.
    pub fn is_expired(&self, now: DateTime<Utc>) -> bool {
        clock::parse(&self.expires_on).is_none_or(|expires_on| expires_on <= now)
    }
}

impl Store {
    /// Records an invitation unless the mailbox has a user or a live invitation, with
    /// `audit` in the same transaction.
    ///
    /// An expired invitation is replaced in place, so the pending counter stays exact.
    pub async fn create_invitation(
        &self,
        invitee: &Email,
        inviter: &User,
        lifetime: Duration,
        audit: Option<&AuditEntry>,
    ) -> Result<InviteOutcome, StoreError> {
        let now = clock::now();
        let existing = self.get_invitation(invitee.normalized()).await?;
        if existing
            .as_ref()
            .is_some_and(|invitation| !invitation.is_expired(now))
        {
            return Ok(InviteOutcome::AlreadyInvited);
        }

        let secret = Secret::generate(INVITATION_TOKEN_PREFIX);
        let invitation = Invitation {
            invitee_email: invitee.as_str().to_owned(),
            invitee_normalized: invitee.normalized().to_owned(),
            inviter_uid: inviter.uid.clone(),
            inviter_email: inviter.email.clone(),
            invited_on: clock::format(now),
            expires_on: clock::format(now + lifetime),
            link_token_hash: secret.hash(),
        };
        let put = self.invitation_put(&invitation, existing.as_ref(), now + lifetime)?;
        let mut transaction = self
            .client
            .transact_write_items()
            .transact_items(self.no_user_check(invitee.normalized())?)
            .transact_items(put);
        if existing.is_none() {
            transaction = transaction.transact_items(self.count(&[("pendingInvites", 1)])?);
        }
        if let Some(entry) = audit {
            transaction = transaction.transact_items(self.audit_put(entry)?);
        }

        match transaction
            .send()
            .await
            .map_err(StoreError::from_transaction)
        {
            Ok(_) => Ok(InviteOutcome::Created(invitation, secret)),
            Err(error) if error.condition_failed_at(0) => Ok(InviteOutcome::UserExists),
            Err(error) if error.condition_failed_at(1) => Ok(InviteOutcome::AlreadyInvited),
            Err(error) => Err(error),
        }
    }

    /// Reads an invitation from its stored item.
    pub(super) fn read_invitation(item: Item) -> Result<Invitation, StoreError> {
        from_item::<InvitationItem>(item).map(|item| item.invitation)
    }

    /// Reads the invitation of a normalized email, expired or not.
    pub async fn get_invitation(&self, normalized: &str) -> Result<Option<Invitation>, StoreError> {
        let item = self.get_item(keys::invitation(normalized)).await?;
        item.map(|item| from_item::<InvitationItem>(item).map(|item| item.invitation))
            .transpose()
    }

    /// Finds a live-or-expired invitation by the SHA-256 of its link token.
    pub async fn find_invitation_by_link(
        &self,
        hash: &str,
    ) -> Result<Option<Invitation>, StoreError> {
        let item = self.query_gsi2_first(&keys::invitation_link(hash)).await?;
        item.map(|item| from_item::<InvitationItem>(item).map(|item| item.invitation))
            .transpose()
    }

    /// Deletes the invitation of a normalized email and counts it out, with `audit` in the
    /// same transaction. With `link_token_hash`, deletes it only while it is still that
    /// invitation.
    ///
    /// Returns whether an invitation was deleted.
    pub async fn delete_invitation(
        &self,
        normalized: &str,
        link_token_hash: Option<&str>,
        audit: Option<&AuditEntry>,
    ) -> Result<bool, StoreError> {
        let delete = self.invitation_delete(normalized, link_token_hash)?;
        let mut transaction = self
            .client
            .transact_write_items()
            .transact_items(delete)
            .transact_items(self.count(&[("pendingInvites", -1)])?);
        if let Some(entry) = audit {
            transaction = transaction.transact_items(self.audit_put(entry)?);
        }
        let result = transaction
            .send()
            .await
            .map_err(StoreError::from_transaction);

        match result {
            Ok(_) => Ok(true),
            Err(error) if error.condition_failed_at(0) => Ok(false),
            Err(error) => Err(error),
        }
    }

    /// Lists live invitations, newest first, leaving out invitees who are already users.
    pub async fn list_pending_invitations(
        &self,
        page: Page,
    ) -> Result<Vec<Invitation>, StoreError> {
        let now = clock::format(clock::now());
        let mut pending = Vec::new();
        let mut start_key: Option<Item> = None;

        loop {
            let output = self
                .client
                .query()
                .table_name(&self.table)
                .index_name(GSI1)
                .key_condition_expression("gsi1pk = :partition")
                .filter_expression("expiresOn > :now")
                .expression_attribute_values(":partition", s(INVITATIONS_PARTITION))
                .expression_attribute_values(":now", s(now.clone()))
                .scan_index_forward(false)
                .set_exclusive_start_key(start_key.take())
                .send()
                .await
                .map_err(|error| StoreError::from_sdk("Query", error))?;

            let mut batch = Vec::new();
            for item in output.items.unwrap_or_default() {
                batch.push(from_item::<InvitationItem>(item)?.invitation);
            }
            let normalized: Vec<String> =
                batch.iter().map(|i| i.invitee_normalized.clone()).collect();
            let users = self.existing_emails(&normalized).await?;
            pending.extend(
                batch
                    .into_iter()
                    .filter(|i| !users.contains(&i.invitee_normalized)),
            );

            start_key = output.last_evaluated_key;
            if pending.len() >= page.end() || start_key.is_none() {
                break;
            }
        }

        Ok(pending
            .into_iter()
            .skip(page.skip)
            .take(page.take)
            .collect())
    }

    /// Returns which of the normalized emails belong to users.
    async fn existing_emails(&self, normalized: &[String]) -> Result<HashSet<String>, StoreError> {
        let keys = normalized.iter().map(|email| keys::email(email)).collect();
        let items = self.batch_get(keys).await?;
        let found = items
            .iter()
            .filter_map(|item| item.get("pk")?.as_s().ok())
            .map(|pk| pk.trim_start_matches("EMAIL#").to_owned())
            .collect();
        Ok(found)
    }

    fn invitation_put(
        &self,
        invitation: &Invitation,
        replaced: Option<&Invitation>,
        expires_on: DateTime<Utc>,
    ) -> Result<TransactWriteItem, StoreError> {
        let (pk, sk) = keys::invitation(&invitation.invitee_normalized);
        let item = InvitationItem {
            pk,
            sk,
            gsi1pk: INVITATIONS_PARTITION.to_owned(),
            gsi1sk: format!(
                "{}{SEPARATOR}{}",
                invitation.invited_on, invitation.invitee_normalized
            ),
            gsi2pk: keys::invitation_link(&invitation.link_token_hash),
            gsi2sk: keys::INVITATION_LINK_SORT.to_owned(),
            ttl: (expires_on + Duration::days(7)).timestamp(),
            invitation: invitation.clone(),
        };
        let Some(replaced) = replaced else {
            return self.put_new(to_item(&item)?);
        };
        let put = aws_sdk_dynamodb::types::Put::builder()
            .table_name(&self.table)
            .set_item(Some(to_item(&item)?))
            .condition_expression("linkTokenHash = :replaced")
            .expression_attribute_values(":replaced", s(replaced.link_token_hash.clone()))
            .build()
            .map_err(|error| StoreError::Malformed(error.to_string()))?;
        Ok(TransactWriteItem::builder().put(put).build())
    }

    fn invitation_delete(
        &self,
        normalized: &str,
        link_token_hash: Option<&str>,
    ) -> Result<TransactWriteItem, StoreError> {
        let (pk, sk) = keys::invitation(normalized);
        let mut delete = Delete::builder()
            .table_name(&self.table)
            .key("pk", s(pk))
            .key("sk", s(sk));
        delete = match link_token_hash {
            Some(hash) => delete
                .condition_expression("linkTokenHash = :hash")
                .expression_attribute_values(":hash", s(hash)),
            None => delete.condition_expression("attribute_exists(pk)"),
        };
        let delete = delete
            .build()
            .map_err(|error| StoreError::Malformed(error.to_string()))?;
        Ok(TransactWriteItem::builder().delete(delete).build())
    }

    /// Builds a check that no user has the normalized email.
    pub(crate) fn no_user_check(&self, normalized: &str) -> Result<TransactWriteItem, StoreError> {
        let (pk, sk) = keys::email(normalized);
        let check = ConditionCheck::builder()
            .table_name(&self.table)
            .key("pk", s(pk))
            .key("sk", s(sk))
            .condition_expression("attribute_not_exists(pk)")
            .build()
            .map_err(|error| StoreError::Malformed(error.to_string()))?;
        Ok(TransactWriteItem::builder().condition_check(check).build())
    }
}
