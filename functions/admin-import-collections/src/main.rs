//! Lambda entry point of `admin-import-collections`.

#[tokio::main]
async fn main() -> Result<(), lambda_runtime::Error> {
    shared::runtime::run_http(admin_import_collections::handle).await
}
