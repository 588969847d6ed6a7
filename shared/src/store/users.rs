//! Users and the email markers that keep one user per mailbox.

use aws_sdk_dynamodb::types::{Put, TransactWriteItem};
use serde::{Deserialize, Serialize};

use super::keys::{self, GSI1, SEPARATOR, USERS_PARTITION};
use super::{Item, Store, StoreError, from_item, s, to_item};
use crate::clock;
use crate::email::Email;
use crate::paging::Page;

/// A user, serialized in the wire shape of the User Management API.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct User {
    pub uid: String,
    pub display_name: Option<String>,
    pub email: String,
    #[serde(rename = "photoURL")]
    pub photo_url: Option<String>,
    pub is_admin: bool,
    #[serde(skip_serializing)]
    #[schema(ignore)]
    pub created_on: String,
    pub last_logged_on: Option<String>,
    pub last_active_on: Option<String>,
}

/// Fields of a new user.
#[derive(Clone, Debug)]
pub struct NewUser {
    pub email: Email,
    pub display_name: Option<String>,
    pub is_admin: bool,
}

/// A user as stored, with its keys and the lower-case copies that search reads.
#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct UserItem {
    pk: String,
    sk: String,
    gsi1pk: String,
    gsi1sk: String,
    uid: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    display_name: Option<String>,
    email: String,
    email_lower: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    name_lower: Option<String>,
    #[serde(rename = "photoURL", default, skip_serializing_if = "Option::is_none")]
    photo_url: Option<String>,
    is_admin: bool,
    created_on: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    last_logged_on: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    last_active_on: Option<String>,
}

/// Marks a normalized email as taken by one user.
#[derive(Debug, Serialize, Deserialize)]
struct EmailMarkerItem {
    pk: String,
    sk: String,
    uid: String,
}

impl UserItem {
    fn from_user(user: &User) -> Self {
        let (pk, sk) = keys::user(&user.uid);
        Self {
            pk,
            sk,
            gsi1pk: USERS_PARTITION.to_owned(),
            gsi1sk: list_sort_key(user),
            uid: user.uid.clone(),
            display_name: user.display_name.clone(),
            email: user.email.clone(),
            email_lower: user.email.to_lowercase(),
            name_lower: user.display_name.as_deref().map(str::to_lowercase),
            photo_url: user.photo_url.clone(),
            is_admin: user.is_admin,
            created_on: user.created_on.clone(),
            last_logged_on: user.last_logged_on.clone(),
            last_active_on: user.last_active_on.clone(),
        }
    }

    fn into_user(self) -> User {
        User {
            uid: self.uid,
            display_name: self.display_name,
            email: self.email,
            photo_url: self.photo_url,
            is_admin: self.is_admin,
            created_on: self.created_on,
            last_logged_on: self.last_logged_on,
            last_active_on: self.last_active_on,
        }
    }
}

/// Reads a user item.
pub(super) fn read_user(item: Item) -> Result<User, StoreError> {
    from_item::<UserItem>(item).map(UserItem::into_user)
}

/// Builds the `gsi1sk` that orders users: admins first, then named users by lower-case
/// display name, then users without a name, with the uid as the unique tie-breaker.
pub(super) fn list_sort_key(user: &User) -> String {
    let admin_rank = if user.is_admin { '0' } else { '1' };
    let (name_rank, name) = match &user.display_name {
        Some(name) => ('0', name.to_lowercase()),
        None => ('1', String::new()),
    };
    format!(
        "{admin_rank}{SEPARATOR}{name_rank}{SEPARATOR}{name}{SEPARATOR}{}",
        user.uid
    )
}

impl Store {
    /// Creates a user with its email marker and counts it, all in one transaction.
    ///
    /// Fails with [`StoreError::TransactionCanceled`] where item 1 (the marker) failed when
    /// the email already belongs to a user.
    pub async fn create_user(&self, new: NewUser) -> Result<User, StoreError> {
        let admins = i64::from(new.is_admin);
        let (user, user_put, marker_put) = self.new_user_items(new, None)?;

        self.client
            .transact_write_items()
            .transact_items(user_put)
            .transact_items(marker_put)
            .transact_items(self.count(&[("users", 1), ("admins", admins)])?)
            .send()
            .await
            .map_err(StoreError::from_transaction)?;

        tracing::info!(uid = %user.uid, is_admin = user.is_admin, "user created");
        Ok(user)
    }

