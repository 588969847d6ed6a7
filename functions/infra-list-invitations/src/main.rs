//! Lambda entry point of `infra-list-invitations`.

#[tokio::main]
async fn main() -> Result<(), lambda_runtime::Error> {
    shared::runtime::run_http(infra_list_invitations::handle).await
}
