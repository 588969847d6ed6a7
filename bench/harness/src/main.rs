//! `lambda-bench`: runs every function of `template.yaml`, and a hello-world `lambda_http`
//! floor, as release binaries on a local Lambda Runtime API against moto, and writes the
//! record. `scripts/bench` builds the binaries and starts moto first.

mod cases;
mod cost;
mod measure;
mod minimum;
mod report;
mod runtime_api;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use serde_json::Value;

use crate::cases::Fixture;
use crate::measure::Environment;
use crate::report::{Row, Subject};
use crate::runtime_api::RuntimeApi;

/// Binary of the floor every function is compared with.
const FLOOR: &str = "hello-floor";

#[derive(Debug, Parser)]
#[command(about = "Measure every function binary against the hello-world floor")]
struct Args {
    /// Cargo profile the binaries were built with, for the record.
    #[arg(long, default_value = "release")]
    profile: String,
    /// Directory of the host binaries that run.
    #[arg(long, default_value = "target/release")]
    release_dir: PathBuf,
    /// Directory of cargo-lambda's arm64 output, `<binary>/bootstrap`, for sizes.
    #[arg(long, default_value = "target/lambda")]
    arm64_dir: PathBuf,
    /// Warm invocations per function, after the first.
    #[arg(long, default_value_t = 30)]
    invocations: usize,
    /// Extra cold starts per function, timed for init only.
    #[arg(long, default_value_t = 19)]
    cold_starts: usize,
    /// Only these binaries (all when empty); the floor always runs.
    #[arg(long = "only")]
    only: Vec<String>,
    /// Path of the Markdown record.
    #[arg(long, default_value = "bench/record.md")]
    record: PathBuf,
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = Args::parse();
    match bench(&args).await {
        Ok(0) => ExitCode::SUCCESS,
        Ok(failures) => {
            eprintln!("{failures} function(s) failed; see above");
            ExitCode::FAILURE
        }
        Err(error) => {
            eprintln!("lambda-bench: {error}");
            ExitCode::FAILURE
        }
    }
}

/// Runs every case and writes the record; returns how many functions failed.
async fn bench(args: &Args) -> Result<usize, Box<dyn std::error::Error>> {
    let template = api_tests::load_template(&[]);
    let runtime = RuntimeApi::start().await?;
    let floor = bench_one(args, &runtime, FLOOR, "api-docs", 128, &[]).await?;

    let mut functions = template.functions.clone();
    functions.sort_by(|left, right| left.binary.cmp(&right.binary));
    let mut rows = Vec::new();
    let mut failures = 0;
    for function in functions
        .iter()
        .filter(|function| args.only.is_empty() || args.only.contains(&function.binary))
    {
        let binary = function.binary.as_str();
        eprintln!("bench: {binary}");
        let variables = &function.variables;
        match bench_one(
            args,
            &runtime,
            binary,
            binary,
            function.memory_mb,
            variables,
        )
        .await
        {
            Ok(row) => rows.push(row),
            Err(error) => {
                eprintln!("bench: {binary}: {error}");
                failures += 1;
            }
        }
    }

    let text = report::render(&floor, &rows, &template, args);
    std::fs::write(&args.record, &text)?;
    println!("{text}");
    eprintln!("bench: record written to {}", args.record.display());
    Ok(failures)
}

/// Measures `binary` with the events of the `case` function, on a table of its own: one
/// shared table grows with every case's seeded data until single-threaded moto responds
/// slower than the SDK's attempt timeout. `variables` names the function's own settings in
/// `template.yaml`; mail is enabled only where it sets `MAIL_ENABLED`, as in a deployment.
async fn bench_one(
    args: &Args,
    runtime: &RuntimeApi,
    binary: &str,
    case: &str,
    memory_mb: u64,
    variables: &[String],
) -> Result<Row, Box<dyn std::error::Error>> {
    let fixture = Fixture::start().await?;
    let mut environment = environment(&fixture);
    if variables.iter().any(|name| name == "MAIL_ENABLED") {
        let sender = fixture.api.context.config.mail_sender.clone();
        environment.variables.extend([
            ("MAIL_ENABLED".to_owned(), "true".to_owned()),
            ("MAIL_SENDER".to_owned(), sender),
        ]);
    }
    let events = fixture.events(case, args.invocations + 1).await?;
    measure(args, runtime, &environment, binary, memory_mb, events).await
}

async fn measure(
    args: &Args,
    runtime: &RuntimeApi,
    environment: &Environment,
    binary: &str,
    memory_mb: u64,
    events: Vec<Value>,
) -> Result<Row, Box<dyn std::error::Error>> {
    let path = args.release_dir.join(binary);
    let subject = Subject::of(binary);
    let mut environment = environment.clone();
    environment.variables.push((
        "AWS_LAMBDA_FUNCTION_MEMORY_SIZE".to_owned(),
        memory_mb.to_string(),
    ));

    let floor = args.release_dir.join(FLOOR);
    let paired_floor = (binary != FLOOR).then_some(floor.as_path());
    let run = measure::run(
        runtime,
        &path,
        paired_floor,
        &environment,
        args.cold_starts,
        events,
        |body| subject.accepts(body),
    )
    .await?;
    Ok(Row {
        binary: binary.to_owned(),
        memory_mb,
        host_bytes: file_size(&path),
        arm64_bytes: file_size(&args.arm64_dir.join(binary).join("bootstrap")),
        run,
    })
}

fn file_size(path: &std::path::Path) -> Option<u64> {
    std::fs::metadata(path).ok().map(|metadata| metadata.len())
}

/// The variables `template.yaml` gives every function, pointed at the fixture's table and
/// at moto.
fn environment(fixture: &Fixture) -> Environment {
    let config = &fixture.api.context.config;
    let mut variables: Vec<(String, String)> = [
        ("TABLE_NAME", config.table_name.as_str()),
        ("BASE_URL", config.base_url.as_str()),
        ("INSTANCE_NAME", config.instance_name.as_str()),
        ("SESSION_SECRET", config.session_secret.as_str()),
        ("RUST_LOG", "info"),
        ("AWS_LAMBDA_HTTP_IGNORE_STAGE_IN_PATH", "true"),
        ("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST"),
        ("AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/bench"),
        ("AWS_LAMBDA_LOG_STREAM_NAME", "bench"),
    ]
    .into_iter()
    .map(|(name, value)| (name.to_owned(), value.to_owned()))
    .collect();

    let inherited = [
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
        "AWS_REGION",
        "AWS_ENDPOINT_URL",
        "AWS_ENDPOINT_URL_SESV2",
        "AWS_EC2_METADATA_DISABLED",
        "SSL_CERT_FILE",
        "SSL_CERT_DIR",
    ];
    for name in inherited {
        if let Ok(value) = std::env::var(name) {
            variables.push((name.to_owned(), value));
        }
    }
    Environment { variables }
}
