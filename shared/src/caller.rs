//! The InfraToken caller that the authorizer admitted, read from the request context.

use lambda_http::Request;

use crate::edge::authorizer_value;

/// Context key that carries the token id from the authorizer to the handlers.
pub const TOKEN_ID_KEY: &str = "tokenId";
/// Context key that carries the uid of the admin who created the token.
pub const CREATOR_UID_KEY: &str = "creatorUid";

/// The token a `/v1/infra` request was admitted with.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct InfraCaller {
    pub token_id: String,
    pub creator_uid: String,
}

impl InfraCaller {
    /// Reads the caller from the authorizer context; values are empty when it has none.
    pub fn from_request(request: &Request) -> Self {
        Self {
            token_id: authorizer_value(request, TOKEN_ID_KEY).unwrap_or_default(),
            creator_uid: authorizer_value(request, CREATOR_UID_KEY).unwrap_or_default(),
        }
    }
}
