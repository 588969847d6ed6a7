//! Runs one function binary as Lambda would: a fresh process pointed at the local Runtime
//! API, timed from its start to its first request for work, then invoked warm.

use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

use serde_json::Value;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

use crate::runtime_api::RuntimeApi;

/// Time a function gets to ask for its first event.
const INIT_LIMIT: Duration = Duration::from_secs(20);
/// Time a function gets to respond to one event.
const INVOKE_LIMIT: Duration = Duration::from_secs(30);

/// The environment of every function process, beside the Runtime API address.
#[derive(Clone, Debug)]
pub struct Environment {
    pub variables: Vec<(String, String)>,
}

/// The measurements of one function.
#[derive(Debug)]
pub struct Run {
    /// From process start to its first request for work, per cold start.
    pub inits: Vec<Duration>,
    /// The floor's inits, each started right after one of this binary's cold starts, so
    /// that both are timed under the same machine load. Empty for the floor itself.
    pub floor_inits: Vec<Duration>,
    /// The first invocation after init.
    pub first: Duration,
    /// Every later invocation.
    pub warm: Vec<Duration>,
    /// CPU time the process used per warm invocation, all its threads together.
    pub warm_cpu: Duration,
    /// Peak resident set size, in KiB.
    pub peak_rss_kib: u64,
    /// The `aws calls` line of each invocation.
    pub calls: Vec<Calls>,
}

/// One invocation's AWS calls, as the function logged them.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Calls {
    pub dynamodb: u32,
    pub ses: u32,
    pub read_units: f64,
    pub write_units: f64,
}

/// The function did not behave as a Lambda function must.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    #[error("{0} did not start: {1}")]
    Spawn(String, std::io::Error),
    #[error("{0} did not ask for an event within {INIT_LIMIT:?}")]
    NoPoll(String),
    #[error("{0} did not respond within {INVOKE_LIMIT:?}")]
    NoResponse(String),
    #[error("{binary} failed event {index}: {body}")]
    Failed {
        binary: String,
        index: usize,
        body: String,
    },
}

/// Starts `binary` `cold_starts` times to time its init, each time followed by one start of
/// `floor` when given, then once more to send it every event in turn. `accept` judges
/// each response body.
pub async fn run(
    api: &RuntimeApi,
    path: &Path,
    floor: Option<&Path>,
    environment: &Environment,
    cold_starts: usize,
    events: Vec<Value>,
    accept: impl Fn(&[u8]) -> bool,
) -> Result<Run, RunError> {
    let binary = file_name(path);

    let mut inits = Vec::with_capacity(cold_starts);
    let mut floor_inits = Vec::with_capacity(cold_starts);
    for _ in 0..cold_starts {
        inits.push(time_init(api, path, environment).await?);
        if let Some(floor) = floor {
            floor_inits.push(time_init(api, floor, environment).await?);
        }
    }

    let (mut child, init) = start(api, path, environment, &binary).await?;
    inits.push(init);
    let stdout = child.stdout.take();
    let lines = tokio::spawn(read_lines(stdout));

    let pid = child.id().unwrap_or_default();
    let mut durations = Vec::with_capacity(events.len());
    let mut cpu_after_first = 0;
    for (index, event) in events.into_iter().enumerate() {
        let outcome = tokio::time::timeout(INVOKE_LIMIT, api.invoke(event))
            .await
            .ok()
            .flatten()
            .ok_or_else(|| RunError::NoResponse(binary.clone()))?;
        if outcome.failed || !accept(&outcome.body) {
            stop(&mut child).await;
            return Err(RunError::Failed {
                binary,
                index,
                body: String::from_utf8_lossy(&outcome.body).into_owned(),
            });
        }
        durations.push(outcome.at - outcome.taken_at);
        if index == 0 {
            cpu_after_first = cpu_time_ns(pid);
        }
    }

    let warm_count = durations.len().saturating_sub(1).max(1) as u64;
    let warm_cpu =
        Duration::from_nanos(cpu_time_ns(pid).saturating_sub(cpu_after_first) / warm_count);
    let peak_rss_kib = peak_rss(pid);
    stop(&mut child).await;
    let calls = lines.await.unwrap_or_default();

    let mut durations = durations.into_iter();
    Ok(Run {
        inits,
        floor_inits,
        first: durations.next().unwrap_or_default(),
        warm: durations.collect(),
        warm_cpu,
        peak_rss_kib,
        calls,
    })
}

