//! The DynamoDB store: one table, one repository module per kind of item.

mod audit;
mod collections;
mod counters;
mod error;
mod invitations;
pub mod keys;
mod magic_links;
mod sessions;
mod sign_in;
mod sweep;
mod tokens;
mod user_deletion;
mod user_updates;
mod users;
mod workspace_invitations;
mod workspaces;

pub use audit::{Actor, AuditEntry};
pub use collections::{ImportCounts, StoredCollection, StoredRequest};
pub use counters::Counters;
pub use error::StoreError;
pub use invitations::{Invitation, InviteOutcome};
pub use magic_links::MagicLink;
pub use sessions::{Refresh, SESSION_LIFETIME, Session, parse_refresh_token};
pub use sign_in::SignedIn;
pub use sweep::ExpiringKind;
pub use tokens::{InfraToken, InfraTokenInfo, NewInfraToken, TokenCreator};
pub use user_deletion::UserDeletion;
pub use user_updates::AdminChange;
pub use users::{NewUser, User};
pub use workspace_invitations::WorkspaceInvitation;
pub use workspaces::{MemberAdded, MemberChange, Membership, Role, Workspace};

use std::collections::HashMap;

use aws_sdk_dynamodb::Client;
use aws_sdk_dynamodb::types::{AttributeValue, KeysAndAttributes};
use serde::Serialize;
use serde::de::DeserializeOwned;

/// An item as the SDK sends and receives it.
pub type Item = HashMap<String, AttributeValue>;

/// Access to the table; cheap to clone, since the SDK client is shared.
#[derive(Clone, Debug)]
pub struct Store {
    client: Client,
    table: String,
}

impl Store {
    /// Wraps a DynamoDB client and the name of the table.
    pub fn new(client: Client, table: String) -> Self {
        Self { client, table }
    }

    /// Returns the SDK client, for callers that manage the table itself.
    pub fn client(&self) -> &Client {
        &self.client
    }

    /// Returns the table name.
    pub fn table(&self) -> &str {
        &self.table
    }
}

impl Store {
    /// Reads one item by key with a strongly consistent read.
    async fn get_item(&self, key: (String, String)) -> Result<Option<Item>, StoreError> {
        let (pk, sk) = key;
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
        Ok(output.item)
    }

    /// Reads one page of a `gsi1` partition in sort-key order, keeping the items that match
    /// `filter`: a filter expression over the lower-case search text bound to `:q`.
    async fn query_gsi1_matching(
        &self,
        partition: &str,
        filter: Option<(&str, String)>,
        page: crate::paging::Page,
    ) -> Result<Vec<Item>, StoreError> {
        let mut items = Vec::new();
        let mut start_key: Option<Item> = None;
        loop {
            let mut query = self
                .client
                .query()
                .table_name(&self.table)
                .index_name(keys::GSI1)
                .key_condition_expression("gsi1pk = :partition")
                .expression_attribute_values(":partition", s(partition))
                .set_exclusive_start_key(start_key.take());
            query = match &filter {
                Some((expression, text)) => query
                    .filter_expression(*expression)
                    .expression_attribute_values(":q", s(text.to_lowercase())),
                None => query.limit(i32::try_from(page.end()).unwrap_or(i32::MAX)),
            };
            let output = query
                .send()
                .await
                .map_err(|error| StoreError::from_sdk("Query", error))?;
            items.extend(output.items.unwrap_or_default());
            start_key = output.last_evaluated_key;
            if items.len() >= page.end() || start_key.is_none() {
                break;
            }
        }
        Ok(items.into_iter().skip(page.skip).take(page.take).collect())
    }

