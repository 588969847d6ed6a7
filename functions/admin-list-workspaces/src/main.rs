//! Lambda entry point of `admin-list-workspaces`.

#[tokio::main]
async fn main() -> Result<(), lambda_runtime::Error> {
    shared::runtime::run_http(admin_list_workspaces::handle).await
}
