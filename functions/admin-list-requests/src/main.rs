//! Lambda entry point of `admin-list-requests`.

#[tokio::main]
async fn main() -> Result<(), lambda_runtime::Error> {
    shared::runtime::run_http(admin_list_requests::handle).await
}
