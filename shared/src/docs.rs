//! Schemas of the bodies that every endpoint shares, for the OpenAPI document.

use serde::Serialize;
use utoipa::{IntoParams, ToSchema};

/// A service error: the code clients match on, and the HTTP status.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ErrorBody {
    #[schema(example = 404)]
    pub status_code: u16,
    #[schema(example = "user/not_found")]
    pub message: String,
}

/// Field validation failures, one readable text per problem, each naming the field.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ValidationErrorBody {
    #[schema(example = json!(["take must be an integer from 1 to 100"]))]
    pub message: Vec<String>,
    #[schema(example = "Bad Request")]
    pub error: String,
    #[schema(example = 400)]
    pub status_code: u16,
}

/// A 400: a service error code, or field validation failures.
#[derive(Debug, Serialize, ToSchema)]
#[serde(untagged)]
pub enum BadRequestBody {
    Code(ErrorBody),
    Validation(ValidationErrorBody),
}

/// A 401 from an authorizer or a session check.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct UnauthorizedBody {
    #[schema(example = "infra_token/invalid_token")]
    pub message: String,
    #[schema(example = "Unauthorized")]
    pub error: String,
    #[schema(example = 401)]
    pub status_code: u16,
}

/// A server-side fault: a code and the request id to quote; never the internal cause.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ServerErrorBody {
    pub status_code: Option<u16>,
    #[schema(example = "database/failed")]
    pub message: String,
    #[schema(example = "c6e85ede-2872-46d4-8fc1-8efc563fc570")]
    pub request_id: String,
}

/// The body of DELETE and admin-status calls: the string `"true"`.
#[derive(Debug, Serialize, ToSchema)]
pub struct MessageTrue {
    #[schema(example = "true")]
    pub message: String,
}

/// `skip` and `take` of a list endpoint.
#[derive(Debug, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageParams {
    /// Items to skip, from 0 to 100000.
    #[param(minimum = 0, maximum = 100000, default = 0)]
    pub skip: Option<u32>,
    /// Items to return, from 1 to 100.
    #[param(minimum = 1, maximum = 100, default = 10)]
    pub take: Option<u32>,
}
