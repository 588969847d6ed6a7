//! Admin sessions: a refresh token names its session and carries a secret stored as its
//! SHA-256, which every refresh replaces.

use aws_sdk_dynamodb::types::TransactWriteItem;
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use super::keys;
use super::{Item, Store, StoreError, from_item, s, to_item};
use crate::clock;
use crate::secret::{REFRESH_TOKEN_PREFIX, Secret};

/// How long a session lasts without a refresh.
pub const SESSION_LIFETIME: Duration = Duration::days(30);

/// A session as stored.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Session {
    pub id: String,
    pub uid: String,
    pub refresh_hash: String,
    pub created_on: String,
    pub expires_on: String,
}

#[derive(Serialize, Deserialize)]
struct SessionItem {
    pk: String,
    sk: String,
    gsi1pk: String,
    gsi1sk: String,
    gsi2pk: String,
    gsi2sk: String,
    ttl: i64,
    #[serde(flatten)]
    session: Session,
}

/// Result of presenting a refresh token.
#[derive(Debug)]
pub enum Refresh {
    /// The session lives on under the new refresh token.
    Rotated(Session, Secret),
    /// Unknown, expired or revoked session.
    Invalid,
    /// An earlier refresh token of a live session was used again, so the session was
    /// revoked: either its owner or a thief has a copy.
    Reused,
}

impl Session {
    /// Tells whether the session has expired at `now`.
    pub fn is_expired(&self, now: DateTime<Utc>) -> bool {
        clock::parse(&self.expires_on).is_none_or(|expires_on| expires_on <= now)
    }
}

/// Splits a refresh token `rft_<session id>.<secret>` into the session id and the token.
pub fn parse_refresh_token(token: &str) -> Option<(String, Secret)> {
    let rest = token.strip_prefix(REFRESH_TOKEN_PREFIX)?;
    let (id, secret) = rest.split_once('.')?;
    if id.is_empty() || secret.is_empty() {
        return None;
    }
    Some((id.to_owned(), Secret::from_client(token)))
}

fn new_refresh_token(session_id: &str) -> Secret {
    let random = Secret::generate("");
    Secret::from_client(&format!(
        "{REFRESH_TOKEN_PREFIX}{session_id}.{}",
        random.expose()
    ))
}

impl Store {
    /// Starts a session for a user, lasting `lifetime` unless refreshed, and returns it
    /// with its first refresh token.
    pub async fn create_session(
        &self,
        uid: &str,
        lifetime: Duration,
    ) -> Result<(Session, Secret), StoreError> {
        let (session, refresh, put) = self.new_session(uid, lifetime)?;
        self.client
            .transact_write_items()
            .transact_items(put)
            .send()
            .await
            .map_err(StoreError::from_transaction)?;
        tracing::info!(uid, session_id = %session.id, "session created");
        Ok((session, refresh))
    }

    /// Builds a new session of `uid` with its first refresh token, and the put that
    /// stores it, for a transaction.
    pub(super) fn new_session(
        &self,
        uid: &str,
        lifetime: Duration,
    ) -> Result<(Session, Secret, TransactWriteItem), StoreError> {
        let now = clock::now();
        let id = uuid::Uuid::new_v4().simple().to_string();
        let refresh = new_refresh_token(&id);
        let session = Session {
            id: id.clone(),
            uid: uid.to_owned(),
            refresh_hash: refresh.hash(),
            created_on: clock::format(now),
            expires_on: clock::format(now + lifetime),
        };
        let (pk, sk) = keys::session(&id);
        let item = SessionItem {
            pk,
            sk,
            gsi1pk: keys::SESSIONS_PARTITION.to_owned(),
            gsi1sk: format!("{}{}{id}", session.expires_on, keys::SEPARATOR),
            gsi2pk: keys::sessions_of(uid),
            gsi2sk: keys::session(&id).0,
            ttl: (now + lifetime).timestamp(),
            session: session.clone(),
        };
        let put = self.put_new(to_item(&item)?)?;
        Ok((session, refresh, put))
    }

