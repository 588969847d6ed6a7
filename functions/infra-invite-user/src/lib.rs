//! `POST /v1/infra/user-invitations`: invites an email to the instance and mails the link.

use chrono::Duration;
use http::StatusCode;
use lambda_http::{Body, Request, Response};
use serde::Deserialize;
use serde_json::json;
use shared::caller::{Caller, record_action};
use shared::edge::{self, Query};
use shared::email::Email;
use shared::mail::INVITATION;
use shared::store::{Invitation, InviteOutcome, User};
use shared::{ApiError, AppContext, ErrorCode};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct InviteBody {
    invitee_email: String,
}

/// Serves the request.
pub async fn handle(context: &AppContext, request: Request) -> Response<Body> {
    let result = invite(context, &request).await;
    edge::respond(&request, result)
}

async fn invite(context: &AppContext, request: &Request) -> Result<Response<Body>, ApiError> {
    let caller = Caller::authorize(request)?;
    Query::parse(request, &[])?;
    let body: InviteBody = edge::json_body(request)?;

    let inviter = context.store.get_user(caller.acting_uid()).await?;
    let inviter = inviter.ok_or(match caller {
        Caller::InfraToken { .. } => ErrorCode::CreatorNotFound,
        Caller::Admin { .. } => ErrorCode::UserNotFound,
    })?;
    if body.invitee_email.trim().to_lowercase() == inviter.email.to_lowercase() {
        return Err(ErrorCode::BothEmailsSame.into());
    }
    let invitee = Email::parse(&body.invitee_email).ok_or(ErrorCode::InvalidEmail)?;

    let lifetime = Duration::days(context.config.invitation_ttl_days);
    let outcome = context
        .store
        .create_invitation(&invitee, &inviter, lifetime)
        .await?;
    let (invitation, secret) = match outcome {
        InviteOutcome::Created(invitation, secret) => (invitation, secret),
        InviteOutcome::AlreadyInvited => return Err(ErrorCode::UserAlreadyInvited.into()),
        InviteOutcome::UserExists => return Err(ErrorCode::UserAlreadyExists.into()),
    };
    let link = format!(
        "{}/enter?token={}",
        context.config.base_url,
        secret.expose()
    );

    if context.mailer.is_enabled() {
        send_or_withdraw(context, request, &invitation, &inviter, &link).await?;
    }
    record_action(context, &caller, "invitation.created", invitee.normalized()).await;
    tracing::info!(
        request_id = edge::request_id(request),
        token_id = caller.token_id(),
        session_id = caller.session_id(),
        inviter_uid = inviter.uid,
        mailed = context.mailer.is_enabled(),
        "invitation created"
    );
    Ok(edge::json_response(
        StatusCode::CREATED,
        &json!({ "invitationLink": link }),
    ))
}

/// Mails the invitation; when sending fails, deletes the invitation again so that a retry
/// starts afresh.
async fn send_or_withdraw(
    context: &AppContext,
    request: &Request,
    invitation: &Invitation,
    inviter: &User,
    link: &str,
) -> Result<(), ApiError> {
    let values = [
        ("instance", context.config.instance_name.as_str()),
        ("inviter", inviter.email.as_str()),
        ("link", link),
        ("expires", invitation.expires_on.as_str()),
    ];
    let mail = INVITATION.render(&invitation.invitee_email, &values);
    let Err(error) = context.mailer.send(&mail).await else {
        return Ok(());
    };

    let normalized = &invitation.invitee_normalized;
    let withdrawn = context
        .store
        .delete_invitation(normalized, Some(&invitation.link_token_hash))
        .await;
    if let Err(store_error) = withdrawn {
        // NOTE: the invitation stays recorded, so a retry gets admin/user_already_invited
        // until it is revoked.
        tracing::error!(
            request_id = edge::request_id(request),
            error = ?store_error,
            "withdrawing the invitation after a failed send failed"
        );
    }
    Err(error.into())
}
