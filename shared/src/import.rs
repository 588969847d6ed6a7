//! Validation of a Hoppscotch collection export into a flat import plan: collections with
//! their parent and position, and requests with their collection and position.
//!
//! The file is one collection object ("Export collection") or an array of them ("Export
//! workspace"). Collections carry a numeric schema `v` from 1 to 12, or none in the
//! version-1 shape; REST requests a string `v` from "1" to "17", GraphQL requests a
//! number up to 9, and legacy requests none. Every problem is reported with the JSON path
//! of the offending element, and nothing is planned for a file with any problem.

use serde_json::{Map, Value};

/// Maximum size of an import file, in bytes.
pub const MAX_IMPORT_BYTES: usize = 2 * 1024 * 1024;
/// Maximum folder nesting, counting top-level collections as depth 1.
pub const MAX_DEPTH: usize = 10;
/// Maximum collections and requests in one import, together.
pub const MAX_ITEMS: usize = 5000;
/// Newest collection schema version this importer reads.
pub const MAX_COLLECTION_VERSION: u64 = 12;
/// Newest REST request schema version this importer reads.
pub const MAX_REQUEST_VERSION: u64 = 17;
/// Newest GraphQL request schema version this importer reads.
pub const MAX_GRAPHQL_REQUEST_VERSION: u64 = 9;

/// Keys that exporters may leave and that an import never keeps: new ids are made.
const DROPPED_KEYS: [&str; 2] = ["id", "_ref_id"];

/// A collection or folder to create.
#[derive(Clone, Debug, PartialEq)]
pub struct PlannedCollection {
    /// Index into the plan's collections of the parent, `None` for a top-level collection.
    pub parent: Option<usize>,
    /// Position among its siblings, from 0.
    pub position: usize,
    pub title: String,
    /// The collection's own fields, without `folders`, `requests` and ids.
    pub data: Value,
}

/// A request to create.
#[derive(Clone, Debug, PartialEq)]
pub struct PlannedRequest {
    /// Index into the plan's collections.
    pub collection: usize,
    /// Position in its collection, from 0.
    pub position: usize,
    pub title: String,
    /// The request object as given, without ids.
    pub request: Value,
}

/// Items an import creates, in file order.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ImportPlan {
    pub collections: Vec<PlannedCollection>,
    pub requests: Vec<PlannedRequest>,
}

/// Problem that stops a file from being imported.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ImportProblem {
    /// Not JSON, or an element of the wrong shape, at `path`.
    InvalidShape { path: String, reason: String },
    /// Folders nested deeper than [`MAX_DEPTH`], at `path`.
    TooDeep { path: String },
    /// More than [`MAX_ITEMS`] collections and requests.
    TooManyItems,
}

/// Validates an export and plans the import.
pub fn plan_import(bytes: &[u8]) -> Result<ImportPlan, ImportProblem> {
    let value: Value =
        serde_json::from_slice(bytes).map_err(|error| ImportProblem::InvalidShape {
            path: "$".to_owned(),
            reason: format!("not valid JSON: {error}"),
        })?;
    let roots = match value {
        Value::Array(items) => items,
        object @ Value::Object(_) => vec![object],
        _ => {
            return Err(shape(
                "$",
                "must be a collection object or an array of them",
            ));
        }
    };

    let mut plan = ImportPlan::default();
    for (position, root) in roots.iter().enumerate() {
        plan_collection(
            &mut plan,
            root,
            None,
            position,
            &format!("$[{position}]"),
            1,
        )?;
    }
    Ok(plan)
}

fn shape(path: &str, reason: &str) -> ImportProblem {
    ImportProblem::InvalidShape {
        path: path.to_owned(),
        reason: reason.to_owned(),
    }
}

