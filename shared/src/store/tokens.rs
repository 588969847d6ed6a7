//! InfraTokens: instance-level API tokens, stored under the SHA-256 of their secret.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use aws_sdk_dynamodb::types::{Delete, TransactWriteItem};

use super::audit::{Actor, AuditEntry};
use super::keys::{self, INFRA_TOKENS_PARTITION, SEPARATOR};
use super::{Store, StoreError, from_item, s, to_item};
use crate::clock;
use crate::paging::Page;
use crate::secret::{INFRA_TOKEN_PREFIX, Secret};

/// How long an expired token stays before DynamoDB's TTL may remove it. Expiry itself is
/// checked on every read; TTL only tidies up.
const TTL_GRACE: Duration = Duration::days(7);

/// An InfraToken as stored. The secret is never stored, only its hash.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct InfraToken {
    pub id: String,
    pub label: String,
    pub token_hash: String,
    pub creator_uid: String,
    pub creator_email: String,
    pub created_on: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_on: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_used_on: Option<String>,
}

/// An InfraToken as admins see it: never the secret or its hash.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct InfraTokenInfo {
    pub id: String,
    pub label: String,
    pub created_on: String,
    pub expires_on: Option<String>,
    pub last_used_on: Option<String>,
    pub expired: bool,
    pub creator: TokenCreator,
}

/// The admin who created a token.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct TokenCreator {
    pub uid: String,
    pub email: String,
}

/// Fields of a new InfraToken.
#[derive(Clone, Debug)]
pub struct NewInfraToken {
    pub label: String,
    pub creator_uid: String,
    pub creator_email: String,
    /// `None` for a token that never expires.
    pub expires_on: Option<DateTime<Utc>>,
}

/// Maps a token id to the hash its item is stored under.
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct TokenIdItem {
    pk: String,
    sk: String,
    token_hash: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    ttl: Option<i64>,
}

#[derive(Serialize, Deserialize)]
struct InfraTokenItem {
    pk: String,
    sk: String,
    gsi1pk: String,
    gsi1sk: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    ttl: Option<i64>,
    #[serde(flatten)]
    token: InfraToken,
}

impl InfraToken {
    /// Describes the token for admins, with its expiry judged at `now`.
    pub fn info(&self, now: DateTime<Utc>) -> InfraTokenInfo {
        InfraTokenInfo {
            id: self.id.clone(),
            label: self.label.clone(),
            created_on: self.created_on.clone(),
            expires_on: self.expires_on.clone(),
            last_used_on: self.last_used_on.clone(),
            expired: self.is_expired(now),
            creator: TokenCreator {
                uid: self.creator_uid.clone(),
                email: self.creator_email.clone(),
            },
        }
    }

    /// Tells whether the token has expired at `now`; a token without expiry never does.
    pub fn is_expired(&self, now: DateTime<Utc>) -> bool {
        match self.expires_on.as_deref().map(clock::parse) {
            None => false,
            Some(Some(expires_on)) => expires_on <= now,
            Some(None) => true,
        }
    }

    /// Tells whether `lastUsedOn` is older than `interval` at `now`, or was never set.
    pub fn last_use_older_than(&self, interval: Duration, now: DateTime<Utc>) -> bool {
        match self.last_used_on.as_deref().and_then(clock::parse) {
            Some(last_used_on) => now - last_used_on >= interval,
            None => true,
        }
    }
}

