//! Accounting of the AWS calls one invocation makes: an SDK interceptor counts each
//! DynamoDB and SES operation and estimates the DynamoDB capacity units it consumes.
//!
//! Estimates follow DynamoDB's on-demand rules. A read unit covers 4 KB, or half a unit
//! when eventually consistent and two in a transaction. A write unit covers 1 KB, or two in
//! a transaction. Every write to an item with a key of a global secondary index also
//! writes that index. Item sizes are the sum of attribute name and value lengths. Updates,
//! deletes and condition checks count one unit (two in a transaction), because the stored
//! item's size is not known. A Query counts what it returned, not what it filtered out.

use std::collections::HashMap;
use std::future::Future;
use std::sync::Mutex;

use aws_sdk_dynamodb::operation::batch_get_item::BatchGetItemOutput;
use aws_sdk_dynamodb::operation::batch_write_item::BatchWriteItemInput;
use aws_sdk_dynamodb::operation::delete_item::DeleteItemInput;
use aws_sdk_dynamodb::operation::get_item::{GetItemInput, GetItemOutput};
use aws_sdk_dynamodb::operation::put_item::PutItemInput;
use aws_sdk_dynamodb::operation::query::{QueryInput, QueryOutput};
use aws_sdk_dynamodb::operation::transact_get_items::TransactGetItemsOutput;
use aws_sdk_dynamodb::operation::transact_write_items::TransactWriteItemsInput;
use aws_sdk_dynamodb::operation::update_item::UpdateItemInput;
use aws_sdk_dynamodb::types::AttributeValue;
use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::interceptors::Intercept;
use aws_smithy_runtime_api::client::interceptors::context::{
    BeforeSerializationInterceptorContextRef, FinalizerInterceptorContextRef, Input, Output,
};
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::config_bag::{ConfigBag, Storable, StoreReplace};

/// Item attributes in the SDK's form.
type Item = HashMap<String, AttributeValue>;

/// Bytes one read unit covers.
const READ_UNIT_BYTES: usize = 4096;
/// Bytes one write unit covers.
const WRITE_UNIT_BYTES: usize = 1024;
/// Key attributes of the global secondary indexes; an item with one is written to it too.
const INDEX_KEYS: [&str; 2] = ["gsi1pk", "gsi2pk"];

/// The AWS calls of one invocation.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CallLog {
    /// DynamoDB operations, each counted once however many attempts it took.
    pub dynamodb: u32,
    /// SES operations.
    pub ses: u32,
    /// Estimated DynamoDB read request units.
    pub read_units: f64,
    /// Estimated DynamoDB write request units, index writes included.
    pub write_units: f64,
}

tokio::task_local! {
    static CALLS: Mutex<CallLog>;
}

/// Runs `future` and returns its output with the AWS calls it made. Calls made outside
/// such a scope, or from tasks it spawns, are not counted.
pub async fn track<F: Future>(future: F) -> (F::Output, CallLog) {
    CALLS
        .scope(Mutex::new(CallLog::default()), async {
            let output = future.await;
            let log = CALLS.with(|calls| lock(calls).clone());
            (output, log)
        })
        .await
}

fn lock(calls: &Mutex<CallLog>) -> std::sync::MutexGuard<'_, CallLog> {
    calls
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

fn record(change: impl FnOnce(&mut CallLog)) {
    let _ = CALLS.try_with(|calls| change(&mut lock(calls)));
}

/// Read units per 4 KB of the operation in flight, kept in its config bag between hooks.
#[derive(Clone, Copy, Debug)]
struct ReadUnit(f64);

impl Storable for ReadUnit {
    type Storer = StoreReplace<Self>;
}

/// The interceptor that feeds [`track`]; add it to every DynamoDB and SES client, with the
/// client's service.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CallCounter {
    DynamoDb,
    Ses,
}

impl Intercept for CallCounter {
    fn name(&self) -> &'static str {
        "CallCounter"
    }

    fn read_before_execution(
        &self,
        context: &BeforeSerializationInterceptorContextRef<'_>,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        let input = context.input();
        let write_units = input_write_units(input);
        cfg.interceptor_state()
            .store_put(ReadUnit(input_read_unit(input)));
        record(|log| {
            match self {
                Self::DynamoDb => log.dynamodb += 1,
                Self::Ses => log.ses += 1,
            }
            log.write_units += write_units;
        });
        Ok(())
    }

    fn read_after_execution(
        &self,
        context: &FinalizerInterceptorContextRef<'_>,
        _runtime_components: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        let Some(Ok(output)) = context.output_or_error() else {
            return Ok(());
        };
        let unit = cfg.load::<ReadUnit>().map_or(1.0, |unit| unit.0);
        let read_units = output_read_units(output, unit);
        record(|log| log.read_units += read_units);
        Ok(())
    }
}

