//! Lambda entry point of the admin-session authorizer.

#[tokio::main]
async fn main() -> Result<(), lambda_runtime::Error> {
    shared::runtime::run_authorizer(admin_session_authorizer::handle).await
}
