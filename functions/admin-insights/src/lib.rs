//! `GET /v1/admin/insights`: the platform's numbers at a glance.

use chrono::Duration;
use http::StatusCode;
use lambda_http::{Body, Request, Response};
use serde::Serialize;
use shared::caller::Caller;
use shared::edge::{self, Query};
use shared::{ApiError, AppContext, clock};

/// Totals of the instance.
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Insights {
    pub users: i64,
    pub admins: i64,
    pub workspaces: i64,
    pub collections: i64,
    pub requests: i64,
    pub pending_invitations: i64,
    /// Users whose `lastActiveOn` is within the last 7 days.
    pub active_users_7d: u64,
    /// Users whose `lastActiveOn` is within the last 30 days.
    pub active_users_30d: u64,
}

/// Returns the instance's totals, from one read of the counters and one pass over users.
#[utoipa::path(
    get,
    path = "/v1/admin/insights",
    tag = "insights",
    responses((status = 200, description = "The instance's totals.", body = Insights)),
    security(("session" = []))
)]
pub async fn handle(context: &AppContext, request: Request) -> Response<Body> {
    let result = insights(context, &request).await;
    edge::respond(&request, result)
}

async fn insights(context: &AppContext, request: &Request) -> Result<Response<Body>, ApiError> {
    Caller::authorize(request)?;
    Query::parse(request, &[])?;

    let counters = context.store.get_counters().await?;
    let now = clock::now();
    let cutoffs = [now - Duration::days(7), now - Duration::days(30)].map(clock::format);
    let [active_7d, active_30d] = context.store.count_active_users(&cutoffs).await?;

    let insights = Insights {
        users: counters.users,
        admins: counters.admins,
        workspaces: counters.workspaces,
        collections: counters.collections,
        requests: counters.requests,
        pending_invitations: counters.pending_invites,
        active_users_7d: active_7d,
        active_users_30d: active_30d,
    };
    Ok(edge::json_response(StatusCode::OK, &insights))
}
