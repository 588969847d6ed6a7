//! The OpenAPI document covers exactly the routes of `template.yaml`, and both docs routes
//! are served.

#![allow(
    clippy::expect_used,
    reason = "a failed setup step should end the test"
)]

use std::collections::{BTreeMap, BTreeSet};

use api_tests::{TestApi, load_template};
use reqwest::{Method, StatusCode};
use serde_json::Value;

/// Returns `{ "METHOD path": [path parameter names] }` of the document.
fn documented_operations(document: &Value) -> BTreeMap<String, BTreeSet<String>> {
    let mut operations = BTreeMap::new();
    let paths = document["paths"].as_object().expect("paths");
    for (path, item) in paths {
        for method in ["get", "put", "post", "patch", "delete"] {
            let Some(operation) = item.get(method) else {
                continue;
            };
            let parameters = operation["parameters"]
                .as_array()
                .cloned()
                .unwrap_or_default();
            let names = parameters
                .iter()
                .filter(|parameter| parameter["in"] == "path")
                .map(|parameter| parameter["name"].as_str().expect("name").to_owned())
                .collect();
            operations.insert(format!("{} {path}", method.to_uppercase()), names);
        }
    }
    operations
}

/// Returns the names between braces of a path template.
fn path_parameters(path: &str) -> BTreeSet<String> {
    path.split('/')
        .filter_map(|segment| segment.strip_prefix('{')?.strip_suffix('}'))
        .map(|name| name.trim_end_matches('+').to_owned())
        .collect()
}

#[test]
fn document_matches_template_routes() {
    let template = load_template(&[]);
    let document = serde_json::to_value(api_docs::document()).expect("JSON");
    let documented = documented_operations(&document);

    let routed: BTreeMap<String, BTreeSet<String>> = template
        .routes
        .iter()
        .map(|route| {
            (
                format!("{} {}", route.method, route.path),
                path_parameters(&route.path),
            )
        })
        .collect();

    let missing: Vec<&String> = routed
        .keys()
        .filter(|key| !documented.contains_key(*key))
        .collect();
    let extra: Vec<&String> = documented
        .keys()
        .filter(|key| !routed.contains_key(*key))
        .collect();
    assert!(
        missing.is_empty(),
        "routes without an operation: {missing:?}"
    );
    assert!(extra.is_empty(), "operations without a route: {extra:?}");
    for (key, parameters) in &routed {
        assert_eq!(&documented[key], parameters, "path parameters of {key}");
    }
}

#[test]
fn every_operation_documents_errors() {
    let document = serde_json::to_value(api_docs::document()).expect("JSON");
    let mut ids = BTreeSet::new();

    for (key, item) in document["paths"].as_object().expect("paths") {
        for (method, operation) in item.as_object().expect("item") {
            let responses = operation["responses"].as_object().expect("responses");
            for status in ["400", "429", "500", "503"] {
                assert!(
                    responses.contains_key(status),
                    "{method} {key} lacks {status}"
                );
            }
            if key.starts_with("/v1/infra") || key.starts_with("/v1/admin") {
                assert!(responses.contains_key("401"), "{method} {key} lacks 401");
            }
            if key.starts_with("/v1/admin") {
                assert!(responses.contains_key("403"), "{method} {key} lacks 403");
                assert_eq!(operation["security"][0]["session"], serde_json::json!([]));
            }
            assert!(
                ids.insert(operation["operationId"].to_string()),
                "{method} {key}: duplicate operationId"
            );
        }
    }
    let schemes = &document["components"]["securitySchemes"];
    assert_eq!(schemes["infra_token"]["scheme"], "bearer");
    assert_eq!(schemes["session"]["scheme"], "bearer");
}

#[tokio::test]
async fn docs_routes_are_served() {
    let api = TestApi::start().await;

    let json = api.send(Method::GET, "/api-docs-json", None, None).await;
    let page = reqwest::get(format!("{}/api-docs", api.url))
        .await
        .expect("page");

    assert_eq!(json.status, StatusCode::OK);
    assert!(
        json.body["openapi"]
            .as_str()
            .is_some_and(|version| version.starts_with("3."))
    );
    assert!(json.body["paths"]["/v1/infra/users"]["get"].is_object());
    assert_eq!(page.status(), StatusCode::OK);
    let content_type = page.headers()["content-type"]
        .to_str()
        .expect("text")
        .to_owned();
    assert!(content_type.starts_with("text/html"));
    assert!(page.text().await.expect("text").contains("api-docs-json"));
}

#[tokio::test]
async fn docs_routes_reject_unknown_parameters() {
    let api = TestApi::start().await;

    for path in ["/api-docs-json?foo=1", "/api-docs?foo=1"] {
        let response = api.send(Method::GET, path, None, None).await;

        assert_eq!(response.status, StatusCode::BAD_REQUEST, "{path}");
        assert_eq!(
            response.body["message"][0], "property foo should not exist",
            "{path}"
        );
    }
}
