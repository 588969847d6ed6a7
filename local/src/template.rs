//! Reads the API's routes, authorizers, gateway responses and table from `template.yaml`.

use std::collections::HashMap;
use std::path::Path;

use serde_yaml::Value;
use serde_yaml::value::TaggedValue;

/// Memory Lambda gives a function whose template sets none, in MB.
const DEFAULT_MEMORY_MB: u64 = 128;

/// The parts of the SAM template the local gateway serves.
#[derive(Clone, Debug)]
pub struct Template {
    pub stage: String,
    pub functions: Vec<Function>,
    pub routes: Vec<Route>,
    pub authorizers: HashMap<String, Authorizer>,
    pub gateway_responses: HashMap<String, GatewayResponse>,
    pub table: Value,
}

/// One Lambda function and how SAM builds it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Function {
    /// Logical id in the template.
    pub name: String,
    /// `Metadata.BuildProperties.Binary`: the Cargo binary SAM builds.
    pub binary: String,
    /// `Metadata.BuildMethod`.
    pub build_method: String,
    /// `CodeUri`, the function's or the global one.
    pub code_uri: String,
    /// `MemorySize` in MB, the function's or the global one.
    pub memory_mb: u64,
    /// Names of the environment variables the function sets beside the global ones.
    pub variables: Vec<String>,
}

/// One API route and the function behind it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Route {
    pub method: String,
    pub path: String,
    pub function: String,
    pub binary: String,
    pub authorizer: Option<String>,
}

/// A Lambda REQUEST authorizer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Authorizer {
    pub function: String,
    pub binary: String,
    pub identity_headers: Vec<String>,
    pub ttl_seconds: u64,
}

/// A gateway response override: status code and `application/json` body template.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct GatewayResponse {
    pub status: Option<u16>,
    pub template: Option<String>,
}

/// The template could not be read or lacks something the gateway needs.
#[derive(Debug, thiserror::Error)]
pub enum TemplateError {
    #[error("cannot read {path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("template is not valid YAML: {0}")]
    Yaml(#[from] serde_yaml::Error),
    #[error("template is invalid: {0}")]
    Invalid(String),
}

impl Template {
    /// Loads the template, resolving `!Ref` of parameters from `overrides`, then defaults.
    pub fn load(path: &Path, overrides: &HashMap<String, String>) -> Result<Self, TemplateError> {
        let text = std::fs::read_to_string(path).map_err(|source| TemplateError::Read {
            path: path.display().to_string(),
            source,
        })?;
        Self::parse(&text, overrides)
    }

    /// Parses template text; see [`Template::load`].
    pub fn parse(text: &str, overrides: &HashMap<String, String>) -> Result<Self, TemplateError> {
        let root: Value = serde_yaml::from_str(text)?;
        let parameters = parameter_values(&root, overrides);
        let resources = root
            .get("Resources")
            .and_then(Value::as_mapping)
            .ok_or_else(|| invalid("no Resources"))?;

        let mut api = None;
        let mut table = None;
        let mut functions = Vec::new();
        for (name, resource) in resources {
            let name = name.as_str().unwrap_or_default().to_owned();
            match resource.get("Type").and_then(Value::as_str) {
                Some("AWS::Serverless::Api") => api = Some((name, resource)),
                Some("AWS::DynamoDB::Table") => table = Some(resource.clone()),
                Some("AWS::Serverless::Function") => functions.push((name, resource)),
                _ => {}
            }
        }
        let (api_name, api) = api.ok_or_else(|| invalid("no AWS::Serverless::Api"))?;
        let api_properties = api
            .get("Properties")
            .ok_or_else(|| invalid("Api has no Properties"))?;

        let binaries = function_binaries(&functions)?;
        let globals = root
            .get("Globals")
            .and_then(|globals| globals.get("Function"));
        Ok(Self {
            functions: function_list(&functions, globals, &binaries),
            stage: resolve_string(api_properties.get("StageName"), &parameters)
                .unwrap_or_else(|| "Prod".to_owned()),
            routes: routes(&functions, &api_name, &binaries)?,
            authorizers: authorizers(api_properties, &parameters, &binaries)?,
            gateway_responses: gateway_responses(api_properties),
            table: table
                .and_then(|table| table.get("Properties").cloned())
                .ok_or_else(|| invalid("no AWS::DynamoDB::Table"))?,
        })
    }
}

fn invalid(message: impl Into<String>) -> TemplateError {
    TemplateError::Invalid(message.into())
}

/// Collects parameter values: overrides first, then the template's defaults.
fn parameter_values(root: &Value, overrides: &HashMap<String, String>) -> HashMap<String, String> {
    let mut values = HashMap::new();
    if let Some(parameters) = root.get("Parameters").and_then(Value::as_mapping) {
        for (name, parameter) in parameters {
            let Some(name) = name.as_str() else { continue };
            if let Some(default) = parameter.get("Default").and_then(scalar_text) {
                values.insert(name.to_owned(), default);
            }
        }
    }
    values.extend(overrides.clone());
    values
}

fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::String(text) => Some(text.clone()),
        Value::Number(number) => Some(number.to_string()),
        Value::Bool(flag) => Some(flag.to_string()),
        _ => None,
    }
}

