//! `POST /v1/auth/signin`: mails a one-time magic link. The response is the same whether or
//! not the address belongs to a user.

use chrono::Duration;
use lambda_http::{Body, Request, Response};
use serde::Deserialize;
use shared::edge::{self, Query};
use shared::email::Email;
use shared::mail::MAGIC_LINK;
use shared::{ApiError, AppContext, ErrorCode};

/// The address that signs in.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SignInBody {
    #[schema(example = "admin@example.com")]
    pub email: String,
}

/// Mails a one-time sign-in link.
#[utoipa::path(
    post,
    path = "/v1/auth/signin",
    tag = "auth",
    request_body = SignInBody,
    responses(
        (status = 200, description = "A link was sent; the response is the same for every valid address.", body = shared::docs::MessageTrue),
        (status = 400, description = "Code: invalid/email; or field validation."),
        (status = 502, description = "Code: email/failed.")
    )
)]
pub async fn handle(context: &AppContext, request: Request) -> Response<Body> {
    let result = sign_in(context, &request).await;
    edge::respond(&request, result)
}

async fn sign_in(context: &AppContext, request: &Request) -> Result<Response<Body>, ApiError> {
    Query::parse(request, &[])?;
    let body: SignInBody = edge::json_body(request)?;
    let email = Email::parse(&body.email).ok_or(ErrorCode::InvalidEmail)?;

    let lifetime = Duration::hours(context.config.magic_link_ttl_hours);
    let (link, secret) = context.store.create_magic_link(&email, lifetime).await?;

    let request_id = edge::request_id(request);
    if !context.mailer.is_enabled() {
        tracing::warn!(request_id, "mail is off, so the magic link was not sent");
        return Ok(edge::message_true());
    }
    let url = format!(
        "{}/enter?token={}",
        context.config.base_url,
        secret.expose()
    );
    let values = [
        ("instance", context.config.instance_name.as_str()),
        ("link", url.as_str()),
        ("expires", link.expires_on.as_str()),
    ];
    context
        .mailer
        .send(&MAGIC_LINK.render(email.as_str(), &values))
        .await?;
    tracing::info!(request_id, "magic link sent");
    Ok(edge::message_true())
}
