//! `POST /v1/infra/user-invitations`: invites an email to the instance and mails the link.

use chrono::Duration;
use http::StatusCode;
use lambda_http::{Body, Request, Response};
use serde::Deserialize;
use shared::caller::Caller;
use shared::edge::{self, Query};
use shared::email::Email;
use shared::mail::INVITATION;
use shared::store::{Invitation, InviteOutcome, User};
use shared::{ApiError, AppContext, ErrorCode};

/// Whom to invite.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct InviteBody {
    #[schema(example = "carol@example.com")]
    pub invitee_email: String,
}

/// The link that accepts the invitation, once.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct InvitationLink {
    #[schema(example = "https://hoppscotch.example.com/enter?token=inv_0123")]
    pub invitation_link: String,
}

/// Invites an email to the instance and mails the one-time link.
#[utoipa::path(
    post,
    path = "/v1/infra/user-invitations",
    tag = "invitations",
    request_body = InviteBody,
    responses(
        (status = 201, description = "Recorded, and mailed when mail is on.", body = InvitationLink),
        (status = 400, description = "Codes, in this order: email/both_emails_cannot_be_same, invalid/email, user/already_exists, admin/user_already_invited; or field validation."),
        (status = 404, description = "Code: infra_token/creator_not_found (the token's creator was deleted)."),
        (status = 502, description = "Code: email/failed. The invitation is not kept, so a retry starts afresh.")
    ),
    security(("infra_token" = []))
)]
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
    let audit = caller.audit("invitation.created", invitee.normalized());
    let outcome = context
        .store
        .create_invitation(&invitee, &inviter, lifetime, Some(&audit))
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
        send_or_withdraw(context, request, &caller, &invitation, &inviter, &link).await?;
    }
    tracing::info!(
        request_id = edge::request_id(request),
        token_id = caller.token_id(),
        session_id = caller.session_id(),
        inviter_uid = inviter.uid,
        mailed = context.mailer.is_enabled(),
        "invitation created"
    );
    let body = InvitationLink {
        invitation_link: link,
    };
    Ok(edge::json_response(StatusCode::CREATED, &body))
}

/// Mails the invitation; when sending fails, deletes the invitation again so that a retry
/// starts afresh, and records the withdrawal.
async fn send_or_withdraw(
    context: &AppContext,
    request: &Request,
    caller: &Caller,
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
    let audit = caller.audit("invitation.withdrawn", normalized);
    let withdrawn = context
        .store
        .delete_invitation(normalized, Some(&invitation.link_token_hash), Some(&audit))
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
