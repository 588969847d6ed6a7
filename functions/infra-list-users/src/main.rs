//! Lambda entry point of `infra-list-users`.

#[tokio::main]
async fn main() -> Result<(), lambda_runtime::Error> {
    shared::runtime::run_http(infra_list_users::handle).await
}
