//! Typed configuration, read once from the environment when a function starts.

use std::env;

/// Settings every function reads at start-up.
#[derive(Clone, Debug)]
pub struct Config {
    /// DynamoDB table holding every item (`TABLE_NAME`).
    pub table_name: String,
    /// Public URL of the instance's web app, used in links sent to users (`BASE_URL`).
    pub base_url: String,
    /// Instance name shown to users in mail (`INSTANCE_NAME`, default `infra-admin`).
    pub instance_name: String,
}

/// A required variable is missing or empty.
#[derive(Debug, thiserror::Error)]
#[error("environment variable {0} is missing or empty")]
pub struct ConfigError(pub &'static str);

impl Config {
    /// Reads the configuration from the process environment.
    pub fn from_env() -> Result<Self, ConfigError> {
        Ok(Self {
            table_name: required("TABLE_NAME")?,
            base_url: required("BASE_URL")?.trim_end_matches('/').to_owned(),
            instance_name: optional("INSTANCE_NAME").unwrap_or_else(|| "infra-admin".to_owned()),
        })
    }
}

fn required(name: &'static str) -> Result<String, ConfigError> {
    optional(name).ok_or(ConfigError(name))
}

fn optional(name: &str) -> Option<String> {
    env::var(name).ok().filter(|value| !value.trim().is_empty())
}
