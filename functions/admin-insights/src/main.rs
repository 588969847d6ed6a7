//! Lambda entry point of `admin-insights`.

#[tokio::main]
async fn main() -> Result<(), lambda_runtime::Error> {
    shared::runtime::run_http(admin_insights::handle).await
}
