//! Returns a fixed 200 for every REST proxy event and does nothing else, so its init time,
//! memory and latency are what the Lambda runtime itself costs.

use lambda_http::{Body, Error, Request, Response, service_fn};

#[tokio::main]
async fn main() -> Result<(), Error> {
    lambda_http::run(service_fn(hello)).await
}

async fn hello(_request: Request) -> Result<Response<Body>, Error> {
    Ok(Response::new(Body::from("hello")))
}