/// Resolves a plain scalar or a `!Ref` to a parameter.
fn resolve_string(value: Option<&Value>, parameters: &HashMap<String, String>) -> Option<String> {
    match value? {
        Value::Tagged(tagged) if tagged.tag == "Ref" => {
            parameters.get(tagged.value.as_str()?).cloned()
        }
        other => scalar_text(other),
    }
}

/// Maps each function's logical id to the binary its cargo-lambda build produces.
fn function_binaries(
    functions: &[(String, &Value)],
) -> Result<HashMap<String, String>, TemplateError> {
    functions
        .iter()
        .map(|(name, function)| {
            let binary = function
                .get("Metadata")
                .and_then(|metadata| metadata.get("BuildProperties"))
                .and_then(|properties| properties.get("Binary"))
                .and_then(Value::as_str)
                .ok_or_else(|| invalid(format!("{name} has no Metadata.BuildProperties.Binary")))?;
            Ok((name.clone(), binary.to_owned()))
        })
        .collect()
}

fn function_list(
    functions: &[(String, &Value)],
    globals: Option<&Value>,
    binaries: &HashMap<String, String>,
) -> Vec<Function> {
    let setting = |function: &Value, key: &str| {
        function
            .get("Properties")
            .and_then(|properties| properties.get(key))
            .or_else(|| globals.and_then(|globals| globals.get(key)))
            .cloned()
    };
    functions
        .iter()
        .map(|(name, function)| Function {
            name: name.clone(),
            binary: binaries.get(name).cloned().unwrap_or_default(),
            build_method: function
                .get("Metadata")
                .and_then(|metadata| metadata.get("BuildMethod"))
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned(),
            code_uri: setting(function, "CodeUri")
                .as_ref()
                .and_then(scalar_text)
                .unwrap_or_default(),
            memory_mb: setting(function, "MemorySize")
                .as_ref()
                .and_then(Value::as_u64)
                .unwrap_or(DEFAULT_MEMORY_MB),
            variables: own_variables(function),
        })
        .collect()
}

fn own_variables(function: &Value) -> Vec<String> {
    let variables = function
        .get("Properties")
        .and_then(|properties| properties.get("Environment"))
        .and_then(|environment| environment.get("Variables"))
        .and_then(Value::as_mapping);
    variables
        .into_iter()
        .flat_map(|mapping| mapping.keys())
        .filter_map(Value::as_str)
        .map(str::to_owned)
        .collect()
}

fn routes(
    functions: &[(String, &Value)],
    api_name: &str,
    binaries: &HashMap<String, String>,
) -> Result<Vec<Route>, TemplateError> {
    let mut routes = Vec::new();
    for (name, function) in functions {
        let events = function
            .get("Properties")
            .and_then(|properties| properties.get("Events"))
            .and_then(Value::as_mapping);
        for event in events.into_iter().flat_map(|events| events.values()) {
            if event.get("Type").and_then(Value::as_str) != Some("Api") {
                continue;
            }
            let properties = event
                .get("Properties")
                .ok_or_else(|| invalid(format!("{name}: Api event has no Properties")))?;
            let api = properties.get("RestApiId").and_then(ref_target);
            if api.as_deref() != Some(api_name) {
                return Err(invalid(format!(
                    "{name}: Api event must name RestApiId !Ref {api_name}"
                )));
            }
            let text = |key: &str| {
                properties
                    .get(key)
                    .and_then(Value::as_str)
                    .map(str::to_owned)
            };
            routes.push(Route {
                method: text("Method")
                    .ok_or_else(|| invalid(format!("{name}: no Method")))?
                    .to_uppercase(),
                path: text("Path").ok_or_else(|| invalid(format!("{name}: no Path")))?,
                function: name.clone(),
                binary: binaries[name].clone(),
                authorizer: properties
                    .get("Auth")
                    .and_then(|auth| auth.get("Authorizer"))
                    .and_then(Value::as_str)
                    .filter(|authorizer| *authorizer != "NONE")
                    .map(str::to_owned),
            });
        }
    }
    Ok(routes)
}

