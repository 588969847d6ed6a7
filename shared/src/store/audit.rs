//! The audit trail: who did what to which target, when, through which token or session.

use aws_sdk_dynamodb::types::{Put, TransactWriteItem};
use serde::{Deserialize, Serialize};

use super::keys::{self, AUDIT_PARTITION, SEPARATOR};
use super::{Item, Store, StoreError, from_item, to_item};
use crate::clock;
use crate::paging::Page;

/// One audited action.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AuditEntry {
    pub id: String,
    pub at: String,
    /// Action name, such as `infra_token.created` or `user.deleted`.
    pub action: String,
    /// `infra_token`, `session` or `system`.
    pub actor_type: String,
    /// The InfraToken id or session id that acted; empty for the system.
    pub actor_id: String,
    /// The uid of the admin behind the actor; empty for the system.
    pub actor_uid: String,
    /// Target of the action, such as a uid, an email or a token id.
    pub target: String,
}

#[derive(Serialize, Deserialize)]
struct AuditItem {
    pk: String,
    sk: String,
    gsi1pk: String,
    gsi1sk: String,
    #[serde(flatten)]
    entry: AuditEntry,
}

/// Actor of a change: an InfraToken, an admin session, or the system itself (bootstrap,
/// sweeper).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Actor {
    pub kind: &'static str,
    pub id: String,
    pub uid: String,
}

impl Actor {
    /// Returns the system actor, for changes no admin requested.
    pub fn system() -> Self {
        Self {
            kind: "system",
            id: String::new(),
            uid: String::new(),
        }
    }
}

impl AuditEntry {
    /// Builds an entry stamped with the current time and a new id.
    pub fn now(action: &str, actor: &Actor, target: &str) -> Self {
        Self {
            id: uuid::Uuid::new_v4().simple().to_string(),
            at: clock::format(clock::now()),
            action: action.to_owned(),
            actor_type: actor.kind.to_owned(),
            actor_id: actor.id.clone(),
            actor_uid: actor.uid.clone(),
            target: target.to_owned(),
        }
    }
}

impl Store {
    /// Builds the put of an audit entry, for a transaction with the change it records.
    pub(crate) fn audit_put(&self, entry: &AuditEntry) -> Result<TransactWriteItem, StoreError> {
        let put = Put::builder()
            .table_name(&self.table)
            .set_item(Some(audit_item(entry)?))
            .build()
            .map_err(|error| StoreError::Malformed(error.to_string()))?;
        Ok(TransactWriteItem::builder().put(put).build())
    }

    /// Writes an audit entry on its own.
    pub async fn record_audit(&self, entry: &AuditEntry) -> Result<(), StoreError> {
        self.client
            .put_item()
            .table_name(&self.table)
            .set_item(Some(audit_item(entry)?))
            .send()
            .await
            .map_err(|error| StoreError::from_sdk("PutItem", error))?;
        Ok(())
    }

    /// Lists audit entries, newest first.
    pub async fn list_audit(&self, page: Page) -> Result<Vec<AuditEntry>, StoreError> {
        let items = self.query_newest_first(AUDIT_PARTITION, page).await?;
        items
            .into_iter()
            .map(|item| from_item::<AuditItem>(item).map(|item| item.entry))
            .collect()
    }
}

fn audit_item(entry: &AuditEntry) -> Result<Item, StoreError> {
    let month = entry.at.get(..7).unwrap_or_default();
    let order = format!("{}{SEPARATOR}{}", entry.at, entry.id);
    to_item(&AuditItem {
        pk: keys::audit_month(month),
        sk: order.clone(),
        gsi1pk: AUDIT_PARTITION.to_owned(),
        gsi1sk: order,
        entry: entry.clone(),
    })
}
