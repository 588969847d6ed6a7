//! Lambda entry point of `admin-add-member`.

#[tokio::main]
async fn main() -> Result<(), lambda_runtime::Error> {
    shared::runtime::run_http(admin_add_member::handle).await
}