    /// Reads a session with a strongly consistent read.
    pub async fn get_session(&self, id: &str) -> Result<Option<Session>, StoreError> {
        let item = self.get_item(keys::session(id)).await?;
        item.map(|item| from_item::<SessionItem>(item).map(|item| item.session))
            .transpose()
    }

    /// Reads a user and a session in one round trip, as the session authorizer needs.
    pub async fn get_user_and_session(
        &self,
        uid: &str,
        session_id: &str,
    ) -> Result<(Option<super::User>, Option<Session>), StoreError> {
        let items = self
            .batch_get(vec![keys::user(uid), keys::session(session_id)])
            .await?;
        let (mut user, mut session) = (None, None);
        for item in items {
            match item
                .get("sk")
                .and_then(|sk| sk.as_s().ok())
                .map(String::as_str)
            {
                Some("USER") => user = Some(super::users::read_user(item)?),
                Some("SESSION") => session = Some(from_item::<SessionItem>(item)?.session),
                _ => {}
            }
        }
        Ok((user, session))
    }

    /// Replaces a session's refresh token after checking the presented one.
    pub async fn refresh_session(
        &self,
        id: &str,
        presented: &Secret,
    ) -> Result<Refresh, StoreError> {
        let Some(session) = self.get_session(id).await? else {
            return Ok(Refresh::Invalid);
        };
        let now = clock::now();
        if session.is_expired(now) {
            return Ok(Refresh::Invalid);
        }
        if session.refresh_hash != presented.hash() {
            self.revoke_session(id).await?;
            tracing::warn!(uid = %session.uid, session_id = id, "refresh token reused, session revoked");
            return Ok(Refresh::Reused);
        }

        let next = new_refresh_token(id);
        let (pk, sk) = keys::session(id);
        let updated = self
            .client
            .update_item()
            .table_name(&self.table)
            .key("pk", s(pk))
            .key("sk", s(sk))
            .update_expression("SET refreshHash = :next")
            .condition_expression("refreshHash = :current")
            .expression_attribute_values(":next", s(next.hash()))
            .expression_attribute_values(":current", s(presented.hash()))
            .send()
            .await
            .map_err(|error| StoreError::from_sdk("UpdateItem", error));

        match updated {
            Ok(_) => {
                let session = Session {
                    refresh_hash: next.hash(),
                    ..session
                };
                Ok(Refresh::Rotated(session, next))
            }
            Err(StoreError::ConditionFailed) => Ok(Refresh::Invalid),
            Err(error) => Err(error),
        }
    }

    /// Deletes a session; returns whether it existed.
    pub async fn revoke_session(&self, id: &str) -> Result<bool, StoreError> {
        let (pk, sk) = keys::session(id);
        let output = self
            .client
            .delete_item()
            .table_name(&self.table)
            .key("pk", s(pk))
            .key("sk", s(sk))
            .return_values(aws_sdk_dynamodb::types::ReturnValue::AllOld)
            .send()
            .await
            .map_err(|error| StoreError::from_sdk("DeleteItem", error))?;
        Ok(output.attributes.is_some_and(|item: Item| !item.is_empty()))
    }

    /// Lists the ids of a user's sessions.
    pub async fn user_session_ids(&self, uid: &str) -> Result<Vec<String>, StoreError> {
        let items = self.query_gsi2_all(&keys::sessions_of(uid)).await?;
        let ids = items
            .into_iter()
            .map(|item| from_item::<SessionItem>(item).map(|item| item.session.id))
            .collect::<Result<_, _>>()?;
        Ok(ids)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refresh_token_round_trips() {
        let token = new_refresh_token("abc");

        let parsed = parse_refresh_token(token.expose());

        assert_eq!(parsed.as_ref().map(|(id, _)| id.as_str()), Some("abc"));
        assert_eq!(parsed.map(|(_, secret)| secret), Some(token));
    }

    #[test]
    fn malformed_refresh_tokens_are_rejected() {
        for token in ["", "rft_", "rft_.x", "rft_abc.", "rft_abc", "iat_abc.def"] {
            assert!(parse_refresh_token(token).is_none(), "{token}");
        }
    }
}
