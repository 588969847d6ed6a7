//! `POST /v1/auth/verify`: exchanges a magic link or invitation link token, once, for an
//! access token and a refresh token. The first sign-in creates the user.

use http::StatusCode;
use lambda_http::{Body, Request, Response};
use serde::Deserialize;
use shared::edge::{self, Query};
use shared::email::Email;
use shared::secret::{INVITATION_TOKEN_PREFIX, Secret};
use shared::session::SessionTokens;
use shared::store::{SESSION_LIFETIME, SignedIn, User};
use shared::{ApiError, AppContext, ErrorCode, clock};

/// A magic-link (`mgl_`) or invitation-link (`inv_`) token.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VerifyBody {
    pub token: String,
}

/// Exchanges a magic-link or invitation token, once, for session tokens.
#[utoipa::path(
    post,
    path = "/v1/auth/verify",
    tag = "auth",
    request_body = VerifyBody,
    responses(
        (status = 200, description = "Signed in.", body = shared::session::SessionTokens),
        (status = 401, description = "Code: auth/invalid_link (unknown, used, replaced, revoked or expired).")
    )
)]
pub async fn handle(context: &AppContext, request: Request) -> Response<Body> {
    let result = verify(context, &request).await;
    edge::respond(&request, result)
}

async fn verify(context: &AppContext, request: &Request) -> Result<Response<Body>, ApiError> {
    Query::parse(request, &[])?;
    let body: VerifyBody = edge::json_body(request)?;
    let token = Secret::from_client(&body.token);

    let signed_in = if body.token.starts_with(INVITATION_TOKEN_PREFIX) {
        accept_invitation(context, &token).await?
    } else {
        use_magic_link(context, &token).await?
    };
    let user = apply_initial_admin(context, signed_in.user).await?;

    tracing::info!(
        request_id = edge::request_id(request),
        uid = %user.uid,
        session_id = %signed_in.session.id,
        "signed in"
    );
    let secret = &context.config.session_secret;
    let tokens = SessionTokens::issue(secret, &user, &signed_in.session.id, &signed_in.refresh);
    Ok(edge::json_response(StatusCode::OK, &tokens))
}

/// Signs in the invitee of a live invitation, consuming the invitation.
async fn accept_invitation(context: &AppContext, token: &Secret) -> Result<SignedIn, ApiError> {
    let invitation = context.store.find_invitation_by_link(&token.hash()).await?;
    let invitation = invitation
        .filter(|invitation| !invitation.is_expired(clock::now()))
        .ok_or(ErrorCode::InvalidLink)?;
    let email = Email::parse(&invitation.invitee_email).ok_or(ErrorCode::InvalidLink)?;
    let signed_in = context
        .store
        .sign_in(&email, Some(&invitation), SESSION_LIFETIME)
        .await?;
    Ok(signed_in.ok_or(ErrorCode::InvalidLink)?)
}

/// Signs in the owner of a magic link, consuming the link.
async fn use_magic_link(context: &AppContext, token: &Secret) -> Result<SignedIn, ApiError> {
    let link = context.store.consume_magic_link(&token.hash()).await?;
    let link = link.ok_or(ErrorCode::InvalidLink)?;
    let email = Email::parse(&link.email).ok_or(ErrorCode::InvalidLink)?;
    let signed_in = context
        .store
        .sign_in(&email, None, SESSION_LIFETIME)
        .await?;
    Ok(signed_in.ok_or(ErrorCode::InvalidLink)?)
}

/// Makes the configured initial admin an admin while the instance has none.
async fn apply_initial_admin(context: &AppContext, user: User) -> Result<User, ApiError> {
    let Some(initial) = context
        .config
        .initial_admin_email
        .as_deref()
        .and_then(Email::parse)
    else {
        return Ok(user);
    };
    if initial.normalized() != user.email.to_lowercase() {
        return Ok(user);
    }
    if !context.store.promote_if_no_admin(&user).await? {
        return Ok(user);
    }
    Ok(User {
        is_admin: true,
        ..user
    })
}
