//! `GET /v1/infra/user-invitations`: lists pending invitations, newest first.

use http::StatusCode;
use lambda_http::{Body, Request, Response};
use serde::Serialize;
use shared::caller::Caller;
use shared::edge::{self, Query};
use shared::paging::Page;
use shared::store::Invitation;
use shared::{ApiError, AppContext};

/// A pending invitation in the wire shape of the User Management API.
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PendingInvitation {
    pub invitee_email: String,
    pub invited_on: String,
}

impl From<Invitation> for PendingInvitation {
    fn from(invitation: Invitation) -> Self {
        Self {
            invitee_email: invitation.invitee_email,
            invited_on: invitation.invited_on,
        }
    }
}

/// Lists pending invitations, newest first.
#[utoipa::path(
    get,
    path = "/v1/infra/user-invitations",
    tag = "invitations",
    params(shared::docs::PageParams),
    responses((status = 200, description = "Live invitations of people who are not users yet, newest first.", body = Vec<PendingInvitation>)),
    security(("infra_token" = []))
)]
pub async fn handle(context: &AppContext, request: Request) -> Response<Body> {
    let result = list_invitations(context, &request).await;
    edge::respond(&request, result)
}

async fn list_invitations(
    context: &AppContext,
    request: &Request,
) -> Result<Response<Body>, ApiError> {
    Caller::authorize(request)?;
    let query = Query::parse(request, &["skip", "take"])?;
    let page = Page::from_query(&query)?;

    let invitations = context.store.list_pending_invitations(page).await?;

    let body: Vec<PendingInvitation> = invitations.into_iter().map(Into::into).collect();
    Ok(edge::json_response(StatusCode::OK, &body))
}
