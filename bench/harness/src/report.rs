//! The Markdown record: figures per function, their ratio to the floor, the AWS calls
//! against each function's minimum, and the cost per million requests.

use std::fmt::Write;
use std::time::Duration;

use local_gateway::Template;
use serde_json::Value;

use crate::Args;
use crate::cost::{self, PRICES, PRICES_AS_OF, Usage};
use crate::measure::{Calls, Run};
use crate::minimum::minimum;

/// Init time allowed, as a multiple of the floor's.
const INIT_TARGET: f64 = 1.5;

/// The kind of event a function takes, which decides what a successful response is.
#[derive(Clone, Copy, Debug)]
pub enum Subject {
    Http,
    Authorizer,
    Event,
}

impl Subject {
    pub fn of(binary: &str) -> Self {
        match binary {
            "sweeper" => Self::Event,
            name if name.ends_with("-authorizer") => Self::Authorizer,
            _ => Self::Http,
        }
    }

    /// Tells whether a response is a success: a 2xx status, an Allow, or any result.
    pub fn accepts(&self, body: &[u8]) -> bool {
        let Ok(value) = serde_json::from_slice::<Value>(body) else {
            return false;
        };
        match self {
            Self::Http => value["statusCode"]
                .as_u64()
                .is_some_and(|status| (200..300).contains(&status)),
            Self::Authorizer => value["policyDocument"]["Statement"][0]["Effect"] == "Allow",
            Self::Event => true,
        }
    }
}

/// One function's figures.
#[derive(Debug)]
pub struct Row {
    pub binary: String,
    pub memory_mb: u64,
    pub host_bytes: Option<u64>,
    pub arm64_bytes: Option<u64>,
    pub run: Run,
}

impl Row {
    fn init(&self) -> Duration {
        median(&self.run.inits)
    }

    /// Returns the floor's median init from the starts paired with this function's, or
    /// `floor`'s own when there are none.
    fn floor_init(&self, floor: &Row) -> Duration {
        if self.run.floor_inits.is_empty() {
            floor.init()
        } else {
            median(&self.run.floor_inits)
        }
    }

    fn warm(&self) -> Duration {
        median(&self.run.warm)
    }

    /// Mean use per invocation, for the cost table.
    fn usage(&self) -> Usage {
        let calls = &self.run.calls;
        let count = calls.len().max(1) as f64;
        let sum = |pick: fn(&Calls) -> f64| calls.iter().map(pick).sum::<f64>() / count;
        Usage {
            billed_ms: (self.warm().as_secs_f64() * 1000.0).ceil(),
            memory_mb: self.memory_mb,
            read_units: sum(|call| call.read_units),
            write_units: sum(|call| call.write_units),
            ses_messages: sum(|call| f64::from(call.ses)),
        }
    }

    /// Returns the maximum DynamoDB and SES calls of any one invocation.
    fn max_calls(&self) -> (u32, u32) {
        let calls = &self.run.calls;
        let dynamodb = calls.iter().map(|call| call.dynamodb).max().unwrap_or(0);
        let ses = calls.iter().map(|call| call.ses).max().unwrap_or(0);
        (dynamodb, ses)
    }
}

/// Renders the whole record.
pub fn render(floor: &Row, rows: &[Row], template: &Template, args: &Args) -> String {
    let mut text = String::new();
    let _ = writeln!(text, "# Benchmark record\n");
    let _ = writeln!(
        text,
        "Written by `scripts/bench` on {}, Cargo profile `{}`: {} warm invocations and {} cold starts per function, on {}.\n",
        chrono::Utc::now().format("%Y-%m-%d %H:%M UTC"),
        args.profile,
        args.invocations,
        args.cold_starts + 1,
        machine(),
    );
    performance(&mut text, floor, rows);
    calls(&mut text, rows);
    costs(&mut text, rows, template);
    text
}

