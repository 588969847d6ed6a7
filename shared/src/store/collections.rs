//! Collections (with nested folders) and requests of a workspace, and deleting a workspace
//! with everything under it. Every write changes the workspace's and the instance's
//! counters in the same transaction.

use aws_sdk_dynamodb::types::{Delete, TransactWriteItem, Update};
use serde::{Deserialize, Serialize};

use super::workspaces::LIVE_WORKSPACE;
use super::{AuditEntry, Item, Store, StoreError, from_item, keys, n, s, to_item};
use crate::import::ImportPlan;

/// Items written per transaction, below DynamoDB's limit of 100 to leave room for the two
/// counter updates.
const WRITES_PER_TRANSACTION: usize = 90;
/// Items deleted per transaction when a workspace is deleted.
const DELETES_PER_TRANSACTION: usize = 90;

/// A stored collection or folder.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct StoredCollection {
    pub id: String,
    pub workspace_id: String,
    /// The parent folder's id; `null` for a top-level collection.
    pub parent_id: Option<String>,
    /// Position among its siblings.
    pub order_index: u64,
    pub title: String,
    /// The collection's own fields (auth, headers, variables, scripts, description), as
    /// imported.
    #[schema(value_type = Object)]
    pub data: serde_json::Value,
}

/// A stored request.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct StoredRequest {
    pub id: String,
    pub workspace_id: String,
    pub collection_id: String,
    /// Position in its collection.
    pub order_index: u64,
    pub title: String,
    /// The request object as imported.
    #[schema(value_type = Object)]
    pub request: serde_json::Value,
}

#[derive(Serialize, Deserialize)]
struct CollectionItem {
    pk: String,
    sk: String,
    #[serde(flatten)]
    collection: StoredCollection,
}

#[derive(Serialize, Deserialize)]
struct RequestItem {
    pk: String,
    sk: String,
    #[serde(flatten)]
    request: StoredRequest,
}

/// Counts of the items an import stored.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct ImportCounts {
    pub collections: usize,
    pub requests: usize,
}

/// Sort-key prefix of collections under a workspace.
const COLLECTION_PREFIX: &str = "COLL#";
/// Sort-key prefix of requests under a workspace.
const REQUEST_PREFIX: &str = "REQ#";

impl Store {
    /// Stores an import plan under a workspace, after its existing collections.
    ///
    /// Returns `None` for an unknown workspace. A plan larger than one transaction is
    /// written in several; when one fails, the ones before it are deleted again.
    pub async fn import_collections(
        &self,
        workspace_id: &str,
        plan: &ImportPlan,
    ) -> Result<Option<ImportCounts>, StoreError> {
        let Some(workspace) = self.get_workspace(workspace_id).await? else {
            return Ok(None);
        };
        let first_position = u64::try_from(workspace.collection_count).unwrap_or(0);
        let items = import_items(workspace_id, plan, first_position)?;

        let mut written: Vec<(String, String, bool)> = Vec::new();
        for chunk in items.chunks(WRITES_PER_TRANSACTION) {
            if let Err(error) = self.write_chunk(workspace_id, chunk).await {
                tracing::error!(workspace_id, written = written.len(), error = ?error, "import failed, undoing it");
                if let Err(undo) = self.delete_children(workspace_id, &written, true).await {
                    // NOTE: items of an import whose undo also failed stay stored, with
                    // counters that match them.
                    tracing::error!(workspace_id, error = ?undo, "undoing the import failed");
                }
                return Err(error);
            }
            written.extend(
                chunk
                    .iter()
                    .map(|(pk, sk, is_request, _)| (pk.clone(), sk.clone(), *is_request)),
            );
        }

        Ok(Some(ImportCounts {
            collections: plan.collections.len(),
            requests: plan.requests.len(),
        }))
    }

