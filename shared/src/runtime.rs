//! Start-up of a Lambda function: logging, the shared context, then the runtime loop.
//!
//! Every invocation ends with one `aws calls` log line that counts its DynamoDB and SES
//! calls and estimates the DynamoDB capacity units they consumed. Each handler future is
//! boxed before it is tracked: unboxed, the nested future type of some handlers exceeds the
//! compiler's query depth limit in release builds.

use std::future::Future;
use std::pin::Pin;

use aws_lambda_events::apigw::{
    ApiGatewayCustomAuthorizerRequestTypeRequest, ApiGatewayCustomAuthorizerResponse,
};
use lambda_http::{Body, Request, Response};
use lambda_runtime::{Error, LambdaEvent, service_fn};

use crate::aws_calls;
use crate::context::AppContext;
use crate::{edge, telemetry};

/// Runs an HTTP handler behind API Gateway's REST proxy integration.
pub async fn run_http<F, Fut>(handler: F) -> Result<(), Error>
where
    F: Fn(&'static AppContext, Request) -> Fut,
    Fut: Future<Output = Response<Body>> + Send,
{
    let context = init().await?;
    lambda_http::run(lambda_http::service_fn(|request| {
        let request_id = edge::request_id(&request);
        let response = log_calls(request_id, Box::pin(handler(context, request)));
        async move { Ok::<_, Error>(response.await) }
    }))
    .await
}

/// Runs a REQUEST authorizer handler.
pub async fn run_authorizer<F, Fut, E>(handler: F) -> Result<(), Error>
where
    F: Fn(&'static AppContext, ApiGatewayCustomAuthorizerRequestTypeRequest) -> Fut,
    Fut: Future<Output = Result<ApiGatewayCustomAuthorizerResponse, E>> + Send,
    E: std::error::Error + Send + Sync + 'static,
{
    let context = init().await?;
    lambda_runtime::run(service_fn(
        |event: LambdaEvent<ApiGatewayCustomAuthorizerRequestTypeRequest>| {
            let request_id = event.context.request_id.clone();
            let response = log_calls(request_id, Box::pin(handler(context, event.payload)));
            async move { response.await.map_err(Error::from) }
        },
    ))
    .await
}

/// Runs a handler of any other event, such as an EventBridge schedule.
pub async fn run_event<F, Fut, T, E>(handler: F) -> Result<(), Error>
where
    F: Fn(&'static AppContext, serde_json::Value) -> Fut,
    Fut: Future<Output = Result<T, E>> + Send,
    T: serde::Serialize,
    E: std::error::Error + Send + Sync + 'static,
{
    let context = init().await?;
    lambda_runtime::run(service_fn(|event: LambdaEvent<serde_json::Value>| {
        let request_id = event.context.request_id.clone();
        let response = log_calls(request_id, Box::pin(handler(context, event.payload)));
        async move { response.await.map_err(Error::from) }
    }))
    .await
}

/// Builds the process-wide context once; it lives as long as the Lambda sandbox.
async fn init() -> Result<&'static AppContext, Error> {
    telemetry::init();
    let context = AppContext::from_env().await?;
    Ok(Box::leak(Box::new(context)))
}

/// Runs one invocation's handler and logs the AWS calls it made under its request id.
async fn log_calls<F: Future>(request_id: String, handler: Pin<Box<F>>) -> F::Output {
    let (output, calls) = aws_calls::track(handler).await;
    tracing::info!(
        request_id = request_id.as_str(),
        dynamodb_calls = calls.dynamodb,
        ses_calls = calls.ses,
        read_units = calls.read_units,
        write_units = calls.write_units,
        "aws calls"
    );
    output
}
