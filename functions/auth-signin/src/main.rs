//! Lambda entry point of `auth-signin`.

#[tokio::main]
async fn main() -> Result<(), lambda_runtime::Error> {
    shared::runtime::run_http(auth_signin::handle).await
}
