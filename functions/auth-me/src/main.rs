//! Lambda entry point of `auth-me`.

#[tokio::main]
async fn main() -> Result<(), lambda_runtime::Error> {
    shared::runtime::run_http(auth_me::handle).await
}