    async fn write_chunk(
        &self,
        workspace_id: &str,
        chunk: &[(String, String, bool, Item)],
    ) -> Result<(), StoreError> {
        let requests = chunk
            .iter()
            .filter(|(_, _, is_request, _)| *is_request)
            .count();
        let collections = chunk.len() - requests;
        let mut transaction = self.client.transact_write_items();
        for (_, _, _, item) in chunk {
            transaction = transaction.transact_items(self.put_new(item.clone())?);
        }
        transaction
            .transact_items(self.content_count_update(workspace_id, collections, requests, 1)?)
            .transact_items(self.count(&[
                ("collections", as_i64(collections)),
                ("requests", as_i64(requests)),
            ])?)
            .send()
            .await
            .map_err(StoreError::from_transaction)?;
        Ok(())
    }

    /// Deletes collections and requests by key, counting them out of the workspace in each
    /// batch, and out of the instance too when `count_instance` is set.
    async fn delete_children(
        &self,
        workspace_id: &str,
        keys: &[(String, String, bool)],
        count_instance: bool,
    ) -> Result<(), StoreError> {
        for chunk in keys.chunks(DELETES_PER_TRANSACTION) {
            let requests = chunk
                .iter()
                .filter(|(_, _, is_request)| *is_request)
                .count();
            let collections = chunk.len() - requests;
            let mut transaction = self.client.transact_write_items();
            for (pk, sk, _) in chunk {
                transaction = transaction.transact_items(self.plain_delete(pk, sk)?);
            }
            let update = self.content_count_update(workspace_id, collections, requests, -1)?;
            transaction = transaction.transact_items(update);
            if count_instance {
                let deltas = [
                    ("collections", -as_i64(collections)),
                    ("requests", -as_i64(requests)),
                ];
                transaction = transaction.transact_items(self.count(&deltas)?);
            }
            transaction
                .send()
                .await
                .map_err(StoreError::from_transaction)?;
        }
        Ok(())
    }

    /// Lists a workspace's collections and folders in creation order.
    pub async fn list_collections(
        &self,
        workspace_id: &str,
        page: crate::paging::Page,
    ) -> Result<Vec<StoredCollection>, StoreError> {
        let items = self
            .query_children(workspace_id, Some(COLLECTION_PREFIX), Some(page))
            .await?;
        items
            .into_iter()
            .map(|item| from_item::<CollectionItem>(item).map(|item| item.collection))
            .collect()
    }

    /// Lists a workspace's requests in creation order.
    pub async fn list_requests(
        &self,
        workspace_id: &str,
        page: crate::paging::Page,
    ) -> Result<Vec<StoredRequest>, StoreError> {
        let items = self
            .query_children(workspace_id, Some(REQUEST_PREFIX), Some(page))
            .await?;
        items
            .into_iter()
            .map(|item| from_item::<RequestItem>(item).map(|item| item.request))
            .collect()
    }

    /// Deletes a workspace with its memberships, invitations, collections and requests,
    /// and returns whether it existed.
    ///
    /// The workspace is first marked as deleting in one transaction that also takes it and
    /// its content out of the list and the instance counters and writes `audit`, so it
    /// reads as gone from then on and nothing can be added under it. One Query then reads
    /// every item under it, and transactions delete them, the workspace item last. When
    /// one fails, calling this again finishes the deletion.
    pub async fn delete_workspace(
        &self,
        workspace_id: &str,
        audit: Option<&AuditEntry>,
    ) -> Result<bool, StoreError> {
        if !self.mark_workspace_deleting(workspace_id, audit).await? {
            return Ok(false);
        }

        let (pk, sk) = keys::workspace(workspace_id);
        let mut keys: Vec<(String, String)> = self
            .query_children(workspace_id, None, None)
            .await?
            .iter()
            .filter_map(|item| {
                let pk = item.get("pk")?.as_s().ok()?.clone();
                let sk = item.get("sk")?.as_s().ok()?.clone();
                Some((pk, sk))
            })
            .filter(|(_, child_sk)| *child_sk != sk)
            .collect();
        keys.push((pk, sk));

        for chunk in keys.chunks(DELETES_PER_TRANSACTION) {
            let mut transaction = self.client.transact_write_items();
            for (pk, sk) in chunk {
                transaction = transaction.transact_items(self.plain_delete(pk, sk)?);
            }
            transaction
                .send()
                .await
                .map_err(StoreError::from_transaction)?;
        }
        Ok(true)
    }

