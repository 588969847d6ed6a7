//! Lambda entry point of `admin-create-workspace`.

#[tokio::main]
async fn main() -> Result<(), lambda_runtime::Error> {
    shared::runtime::run_http(admin_create_workspace::handle).await
}