    /// Reads one page of a `gsi1` partition, newest (highest sort key) first.
    async fn query_newest_first(
        &self,
        partition: &str,
        page: crate::paging::Page,
    ) -> Result<Vec<Item>, StoreError> {
        let mut items = Vec::new();
        let mut start_key: Option<Item> = None;
        loop {
            let output = self
                .client
                .query()
                .table_name(&self.table)
                .index_name(keys::GSI1)
                .key_condition_expression("gsi1pk = :partition")
                .expression_attribute_values(":partition", s(partition))
                .scan_index_forward(false)
                .limit(i32::try_from(page.end()).unwrap_or(i32::MAX))
                .set_exclusive_start_key(start_key.take())
                .send()
                .await
                .map_err(|error| StoreError::from_sdk("Query", error))?;
            items.extend(output.items.unwrap_or_default());
            start_key = output.last_evaluated_key;
            if items.len() >= page.end() || start_key.is_none() {
                break;
            }
        }
        Ok(items.into_iter().skip(page.skip).take(page.take).collect())
    }

    /// Reads the first item of a `gsi2` partition, for partitions that hold one item.
    async fn query_gsi2_first(&self, partition: &str) -> Result<Option<Item>, StoreError> {
        let output = self
            .client
            .query()
            .table_name(&self.table)
            .index_name(keys::GSI2)
            .key_condition_expression("gsi2pk = :partition")
            .expression_attribute_values(":partition", s(partition))
            .limit(1)
            .send()
            .await
            .map_err(|error| StoreError::from_sdk("Query", error))?;
        Ok(output.items.unwrap_or_default().into_iter().next())
    }

    /// Reads every item of a `gsi2` partition, 100 items a page.
    async fn query_gsi2_all(&self, partition: &str) -> Result<Vec<Item>, StoreError> {
        let mut items = Vec::new();
        let mut start_key: Option<Item> = None;
        loop {
            let output = self
                .client
                .query()
                .table_name(&self.table)
                .index_name(keys::GSI2)
                .key_condition_expression("gsi2pk = :partition")
                .expression_attribute_values(":partition", s(partition))
                .limit(100)
                .set_exclusive_start_key(start_key.take())
                .send()
                .await
                .map_err(|error| StoreError::from_sdk("Query", error))?;
            items.extend(output.items.unwrap_or_default());
            start_key = output.last_evaluated_key;
            if start_key.is_none() {
                return Ok(items);
            }
        }
    }

    /// Reads items by key with strongly consistent reads, in batches of DynamoDB's maximum
    /// of 100 keys, retrying the keys DynamoDB leaves unprocessed. Missing items are left out.
    async fn batch_get(&self, keys: Vec<(String, String)>) -> Result<Vec<Item>, StoreError> {
        const MAX_KEYS: usize = 100;
        let mut found = Vec::new();
        for chunk in keys.chunks(MAX_KEYS) {
            let chunk_keys = chunk
                .iter()
                .map(|(pk, sk)| Item::from([("pk".to_owned(), s(pk)), ("sk".to_owned(), s(sk))]))
                .collect();
            let mut request = Some(
                KeysAndAttributes::builder()
                    .set_keys(Some(chunk_keys))
                    .consistent_read(true)
                    .build()
                    .map_err(|error| StoreError::Malformed(error.to_string()))?,
            );
            while let Some(keys) = request.take() {
                let output = self
                    .client
                    .batch_get_item()
                    .request_items(&self.table, keys)
                    .send()
                    .await
                    .map_err(|error| StoreError::from_sdk("BatchGetItem", error))?;
                let items = output
                    .responses
                    .and_then(|mut tables| tables.remove(&self.table));
                found.extend(items.unwrap_or_default());
                request = output
                    .unprocessed_keys
                    .and_then(|mut tables| tables.remove(&self.table));
            }
        }
        Ok(found)
    }
}

/// Converts a value into a DynamoDB item.
fn to_item<T: Serialize>(value: &T) -> Result<Item, StoreError> {
    serde_dynamo::to_item(value).map_err(|error| StoreError::Malformed(error.to_string()))
}

/// Reads a DynamoDB item into a value.
fn from_item<T: DeserializeOwned>(item: Item) -> Result<T, StoreError> {
    serde_dynamo::from_item(item).map_err(|error| StoreError::Malformed(error.to_string()))
}

/// Builds a string attribute.
fn s(value: impl Into<String>) -> AttributeValue {
    AttributeValue::S(value.into())
}

/// Builds a number attribute.
fn n(value: i64) -> AttributeValue {
    AttributeValue::N(value.to_string())
}
