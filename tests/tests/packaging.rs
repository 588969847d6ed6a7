//! `sam build` can build every function of `template.yaml`: each names, with the
//! `rust-cargolambda` method from the workspace root, a binary of its own crate under
//! `functions/`, and every crate there is deployed and linked by the shared build script.
//! `scripts/test` builds every binary.

#![allow(
    clippy::expect_used,
    reason = "a failed setup step should end the test"
)]

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::process::Command;

use api_tests::{load_template, repo_root};
use serde_json::Value;

/// A binary target of a workspace package.
#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
struct BinaryTarget {
    package: String,
    binary: String,
    manifest: PathBuf,
    /// The package's build script, canonical, if it has one.
    build_script: Option<PathBuf>,
}

/// Lists the binary targets of every workspace package, as `cargo metadata` reports them.
fn workspace_binaries() -> Vec<BinaryTarget> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let output = Command::new(cargo)
        .args([
            "metadata",
            "--no-deps",
            "--format-version",
            "1",
            "--offline",
        ])
        .current_dir(repo_root())
        .output()
        .expect("cargo metadata runs");
    assert!(output.status.success(), "cargo metadata failed");
    let metadata: Value = serde_json::from_slice(&output.stdout).expect("metadata is JSON");

    let mut binaries = Vec::new();
    for package in metadata["packages"].as_array().expect("packages") {
        let targets = package["targets"].as_array().expect("targets");
        let build_script = targets
            .iter()
            .find(|target| is_kind(target, "custom-build"))
            .map(|target| {
                let path = target["src_path"].as_str().expect("src_path");
                PathBuf::from(path)
                    .canonicalize()
                    .expect("build script exists")
            });

        for target in targets.iter().filter(|target| is_kind(target, "bin")) {
            binaries.push(BinaryTarget {
                package: package["name"].as_str().expect("name").to_owned(),
                binary: target["name"].as_str().expect("name").to_owned(),
                manifest: PathBuf::from(package["manifest_path"].as_str().expect("path")),
                build_script: build_script.clone(),
            });
        }
    }
    binaries
}

fn is_kind(target: &Value, kind: &str) -> bool {
    target["kind"]
        .as_array()
        .is_some_and(|kinds| kinds.iter().any(|each| each == kind))
}

fn functions_dir() -> PathBuf {
    repo_root()
        .join("functions")
        .canonicalize()
        .expect("functions/ exists")
}

#[test]
fn functions_use_cargo_lambda_at_root() {
    let template = load_template(&[]);

    for function in &template.functions {
        assert_eq!(
            function.build_method, "rust-cargolambda",
            "{} must use BuildMethod rust-cargolambda",
            function.name
        );
        assert_eq!(
            function.code_uri, ".",
            "{} must build from the workspace root, CodeUri .",
            function.name
        );
        assert!(function.memory_mb >= 128, "{} memory", function.name);
    }
}

#[test]
fn function_binary_is_own_crate() {
    let template = load_template(&[]);
    let binaries = workspace_binaries();
    let functions = functions_dir();

    for function in &template.functions {
        let matches: Vec<&BinaryTarget> = binaries
            .iter()
            .filter(|target| target.binary == function.binary)
            .collect();
        assert_eq!(
            matches.len(),
            1,
            "{}: binary {} must be defined by exactly one workspace crate",
            function.name,
            function.binary
        );
        let target = matches[0];
        assert_eq!(target.package, function.binary, "{}", function.name);
        assert!(
            target.manifest.starts_with(&functions),
            "{}: crate {} must live under functions/",
            function.name,
            target.package
        );
    }
}

#[test]
fn every_crate_under_functions_is_deployed() {
    let template = load_template(&[]);
    let deployed: BTreeSet<&str> = template
        .functions
        .iter()
        .map(|function| function.binary.as_str())
        .collect();
    let functions = functions_dir();

    let undeployed: Vec<String> = workspace_binaries()
        .into_iter()
        .filter(|target| target.manifest.starts_with(&functions))
        .filter(|target| !deployed.contains(target.binary.as_str()))
        .map(|target| target.binary)
        .collect();

    assert!(
        undeployed.is_empty(),
        "crates under functions/ that template.yaml does not deploy: {undeployed:?}"
    );
}

/// Every function and the floor it is measured against link position-dependent through
/// `functions/build.rs`, so the benchmark compares binaries linked alike.
#[test]
fn functions_and_floor_share_build_script() {
    let functions = functions_dir();
    let shared_script = functions.join("build.rs");

    let linked: Vec<BinaryTarget> = workspace_binaries()
        .into_iter()
        .filter(|target| target.manifest.starts_with(&functions) || target.package == "hello-floor")
        .collect();

    assert_eq!(linked.len(), load_template(&[]).functions.len() + 1);
    for target in &linked {
        assert_eq!(
            target.build_script.as_ref(),
            Some(&shared_script),
            "{}: its Cargo.toml must name functions/build.rs as `build`",
            target.package
        );
    }
}

#[test]
fn only_mail_functions_get_mail_settings() {
    let template = load_template(&[]);
    let expected = BTreeSet::from(["auth-signin", "infra-invite-user"]);

    for setting in ["MAIL_ENABLED", "MAIL_SENDER"] {
        let with_setting: BTreeSet<&str> = template
            .functions
            .iter()
            .filter(|function| function.variables.iter().any(|name| name == setting))
            .map(|function| function.binary.as_str())
            .collect();

        assert_eq!(with_setting, expected, "functions that set {setting}");
    }
}