impl Store {
    /// Creates a token and returns it with its secret, which is not stored anywhere.
    /// The token, its id item and the audit entry are written in one transaction.
    pub async fn create_infra_token(
        &self,
        new: NewInfraToken,
        actor: &Actor,
    ) -> Result<(InfraToken, Secret), StoreError> {
        let secret = Secret::generate(INFRA_TOKEN_PREFIX);
        let created_on = clock::format(clock::now());
        let token = InfraToken {
            id: uuid::Uuid::new_v4().to_string(),
            label: new.label,
            token_hash: secret.hash(),
            creator_uid: new.creator_uid,
            creator_email: new.creator_email,
            created_on: created_on.clone(),
            expires_on: new.expires_on.map(clock::format),
            last_used_on: None,
        };
        let (pk, sk) = keys::infra_token(&token.token_hash);
        let item = InfraTokenItem {
            pk,
            sk,
            gsi1pk: INFRA_TOKENS_PARTITION.to_owned(),
            gsi1sk: format!("{created_on}{SEPARATOR}{}", token.id),
            ttl: new.expires_on.map(|time| (time + TTL_GRACE).timestamp()),
            token: token.clone(),
        };
        let (id_pk, id_sk) = keys::infra_token_id(&token.id);
        let id_item = TokenIdItem {
            pk: id_pk,
            sk: id_sk,
            token_hash: token.token_hash.clone(),
            ttl: item.ttl,
        };
        let audit = AuditEntry::now("infra_token.created", actor, &token.id);

        self.client
            .transact_write_items()
            .transact_items(self.put_new(to_item(&item)?)?)
            .transact_items(self.put_new(to_item(&id_item)?)?)
            .transact_items(self.audit_put(&audit)?)
            .send()
            .await
            .map_err(StoreError::from_transaction)?;

        tracing::info!(token_id = %token.id, creator_uid = %token.creator_uid, "InfraToken created");
        Ok((token, secret))
    }

    /// Lists tokens, newest first.
    pub async fn list_infra_tokens(&self, page: Page) -> Result<Vec<InfraToken>, StoreError> {
        let items = self
            .query_newest_first(INFRA_TOKENS_PARTITION, page)
            .await?;
        items
            .into_iter()
            .map(|item| from_item::<InfraTokenItem>(item).map(|item| item.token))
            .collect()
    }

    /// Deletes a token by id, recording `action` in the audit trail in the same
    /// transaction. With `expired_before`, deletes it only if it expired before then.
    ///
    /// Returns whether this call deleted it: `false` when no such token (or no such
    /// expired token) exists, so two concurrent calls delete and record a token once.
    pub async fn delete_infra_token(
        &self,
        id: &str,
        action: &str,
        actor: &Actor,
        expired_before: Option<&str>,
    ) -> Result<bool, StoreError> {
        let Some(hash) = self.infra_token_hash(id).await? else {
            return Ok(false);
        };
        self.delete_infra_token_items(id, &hash, action, actor, expired_before)
            .await
    }

    /// Deletes the token stored under `hash` and its id item, as
    /// [`Store::delete_infra_token`] does, for a caller that already read both keys.
    pub(crate) async fn delete_infra_token_items(
        &self,
        id: &str,
        hash: &str,
        action: &str,
        actor: &Actor,
        expired_before: Option<&str>,
    ) -> Result<bool, StoreError> {
        let (pk, sk) = keys::infra_token(hash);
        let mut delete = Delete::builder()
            .table_name(&self.table)
            .key("pk", s(pk))
            .key("sk", s(sk));
        delete = match expired_before {
            Some(cutoff) => delete
                .condition_expression("expiresOn < :cutoff")
                .expression_attribute_values(":cutoff", s(cutoff)),
            None => delete.condition_expression("attribute_exists(pk)"),
        };
        let delete = delete
            .build()
            .map_err(|error| StoreError::Malformed(error.to_string()))?;
        let (id_pk, id_sk) = keys::infra_token_id(id);
        let id_delete = Delete::builder()
            .table_name(&self.table)
            .key("pk", s(id_pk))
            .key("sk", s(id_sk))
            .build()
            .map_err(|error| StoreError::Malformed(error.to_string()))?;
        let audit = AuditEntry::now(action, actor, id);

        let result = self
            .client
            .transact_write_items()
            .transact_items(TransactWriteItem::builder().delete(delete).build())
            .transact_items(TransactWriteItem::builder().delete(id_delete).build())
            .transact_items(self.audit_put(&audit)?)
            .send()
            .await
            .map_err(StoreError::from_transaction);

        match result {
            Ok(_) => {
                tracing::info!(token_id = id, action, "InfraToken deleted");
                Ok(true)
            }
            Err(error) if error.condition_failed_at(0) => Ok(false),
            Err(error) => Err(error),
        }
    }

