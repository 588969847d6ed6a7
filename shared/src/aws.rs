//! AWS SDK configuration shared by every client, with explicit timeouts and retries.

use std::time::Duration;

use aws_config::retry::RetryConfig;
use aws_config::timeout::TimeoutConfig;
use aws_config::{BehaviorVersion, SdkConfig};

/// Time allowed to open a connection to an AWS endpoint.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(1);
/// Time allowed for one attempt of an SDK call.
const ATTEMPT_TIMEOUT: Duration = Duration::from_secs(2);
/// Time allowed for an SDK call with all its retries, kept below API Gateway's 29 s limit.
const OPERATION_TIMEOUT: Duration = Duration::from_secs(6);
/// Attempts per SDK call under the standard retry policy, the first one included.
const MAX_ATTEMPTS: u32 = 3;

/// Loads the SDK configuration from the environment.
///
/// `AWS_ENDPOINT_URL` points every client at another endpoint (the local emulator) with no
/// code change.
pub async fn load_sdk_config() -> SdkConfig {
    let timeouts = TimeoutConfig::builder()
        .connect_timeout(CONNECT_TIMEOUT)
        .operation_attempt_timeout(ATTEMPT_TIMEOUT)
        .operation_timeout(OPERATION_TIMEOUT)
        .build();

    aws_config::defaults(BehaviorVersion::latest())
        .timeout_config(timeouts)
        .retry_config(RetryConfig::standard().with_max_attempts(MAX_ATTEMPTS))
        .load()
        .await
}
