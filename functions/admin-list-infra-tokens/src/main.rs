//! Lambda entry point of `admin-list-infra-tokens`.

#[tokio::main]
async fn main() -> Result<(), lambda_runtime::Error> {
    shared::runtime::run_http(admin_list_infra_tokens::handle).await
}
