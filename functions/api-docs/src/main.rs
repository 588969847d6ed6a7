//! Lambda entry point of `api-docs`.

#[tokio::main]
async fn main() -> Result<(), lambda_runtime::Error> {
    shared::runtime::run_http(api_docs::handle).await
}