    /// Marks a workspace as deleting, removes it from the list index, and counts it and
    /// its collections and requests out of the instance, all in one transaction that is
    /// the commit point of the deletion. The mark requires the counts it read to be
    /// current, so a concurrent import makes it retry.
    ///
    /// Returns whether the workspace exists, marked by this call or by an earlier one.
    async fn mark_workspace_deleting(
        &self,
        workspace_id: &str,
        audit: Option<&AuditEntry>,
    ) -> Result<bool, StoreError> {
        const MAX_ATTEMPTS: usize = 5;
        for _ in 0..MAX_ATTEMPTS {
            match self
                .try_mark_workspace_deleting(workspace_id, audit)
                .await?
            {
                Some(exists) => return Ok(exists),
                None => continue,
            }
        }
        Err(StoreError::Contended {
            operation: "mark workspace as deleting",
        })
    }

    /// Makes one attempt of [`Store::mark_workspace_deleting`]; `None` means the counts
    /// changed meanwhile.
    async fn try_mark_workspace_deleting(
        &self,
        workspace_id: &str,
        audit: Option<&AuditEntry>,
    ) -> Result<Option<bool>, StoreError> {
        let (pk, sk) = keys::workspace(workspace_id);
        let Some(workspace) = self.get_workspace(workspace_id).await? else {
            return Ok(Some(self.get_item((pk, sk)).await?.is_some()));
        };
        let mark = Update::builder()
            .table_name(&self.table)
            .key("pk", s(&pk))
            .key("sk", s(&sk))
            .update_expression("SET deleting = :true REMOVE gsi1pk, gsi1sk")
            .condition_expression(format!(
                "{LIVE_WORKSPACE} AND collectionCount = :collections AND requestCount = :requests"
            ))
            .expression_attribute_values(
                ":true",
                aws_sdk_dynamodb::types::AttributeValue::Bool(true),
            )
            .expression_attribute_values(":collections", n(workspace.collection_count))
            .expression_attribute_values(":requests", n(workspace.request_count))
            .build()
            .map_err(|error| StoreError::Malformed(error.to_string()))?;
        let deltas = [
            ("workspaces", -1),
            ("collections", -workspace.collection_count),
            ("requests", -workspace.request_count),
        ];
        let mut transaction = self
            .client
            .transact_write_items()
            .transact_items(TransactWriteItem::builder().update(mark).build())
            .transact_items(self.count(&deltas)?);
        if let Some(entry) = audit {
            transaction = transaction.transact_items(self.audit_put(entry)?);
        }
        let result = transaction
            .send()
            .await
            .map_err(StoreError::from_transaction);
        match result {
            Ok(_) => Ok(Some(true)),
            Err(error) if error.condition_failed_at(0) => Ok(None),
            Err(error) => Err(error),
        }
    }

    /// Reads the items under a workspace whose sort key starts with `prefix`, or every
    /// item under it, the workspace item included, without one.
    pub(super) async fn query_children(
        &self,
        workspace_id: &str,
        prefix: Option<&str>,
        page: Option<crate::paging::Page>,
    ) -> Result<Vec<Item>, StoreError> {
        let mut items = Vec::new();
        let mut start_key: Option<Item> = None;
        loop {
            let mut query = self
                .client
                .query()
                .table_name(&self.table)
                .expression_attribute_values(":workspace", s(keys::workspace(workspace_id).0))
                .consistent_read(true)
                .set_exclusive_start_key(start_key.take());
            query = match prefix {
                Some(prefix) => query
                    .key_condition_expression("pk = :workspace AND begins_with(sk, :prefix)")
                    .expression_attribute_values(":prefix", s(prefix)),
                None => query.key_condition_expression("pk = :workspace"),
            };
            let output = query
                .send()
                .await
                .map_err(|error| StoreError::from_sdk("Query", error))?;
            items.extend(output.items.unwrap_or_default());
            start_key = output.last_evaluated_key;
            let full = page.is_some_and(|page| items.len() >= page.end());
            if full || start_key.is_none() {
                break;
            }
        }
        Ok(match page {
            Some(page) => items.into_iter().skip(page.skip).take(page.take).collect(),
            None => items,
        })
    }