/// Write units of a DynamoDB request, from what it writes; zero for any other request.
fn input_write_units(input: &Input) -> f64 {
    if let Some(put) = input.downcast_ref::<PutItemInput>() {
        return put.item().map_or(1.0, item_write_units);
    }
    if input.downcast_ref::<UpdateItemInput>().is_some()
        || input.downcast_ref::<DeleteItemInput>().is_some()
    {
        return 1.0;
    }
    if let Some(batch) = input.downcast_ref::<BatchWriteItemInput>() {
        return batch
            .request_items()
            .into_iter()
            .flat_map(HashMap::values)
            .flatten()
            .map(|request| {
                request
                    .put_request()
                    .map_or(1.0, |put| item_write_units(put.item()))
            })
            .sum();
    }
    if let Some(transaction) = input.downcast_ref::<TransactWriteItemsInput>() {
        return transaction
            .transact_items()
            .iter()
            .map(|item| match item.put() {
                Some(put) => 2.0 * item_write_units(put.item()),
                None => 2.0,
            })
            .sum();
    }
    0.0
}

/// Read units per 4 KB of a read request: one when strongly consistent, half otherwise.
fn input_read_unit(input: &Input) -> f64 {
    let consistent = if let Some(get) = input.downcast_ref::<GetItemInput>() {
        get.consistent_read()
    } else if let Some(query) = input.downcast_ref::<QueryInput>() {
        query.consistent_read()
    } else {
        Some(true)
    };
    if consistent == Some(true) { 1.0 } else { 0.5 }
}

/// Read units of a DynamoDB response, from the items it returned at `unit` per 4 KB; zero
/// for any other response.
fn output_read_units(output: &Output, unit: f64) -> f64 {
    if let Some(get) = output.downcast_ref::<GetItemOutput>() {
        return read_units(get.item().map_or(0, item_size), unit);
    }
    if let Some(query) = output.downcast_ref::<QueryOutput>() {
        let bytes = query.items().iter().map(item_size).sum();
        return read_units(bytes, unit);
    }
    if let Some(batch) = output.downcast_ref::<BatchGetItemOutput>() {
        return batch
            .responses()
            .into_iter()
            .flat_map(HashMap::values)
            .flatten()
            .map(|item| read_units(item_size(item), 1.0))
            .sum();
    }
    if let Some(transaction) = output.downcast_ref::<TransactGetItemsOutput>() {
        return transaction
            .responses()
            .iter()
            .map(|response| 2.0 * read_units(response.item().map_or(0, item_size), 1.0))
            .sum();
    }
    0.0
}

/// Units to read `bytes` at `unit` per 4 KB started, one block at least.
fn read_units(bytes: usize, unit: f64) -> f64 {
    let blocks = bytes.div_ceil(READ_UNIT_BYTES).max(1);
    blocks as f64 * unit
}

/// Units to write `item`: one per started KB for the table, and as many again for each
/// index the item is written to.
fn item_write_units(item: &Item) -> f64 {
    let blocks = item_size(item).div_ceil(WRITE_UNIT_BYTES).max(1) as f64;
    let indexes = INDEX_KEYS
        .iter()
        .filter(|name| item.contains_key(**name))
        .count() as f64;
    blocks * (1.0 + indexes)
}

/// Size of an item as DynamoDB counts it, approximately: names plus values.
fn item_size(item: &Item) -> usize {
    item.iter()
        .map(|(name, value)| name.len() + value_size(value))
        .sum()
}

fn value_size(value: &AttributeValue) -> usize {
    match value {
        AttributeValue::S(text) | AttributeValue::N(text) => text.len(),
        AttributeValue::B(bytes) => bytes.as_ref().len(),
        AttributeValue::Ss(list) | AttributeValue::Ns(list) => list.iter().map(String::len).sum(),
        AttributeValue::L(list) => {
            3 + list
                .iter()
                .map(|value| 1 + value_size(value))
                .sum::<usize>()
        }
        AttributeValue::M(map) => {
            3 + map
                .iter()
                .map(|(name, value)| 1 + name.len() + value_size(value))
                .sum::<usize>()
        }
        _ => 1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(pairs: &[(&str, &str)]) -> Item {
        pairs
            .iter()
            .map(|(name, value)| ((*name).to_owned(), AttributeValue::S((*value).to_owned())))
            .collect()
    }

    #[test]
    fn small_read_costs_one_block() {
        assert_eq!(read_units(0, 1.0), 1.0);
        assert_eq!(read_units(4096, 0.5), 0.5);
        assert_eq!(read_units(4097, 0.5), 1.0);
    }

    #[test]
    fn indexed_item_write_counts_each_index() {
        let plain = item(&[("pk", "USER#1"), ("sk", "USER")]);
        let indexed = item(&[("pk", "USER#1"), ("gsi1pk", "USERS"), ("gsi2pk", "E")]);

        assert_eq!(item_write_units(&plain), 1.0);
        assert_eq!(item_write_units(&indexed), 3.0);
    }

    #[test]
    fn large_item_write_counts_every_started_kilobyte() {
        let body = "x".repeat(2000);
        let large = item(&[("pk", "A"), ("body", &body)]);

        assert_eq!(item_write_units(&large), 2.0);
    }

    #[tokio::test]
    async fn records_land_only_inside_a_tracked_scope() {
        record(|log| log.dynamodb += 1);

        let ((), log) = track(async { record(|log| log.ses += 2) }).await;

        assert_eq!(log.ses, 2);
        assert_eq!(log.dynamodb, 0);
    }
}
