//! The caller: an InfraToken on `/v1/infra`, or a signed-in admin on `/v1/admin`, read
//! from the context the route's authorizer passed on.

use lambda_http::Request;

use crate::AppContext;
use crate::edge::authorizer_value;
use crate::error::{ApiError, ErrorCode};
use crate::store::{Actor, AuditEntry};

/// Context key that carries the InfraToken id from its authorizer to the handlers.
pub const TOKEN_ID_KEY: &str = "tokenId";
/// Context key that carries the uid of the admin who created the InfraToken.
pub const CREATOR_UID_KEY: &str = "creatorUid";
/// Context key that carries a session's user uid.
pub const UID_KEY: &str = "uid";
/// Context key that carries a session id.
pub const SESSION_ID_KEY: &str = "sessionId";
/// Context key that carries `"true"` when the session's user is an admin.
pub const IS_ADMIN_KEY: &str = "isAdmin";

/// The identity a request was admitted with.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Caller {
    /// An InfraToken, acting for the admin who created it.
    InfraToken {
        token_id: String,
        creator_uid: String,
    },
    /// A signed-in admin.
    Admin { uid: String, session_id: String },
}

impl Caller {
    /// Reads the caller. A session whose user is not an admin is rejected with 403, before
    /// the handler reads or writes anything.
    pub fn authorize(request: &Request) -> Result<Self, ApiError> {
        let value = |key| authorizer_value(request, key);
        if let (Some(token_id), Some(creator_uid)) = (value(TOKEN_ID_KEY), value(CREATOR_UID_KEY)) {
            return Ok(Self::InfraToken {
                token_id,
                creator_uid,
            });
        }
        let (Some(uid), Some(session_id)) = (value(UID_KEY), value(SESSION_ID_KEY)) else {
            return Err(ErrorCode::Unauthenticated.into());
        };
        if value(IS_ADMIN_KEY).as_deref() != Some("true") {
            return Err(ErrorCode::AdminRequired.into());
        }
        Ok(Self::Admin { uid, session_id })
    }

    /// Returns the uid of the admin the request acts for.
    pub fn acting_uid(&self) -> &str {
        match self {
            Self::InfraToken { creator_uid, .. } => creator_uid,
            Self::Admin { uid, .. } => uid,
        }
    }

    /// Returns the InfraToken id, for logs.
    pub fn token_id(&self) -> Option<&str> {
        match self {
            Self::InfraToken { token_id, .. } => Some(token_id),
            Self::Admin { .. } => None,
        }
    }

    /// Returns the session id, for logs.
    pub fn session_id(&self) -> Option<&str> {
        match self {
            Self::Admin { session_id, .. } => Some(session_id),
            Self::InfraToken { .. } => None,
        }
    }

    /// Returns the audit entry of `action` on `target` by this caller, for the transaction
    /// that makes the change.
    pub fn audit(&self, action: &str, target: &str) -> AuditEntry {
        AuditEntry::now(action, &self.actor(), target)
    }

    /// Returns the caller as the audit trail records it.
    pub fn actor(&self) -> Actor {
        match self {
            Self::InfraToken {
                token_id,
                creator_uid,
            } => Actor {
                kind: "infra_token",
                id: token_id.clone(),
                uid: creator_uid.clone(),
            },
            Self::Admin { uid, session_id } => Actor {
                kind: "session",
                id: session_id.clone(),
                uid: uid.clone(),
            },
        }
    }
}

/// Records an action the caller took in the audit trail.
///
/// NOTE: the entry is written after the change, not in its transaction. A DynamoDB fault
/// at that moment loses the entry, which is logged while the request still succeeds.
pub async fn record_action(context: &AppContext, caller: &Caller, action: &str, target: &str) {
    let entry = AuditEntry::now(action, &caller.actor(), target);
    if let Err(error) = context.store.record_audit(&entry).await {
        tracing::error!(action, token_id = caller.token_id(), session_id = caller.session_id(), error = ?error, "recording an audit entry failed");
    }
}
