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
    /// Whether mail is sent (`MAIL_ENABLED`, `true` or `false`, default `false`).
    pub mail_enabled: bool,
    /// Sender address of every mail (`MAIL_SENDER`); required when mail is enabled.
    pub mail_sender: String,
    /// Days an invitation link stays valid (`INVITATION_TTL_DAYS`, default 7).
    pub invitation_ttl_days: i64,
}

/// A variable is missing or has an invalid value.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("environment variable {0} is missing or empty")]
    Missing(&'static str),
    #[error("environment variable {0} is invalid; see the README for its values")]
    Invalid(&'static str),
}

impl Config {
    /// Reads the configuration from the process environment.
    pub fn from_env() -> Result<Self, ConfigError> {
        let mail_enabled = parse_flag("MAIL_ENABLED")?;
        Ok(Self {
            table_name: required("TABLE_NAME")?,
            base_url: required("BASE_URL")?.trim_end_matches('/').to_owned(),
            instance_name: optional("INSTANCE_NAME").unwrap_or_else(|| "infra-admin".to_owned()),
            mail_enabled,
            mail_sender: if mail_enabled {
                required("MAIL_SENDER")?
            } else {
                optional("MAIL_SENDER").unwrap_or_default()
            },
            invitation_ttl_days: match optional("INVITATION_TTL_DAYS") {
                Some(days) => {
                    parse_days(&days).ok_or(ConfigError::Invalid("INVITATION_TTL_DAYS"))?
                }
                None => 7,
            },
        })
    }
}

fn parse_flag(name: &'static str) -> Result<bool, ConfigError> {
    match optional(name).as_deref() {
        None | Some("false") => Ok(false),
        Some("true") => Ok(true),
        Some(_) => Err(ConfigError::Invalid(name)),
    }
}

fn parse_days(text: &str) -> Option<i64> {
    text.parse().ok().filter(|days| (1..=365).contains(days))
}

fn required(name: &'static str) -> Result<String, ConfigError> {
    optional(name).ok_or(ConfigError::Missing(name))
}

fn optional(name: &str) -> Option<String> {
    env::var(name).ok().filter(|value| !value.trim().is_empty())
}
