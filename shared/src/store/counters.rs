//! The instance-wide counters item, kept exact by updating it in the same transaction as
//! the items it counts.

use serde::Deserialize;

use super::keys;
use super::{Store, StoreError, from_item, s};

/// Instance-wide totals; a counter never written reads as 0.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct Counters {
    pub users: i64,
    pub admins: i64,
}

impl Store {
    /// Reads the counters with a strongly consistent read.
    pub async fn get_counters(&self) -> Result<Counters, StoreError> {
        let (pk, sk) = keys::counters();
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

        match output.item {
            Some(item) => from_item(item),
            None => Ok(Counters::default()),
        }
    }
}
