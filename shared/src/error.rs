//! The API's error type and its one mapping to HTTP status codes and bodies.

use http::StatusCode;
use serde_json::{Value, json};

use crate::auth::SessionFailure;
use crate::mail::MailError;
use crate::store::StoreError;

/// A service error code, as sent in the `message` field of an error body.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorCode {
    UserNotFound,
    Unauthenticated,
    AdminRequired,
    Session(SessionFailure),
    InvalidLink,
    InvalidRefreshToken,
    UsersNotFound,
    UserShortDisplayName,
    UserAlreadyExists,
    UserIsAdmin,
    UserIsOwner,
    UserTooManyMemberships,
    OnlyOneAdmin,
    UserAlreadyInvited,
    CreatorNotFound,
    InfraTokenNotFound,
    ExpiryDaysInvalid,
    LabelTooShort,
    LabelTooLong,
    BothEmailsSame,
    InvalidEmail,
    WorkspaceNameInvalid,
    CollectionInvalidJson,
    CollectionTooDeep,
    CollectionTooManyItems,
    WorkspaceNotFound,
    AlreadyMember,
    MemberNotFound,
    WorkspaceInvitationNotFound,
    OnlyOneOwner,
    RequestBodyTooLarge,
    UnsupportedMediaType,
    MalformedJson,
}

impl ErrorCode {
    /// Returns the code string that clients match on.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::UserNotFound => "user/not_found",
            Self::Unauthenticated => "auth/unauthenticated",
            Self::AdminRequired => "auth/admin_required",
            Self::Session(failure) => failure.code(),
            Self::InvalidLink => "auth/invalid_link",
            Self::InvalidRefreshToken => "auth/invalid_refresh_token",
            Self::UsersNotFound => "user/users_not_found",
            Self::UserShortDisplayName => "user/short_display_name",
            Self::UserAlreadyExists => "user/already_exists",
            Self::UserIsAdmin => "user/is_admin",
            Self::UserIsOwner => "user/is_owner",
            Self::UserTooManyMemberships => "user/too_many_memberships",
            Self::OnlyOneAdmin => "admin/only_one_admin_account_found",
            Self::UserAlreadyInvited => "admin/user_already_invited",
            Self::CreatorNotFound => "infra_token/creator_not_found",
            Self::InfraTokenNotFound => "infra_token/infra_token_not_found",
            Self::ExpiryDaysInvalid => "infra_token/expiry_days_invalid",
            Self::LabelTooShort => "infra_token/label_too_short",
            Self::LabelTooLong => "infra_token/label_too_long",
            Self::BothEmailsSame => "email/both_emails_cannot_be_same",
            Self::InvalidEmail => "invalid/email",
            Self::WorkspaceNameInvalid => "team/name_invalid",
            Self::CollectionInvalidJson => "team_coll/invalid_json",
            Self::CollectionTooDeep => "team_coll/too_deep",
            Self::CollectionTooManyItems => "team_coll/too_many_items",
            Self::WorkspaceNotFound => "team/invalid_id",
            Self::AlreadyMember => "team_invite/already_member",
            Self::MemberNotFound => "team/member_not_found",
            Self::WorkspaceInvitationNotFound => "team_invite/no_invite_found",
            Self::OnlyOneOwner => "team/only_one_owner",
            Self::RequestBodyTooLarge => "request/body_too_large",
            Self::UnsupportedMediaType => "request/unsupported_media_type",
            Self::MalformedJson => "request/malformed_json",
        }
    }

    /// Returns the status: 404 for the codes Hoppscotch maps to it, else the code's own 4xx.
    pub fn status(self) -> StatusCode {
        match self {
            Self::UserNotFound
            | Self::UsersNotFound
            | Self::CreatorNotFound
            | Self::InfraTokenNotFound
            | Self::WorkspaceNotFound
            | Self::MemberNotFound
            | Self::WorkspaceInvitationNotFound => StatusCode::NOT_FOUND,
            Self::RequestBodyTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            Self::Unauthenticated
            | Self::Session(_)
            | Self::InvalidLink
            | Self::InvalidRefreshToken => StatusCode::UNAUTHORIZED,
            Self::AdminRequired => StatusCode::FORBIDDEN,
            Self::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Self::UserShortDisplayName
            | Self::UserAlreadyExists
            | Self::UserIsAdmin
            | Self::UserIsOwner
            | Self::UserTooManyMemberships
            | Self::UserAlreadyInvited
            | Self::BothEmailsSame
            | Self::ExpiryDaysInvalid
            | Self::WorkspaceNameInvalid
            | Self::CollectionInvalidJson
            | Self::CollectionTooDeep
            | Self::CollectionTooManyItems
            | Self::AlreadyMember
            | Self::OnlyOneOwner
            | Self::LabelTooShort
            | Self::LabelTooLong
            | Self::OnlyOneAdmin
            | Self::InvalidEmail
            | Self::MalformedJson => StatusCode::BAD_REQUEST,
        }
    }
}

