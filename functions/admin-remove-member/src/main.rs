//! Lambda entry point of `admin-remove-member`.

#[tokio::main]
async fn main() -> Result<(), lambda_runtime::Error> {
    shared::runtime::run_http(admin_remove_member::handle).await
}
