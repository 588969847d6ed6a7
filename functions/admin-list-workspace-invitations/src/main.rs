//! Lambda entry point of `admin-list-workspace-invitations`.

#[tokio::main]
async fn main() -> Result<(), lambda_runtime::Error> {
    shared::runtime::run_http(admin_list_workspace_invitations::handle).await
}