fn performance(text: &mut String, floor: &Row, rows: &[Row]) {
    let _ = writeln!(text, "## Size, init, memory and latency\n");
    let _ = writeln!(
        text,
        "Ratios are to `{}` in the same run. Each function's cold starts alternate with as many starts of the floor, and its init ratio is to the median of those (the floor init column). Init target: at most {INIT_TARGET}x the floor.\n",
        floor.binary
    );
    let _ = writeln!(
        text,
        "| function | arm64 size | host size | init ms | floor init ms | init x floor | peak RSS MiB | RSS x floor | first ms | warm p50 ms | warm p90 ms | warm x floor | CPU µs per warm call |"
    );
    let _ = writeln!(
        text,
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
    );
    for row in std::iter::once(floor).chain(rows) {
        let floor_init = row.floor_init(floor);
        let init_ratio = ratio(row.init(), floor_init);
        let mark = if init_ratio > INIT_TARGET {
            " (over)"
        } else {
            ""
        };
        let _ = writeln!(
            text,
            "| {} | {} | {} | {:.1} | {:.1} | {:.2}{mark} | {:.1} | {:.2} | {:.2} | {:.2} | {:.2} | {:.2} | {:.0} |",
            row.binary,
            size(row.arm64_bytes),
            size(row.host_bytes),
            millis(row.init()),
            millis(floor_init),
            init_ratio,
            row.run.peak_rss_kib as f64 / 1024.0,
            row.run.peak_rss_kib as f64 / floor.run.peak_rss_kib.max(1) as f64,
            millis(row.run.first),
            millis(row.warm()),
            millis(percentile(&row.run.warm, 0.9)),
            ratio(row.warm(), floor.warm()),
            row.run.warm_cpu.as_secs_f64() * 1e6,
        );
    }
    let _ = writeln!(text);
}

fn calls(text: &mut String, rows: &[Row]) {
    let _ = writeln!(text, "## AWS calls per request\n");
    let _ = writeln!(
        text,
        "Counted by the SDK interceptor in every function; the most any one invocation made. Target: DynamoDB calls at most the minimum plus one.\n"
    );
    let _ = writeln!(
        text,
        "| function | DynamoDB calls | minimum | SES calls | minimum | read units | write units | within target | the minimum's calls |"
    );
    let _ = writeln!(text, "|---|---:|---:|---:|---:|---:|---:|---|---|");
    for row in rows {
        let (dynamodb, ses) = row.max_calls();
        let usage = row.usage();
        let (least, verdict) = match minimum(&row.binary) {
            Some(least) => {
                let within = dynamodb <= least.dynamodb + 1 && ses <= least.ses;
                (Some(least), if within { "yes" } else { "no" })
            }
            None => (None, "no minimum recorded"),
        };
        let _ = writeln!(
            text,
            "| {} | {dynamodb} | {} | {ses} | {} | {:.1} | {:.1} | {verdict} | {} |",
            row.binary,
            least.map_or("?".to_owned(), |least| least.dynamodb.to_string()),
            least.map_or("?".to_owned(), |least| least.ses.to_string()),
            usage.read_units,
            usage.write_units,
            least.map_or("", |least| least.breakdown),
        );
    }
    let _ = writeln!(text);
}

