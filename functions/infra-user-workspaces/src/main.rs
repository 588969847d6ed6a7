//! Lambda entry point of `infra-user-workspaces`.

#[tokio::main]
async fn main() -> Result<(), lambda_runtime::Error> {
    shared::runtime::run_http(infra_user_workspaces::handle).await
}