fn plan_collection(
    plan: &mut ImportPlan,
    value: &Value,
    parent: Option<usize>,
    position: usize,
    path: &str,
    depth: usize,
) -> Result<(), ImportProblem> {
    if depth > MAX_DEPTH {
        return Err(ImportProblem::TooDeep {
            path: path.to_owned(),
        });
    }
    let object = value
        .as_object()
        .ok_or_else(|| shape(path, "must be an object"))?;
    check_collection_version(object, path)?;
    let title = text_field(object, "name", path)?;
    let folders = list_field(object, "folders", path)?;
    let requests = list_field(object, "requests", path)?;

    let index = plan.collections.len();
    plan.collections.push(PlannedCollection {
        parent,
        position,
        title,
        data: Value::Object(without(object, &["folders", "requests"])),
    });
    count_item(plan)?;

    for (position, request) in requests.iter().enumerate() {
        let request_path = format!("{path}.requests[{position}]");
        plan_request(plan, request, index, position, &request_path)?;
    }
    for (position, folder) in folders.iter().enumerate() {
        let folder_path = format!("{path}.folders[{position}]");
        plan_collection(plan, folder, Some(index), position, &folder_path, depth + 1)?;
    }
    Ok(())
}

fn plan_request(
    plan: &mut ImportPlan,
    value: &Value,
    collection: usize,
    position: usize,
    path: &str,
) -> Result<(), ImportProblem> {
    let object = value
        .as_object()
        .ok_or_else(|| shape(path, "must be an object"))?;
    check_request_version(object, path)?;
    let title = text_field(object, "name", path)?;
    plan.requests.push(PlannedRequest {
        collection,
        position,
        title,
        request: Value::Object(without(object, &[])),
    });
    count_item(plan)
}

fn count_item(plan: &ImportPlan) -> Result<(), ImportProblem> {
    if plan.collections.len() + plan.requests.len() > MAX_ITEMS {
        return Err(ImportProblem::TooManyItems);
    }
    Ok(())
}

/// Checks a collection's `v`: a number from 1 to the newest version, or absent.
fn check_collection_version(object: &Map<String, Value>, path: &str) -> Result<(), ImportProblem> {
    match object.get("v") {
        None => Ok(()),
        Some(Value::Number(number))
            if number
                .as_u64()
                .is_some_and(|v| (1..=MAX_COLLECTION_VERSION).contains(&v)) =>
        {
            Ok(())
        }
        Some(_) => Err(shape(
            &format!("{path}.v"),
            &format!("collection version must be a number from 1 to {MAX_COLLECTION_VERSION}"),
        )),
    }
}

/// Checks a request's `v`: a REST version string, a GraphQL version number, or absent.
fn check_request_version(object: &Map<String, Value>, path: &str) -> Result<(), ImportProblem> {
    let valid = match object.get("v") {
        None => true,
        Some(Value::String(text)) => {
            text.bytes().all(|byte| byte.is_ascii_digit())
                && text
                    .parse::<u64>()
                    .is_ok_and(|v| (1..=MAX_REQUEST_VERSION).contains(&v))
        }
        Some(Value::Number(number)) => number
            .as_u64()
            .is_some_and(|v| (1..=MAX_GRAPHQL_REQUEST_VERSION).contains(&v)),
        Some(_) => false,
    };
    if valid {
        Ok(())
    } else {
        Err(shape(
            &format!("{path}.v"),
            &format!(
                "request version must be a string from \"1\" to \"{MAX_REQUEST_VERSION}\", or a GraphQL version number up to {MAX_GRAPHQL_REQUEST_VERSION}"
            ),
        ))
    }
}

fn text_field(object: &Map<String, Value>, key: &str, path: &str) -> Result<String, ImportProblem> {
    match object.get(key) {
        Some(Value::String(text)) => Ok(text.clone()),
        _ => Err(shape(&format!("{path}.{key}"), "must be a string")),
    }
}

fn list_field<'a>(
    object: &'a Map<String, Value>,
    key: &str,
    path: &str,
) -> Result<&'a [Value], ImportProblem> {
    match object.get(key) {
        None => Ok(&[]),
        Some(Value::Array(items)) => Ok(items),
        Some(_) => Err(shape(&format!("{path}.{key}"), "must be an array")),
    }
}

