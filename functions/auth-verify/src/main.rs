//! Lambda entry point of `auth-verify`.

#[tokio::main]
async fn main() -> Result<(), lambda_runtime::Error> {
    shared::runtime::run_http(auth_verify::handle).await
}
