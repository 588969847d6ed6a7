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

/// Returns the HTTP handler compiled into the binary of that name.
pub fn http_handler(binary: &str) -> Option<HttpHandler> {
    let handler: HttpHandler = match binary {
        "infra-list-users" => |context, request| {
            Box::pin(async move { infra_list_users::handle(&context, request).await })
        },
        "infra-get-user" => |context, request| {
            Box::pin(async move { infra_get_user::handle(&context, request).await })
        },
        "infra-update-user" => |context, request| {
            Box::pin(async move { infra_update_user::handle(&context, request).await })
        },
        "infra-set-admin-status" => |context, request| {
            Box::pin(async move { infra_set_admin_status::handle(&context, request).await })
        },
        "infra-invite-user" => |context, request| {
            Box::pin(async move { infra_invite_user::handle(&context, request).await })
        },
        "infra-list-invitations" => |context, request| {
            Box::pin(async move { infra_list_invitations::handle(&context, request).await })
        },
        "infra-revoke-invitations" => |context, request| {
            Box::pin(async move { infra_revoke_invitations::handle(&context, request).await })
        },
        "infra-delete-user" => |context, request| {
            Box::pin(async move { infra_delete_user::handle(&context, request).await })
        },
        "infra-user-workspaces" => |context, request| {
            Box::pin(async move { infra_user_workspaces::handle(&context, request).await })
        },
        _ => return None,
    };
    Some(handler)
}

/// Returns the authorizer compiled into the binary of that name.
pub fn authorizer_handler(binary: &str) -> Option<AuthorizerHandler> {
    let handler: AuthorizerHandler = match binary {
        "infra-token-authorizer" => |context, event| {
            Box::pin(async move {
                infra_token_authorizer::handle(&context, event)
                    .await
                    .map_err(|error| error.to_string())
            })
        },
        _ => return None,
    };
    Some(handler)
}
