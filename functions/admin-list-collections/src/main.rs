//! Lambda entry point of `admin-list-collections`.

#[tokio::main]
async fn main() -> Result<(), lambda_runtime::Error> {
    shared::runtime::run_http(admin_list_collections::handle).await
}
