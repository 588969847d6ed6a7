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
    /// Hours a sign-in magic link stays valid (`MAGIC_LINK_TTL_HOURS`, default 24).
    pub magic_link_ttl_hours: i64,
    /// Secret that signs access tokens (`SESSION_SECRET`, at least 32 bytes).
    pub session_secret: String,
    /// Email that becomes admin on sign-in while the instance has no admin
    /// (`INITIAL_ADMIN_EMAIL`, optional).
    pub initial_admin_email: Option<String>,
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
            invitation_ttl_days: parse_range("INVITATION_TTL_DAYS", 7, 1..=365)?,
            magic_link_ttl_hours: parse_range("MAGIC_LINK_TTL_HOURS", 24, 1..=24 * 7)?,
            session_secret: session_secret()?,
            initial_admin_email: optional("INITIAL_ADMIN_EMAIL"),
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

/// Reads a whole number in `range`, or `default` when the variable is unset.
fn parse_range(
    name: &'static str,
    default: i64,
    range: std::ops::RangeInclusive<i64>,
) -> Result<i64, ConfigError> {
    let Some(text) = optional(name) else {
        return Ok(default);
    };
    text.parse()
        .ok()
        .filter(|value| range.contains(value))
        .ok_or(ConfigError::Invalid(name))
}

/// Minimum length of the access token signing secret, in bytes.
pub const MIN_SESSION_SECRET_BYTES: usize = 32;

fn session_secret() -> Result<String, ConfigError> {
    let secret = required("SESSION_SECRET")?;
    if secret.len() < MIN_SESSION_SECRET_BYTES {
        return Err(ConfigError::Invalid("SESSION_SECRET"));
    }
    Ok(secret)
}

fn required(name: &'static str) -> Result<String, ConfigError> {
    optional(name).ok_or(ConfigError::Missing(name))
}

fn optional(name: &str) -> Option<String> {
    env::var(name).ok().filter(|value| !value.trim().is_empty())
}