    /// Builds a new user and the conditional puts of its item and its email marker.
    pub(super) fn new_user_items(
        &self,
        new: NewUser,
        signed_in_on: Option<String>,
    ) -> Result<(User, TransactWriteItem, TransactWriteItem), StoreError> {
        let user = User {
            uid: uuid::Uuid::new_v4().to_string(),
            display_name: new.display_name,
            email: new.email.as_str().to_owned(),
            photo_url: None,
            is_admin: new.is_admin,
            created_on: clock::format(clock::now()),
            last_logged_on: signed_in_on.clone(),
            last_active_on: signed_in_on,
        };
        let (marker_pk, marker_sk) = keys::email(new.email.normalized());
        let marker = EmailMarkerItem {
            pk: marker_pk,
            sk: marker_sk,
            uid: user.uid.clone(),
        };
        let user_put = self.put_new(to_item(&UserItem::from_user(&user))?)?;
        let marker_put = self.put_new(to_item(&marker)?)?;
        Ok((user, user_put, marker_put))
    }

    /// Reads one user with a strongly consistent read.
    pub async fn get_user(&self, uid: &str) -> Result<Option<User>, StoreError> {
        let item = self.get_item(keys::user(uid)).await?;
        item.map(read_user).transpose()
    }

    /// Reads users by uid; unknown uids are left out.
    pub async fn get_users(&self, uids: &[String]) -> Result<Vec<User>, StoreError> {
        let keys = uids.iter().map(|uid| keys::user(uid)).collect();
        self.batch_get(keys)
            .await?
            .into_iter()
            .map(read_user)
            .collect()
    }

    /// Lists users in API order, keeping those whose display name or email contains
    /// `search` (compared in lower case), and returns the requested page.
    pub async fn list_users(
        &self,
        search: Option<&str>,
        page: Page,
    ) -> Result<Vec<User>, StoreError> {
        let filter = search.map(|text| {
            let expression = "contains(nameLower, :q) OR contains(emailLower, :q)";
            (expression, text.to_owned())
        });
        let items = self
            .query_gsi1_matching(USERS_PARTITION, filter, page)
            .await?;
        items.into_iter().map(read_user).collect()
    }

    /// Counts users whose `lastActiveOn` is at or after each cutoff, in one pass over the
    /// user index that reads only that attribute.
    pub async fn count_active_users<const N: usize>(
        &self,
        cutoffs: &[String; N],
    ) -> Result<[u64; N], StoreError> {
        let mut counts = [0; N];
        let mut start_key: Option<Item> = None;
        loop {
            let output = self
                .client
                .query()
                .table_name(&self.table)
                .index_name(GSI1)
                .key_condition_expression("gsi1pk = :partition")
                .expression_attribute_values(":partition", s(USERS_PARTITION))
                .projection_expression("lastActiveOn")
                .set_exclusive_start_key(start_key.take())
                .send()
                .await
                .map_err(|error| StoreError::from_sdk("Query", error))?;
            for item in output.items.unwrap_or_default() {
                let Some(active) = item.get("lastActiveOn").and_then(|value| value.as_s().ok())
                else {
                    continue;
                };
                for (count, cutoff) in counts.iter_mut().zip(cutoffs) {
                    if active >= cutoff {
                        *count += 1;
                    }
                }
            }
            start_key = output.last_evaluated_key;
            if start_key.is_none() {
                return Ok(counts);
            }
        }
    }

    /// Builds a put that fails when an item with the same key exists.
    pub(crate) fn put_new(&self, item: Item) -> Result<TransactWriteItem, StoreError> {
        let put = Put::builder()
            .table_name(&self.table)
            .set_item(Some(item))
            .condition_expression("attribute_not_exists(pk)")
            .build()
            .map_err(|error| StoreError::Malformed(error.to_string()))?;
        Ok(TransactWriteItem::builder().put(put).build())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(uid: &str, name: Option<&str>, is_admin: bool) -> User {
        User {
            uid: uid.to_owned(),
            display_name: name.map(str::to_owned),
            email: format!("{uid}@example.com"),
            photo_url: None,
            is_admin,
            created_on: String::new(),
            last_logged_on: None,
            last_active_on: None,
        }
    }

    #[test]
    fn sort_key_orders_admins_names_then_unnamed() {
        let mut keys = [
            list_sort_key(&user("u5", None, false)),
            list_sort_key(&user("u4", Some("bob"), false)),
            list_sort_key(&user("u3", Some("Al"), false)),
            list_sort_key(&user("u2", Some("zed"), true)),
            list_sort_key(&user("u1", Some("a b"), false)),
        ];
        keys.sort();

        let uids: Vec<&str> = keys.iter().map(|key| &key[key.len() - 2..]).collect();
        assert_eq!(uids, ["u2", "u1", "u3", "u4", "u5"]);
    }

    #[test]
    fn sort_key_breaks_name_ties_by_uid() {
        let first = list_sort_key(&user("a", Some("Same"), false));
        let second = list_sort_key(&user("b", Some("same"), false));

        assert!(first < second);
    }
}
