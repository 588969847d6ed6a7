//! Access tokens of admin sessions: short-lived JWTs (HS256) naming the user and session.

use chrono::{DateTime, Duration, Utc};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation, errors::ErrorKind};
use serde::{Deserialize, Serialize};

use crate::secret::Secret;
use crate::store::User;

/// How long an access token is valid.
pub const ACCESS_TOKEN_LIFETIME: Duration = Duration::minutes(15);
/// Issuer and audience written into every access token.
const ISSUER: &str = "infra-admin";

/// The claims of an access token.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claims {
    /// The user's uid.
    pub sub: String,
    /// The session id, which a refresh token also names.
    pub sid: String,
    pub iss: String,
    pub aud: String,
    pub iat: i64,
    pub exp: i64,
}

/// The body of a successful sign-in or refresh.
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SessionTokens<'a> {
    pub access_token: String,
    #[schema(value_type = String)]
    pub refresh_token: &'a str,
    #[schema(value_type = String, example = "Bearer")]
    pub token_type: &'static str,
    /// Seconds until the access token expires.
    pub expires_in: i64,
    #[schema(value_type = User)]
    pub user: &'a User,
}

impl<'a> SessionTokens<'a> {
    /// Issues an access token for the session and pairs it with the refresh token.
    pub fn issue(secret: &str, user: &'a User, session_id: &str, refresh: &'a Secret) -> Self {
        Self {
            access_token: issue_access_token(secret, &user.uid, session_id, Utc::now()),
            refresh_token: refresh.expose(),
            token_type: "Bearer",
            expires_in: ACCESS_TOKEN_LIFETIME.num_seconds(),
            user,
        }
    }
}

/// Reason an access token was rejected.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenRejection {
    Expired,
    Invalid,
}

/// Signs an access token for a session, valid from `now`.
pub fn issue_access_token(secret: &str, uid: &str, session_id: &str, now: DateTime<Utc>) -> String {
    let claims = Claims {
        sub: uid.to_owned(),
        sid: session_id.to_owned(),
        iss: ISSUER.to_owned(),
        aud: ISSUER.to_owned(),
        iat: now.timestamp(),
        exp: (now + ACCESS_TOKEN_LIFETIME).timestamp(),
    };
    // An HMAC key accepts any secret, and HS256 claims of strings and numbers always
    // encode, so the empty fallback is unreachable.
    EncodingKey::from_secret(secret.as_bytes())
        .and_then(|key| jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &key))
        .unwrap_or_default()
}

/// Verifies an access token's signature, algorithm, issuer, audience and expiry.
pub fn verify_access_token(secret: &str, token: &str) -> Result<Claims, TokenRejection> {
    let mut validation = Validation::new(Algorithm::HS256);
    validation.set_issuer(&[ISSUER]);
    validation.set_audience(&[ISSUER]);
    validation.leeway = 0;
    let decoded = DecodingKey::from_secret(secret.as_bytes())
        .and_then(|key| jsonwebtoken::decode::<Claims>(token, &key, &validation));
    match decoded {
        Ok(data) => Ok(data.claims),
        Err(error) if matches!(error.kind(), ErrorKind::ExpiredSignature) => {
            Err(TokenRejection::Expired)
        }
        Err(_) => Err(TokenRejection::Invalid),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &str = "0123456789abcdef0123456789abcdef";

    #[test]
    fn issued_token_verifies() {
        let token = issue_access_token(SECRET, "u1", "s1", Utc::now());

        let claims = verify_access_token(SECRET, &token);

        assert_eq!(claims.as_ref().map(|c| c.sub.as_str()), Ok("u1"));
        assert_eq!(claims.as_ref().map(|c| c.sid.as_str()), Ok("s1"));
    }

    #[test]
    fn expired_token_is_expired() {
        let token = issue_access_token(SECRET, "u1", "s1", Utc::now() - Duration::hours(1));

        assert_eq!(
            verify_access_token(SECRET, &token),
            Err(TokenRejection::Expired)
        );
    }

    #[test]
    fn other_secret_or_garbage_is_invalid() {
        let token = issue_access_token(SECRET, "u1", "s1", Utc::now());
        let other = "fedcba9876543210fedcba9876543210";

        assert_eq!(
            verify_access_token(other, &token),
            Err(TokenRejection::Invalid)
        );
        assert_eq!(
            verify_access_token(SECRET, "a.b.c"),
            Err(TokenRejection::Invalid)
        );
        assert_eq!(
            verify_access_token(SECRET, ""),
            Err(TokenRejection::Invalid)
        );
    }
}
