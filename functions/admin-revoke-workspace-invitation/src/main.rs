//! Lambda entry point of `admin-revoke-workspace-invitation`.

#[tokio::main]
async fn main() -> Result<(), lambda_runtime::Error> {
    shared::runtime::run_http(admin_revoke_workspace_invitation::handle).await
}
