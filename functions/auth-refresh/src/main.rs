//! Lambda entry point of `auth-refresh`.

#[tokio::main]
async fn main() -> Result<(), lambda_runtime::Error> {
    shared::runtime::run_http(auth_refresh::handle).await
}
