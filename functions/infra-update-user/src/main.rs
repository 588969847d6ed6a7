//! Lambda entry point of `infra-update-user`.

#[tokio::main]
async fn main() -> Result<(), lambda_runtime::Error> {
    shared::runtime::run_http(infra_update_user::handle).await
}
