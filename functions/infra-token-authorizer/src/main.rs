//! Lambda entry point of the InfraToken authorizer.

#[tokio::main]
async fn main() -> Result<(), lambda_runtime::Error> {
    shared::runtime::run_authorizer(infra_token_authorizer::handle).await
}