    /// Returns the hash a token id is stored under.
    async fn infra_token_hash(&self, id: &str) -> Result<Option<String>, StoreError> {
        let item = self.get_item(keys::infra_token_id(id)).await?;
        item.map(|item| from_item::<TokenIdItem>(item).map(|item| item.token_hash))
            .transpose()
    }

    /// Finds a token by the SHA-256 of its secret, with a strongly consistent read.
    pub async fn find_infra_token(&self, hash: &str) -> Result<Option<InfraToken>, StoreError> {
        let item = self.get_item(keys::infra_token(hash)).await?;
        item.map(|item| from_item::<InfraTokenItem>(item).map(|item| item.token))
            .transpose()
    }

    /// Sets `lastUsedOn` to `now` unless another request set it after `cutoff`.
    ///
    /// Returns whether this call wrote it; a token deleted meanwhile is not re-created.
    pub async fn record_infra_token_use(
        &self,
        hash: &str,
        now: DateTime<Utc>,
        cutoff: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let (pk, sk) = keys::infra_token(hash);
        let result = self
            .client
            .update_item()
            .table_name(&self.table)
            .key("pk", s(pk))
            .key("sk", s(sk))
            .update_expression("SET lastUsedOn = :now")
            .condition_expression(
                "attribute_exists(pk) AND (attribute_not_exists(lastUsedOn) OR lastUsedOn < :cutoff)",
            )
            .expression_attribute_values(":now", s(clock::format(now)))
            .expression_attribute_values(":cutoff", s(clock::format(cutoff)))
            .send()
            .await;

        match result.map_err(|error| StoreError::from_sdk("UpdateItem", error)) {
            Ok(_) => Ok(true),
            Err(StoreError::ConditionFailed) => Ok(false),
            Err(error) => Err(error),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn token(expires_on: Option<&str>, last_used_on: Option<&str>) -> InfraToken {
        InfraToken {
            id: "t".to_owned(),
            label: "label".to_owned(),
            token_hash: "h".to_owned(),
            creator_uid: "u".to_owned(),
            creator_email: "u@example.com".to_owned(),
            created_on: "2026-01-01T00:00:00.000Z".to_owned(),
            expires_on: expires_on.map(str::to_owned),
            last_used_on: last_used_on.map(str::to_owned),
        }
    }

    fn at(text: &str) -> DateTime<Utc> {
        clock::parse(text).unwrap_or_default()
    }

    #[test]
    fn null_expiry_never_expires() {
        assert!(!token(None, None).is_expired(at("2999-01-01T00:00:00Z")));
    }

    #[test]
    fn expiry_is_inclusive() {
        let token = token(Some("2026-01-02T00:00:00.000Z"), None);

        assert!(!token.is_expired(at("2026-01-01T23:59:59Z")));
        assert!(token.is_expired(at("2026-01-02T00:00:00Z")));
    }

    #[test]
    fn unreadable_expiry_counts_as_expired() {
        assert!(token(Some("soon"), None).is_expired(at("2026-01-01T00:00:00Z")));
    }

    #[test]
    fn last_use_interval() {
        let now = at("2026-01-01T00:01:00Z");

        assert!(token(None, None).last_use_older_than(Duration::minutes(1), now));
        assert!(
            token(None, Some("2026-01-01T00:00:00.000Z"))
                .last_use_older_than(Duration::minutes(1), now)
        );
        assert!(
            !token(None, Some("2026-01-01T00:00:30.000Z"))
                .last_use_older_than(Duration::minutes(1), now)
        );
    }
}
