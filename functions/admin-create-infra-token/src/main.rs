//! Lambda entry point of `admin-create-infra-token`.

#[tokio::main]
async fn main() -> Result<(), lambda_runtime::Error> {
    shared::runtime::run_http(admin_create_infra_token::handle).await
}
