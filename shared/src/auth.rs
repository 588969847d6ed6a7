//! Bearer tokens and admin-session authentication, shared by both authorizers and by the
//! handlers that read the session themselves.

use http::HeaderMap;
use http::header::AUTHORIZATION;

use crate::AppContext;
use crate::clock;
use crate::session::{TokenRejection, verify_access_token};
use crate::store::{Session, StoreError, User};

/// Reason a bearer header was rejected.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BearerError {
    Missing,
    Malformed,
}

/// Reads the token of `Authorization: Bearer <token>`, with exactly that prefix.
pub fn bearer_token(headers: &HeaderMap) -> Result<&str, BearerError> {
    let header = headers.get(AUTHORIZATION).ok_or(BearerError::Missing)?;
    let value = header.to_str().map_err(|_| BearerError::Malformed)?;
    match value.strip_prefix("Bearer ") {
        Some(token) if !token.is_empty() => Ok(token),
        _ => Err(BearerError::Malformed),
    }
}

/// Reason a session was rejected, each with a 401 code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SessionFailure {
    TokenMissing,
    InvalidToken,
    TokenExpired,
    SessionRevoked,
    UserNotFound,
}

impl SessionFailure {
    /// Returns the code clients see.
    pub fn code(self) -> &'static str {
        match self {
            Self::TokenMissing => "auth/token_missing",
            Self::InvalidToken => "auth/invalid_token",
            Self::TokenExpired => "auth/token_expired",
            Self::SessionRevoked => "auth/session_revoked",
            Self::UserNotFound => "auth/user_not_found",
        }
    }
}

/// A session could not be checked, or was not accepted.
#[derive(Debug, thiserror::Error)]
pub enum AuthenticateError {
    #[error("session rejected: {}", .0.code())]
    Rejected(SessionFailure),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Authenticates `Authorization: Bearer <access token>` against the current state: the
/// session must still exist for that user, and the user must still exist.
pub async fn authenticate_session(
    context: &AppContext,
    headers: &HeaderMap,
) -> Result<(User, Session), AuthenticateError> {
    let reject = AuthenticateError::Rejected;
    let token = bearer_token(headers).map_err(|error| match error {
        BearerError::Missing => reject(SessionFailure::TokenMissing),
        BearerError::Malformed => reject(SessionFailure::InvalidToken),
    })?;
    let claims =
        verify_access_token(&context.config.session_secret, token).map_err(
            |error| match error {
                TokenRejection::Expired => reject(SessionFailure::TokenExpired),
                TokenRejection::Invalid => reject(SessionFailure::InvalidToken),
            },
        )?;

    let (user, session) = context
        .store
        .get_user_and_session(&claims.sub, &claims.sid)
        .await?;
    let session = session
        .filter(|session| session.uid == claims.sub && !session.is_expired(clock::now()))
        .ok_or(reject(SessionFailure::SessionRevoked))?;
    let user = user.ok_or(reject(SessionFailure::UserNotFound))?;
    Ok((user, session))
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::HeaderValue;

    fn headers(value: Option<&'static str>) -> HeaderMap {
        let mut headers = HeaderMap::new();
        if let Some(value) = value {
            headers.insert(AUTHORIZATION, HeaderValue::from_static(value));
        }
        headers
    }

    #[test]
    fn bearer_token_cases() {
        let cases = [
            (None, Err(BearerError::Missing)),
            (Some("Bearer "), Err(BearerError::Malformed)),
            (Some("Basic abc"), Err(BearerError::Malformed)),
            (Some("bearer abc"), Err(BearerError::Malformed)),
            (Some("Bearerabc"), Err(BearerError::Malformed)),
            (Some("Bearer abc"), Ok("abc")),
        ];
        for (header, expected) in cases {
            let headers = headers(header);
            assert_eq!(bearer_token(&headers), expected, "{header:?}");
        }
    }
}
