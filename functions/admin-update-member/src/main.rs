//! Lambda entry point of `admin-update-member`.

#[tokio::main]
async fn main() -> Result<(), lambda_runtime::Error> {
    shared::runtime::run_http(admin_update_member::handle).await
}
