//! Everything a handler needs, built once per process and shared by every invocation.

use crate::aws::load_sdk_config;
use crate::aws_calls::CallCounter;
use crate::config::{Config, ConfigError};
use crate::mail::Mailer;
use crate::store::Store;

/// The configuration and the clients a handler uses.
#[derive(Clone, Debug)]
pub struct AppContext {
    pub config: Config,
    pub store: Store,
    pub mailer: Mailer,
}

impl AppContext {
    /// Builds the context from the process environment, as a Lambda function does at init.
    pub async fn from_env() -> Result<Self, ConfigError> {
        let config = Config::from_env()?;
        Ok(Self::new(config).await)
    }

    /// Builds the context from the given configuration and the SDK's environment.
    pub async fn new(config: Config) -> Self {
        let sdk_config = load_sdk_config().await;
        let dynamodb_config = aws_sdk_dynamodb::config::Builder::from(&sdk_config)
            .interceptor(CallCounter::DynamoDb)
            .build();
        let dynamodb = aws_sdk_dynamodb::Client::from_conf(dynamodb_config);
        let store = Store::new(dynamodb, config.table_name.clone());
        let mailer = Mailer::new(&sdk_config, config.mail_sender.clone(), config.mail_enabled);
        Self {
            config,
            store,
            mailer,
        }
    }
}