fn costs(text: &mut String, rows: &[Row], template: &Template) {
    let _ = writeln!(text, "## Cost per million requests, USD\n");
    let _ = writeln!(
        text,
        "us-east-1 on-demand prices as of {PRICES_AS_OF}: Lambda arm64 {} per GB-second and {} per million requests; API Gateway REST {} per million requests; DynamoDB {} per million write units and {} per million read units; SES {} per million messages. Lambda time is the warm p50 rounded up to the millisecond at the template's memory; a route's cost includes its authorizer, which runs on every request while `AuthorizerTtl` is 0. Init time of cold starts is not included.\n",
        PRICES.lambda_arm64_gb_second,
        PRICES.lambda_requests_per_million,
        PRICES.rest_requests_per_million,
        PRICES.write_units_per_million,
        PRICES.read_units_per_million,
        PRICES.ses_messages_per_million,
    );
    let _ = writeln!(
        text,
        "| function | route | memory MB | Lambda | DynamoDB | SES | API Gateway | total |"
    );
    let _ = writeln!(text, "|---|---|---:|---:|---:|---:|---:|---:|");
    for row in rows {
        let route = template
            .routes
            .iter()
            .find(|route| route.binary == row.binary);
        let authorizer = route
            .and_then(|route| route.authorizer.as_ref())
            .and_then(|name| template.authorizers.get(name))
            .and_then(|authorizer| rows.iter().find(|other| other.binary == authorizer.binary))
            .map(Row::usage);
        let usage = row.usage();
        let cost = match route {
            Some(_) => cost::request_cost(&usage, authorizer.as_ref(), &PRICES),
            None => cost::function_cost(&usage, &PRICES),
        };
        let route = route.map_or(
            "(invoked by API Gateway or a schedule)".to_owned(),
            |route| format!("{} {}", route.method, route.path),
        );
        let _ = writeln!(
            text,
            "| {} | {route} | {} | {:.2} | {:.2} | {:.2} | {:.2} | {:.2} |",
            row.binary,
            row.memory_mb,
            cost.lambda,
            cost.dynamodb,
            cost.ses,
            cost.gateway,
            cost.total(),
        );
    }
    let _ = writeln!(text);
}

/// Describes the CPU model and count, from `/proc/cpuinfo`.
fn machine() -> String {
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let model = cpuinfo
        .lines()
        .find_map(|line| line.strip_prefix("model name"))
        .map(|rest| rest.trim_start_matches([' ', '\t', ':']).to_owned())
        .unwrap_or_else(|| "an unknown CPU".to_owned());
    let count = std::thread::available_parallelism().map_or(1, usize::from);
    format!("{count} x {model} ({})", std::env::consts::ARCH)
}

fn median(samples: &[Duration]) -> Duration {
    percentile(samples, 0.5)
}

/// Returns the sample at quantile `q` (nearest rank).
fn percentile(samples: &[Duration], q: f64) -> Duration {
    let mut sorted = samples.to_vec();
    sorted.sort();
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let rank = ((sorted.len() as f64) * q).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

fn ratio(value: Duration, floor: Duration) -> f64 {
    value.as_secs_f64() / floor.as_secs_f64().max(f64::EPSILON)
}

fn millis(value: Duration) -> f64 {
    value.as_secs_f64() * 1000.0
}

fn size(bytes: Option<u64>) -> String {
    bytes.map_or("not built".to_owned(), |bytes| {
        format!("{:.2} MiB", bytes as f64 / (1024.0 * 1024.0))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(values: &[u64]) -> Vec<Duration> {
        values
            .iter()
            .map(|value| Duration::from_millis(*value))
            .collect()
    }

    #[test]
    fn percentile_takes_the_nearest_rank() {
        let samples = ms(&[5, 1, 4, 2, 3]);

        assert_eq!(median(&samples), Duration::from_millis(3));
        assert_eq!(percentile(&samples, 0.9), Duration::from_millis(5));
        assert_eq!(median(&[]), Duration::ZERO);
    }

    #[test]
    fn http_success_needs_2xx_status() {
        assert!(Subject::Http.accepts(br#"{"statusCode":201,"body":""}"#));
        assert!(!Subject::Http.accepts(br#"{"statusCode":404,"body":""}"#));
        assert!(!Subject::Http.accepts(b"not json"));
    }

    #[test]
    fn authorizer_success_needs_allow() {
        let allow = br#"{"policyDocument":{"Statement":[{"Effect":"Allow"}]}}"#;
        let deny = br#"{"policyDocument":{"Statement":[{"Effect":"Deny"}]}}"#;

        assert!(Subject::Authorizer.accepts(allow));
        assert!(!Subject::Authorizer.accepts(deny));
    }
}
