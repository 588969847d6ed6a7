//! A local stand-in for API Gateway: serves `template.yaml`'s REST API on 127.0.0.1 in one
//! process, calling the same handler code that Lambda runs, against a local emulator.

pub mod bootstrap;
pub mod event;
pub mod functions;
pub mod gateway;
pub mod mail_echo;
pub mod policy;
pub mod responses;
pub mod table;
pub mod template;

pub use gateway::{Gateway, GatewayError, Invocation};
pub use template::Template;
