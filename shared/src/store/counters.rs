//! The instance-wide counters item, kept exact by updating it in the same transaction as
//! the items it counts.

use aws_sdk_dynamodb::types::{TransactWriteItem, Update};
use serde::Deserialize;

use super::keys;
use super::{Store, StoreError, from_item, n, s};

/// Instance-wide totals; a counter never written reads as 0.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Counters {
    pub users: i64,
    pub admins: i64,
    pub workspaces: i64,
    pub collections: i64,
    pub requests: i64,
    pub pending_invites: i64,
}

impl Store {
    /// Reads the counters with a strongly consistent read.
    pub async fn get_counters(&self) -> Result<Counters, StoreError> {
        match self.get_item(keys::counters()).await? {
            Some(item) => from_item(item),
            None => Ok(Counters::default()),
        }
    }

    /// Builds an update that adds each delta to its counter, for use in a transaction
    /// with the items it counts.
    pub(crate) fn count(&self, deltas: &[(&str, i64)]) -> Result<TransactWriteItem, StoreError> {
        let (pk, sk) = keys::counters();
        let mut update = Update::builder()
            .table_name(&self.table)
            .key("pk", s(pk))
            .key("sk", s(sk));
        let mut clauses = Vec::new();
        for (index, (name, delta)) in deltas.iter().enumerate() {
            clauses.push(format!("#c{index} :d{index}"));
            update = update
                .expression_attribute_names(format!("#c{index}"), *name)
                .expression_attribute_values(format!(":d{index}"), n(*delta));
        }
        let update = update
            .update_expression(format!("ADD {}", clauses.join(", ")))
            .build()
            .map_err(|error| StoreError::Malformed(error.to_string()))?;
        Ok(TransactWriteItem::builder().update(update).build())
    }
}
