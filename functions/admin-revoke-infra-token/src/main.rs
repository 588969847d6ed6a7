//! Lambda entry point of `admin-revoke-infra-token`.

#[tokio::main]
async fn main() -> Result<(), lambda_runtime::Error> {
    shared::runtime::run_http(admin_revoke_infra_token::handle).await
}
