//! InfraTokens: instance-level API tokens, stored under the SHA-256 of their secret.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use super::keys::{self, INFRA_TOKENS_PARTITION, SEPARATOR};
use super::{Store, StoreError, from_item, s, to_item};
use crate::clock;
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

/// What is needed to create an InfraToken.
#[derive(Clone, Debug)]
pub struct NewInfraToken {
    pub label: String,
    pub creator_uid: String,
    pub creator_email: String,
    /// `None` for a token that never expires.
    pub expires_on: Option<DateTime<Utc>>,
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
    pub async fn create_infra_token(
        &self,
        new: NewInfraToken,
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

        self.client
            .put_item()
            .table_name(&self.table)
            .set_item(Some(to_item(&item)?))
            .condition_expression("attribute_not_exists(pk)")
            .send()
            .await
            .map_err(|error| StoreError::from_sdk("PutItem", error))?;

        tracing::info!(token_id = %token.id, creator_uid = %token.creator_uid, "InfraToken created");
        Ok((token, secret))
    }

    /// Finds a token by the SHA-256 of its secret, with a strongly consistent read.
    pub async fn find_infra_token(&self, hash: &str) -> Result<Option<InfraToken>, StoreError> {
        let (pk, sk) = keys::infra_token(hash);
        let output = self
            .client
            .get_item()
            .table_name(&self.table)
            .key("pk", s(pk))
            .key("sk", s(sk))
            .consistent_read(true)
            .send()
            .await
            .map_err(|error| StoreError::from_sdk("GetItem", error))?;

        output
            .item
            .map(|item| from_item::<InfraTokenItem>(item).map(|item| item.token))
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