fn without(object: &Map<String, Value>, extra: &[&str]) -> Map<String, Value> {
    object
        .iter()
        .filter(|(key, _)| !DROPPED_KEYS.contains(&key.as_str()) && !extra.contains(&key.as_str()))
        .map(|(key, value)| (key.clone(), value.clone()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn plan(value: Value) -> Result<ImportPlan, ImportProblem> {
        plan_import(value.to_string().as_bytes())
    }

    #[test]
    fn nested_folders_keep_order() {
        let file = json!({
            "v": 12, "name": "Root", "id": "old",
            "folders": [
                { "v": 12, "name": "A", "folders": [{ "v": 11, "name": "A1", "folders": [], "requests": [] }], "requests": [] },
                { "v": 12, "name": "B", "folders": [], "requests": [{ "v": "17", "name": "r1" }, { "v": "3", "name": "r2" }] }
            ],
            "requests": [{ "name": "legacy", "url": "https://x.test", "path": "/" }]
        });

        let plan = plan(file).expect("valid");

        let titles: Vec<&str> = plan.collections.iter().map(|c| c.title.as_str()).collect();
        assert_eq!(titles, ["Root", "A", "A1", "B"]);
        assert_eq!(plan.collections[2].parent, Some(1));
        assert_eq!(plan.collections[3].position, 1);
        let requests: Vec<(&str, usize, usize)> = plan
            .requests
            .iter()
            .map(|r| (r.title.as_str(), r.collection, r.position))
            .collect();
        assert_eq!(requests, [("legacy", 0, 0), ("r1", 3, 0), ("r2", 3, 1)]);
        assert!(plan.collections[0].data.get("id").is_none());
        assert!(plan.collections[0].data.get("folders").is_none());
    }

    #[test]
    fn problems_name_their_path() {
        let cases = [
            (json!(5), "$"),
            (json!([{ "v": 13, "name": "x" }]), "$[0].v"),
            (json!([{ "v": "12", "name": "x" }]), "$[0].v"),
            (json!([{ "v": 12 }]), "$[0].name"),
            (
                json!([{ "v": 12, "name": "x", "folders": {} }]),
                "$[0].folders",
            ),
            (
                json!([{ "v": 12, "name": "x", "requests": [{ "v": "18", "name": "r" }] }]),
                "$[0].requests[0].v",
            ),
            (
                json!([{ "v": 12, "name": "x", "requests": [{ "v": 17, "name": "r" }] }]),
                "$[0].requests[0].v",
            ),
            (
                json!([{ "v": 12, "name": "x", "requests": ["r"] }]),
                "$[0].requests[0]",
            ),
        ];
        for (file, path) in cases {
            match plan(file.clone()) {
                Err(ImportProblem::InvalidShape { path: found, .. }) => {
                    assert_eq!(found, path, "{file}")
                }
                other => panic!("{file}: {other:?}"),
            }
        }
    }

    #[test]
    fn depth_and_count_limits() {
        let mut deep = json!({ "v": 12, "name": "leaf" });
        for _ in 0..MAX_DEPTH {
            deep = json!({ "v": 12, "name": "level", "folders": [deep] });
        }
        assert!(matches!(plan(deep), Err(ImportProblem::TooDeep { .. })));

        let requests: Vec<Value> = (0..MAX_ITEMS)
            .map(|i| json!({ "v": "17", "name": format!("r{i}") }))
            .collect();
        let many = json!({ "v": 12, "name": "big", "requests": requests });
        assert_eq!(plan(many), Err(ImportProblem::TooManyItems));
    }

    #[test]
    fn malformed_json_is_shape_problem() {
        let result = plan_import(b"{\"v\": 12,");

        assert!(matches!(result, Err(ImportProblem::InvalidShape { path, .. }) if path == "$"));
    }
}
