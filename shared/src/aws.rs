//! AWS SDK configuration shared by every client: credentials from the environment, an
//! HTTPS client that trusts the AWS roots, explicit timeouts and the standard retry policy.

use std::time::Duration;

use aws_config::environment::EnvironmentVariableCredentialsProvider;
use aws_config::retry::RetryConfig;
use aws_config::timeout::TimeoutConfig;
use aws_config::{BehaviorVersion, SdkConfig};
use aws_smithy_http_client::tls::rustls_provider::CryptoMode;
use aws_smithy_http_client::tls::{Provider, TlsContext, TrustStore};
use aws_smithy_runtime_api::client::http::SharedHttpClient;

/// Time allowed to open a connection to an AWS endpoint.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(1);
/// Time allowed for one attempt of an SDK call.
const ATTEMPT_TIMEOUT: Duration = Duration::from_secs(2);
/// Time allowed for an SDK call with all its retries, kept below API Gateway's 29 s limit.
const OPERATION_TIMEOUT: Duration = Duration::from_secs(6);
/// Attempts per SDK call under the standard retry policy, the first one included.
const MAX_ATTEMPTS: u32 = 3;

/// The Amazon Trust Services roots, which sign the certificate of every AWS endpoint.
const AWS_ROOTS: &[u8] = include_bytes!("../certs/amazon-trust-services.pem");

/// Loads the SDK configuration from the environment.
///
/// Lambda passes credentials in environment variables, so the credential chain stops
/// there: the default chain would build an STS client and read the system's root
/// certificates at init. `AWS_ENDPOINT_URL` points every client at another endpoint (the
/// local emulator, over plain HTTP) with no code change.
pub async fn load_sdk_config() -> SdkConfig {
    let timeouts = TimeoutConfig::builder()
        .connect_timeout(CONNECT_TIMEOUT)
        .operation_attempt_timeout(ATTEMPT_TIMEOUT)
        .operation_timeout(OPERATION_TIMEOUT)
        .build();

    aws_config::defaults(BehaviorVersion::latest())
        .credentials_provider(EnvironmentVariableCredentialsProvider::new())
        .http_client(https_client())
        .timeout_config(timeouts)
        .retry_config(RetryConfig::standard().with_max_attempts(MAX_ATTEMPTS))
        .load()
        .await
}

/// Builds an HTTPS client that trusts the Amazon Trust Services roots alone.
///
/// The SDK's default client parses every certificate of the system store when a client is
/// built. Five roots parse in a fraction of that time, and every AWS endpoint chains to
/// one of them.
fn https_client() -> SharedHttpClient {
    let roots = TrustStore::empty()
        .with_native_roots(false)
        .with_pem_certificate(AWS_ROOTS);
    let builder =
        aws_smithy_http_client::Builder::new().tls_provider(Provider::Rustls(CryptoMode::AwsLc));
    match TlsContext::builder().with_trust_store(roots).build() {
        Ok(context) => builder.tls_context(context).build_https(),
        Err(error) => {
            tracing::warn!(error = %error, "AWS roots rejected; using the system's roots");
            builder.build_https()
        }
    }
}
