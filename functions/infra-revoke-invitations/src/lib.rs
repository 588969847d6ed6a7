//! `DELETE /v1/infra/user-invitations`: revokes the pending invitations of some emails.

use std::collections::BTreeSet;

use lambda_http::{Body, Request, Response};
use serde::Deserialize;
use shared::caller::Caller;
use shared::edge::{self, Query};
use shared::email::Email;
use shared::{ApiError, AppContext, ErrorCode};

/// Maximum emails in one request.
pub const MAX_EMAILS: usize = 100;

/// Whose invitations to revoke.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct RevokeBody {
    /// 1 to 100 emails, compared ignoring case.
    #[schema(min_items = 1, max_items = 100, example = json!(["carol@example.com"]))]
    pub invitee_emails: Vec<String>,
}

/// Revokes the pending invitations of some emails.
#[utoipa::path(
    delete,
    path = "/v1/infra/user-invitations",
    tag = "invitations",
    request_body = RevokeBody,
    responses(
        (status = 200, description = "Revoked; emails without an invitation are not an error.", body = shared::docs::MessageTrue),
        (status = 400, description = "Code: invalid/email; or field validation.")
    ),
    security(("infra_token" = []))
)]
pub async fn handle(context: &AppContext, request: Request) -> Response<Body> {
    let result = revoke(context, &request).await;
    edge::respond(&request, result)
}

async fn revoke(context: &AppContext, request: &Request) -> Result<Response<Body>, ApiError> {
    let caller = Caller::authorize(request)?;
    Query::parse(request, &[])?;
    let body: RevokeBody = edge::json_body(request)?;
    let normalized = normalized_emails(&body.invitee_emails)?;

    let mut revoked = 0;
    for email in &normalized {
        let audit = caller.audit("invitation.revoked", email);
        if context
            .store
            .delete_invitation(email, None, Some(&audit))
            .await?
        {
            revoked += 1;
        }
    }

    tracing::info!(
        request_id = edge::request_id(request),
        token_id = caller.token_id(),
        session_id = caller.session_id(),
        requested = normalized.len(),
        revoked,
        "invitations revoked"
    );
    Ok(edge::message_true())
}

/// Validates the list and returns each distinct normalized email.
fn normalized_emails(emails: &[String]) -> Result<BTreeSet<String>, ApiError> {
    if emails.is_empty() {
        return Err(ApiError::invalid(
            "inviteeEmails must contain at least 1 elements",
        ));
    }
    if emails.len() > MAX_EMAILS {
        return Err(ApiError::invalid(format!(
            "inviteeEmails must contain no more than {MAX_EMAILS} elements"
        )));
    }
    emails
        .iter()
        .map(|text| Email::parse(text).map(|email| email.normalized().to_owned()))
        .collect::<Option<_>>()
        .ok_or_else(|| ErrorCode::InvalidEmail.into())
}
