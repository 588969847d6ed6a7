//! The handlers behind each binary name in `template.yaml`, called exactly as Lambda calls them.

use std::sync::Arc;

use aws_lambda_events::apigw::{
    ApiGatewayCustomAuthorizerRequestTypeRequest, ApiGatewayCustomAuthorizerResponse,
};
use futures::future::BoxFuture;
use lambda_http::{Body, Request, Response};
use shared::AppContext;

/// An HTTP handler behind the REST proxy integration.
pub type HttpHandler = fn(Arc<AppContext>, Request) -> BoxFuture<'static, Response<Body>>;

/// A REQUEST authorizer; an error becomes API Gateway's authorizer-failure response.
pub type AuthorizerHandler =
    fn(
        Arc<AppContext>,
        ApiGatewayCustomAuthorizerRequestTypeRequest,
    ) -> BoxFuture<'static, Result<ApiGatewayCustomAuthorizerResponse, String>>;

/// Wraps a function crate's `handle` as an [`HttpHandler`].
macro_rules! http {
    ($crate_name:ident) => {
        |context, request| Box::pin(async move { $crate_name::handle(&context, request).await })
    };
}

/// Wraps an authorizer crate's `handle` as an [`AuthorizerHandler`].
macro_rules! authorizer {
    ($crate_name:ident) => {
        |context, event| {
            Box::pin(async move {
                $crate_name::handle(&context, event)
                    .await
                    .map_err(|error| error.to_string())
            })
        }
    };
}

/// Returns the HTTP handler compiled into the binary of that name.
pub fn http_handler(binary: &str) -> Option<HttpHandler> {
    let handler: HttpHandler = match binary {
        "infra-list-users" => http!(infra_list_users),
        "infra-get-user" => http!(infra_get_user),
        "infra-update-user" => http!(infra_update_user),
        "infra-set-admin-status" => http!(infra_set_admin_status),
        "infra-delete-user" => http!(infra_delete_user),
        "infra-user-workspaces" => http!(infra_user_workspaces),
        "infra-invite-user" => http!(infra_invite_user),
        "infra-list-invitations" => http!(infra_list_invitations),
        "infra-revoke-invitations" => http!(infra_revoke_invitations),
        "auth-signin" => http!(auth_signin),
        "auth-verify" => http!(auth_verify),
        "auth-refresh" => http!(auth_refresh),
        "auth-logout" => http!(auth_logout),
        "auth-me" => http!(auth_me),
        "admin-create-infra-token" => http!(admin_create_infra_token),
        "admin-list-infra-tokens" => http!(admin_list_infra_tokens),
        "admin-revoke-infra-token" => http!(admin_revoke_infra_token),
        "admin-list-audit" => http!(admin_list_audit),
        "api-docs" => http!(api_docs),
        "admin-insights" => http!(admin_insights),
        "admin-create-workspace" => http!(admin_create_workspace),
        "admin-list-workspaces" => http!(admin_list_workspaces),
        "admin-get-workspace" => http!(admin_get_workspace),
        "admin-rename-workspace" => http!(admin_rename_workspace),
        "admin-list-members" => http!(admin_list_members),
        "admin-add-member" => http!(admin_add_member),
        "admin-update-member" => http!(admin_update_member),
        "admin-remove-member" => http!(admin_remove_member),
        "admin-import-collections" => http!(admin_import_collections),
        "admin-list-collections" => http!(admin_list_collections),
        "admin-list-requests" => http!(admin_list_requests),
        "admin-delete-workspace" => http!(admin_delete_workspace),
        "admin-list-workspace-invitations" => http!(admin_list_workspace_invitations),
        "admin-revoke-workspace-invitation" => http!(admin_revoke_workspace_invitation),
        _ => return None,
    };
    Some(handler)
}

/// Returns the authorizer compiled into the binary of that name.
pub fn authorizer_handler(binary: &str) -> Option<AuthorizerHandler> {
    let handler: AuthorizerHandler = match binary {
        "infra-token-authorizer" => authorizer!(infra_token_authorizer),
        "admin-session-authorizer" => authorizer!(admin_session_authorizer),
        _ => return None,
    };
    Some(handler)
}
