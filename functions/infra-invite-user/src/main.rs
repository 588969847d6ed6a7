//! Lambda entry point of `infra-invite-user`.

#[tokio::main]
async fn main() -> Result<(), lambda_runtime::Error> {
    shared::runtime::run_http(infra_invite_user::handle).await
}
