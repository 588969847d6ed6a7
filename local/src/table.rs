//! Creates the DynamoDB table from its declaration in `template.yaml`.

use aws_sdk_dynamodb::Client;
use aws_sdk_dynamodb::types::{
    AttributeDefinition, BillingMode, GlobalSecondaryIndex, KeySchemaElement, KeyType, Projection,
    ProjectionType, ScalarAttributeType, TimeToLiveSpecification,
};
use serde_yaml::Value;

/// The table could not be created as declared.
#[derive(Debug, thiserror::Error)]
pub enum TableError {
    #[error("table declaration is invalid: {0}")]
    Declaration(String),
    #[error("DynamoDB {operation} failed: {message}")]
    Sdk {
        operation: &'static str,
        message: String,
    },
}

/// Creates the table unless it exists; returns whether it was created.
pub async fn ensure_table(
    client: &Client,
    name: &str,
    declaration: &Value,
) -> Result<bool, TableError> {
    if table_exists(client, name).await? {
        return Ok(false);
    }

    let mut request = client
        .create_table()
        .table_name(name)
        .billing_mode(BillingMode::PayPerRequest)
        .set_attribute_definitions(Some(attribute_definitions(declaration)?))
        .set_key_schema(Some(key_schema(declaration.get("KeySchema"))?));
    for index in sequence(declaration, "GlobalSecondaryIndexes") {
        request = request.global_secondary_indexes(global_index(index)?);
    }
    request
        .send()
        .await
        .map_err(|error| sdk("CreateTable", error))?;

    if let Some(ttl) = declaration.get("TimeToLiveSpecification") {
        let attribute = text(ttl, "AttributeName")?;
        let specification = TimeToLiveSpecification::builder()
            .attribute_name(attribute)
            .enabled(true)
            .build()
            .map_err(|error| TableError::Declaration(error.to_string()))?;
        client
            .update_time_to_live()
            .table_name(name)
            .time_to_live_specification(specification)
            .send()
            .await
            .map_err(|error| sdk("UpdateTimeToLive", error))?;
    }
    Ok(true)
}

async fn table_exists(client: &Client, name: &str) -> Result<bool, TableError> {
    match client.describe_table().table_name(name).send().await {
        Ok(_) => Ok(true),
        Err(error)
            if error
                .as_service_error()
                .is_some_and(|e| e.is_resource_not_found_exception()) =>
        {
            Ok(false)
        }
        Err(error) => Err(sdk("DescribeTable", error)),
    }
}

fn sdk(operation: &'static str, error: impl std::error::Error) -> TableError {
    let mut message = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        message = format!("{message}: {cause}");
        source = cause.source();
    }
    TableError::Sdk { operation, message }
}

fn sequence<'a>(value: &'a Value, key: &str) -> impl Iterator<Item = &'a Value> {
    value
        .get(key)
        .and_then(Value::as_sequence)
        .into_iter()
        .flatten()
}

fn text<'a>(value: &'a Value, key: &str) -> Result<&'a str, TableError> {
    value
        .get(key)
        .and_then(Value::as_str)
        .ok_or_else(|| TableError::Declaration(format!("{key} is missing")))
}

fn attribute_definitions(declaration: &Value) -> Result<Vec<AttributeDefinition>, TableError> {
    sequence(declaration, "AttributeDefinitions")
        .map(|definition| {
            AttributeDefinition::builder()
                .attribute_name(text(definition, "AttributeName")?)
                .attribute_type(ScalarAttributeType::from(text(
                    definition,
                    "AttributeType",
                )?))
                .build()
                .map_err(|error| TableError::Declaration(error.to_string()))
        })
        .collect()
}

fn key_schema(schema: Option<&Value>) -> Result<Vec<KeySchemaElement>, TableError> {
    let elements = schema
        .and_then(Value::as_sequence)
        .ok_or_else(|| TableError::Declaration("KeySchema is missing".to_owned()))?;
    elements
        .iter()
        .map(|element| {
            KeySchemaElement::builder()
                .attribute_name(text(element, "AttributeName")?)
                .key_type(KeyType::from(text(element, "KeyType")?))
                .build()
                .map_err(|error| TableError::Declaration(error.to_string()))
        })
        .collect()
}

fn global_index(index: &Value) -> Result<GlobalSecondaryIndex, TableError> {
    let projection_type = index
        .get("Projection")
        .map(|projection| text(projection, "ProjectionType"))
        .transpose()?
        .unwrap_or("ALL");
    GlobalSecondaryIndex::builder()
        .index_name(text(index, "IndexName")?)
        .set_key_schema(Some(key_schema(index.get("KeySchema"))?))
        .projection(
            Projection::builder()
                .projection_type(ProjectionType::from(projection_type))
                .build(),
        )
        .build()
        .map_err(|error| TableError::Declaration(error.to_string()))
}
