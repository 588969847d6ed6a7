//! Lambda entry point of `admin-list-members`.

#[tokio::main]
async fn main() -> Result<(), lambda_runtime::Error> {
    shared::runtime::run_http(admin_list_members::handle).await
}
