//! The DynamoDB store: one table, one repository module per kind of item.

mod counters;
mod error;
mod invitations;
pub mod keys;
mod tokens;
mod user_updates;
mod users;

pub use counters::Counters;
pub use error::StoreError;
pub use invitations::{Invitation, InviteOutcome};
pub use tokens::{InfraToken, NewInfraToken};
pub use user_updates::AdminChange;
pub use users::{NewUser, User};

use std::collections::HashMap;

use aws_sdk_dynamodb::Client;
use aws_sdk_dynamodb::types::AttributeValue;
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
