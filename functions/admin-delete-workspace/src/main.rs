//! Lambda entry point of `admin-delete-workspace`.

#[tokio::main]
async fn main() -> Result<(), lambda_runtime::Error> {
    shared::runtime::run_http(admin_delete_workspace::handle).await
}
