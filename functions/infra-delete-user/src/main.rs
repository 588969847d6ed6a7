//! Lambda entry point of `infra-delete-user`.

#[tokio::main]
async fn main() -> Result<(), lambda_runtime::Error> {
    shared::runtime::run_http(infra_delete_user::handle).await
}