/// Starts the process, waits for its first request for work and stops it again.
async fn time_init(
    api: &RuntimeApi,
    path: &Path,
    environment: &Environment,
) -> Result<Duration, RunError> {
    let (mut child, init) = start(api, path, environment, &file_name(path)).await?;
    stop(&mut child).await;
    Ok(init)
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Starts the process and waits for its first request for work.
async fn start(
    api: &RuntimeApi,
    path: &Path,
    environment: &Environment,
    binary: &str,
) -> Result<(Child, Duration), RunError> {
    let first_poll = api.watch_first_poll().await;
    let mut command = Command::new(path);
    command
        .env_clear()
        .envs(environment.variables.iter().cloned())
        .env("AWS_LAMBDA_RUNTIME_API", api.address.to_string())
        .env("AWS_LAMBDA_FUNCTION_NAME", binary)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .kill_on_drop(true);

    let started = Instant::now();
    let mut child = command
        .spawn()
        .map_err(|error| RunError::Spawn(binary.to_owned(), error))?;
    match tokio::time::timeout(INIT_LIMIT, first_poll).await {
        Ok(Ok(at)) => Ok((child, at - started)),
        _ => {
            stop(&mut child).await;
            Err(RunError::NoPoll(binary.to_owned()))
        }
    }
}

async fn stop(child: &mut Child) {
    let _ = child.kill().await;
}

/// Sums the time every thread of the process has run on a CPU, in nanoseconds, from the
/// first field of `/proc/<pid>/task/<tid>/schedstat`.
fn cpu_time_ns(pid: u32) -> u64 {
    let Ok(tasks) = std::fs::read_dir(format!("/proc/{pid}/task")) else {
        return 0;
    };
    tasks
        .flatten()
        .filter_map(|task| std::fs::read_to_string(task.path().join("schedstat")).ok())
        .filter_map(|text| text.split_whitespace().next()?.parse::<u64>().ok())
        .sum()
}

/// Reads `VmHWM`, the peak resident set size, from `/proc/<pid>/status`.
fn peak_rss(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

/// Collects the `aws calls` log lines until the process closes its stdout, and prints
/// every warning and error the function logged.
async fn read_lines(stdout: Option<tokio::process::ChildStdout>) -> Vec<Calls> {
    let Some(stdout) = stdout else {
        return Vec::new();
    };
    let mut lines = BufReader::new(stdout).lines();
    let mut calls = Vec::new();
    while let Ok(Some(line)) = lines.next_line().await {
        if let Some(parsed) = parse_calls(&line) {
            calls.push(parsed);
        } else if line.contains(r#""level":"ERROR""#) || line.contains(r#""level":"WARN""#) {
            eprintln!("function log: {line}");
        }
    }
    calls
}

/// Parses one JSON log line, if it is an `aws calls` line.
fn parse_calls(line: &str) -> Option<Calls> {
    let value: Value = serde_json::from_str(line).ok()?;
    let fields = value.get("fields")?;
    if fields.get("message")?.as_str()? != "aws calls" {
        return None;
    }
    let count = |name: &str| fields.get(name).and_then(Value::as_u64).unwrap_or(0) as u32;
    let units = |name: &str| fields.get(name).and_then(Value::as_f64).unwrap_or(0.0);
    Some(Calls {
        dynamodb: count("dynamodb_calls"),
        ses: count("ses_calls"),
        read_units: units("read_units"),
        write_units: units("write_units"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_calls_line_and_skips_others() {
        let line = r#"{"level":"INFO","fields":{"message":"aws calls","request_id":"r","dynamodb_calls":2,"ses_calls":1,"read_units":1.5,"write_units":4.0}}"#;
        let other = r#"{"level":"INFO","fields":{"message":"user renamed"}}"#;

        assert_eq!(
            parse_calls(line),
            Some(Calls {
                dynamodb: 2,
                ses: 1,
                read_units: 1.5,
                write_units: 4.0
            })
        );
        assert_eq!(parse_calls(other), None);
        assert_eq!(parse_calls("not json"), None);
    }
}
