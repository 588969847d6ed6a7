//! Lambda entry point of `admin-get-workspace`.

#[tokio::main]
async fn main() -> Result<(), lambda_runtime::Error> {
    shared::runtime::run_http(admin_get_workspace::handle).await
}