fn ref_target(value: &Value) -> Option<String> {
    match value {
        Value::Tagged(tagged) if tagged.tag == "Ref" => tagged.value.as_str().map(str::to_owned),
        _ => None,
    }
}

/// Returns the logical id named by `!GetAtt Name.Arn`.
fn get_att_target(value: &Value) -> Option<String> {
    let Value::Tagged(tagged) = value else {
        return None;
    };
    let TaggedValue { tag, value } = tagged.as_ref();
    if tag != "GetAtt" {
        return None;
    }
    let target = value.as_str()?;
    target.strip_suffix(".Arn").map(str::to_owned)
}

fn authorizers(
    api: &Value,
    parameters: &HashMap<String, String>,
    binaries: &HashMap<String, String>,
) -> Result<HashMap<String, Authorizer>, TemplateError> {
    let Some(declared) = api
        .get("Auth")
        .and_then(|auth| auth.get("Authorizers"))
        .and_then(Value::as_mapping)
    else {
        return Ok(HashMap::new());
    };

    let mut authorizers = HashMap::new();
    for (name, authorizer) in declared {
        let name = name.as_str().unwrap_or_default().to_owned();
        let function = authorizer
            .get("FunctionArn")
            .and_then(get_att_target)
            .ok_or_else(|| {
                invalid(format!(
                    "authorizer {name}: FunctionArn must be !GetAtt <Function>.Arn"
                ))
            })?;
        let binary = binaries
            .get(&function)
            .ok_or_else(|| invalid(format!("authorizer {name}: no function {function}")))?
            .clone();
        let identity = authorizer.get("Identity");
        let identity_headers = identity
            .and_then(|identity| identity.get("Headers"))
            .and_then(Value::as_sequence)
            .map(|headers| {
                headers
                    .iter()
                    .filter_map(Value::as_str)
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default();
        let ttl = resolve_string(
            identity.and_then(|identity| identity.get("ReauthorizeEvery")),
            parameters,
        )
        .unwrap_or_else(|| "300".to_owned());
        let ttl_seconds = ttl.parse().map_err(|_| {
            invalid(format!(
                "authorizer {name}: ReauthorizeEvery {ttl} is not a number"
            ))
        })?;
        authorizers.insert(
            name,
            Authorizer {
                function,
                binary,
                identity_headers,
                ttl_seconds,
            },
        );
    }
    Ok(authorizers)
}

fn gateway_responses(api: &Value) -> HashMap<String, GatewayResponse> {
    let Some(declared) = api.get("GatewayResponses").and_then(Value::as_mapping) else {
        return HashMap::new();
    };
    declared
        .iter()
        .filter_map(|(kind, response)| {
            let status = response
                .get("StatusCode")
                .and_then(scalar_text)
                .and_then(|status| status.parse().ok());
            let template = response
                .get("ResponseTemplates")
                .and_then(|templates| templates.get("application/json"))
                .and_then(Value::as_str)
                .map(str::to_owned);
            Some((
                kind.as_str()?.to_owned(),
                GatewayResponse { status, template },
            ))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn project_template(overrides: &HashMap<String, String>) -> Template {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../template.yaml");
        match Template::load(&path, overrides) {
            Ok(template) => template,
            Err(error) => panic!("template.yaml does not load: {error}"),
        }
    }

    #[test]
    fn reads_routes_and_authorizer() {
        let template = project_template(&HashMap::new());
        let route = template
            .routes
            .iter()
            .find(|route| route.path == "/v1/infra/users/{uid}");

        assert_eq!(route.map(|route| route.method.as_str()), Some("GET"));
        assert_eq!(
            route.and_then(|route| route.authorizer.as_deref()),
            Some("InfraTokenAuthorizer")
        );
        let authorizer = &template.authorizers["InfraTokenAuthorizer"];
        assert_eq!(authorizer.binary, "infra-token-authorizer");
        assert_eq!(authorizer.ttl_seconds, 0);
        assert_eq!(authorizer.identity_headers, ["Authorization"]);
    }

    #[test]
    fn parameter_override_sets_ttl() {
        let overrides = HashMap::from([("AuthorizerTtl".to_owned(), "30".to_owned())]);
        let template = project_template(&overrides);

        assert_eq!(template.authorizers["InfraTokenAuthorizer"].ttl_seconds, 30);
    }

    #[test]
    fn reads_gateway_responses() {
        let template = project_template(&HashMap::new());
        let denied = &template.gateway_responses["ACCESS_DENIED"];

        assert_eq!(denied.status, Some(401));
        assert!(
            denied
                .template
                .as_deref()
                .is_some_and(|body| body.contains("$context.authorizer.code"))
        );
    }
}