    fn plain_delete(&self, pk: &str, sk: &str) -> Result<TransactWriteItem, StoreError> {
        let delete = Delete::builder()
            .table_name(&self.table)
            .key("pk", s(pk))
            .key("sk", s(sk))
            .build()
            .map_err(|error| StoreError::Malformed(error.to_string()))?;
        Ok(TransactWriteItem::builder().delete(delete).build())
    }

    /// Builds the update of a workspace's collection and request counters, by `sign`
    /// times the given counts. Additions require a live workspace; removals only an
    /// existing one, since a deletion removes items from a workspace marked as deleting.
    fn content_count_update(
        &self,
        workspace_id: &str,
        collections: usize,
        requests: usize,
        sign: i64,
    ) -> Result<TransactWriteItem, StoreError> {
        let (pk, sk) = keys::workspace(workspace_id);
        let condition = if sign > 0 {
            LIVE_WORKSPACE
        } else {
            "attribute_exists(pk)"
        };
        let update = Update::builder()
            .table_name(&self.table)
            .key("pk", s(pk))
            .key("sk", s(sk))
            .update_expression("ADD collectionCount :collections, requestCount :requests")
            .condition_expression(condition)
            .expression_attribute_values(":collections", n(sign * as_i64(collections)))
            .expression_attribute_values(":requests", n(sign * as_i64(requests)))
            .build()
            .map_err(|error| StoreError::Malformed(error.to_string()))?;
        Ok(TransactWriteItem::builder().update(update).build())
    }
}

fn as_i64(count: usize) -> i64 {
    i64::try_from(count).unwrap_or(i64::MAX)
}

/// Builds every item of a plan with new time-ordered ids, as (pk, sk, is request, item).
fn import_items(
    workspace_id: &str,
    plan: &ImportPlan,
    first_position: u64,
) -> Result<Vec<(String, String, bool, Item)>, StoreError> {
    let pk = keys::workspace(workspace_id).0;
    let ids: Vec<String> = plan
        .collections
        .iter()
        .map(|_| uuid::Uuid::now_v7().to_string())
        .collect();
    let mut items = Vec::new();

    for (index, planned) in plan.collections.iter().enumerate() {
        let position = u64::try_from(planned.position).unwrap_or(0);
        let collection = StoredCollection {
            id: ids[index].clone(),
            workspace_id: workspace_id.to_owned(),
            parent_id: planned.parent.map(|parent| ids[parent].clone()),
            order_index: if planned.parent.is_none() {
                first_position + position
            } else {
                position
            },
            title: planned.title.clone(),
            data: planned.data.clone(),
        };
        let sk = format!("{COLLECTION_PREFIX}{}", collection.id);
        let item = to_item(&CollectionItem {
            pk: pk.clone(),
            sk: sk.clone(),
            collection,
        })?;
        items.push((pk.clone(), sk, false, item));
    }
    for planned in &plan.requests {
        let request = StoredRequest {
            id: uuid::Uuid::now_v7().to_string(),
            workspace_id: workspace_id.to_owned(),
            collection_id: ids[planned.collection].clone(),
            order_index: u64::try_from(planned.position).unwrap_or(0),
            title: planned.title.clone(),
            request: planned.request.clone(),
        };
        let sk = format!("{REQUEST_PREFIX}{}", request.id);
        let item = to_item(&RequestItem {
            pk: pk.clone(),
            sk: sk.clone(),
            request,
        })?;
        items.push((pk.clone(), sk, true, item));
    }
    Ok(items)
}
