//! Removal of expired items. Every delete is conditional on the item still being expired,
//! in a transaction with the counters and audit entries it changes, so two sweeps running
//! at once remove and count each item once.

use aws_sdk_dynamodb::types::{Delete, TransactWriteItem};
use serde::{Deserialize, Serialize};

use super::audit::Actor;
use super::keys::{self, GSI1};
use super::{Item, Store, StoreError, s};

/// Kinds of expiring items.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum ExpiringKind {
    InfraTokens,
    Invitations,
    MagicLinks,
    Sessions,
}

impl ExpiringKind {
    /// Every kind, in sweep order.
    pub const ALL: [Self; 4] = [
        Self::InfraTokens,
        Self::Invitations,
        Self::MagicLinks,
        Self::Sessions,
    ];

    /// Returns the `gsi1` partition that lists items of this kind.
    fn partition(self) -> &'static str {
        match self {
            Self::InfraTokens => keys::INFRA_TOKENS_PARTITION,
            Self::Invitations => keys::INVITATIONS_PARTITION,
            Self::MagicLinks => keys::MAGIC_LINKS_PARTITION,
            Self::Sessions => keys::SESSIONS_PARTITION,
        }
    }

    /// Tells whether `gsi1sk` starts with the expiry, so a key condition finds the
    /// expired items; the others are filtered on `expiresOn`.
    fn sorted_by_expiry(self) -> bool {
        matches!(self, Self::MagicLinks | Self::Sessions)
    }
}

impl Store {
    /// Deletes every item of `kind` that expired before `now`, reading `page_size` items
    /// a page, and returns how many this call deleted.
    pub async fn sweep(
        &self,
        kind: ExpiringKind,
        now: &str,
        page_size: i32,
    ) -> Result<u64, StoreError> {
        let mut deleted = 0;
        let mut start_key: Option<Item> = None;
        loop {
            let mut query = self
                .client
                .query()
                .table_name(&self.table)
                .index_name(GSI1)
                .expression_attribute_values(":partition", s(kind.partition()))
                .expression_attribute_values(":now", s(now))
                .limit(page_size)
                .set_exclusive_start_key(start_key.take());
            query = if kind.sorted_by_expiry() {
                query.key_condition_expression("gsi1pk = :partition AND gsi1sk < :now")
            } else {
                query
                    .key_condition_expression("gsi1pk = :partition")
                    .filter_expression("expiresOn < :now")
            };
            let output = query
                .send()
                .await
                .map_err(|error| StoreError::from_sdk("Query", error))?;

            for item in output.items.unwrap_or_default() {
                if self.delete_expired(kind, &item, now).await? {
                    deleted += 1;
                }
            }
            start_key = output.last_evaluated_key;
            if start_key.is_none() {
                return Ok(deleted);
            }
        }
    }

    /// Deletes one expired item; returns whether this call deleted it.
    async fn delete_expired(
        &self,
        kind: ExpiringKind,
        item: &Item,
        now: &str,
    ) -> Result<bool, StoreError> {
        let text = |name: &str| {
            item.get(name)
                .and_then(|value| value.as_s().ok())
                .cloned()
                .ok_or_else(|| StoreError::Malformed(format!("{name} is missing")))
        };
        if kind == ExpiringKind::InfraTokens {
            let id = text("id")?;
            let hash = text("tokenHash")?;
            return self
                .delete_infra_token_items(
                    &id,
                    &hash,
                    "infra_token.expired",
                    &Actor::system(),
                    Some(now),
                )
                .await;
        }

        let mut transaction = self
            .client
            .transact_write_items()
            .transact_items(self.expired_delete(text("pk")?, text("sk")?, now)?);
        if kind == ExpiringKind::Invitations {
            transaction = transaction.transact_items(self.count(&[("pendingInvites", -1)])?);
        }
        match transaction
            .send()
            .await
            .map_err(StoreError::from_transaction)
        {
            Ok(_) => Ok(true),
            Err(error) if error.condition_failed_at(0) => Ok(false),
            Err(error) => Err(error),
        }
    }

    fn expired_delete(
        &self,
        pk: String,
        sk: String,
        now: &str,
    ) -> Result<TransactWriteItem, StoreError> {
        let delete = Delete::builder()
            .table_name(&self.table)
            .key("pk", s(pk))
            .key("sk", s(sk))
            .condition_expression("expiresOn < :now")
            .expression_attribute_values(":now", s(now))
            .build()
            .map_err(|error| StoreError::Malformed(error.to_string()))?;
        Ok(TransactWriteItem::builder().delete(delete).build())
    }
}