/// Every way a request can fail.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// The request's fields failed validation; each message names the field.
    #[error("validation failed: {0:?}")]
    Validation(Vec<String>),

    /// A service rule rejected the request.
    #[error("{}", .0.as_str())]
    Rejected(ErrorCode),

    /// An element of an uploaded document is invalid; `path` locates it, such as
    /// `$[0].folders[2].requests[1].v`.
    #[error("{} at {path}: {reason}", code.as_str())]
    AtPath {
        code: ErrorCode,
        path: String,
        reason: String,
    },

    /// DynamoDB failed or returned an item this code cannot read.
    #[error("store failed")]
    Store(#[from] StoreError),

    /// The mail provider rejected or did not accept a message.
    #[error("mail failed")]
    Mail(#[from] MailError),
}

/// Code sent for a DynamoDB fault.
const STORE_FAILED: &str = "database/failed";
/// Code sent for a mail-provider fault.
const MAIL_FAILED: &str = "email/failed";

impl ApiError {
    /// Builds a validation error with one message.
    pub fn invalid(message: impl Into<String>) -> Self {
        Self::Validation(vec![message.into()])
    }

    /// Returns the HTTP status of this error.
    pub fn status(&self) -> StatusCode {
        match self {
            Self::Validation(_) => StatusCode::BAD_REQUEST,
            Self::Rejected(code) | Self::AtPath { code, .. } => code.status(),
            Self::Store(_) => StatusCode::SERVICE_UNAVAILABLE,
            Self::Mail(_) => StatusCode::BAD_GATEWAY,
        }
    }

    /// Returns the error body. Server faults carry the request id and never the cause.
    pub fn body(&self, request_id: &str) -> Value {
        let status = self.status().as_u16();
        match self {
            Self::Validation(messages) => json!({
                "message": messages,
                "error": "Bad Request",
                "statusCode": status,
            }),
            Self::Rejected(code) if code.status() == StatusCode::UNAUTHORIZED => json!({
                "message": code.as_str(),
                "error": "Unauthorized",
                "statusCode": status,
            }),
            Self::Rejected(code) => json!({ "statusCode": status, "message": code.as_str() }),
            Self::AtPath { code, path, reason } => json!({
                "statusCode": status,
                "message": code.as_str(),
                "path": path,
                "reason": reason,
            }),
            Self::Store(_) => server_fault(status, STORE_FAILED, request_id),
            Self::Mail(_) => server_fault(status, MAIL_FAILED, request_id),
        }
    }
}

fn server_fault(status: u16, code: &str, request_id: &str) -> Value {
    json!({ "statusCode": status, "message": code, "requestId": request_id })
}

impl From<ErrorCode> for ApiError {
    fn from(code: ErrorCode) -> Self {
        Self::Rejected(code)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejected_body_has_code_and_status() {
        let body = ApiError::from(ErrorCode::UserNotFound).body("req-1");

        assert_eq!(
            body,
            json!({ "statusCode": 404, "message": "user/not_found" })
        );
    }

    #[test]
    fn validation_body_lists_messages() {
        let body = ApiError::invalid("skip must be an integer").body("req-1");

        assert_eq!(body["message"], json!(["skip must be an integer"]));
        assert_eq!(body["error"], "Bad Request");
        assert_eq!(body["statusCode"], 400);
    }

    #[test]
    fn store_body_has_request_id_not_cause() {
        let error = ApiError::Store(StoreError::Malformed("secret detail".to_owned()));
        let body = error.body("req-7");

        assert_eq!(body["statusCode"], 503);
        assert_eq!(body["message"], STORE_FAILED);
        assert_eq!(body["requestId"], "req-7");
        assert!(!body.to_string().contains("secret detail"));
    }
}
