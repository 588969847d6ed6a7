//! Scheduled sweeper: deletes expired InfraTokens, invitations, magic links and sessions.
//!
//! Expiry is enforced on every read, so the sweep only tidies up and keeps the counters of
//! live items exact. An EventBridge schedule invokes it; a custom input such as
//! `{"kinds": ["infraTokens"], "pageSize": 50}` limits what one run sweeps.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use shared::store::{ExpiringKind, StoreError};
use shared::{AppContext, clock};

/// Items read per page when the input names no page size.
pub const DEFAULT_PAGE_SIZE: i32 = 100;
/// Largest page size accepted, DynamoDB's own page limit aside.
pub const MAX_PAGE_SIZE: i32 = 1000;

/// A custom input; an EventBridge scheduled event matches it with every field absent.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct SweepInput {
    kinds: Option<Vec<ExpiringKind>>,
    page_size: Option<i32>,
}

/// How many items of each kind this run deleted.
#[derive(Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SweepReport {
    pub infra_tokens: u64,
    pub invitations: u64,
    pub magic_links: u64,
    pub sessions: u64,
}

/// The input could not be read, or DynamoDB failed; the run is retried by the schedule.
#[derive(Debug, thiserror::Error)]
pub enum SweepError {
    #[error("sweep input is invalid: {0}")]
    Input(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Sweeps every expired item of the requested kinds.
pub async fn handle(context: &AppContext, event: Value) -> Result<SweepReport, SweepError> {
    let input = read_input(event)?;
    let page_size = input.page_size.unwrap_or(DEFAULT_PAGE_SIZE);
    if !(1..=MAX_PAGE_SIZE).contains(&page_size) {
        return Err(SweepError::Input(format!(
            "pageSize must be from 1 to {MAX_PAGE_SIZE}"
        )));
    }
    let kinds = input.kinds.unwrap_or_else(|| ExpiringKind::ALL.to_vec());
    let now = clock::format(clock::now());

    let mut report = SweepReport::default();
    for kind in kinds {
        let deleted = context.store.sweep(kind, &now, page_size).await?;
        let count = match kind {
            ExpiringKind::InfraTokens => &mut report.infra_tokens,
            ExpiringKind::Invitations => &mut report.invitations,
            ExpiringKind::MagicLinks => &mut report.magic_links,
            ExpiringKind::Sessions => &mut report.sessions,
        };
        *count += deleted;
    }

    tracing::info!(
        infra_tokens = report.infra_tokens,
        invitations = report.invitations,
        magic_links = report.magic_links,
        sessions = report.sessions,
        "sweep finished"
    );
    Ok(report)
}

/// Reads a custom input, or treats an EventBridge scheduled event as "sweep everything".
fn read_input(event: Value) -> Result<SweepInput, SweepError> {
    if event.get("detail-type").is_some() {
        return Ok(SweepInput::default());
    }
    serde_json::from_value(event).map_err(|error| SweepError::Input(error.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn scheduled_event_sweeps_everything() {
        let input = read_input(json!({ "detail-type": "Scheduled Event", "detail": {} }));

        assert!(input.is_ok_and(|input| input.kinds.is_none() && input.page_size.is_none()));
    }

    #[test]
    fn custom_input_limits_kinds() {
        let input = read_input(json!({ "kinds": ["sessions"], "pageSize": 5 }));

        let input = input.ok();
        assert_eq!(
            input.as_ref().and_then(|i| i.kinds.clone()),
            Some(vec![ExpiringKind::Sessions])
        );
        assert_eq!(input.and_then(|i| i.page_size), Some(5));
    }

    #[test]
    fn unknown_kind_is_rejected() {
        assert!(read_input(json!({ "kinds": ["users"] })).is_err());
    }
}
