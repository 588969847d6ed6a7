//! Lambda entry point of the scheduled sweeper.

#[tokio::main]
async fn main() -> Result<(), lambda_runtime::Error> {
    shared::runtime::run_event(sweeper::handle).await
}
