//! Lambda entry point of `admin-rename-workspace`.

#[tokio::main]
async fn main() -> Result<(), lambda_runtime::Error> {
    shared::runtime::run_http(admin_rename_workspace::handle).await
}
