//! Code shared by every function: configuration, the DynamoDB store, domain types, errors
//! with their one HTTP mapping, and the request and response helpers of the HTTP edge.

pub mod auth;
pub mod aws;
pub mod aws_calls;
pub mod caller;
pub mod clock;
pub mod config;
pub mod context;
pub mod docs;
pub mod edge;
pub mod email;
pub mod error;
pub mod import;
pub mod mail;
pub mod paging;
pub mod policy;
pub mod runtime;
pub mod secret;
pub mod session;
pub mod store;
pub mod telemetry;
pub mod validate;

pub use context::AppContext;
pub use error::{ApiError, ErrorCode};
