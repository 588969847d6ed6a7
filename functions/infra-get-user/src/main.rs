//! Lambda entry point of `infra-get-user`.

#[tokio::main]
async fn main() -> Result<(), lambda_runtime::Error> {
    shared::runtime::run_http(infra_get_user::handle).await
}
