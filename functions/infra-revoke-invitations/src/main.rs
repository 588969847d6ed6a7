//! Lambda entry point of `infra-revoke-invitations`.

#[tokio::main]
async fn main() -> Result<(), lambda_runtime::Error> {
    shared::runtime::run_http(infra_revoke_invitations::handle).await
}
