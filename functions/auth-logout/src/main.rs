//! Lambda entry point of `auth-logout`.

#[tokio::main]
async fn main() -> Result<(), lambda_runtime::Error> {
    shared::runtime::run_http(auth_logout::handle).await
}
