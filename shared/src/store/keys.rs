//! The single-table key layout. Every item has `pk` and `sk`; lists use the `gsi1` index.
//!
//! | item | pk | sk | gsi1pk / gsi1sk |
//! |---|---|---|---|
//! | user | `USER#<uid>` | `USER` | `USERS` / admin rank, name rank, lower-case name, uid |
//! | email marker | `EMAIL#<normalized email>` | `EMAIL` | |
//! | InfraToken | `INFRATOKEN#<sha256 of secret>` | `INFRATOKEN` | `INFRATOKENS` / created time, id |
//! | invitation | `INVITE#<normalized email>` | `INVITE` | `INVITES` / invited time, email |
//! | | | | gsi2: `INVITELINK#<sha256 of link token>` / `INVITELINK` |
//! | workspace | `WS#<id>` | `WS` | `WORKSPACES` / lower-case name, id |
//! | membership | `WS#<id>` | `MEMBER#<uid>` | gsi2: `MEMBEROF#<uid>` / `WS#<id>` |
//! | magic link | `MAGIC#<normalized email>` | `MAGIC` | `MAGICLINKS` / expiry; gsi2: `MAGICLINK#<sha256 of token>` / `MAGICLINK` |
//! | session | `SESSION#<id>` | `SESSION` | `SESSIONS` / expiry; gsi2: `SESSIONOF#<uid>` / `SESSION#<id>` |
//! | InfraToken id | `INFRATOKENID#<id>` | `INFRATOKENID` | |
//! | audit entry | `AUDIT#<yyyy-mm>` | time, id | `AUDIT` / time, id |
//! | workspace invitation | `WS#<id>` | `WSINVITE#<id>` | gsi2: `WSINVITEFOR#<normalized email>` / `WS#<id>` |
//! | counters | `STATS` | `STATS` | |

/// Name of the global secondary index that orders lists.
pub const GSI1: &str = "gsi1";
/// Name of the global secondary index that finds items by another key.
pub const GSI2: &str = "gsi2";
/// Partition of `gsi1` that contains every user.
pub const USERS_PARTITION: &str = "USERS";
/// Partition of `gsi1` that contains every InfraToken.
pub const INFRA_TOKENS_PARTITION: &str = "INFRATOKENS";
/// Partition of `gsi1` that contains every invitation.
pub const INVITATIONS_PARTITION: &str = "INVITES";
/// Sort key of an invitation in `gsi2`, where its partition is its link token hash.
pub const INVITATION_LINK_SORT: &str = "INVITELINK";
/// Partition of `gsi1` that contains every workspace.
pub const WORKSPACES_PARTITION: &str = "WORKSPACES";
/// Sort key of a magic link in `gsi2`, where its partition is its token hash.
pub const MAGIC_LINK_TOKEN_SORT: &str = "MAGICLINK";
/// Partition of `gsi1` that contains every audit entry.
pub const AUDIT_PARTITION: &str = "AUDIT";
/// Partition of `gsi1` that orders magic links by expiry.
pub const MAGIC_LINKS_PARTITION: &str = "MAGICLINKS";
/// Partition of `gsi1` that orders sessions by expiry.
pub const SESSIONS_PARTITION: &str = "SESSIONS";
/// Separator inside composite sort keys; it sorts below every printable character.
pub const SEPARATOR: char = '\u{1}';

/// Key of a user item.
pub fn user(uid: &str) -> (String, String) {
    (format!("USER#{uid}"), "USER".to_owned())
}

/// Key of the marker that reserves one normalized email for one user.
pub fn email(normalized: &str) -> (String, String) {
    (format!("EMAIL#{normalized}"), "EMAIL".to_owned())
}

/// Key of an InfraToken, found by the SHA-256 of its secret.
pub fn infra_token(hash: &str) -> (String, String) {
    (format!("INFRATOKEN#{hash}"), "INFRATOKEN".to_owned())
}

/// Key of the pending invitation of a normalized email.
pub fn invitation(normalized: &str) -> (String, String) {
    (format!("INVITE#{normalized}"), "INVITE".to_owned())
}

/// `gsi2pk` that finds an invitation by the SHA-256 of its link token.
pub fn invitation_link(hash: &str) -> String {
    format!("INVITELINK#{hash}")
}

/// Key of a workspace item.
pub fn workspace(id: &str) -> (String, String) {
    (format!("WS#{id}"), "WS".to_owned())
}

/// Key of a user's membership in a workspace.
pub fn membership(workspace_id: &str, uid: &str) -> (String, String) {
    (format!("WS#{workspace_id}"), format!("MEMBER#{uid}"))
}

/// `gsi2pk` that lists a user's memberships.
pub fn member_of(uid: &str) -> String {
    format!("MEMBEROF#{uid}")
}

/// Key of the live magic link of a normalized email.
pub fn magic_link(normalized: &str) -> (String, String) {
    (format!("MAGIC#{normalized}"), "MAGIC".to_owned())
}

/// `gsi2pk` that finds a magic link by the SHA-256 of its token.
pub fn magic_link_token(hash: &str) -> String {
    format!("MAGICLINK#{hash}")
}

/// Key of a session.
pub fn session(id: &str) -> (String, String) {
    (format!("SESSION#{id}"), "SESSION".to_owned())
}

/// `gsi2pk` that lists a user's sessions.
pub fn sessions_of(uid: &str) -> String {
    format!("SESSIONOF#{uid}")
}

/// Key of the item that maps an InfraToken id to the hash its item is stored under.
pub fn infra_token_id(id: &str) -> (String, String) {
    (format!("INFRATOKENID#{id}"), "INFRATOKENID".to_owned())
}

/// Partition key of the audit entries of one month, written `yyyy-mm`.
pub fn audit_month(month: &str) -> String {
    format!("AUDIT#{month}")
}

/// `gsi2pk` that lists the pending workspace invitations of a normalized email.
pub fn workspace_invitations_for(normalized: &str) -> String {
    format!("WSINVITEFOR#{normalized}")
}

/// Key of the instance-wide counters item.
pub fn counters() -> (String, String) {
    ("STATS".to_owned(), "STATS".to_owned())
}
