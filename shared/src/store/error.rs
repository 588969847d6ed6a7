//! Store failures, with DynamoDB's condition failures kept apart from faults.

use aws_sdk_dynamodb::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_dynamodb::operation::transact_write_items::TransactWriteItemsError;

/// Reason code DynamoDB gives a transaction item whose condition failed.
const CONDITION_FAILED: &str = "ConditionalCheckFailed";

/// Failure of a store call.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The condition of a single-item write failed.
    #[error("conditional check failed")]
    ConditionFailed,

    /// A transaction was canceled; one reason code per item, `None` where the item was fine.
    #[error("transaction canceled: {reasons:?}")]
    TransactionCanceled { reasons: Vec<String> },

    /// DynamoDB could not be reached or returned an error.
    #[error("DynamoDB {operation} failed")]
    Sdk {
        operation: &'static str,
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },

    /// Concurrent writes kept changing the item, and every attempt's condition failed.
    #[error("{operation} gave up after repeated concurrent changes")]
    Contended { operation: &'static str },

    /// A stored item does not have the expected shape.
    #[error("malformed item: {0}")]
    Malformed(String),
}

impl StoreError {
    /// Classifies an SDK error of a single-item operation.
    pub fn from_sdk<E, R>(operation: &'static str, error: SdkError<E, R>) -> Self
    where
        E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
        R: std::fmt::Debug + Send + Sync + 'static,
    {
        if error.code() == Some("ConditionalCheckFailedException") {
            return Self::ConditionFailed;
        }
        Self::Sdk {
            operation,
            source: Box::new(error),
        }
    }

    /// Classifies an SDK error of `TransactWriteItems`, keeping the per-item reasons.
    pub fn from_transaction<R>(error: SdkError<TransactWriteItemsError, R>) -> Self
    where
        R: std::fmt::Debug + Send + Sync + 'static,
    {
        if let Some(TransactWriteItemsError::TransactionCanceledException(canceled)) =
            error.as_service_error()
        {
            let reasons = canceled
                .cancellation_reasons()
                .iter()
                .map(|reason| reason.code().unwrap_or("None").to_owned())
                .collect();
            return Self::TransactionCanceled { reasons };
        }
        Self::from_sdk("TransactWriteItems", error)
    }

    /// Tells whether a transaction was canceled because another one touched its items at
    /// the same moment, which a retry resolves.
    pub fn is_transaction_conflict(&self) -> bool {
        match self {
            Self::TransactionCanceled { reasons } => {
                reasons.iter().any(|code| code == "TransactionConflict")
            }
            _ => false,
        }
    }

    /// Tells whether the condition of the transaction item at `index` failed.
    pub fn condition_failed_at(&self, index: usize) -> bool {
        match self {
            Self::TransactionCanceled { reasons } => reasons
                .get(index)
                .is_some_and(|code| code == CONDITION_FAILED),
            _ => false,
        }
    }
}
