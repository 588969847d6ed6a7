//! Lambda entry point of `infra-set-admin-status`.

#[tokio::main]
async fn main() -> Result<(), lambda_runtime::Error> {
    shared::runtime::run_http(infra_set_admin_status::handle).await
}
