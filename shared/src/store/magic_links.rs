//! Sign-in magic links: one live link per normalized email, stored as the SHA-256 of its
//! token. A newer link replaces the older one, and a link works once.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use super::keys;
use super::{Store, StoreError, from_item, s, to_item};
use crate::clock;
use crate::email::Email;
use crate::secret::{MAGIC_LINK_PREFIX, Secret};

/// A magic link as stored.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MagicLink {
    pub email: String,
    pub email_normalized: String,
    pub link_token_hash: String,
    pub created_on: String,
    pub expires_on: String,
}

#[derive(Serialize, Deserialize)]
struct MagicLinkItem {
    pk: String,
    sk: String,
    gsi1pk: String,
    gsi1sk: String,
    gsi2pk: String,
    gsi2sk: String,
    ttl: i64,
    #[serde(flatten)]
    link: MagicLink,
}

impl MagicLink {
    /// Tells whether the link has expired at `now`.
    pub fn is_expired(&self, now: DateTime<Utc>) -> bool {
        clock::parse(&self.expires_on).is_none_or(|expires_on| expires_on <= now)
    }
}

impl Store {
    /// Stores a new magic link for an email, replacing any earlier one, and returns its
    /// token.
    pub async fn create_magic_link(
        &self,
        email: &Email,
        lifetime: Duration,
    ) -> Result<(MagicLink, Secret), StoreError> {
        let secret = Secret::generate(MAGIC_LINK_PREFIX);
        let now = clock::now();
        let link = MagicLink {
            email: email.as_str().to_owned(),
            email_normalized: email.normalized().to_owned(),
            link_token_hash: secret.hash(),
            created_on: clock::format(now),
            expires_on: clock::format(now + lifetime),
        };
        let (pk, sk) = keys::magic_link(email.normalized());
        let item = MagicLinkItem {
            pk,
            sk,
            gsi1pk: keys::MAGIC_LINKS_PARTITION.to_owned(),
            gsi1sk: format!(
                "{}{}{}",
                link.expires_on,
                keys::SEPARATOR,
                link.email_normalized
            ),
            gsi2pk: keys::magic_link_token(&link.link_token_hash),
            gsi2sk: keys::MAGIC_LINK_TOKEN_SORT.to_owned(),
            ttl: (now + lifetime).timestamp(),
            link: link.clone(),
        };

        self.client
            .put_item()
            .table_name(&self.table)
            .set_item(Some(to_item(&item)?))
            .send()
            .await
            .map_err(|error| StoreError::from_sdk("PutItem", error))?;
        Ok((link, secret))
    }

    /// Consumes a magic link by the hash of its token: returns it once, and never for a
    /// replaced, used or expired link.
    pub async fn consume_magic_link(&self, hash: &str) -> Result<Option<MagicLink>, StoreError> {
        let partition = keys::magic_link_token(hash);
        let Some(item) = self.query_gsi2_first(&partition).await? else {
            return Ok(None);
        };
        let link = from_item::<MagicLinkItem>(item)?.link;

        let (pk, sk) = keys::magic_link(&link.email_normalized);
        let deleted = self
            .client
            .delete_item()
            .table_name(&self.table)
            .key("pk", s(pk))
            .key("sk", s(sk))
            .condition_expression("linkTokenHash = :hash")
            .expression_attribute_values(":hash", s(hash))
            .send()
            .await
            .map_err(|error| StoreError::from_sdk("DeleteItem", error));

        match deleted {
            Ok(_) if link.is_expired(clock::now()) => Ok(None),
            Ok(_) => Ok(Some(link)),
            Err(StoreError::ConditionFailed) => Ok(None),
            Err(error) => Err(error),
        }
    }
}
