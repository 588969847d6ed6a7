//! Pending invitations to a workspace, listed and revoked by admins. Adding the invitee as
//! a member removes them in the same transaction.

use aws_sdk_dynamodb::types::{Delete, TransactWriteItem};
use serde::{Deserialize, Serialize};

use super::workspaces::Role;
use super::{Item, Store, StoreError, from_item, keys, s, to_item};
use crate::clock;
use crate::email::Email;

/// Sort-key prefix of workspace invitations under a workspace.
pub(super) const WORKSPACE_INVITATION_PREFIX: &str = "WSINVITE#";

/// A pending invitation to join a workspace.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct WorkspaceInvitation {
    pub id: String,
    pub workspace_id: String,
    pub invitee_email: String,
    pub role: Role,
    pub invited_by: String,
    pub invited_on: String,
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct WorkspaceInvitationItem {
    pk: String,
    sk: String,
    gsi2pk: String,
    gsi2sk: String,
    invitee_normalized: String,
    #[serde(flatten)]
    invitation: WorkspaceInvitation,
}

impl Store {
    /// Records an invitation of `email` to a workspace.
    pub async fn create_workspace_invitation(
        &self,
        workspace_id: &str,
        email: &Email,
        role: Role,
        invited_by: &str,
    ) -> Result<WorkspaceInvitation, StoreError> {
        let invitation = WorkspaceInvitation {
            id: uuid::Uuid::now_v7().to_string(),
            workspace_id: workspace_id.to_owned(),
            invitee_email: email.as_str().to_owned(),
            role,
            invited_by: invited_by.to_owned(),
            invited_on: clock::format(clock::now()),
        };
        let item = WorkspaceInvitationItem {
            pk: keys::workspace(workspace_id).0,
            sk: format!("{WORKSPACE_INVITATION_PREFIX}{}", invitation.id),
            gsi2pk: keys::workspace_invitations_for(email.normalized()),
            gsi2sk: keys::workspace(workspace_id).0,
            invitee_normalized: email.normalized().to_owned(),
            invitation: invitation.clone(),
        };
        self.client
            .put_item()
            .table_name(&self.table)
            .set_item(Some(to_item(&item)?))
            .condition_expression("attribute_not_exists(pk)")
            .send()
            .await
            .map_err(|error| StoreError::from_sdk("PutItem", error))?;
        Ok(invitation)
    }

    /// Lists a workspace's pending invitations, oldest first.
    pub async fn list_workspace_invitations(
        &self,
        workspace_id: &str,
    ) -> Result<Vec<WorkspaceInvitation>, StoreError> {
        let items = self
            .query_children(workspace_id, Some(WORKSPACE_INVITATION_PREFIX), None)
            .await?;
        items
            .into_iter()
            .map(|item| from_item::<WorkspaceInvitationItem>(item).map(|item| item.invitation))
            .collect()
    }

    /// Revokes one invitation; returns whether it existed.
    pub async fn revoke_workspace_invitation(
        &self,
        workspace_id: &str,
        invitation_id: &str,
    ) -> Result<bool, StoreError> {
        let pk = keys::workspace(workspace_id).0;
        let sk = format!("{WORKSPACE_INVITATION_PREFIX}{invitation_id}");
        let result = self
            .client
            .delete_item()
            .table_name(&self.table)
            .key("pk", s(pk))
            .key("sk", s(sk))
            .condition_expression("attribute_exists(pk)")
            .send()
            .await
            .map_err(|error| StoreError::from_sdk("DeleteItem", error));
        match result {
            Ok(_) => Ok(true),
            Err(StoreError::ConditionFailed) => Ok(false),
            Err(error) => Err(error),
        }
    }

    /// Builds the deletes of every pending invitation of a normalized email to a workspace,
    /// for the transaction that adds that person as a member.
    pub(super) async fn invitation_deletes_for(
        &self,
        workspace_id: &str,
        normalized: &str,
    ) -> Result<Vec<TransactWriteItem>, StoreError> {
        let workspace_pk = keys::workspace(workspace_id).0;
        let items: Vec<Item> = self
            .query_gsi2_all(&keys::workspace_invitations_for(normalized))
            .await?;
        let mut deletes = Vec::new();
        for item in items {
            let invitation = from_item::<WorkspaceInvitationItem>(item)?;
            if invitation.pk != workspace_pk {
                continue;
            }
            let delete = Delete::builder()
                .table_name(&self.table)
                .key("pk", s(invitation.pk))
                .key("sk", s(invitation.sk))
                .build()
                .map_err(|error| StoreError::Malformed(error.to_string()))?;
            deletes.push(TransactWriteItem::builder().delete(delete).build());
        }
        Ok(deletes)
    }
}
