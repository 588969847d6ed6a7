//! `local-gateway`: bootstraps the table and serves the API on 127.0.0.1.

use std::collections::HashMap;
use std::net::{Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use clap::Parser;
use local_gateway::bootstrap::{Outcome, bootstrap, verify_sender};
use local_gateway::{Gateway, Template};
use shared::AppContext;
use shared::config::Config;
use shared::email::Email;
use shared::secret::Secret;

/// Serves template.yaml's API on 127.0.0.1 against a local emulator (moto).
#[derive(Debug, Parser)]
#[command(version)]
struct Args {
    /// Port to listen on, on 127.0.0.1.
    #[arg(long, env = "LOCAL_PORT", default_value_t = 3000)]
    port: u16,
    /// Email of the first admin, created when the table has no users.
    #[arg(long, env = "ADMIN_EMAIL", default_value = "admin@example.com")]
    admin_email: String,
    /// SAM template that declares the routes, authorizers, gateway responses and table.
    #[arg(long, default_value = "template.yaml")]
    template: PathBuf,
    /// Template parameter as NAME=VALUE, such as AuthorizerTtl=30; repeatable.
    #[arg(long = "parameter", value_parser = parse_parameter)]
    parameters: Vec<(String, String)>,
    /// DynamoDB table name.
    #[arg(long, env = "TABLE_NAME", default_value = "infra-admin-local")]
    table: String,
    /// Public URL of the instance's web app, used in links sent to users.
    #[arg(long, env = "BASE_URL", default_value = "http://localhost:3000")]
    base_url: String,
    /// Instance name shown to users in mail.
    #[arg(long, env = "INSTANCE_NAME", default_value = "infra-admin")]
    instance_name: String,
    /// Send mail through the emulator's SES; with it off, invitation links are only returned.
    #[arg(long, env = "MAIL_ENABLED", default_value_t = true, action = clap::ArgAction::Set)]
    mail_enabled: bool,
    /// Sender address of every mail; the gateway verifies its domain in the emulator.
    #[arg(long, env = "MAIL_SENDER", default_value = "noreply@infra-admin.local")]
    mail_sender: String,
    /// Days an invitation link stays valid.
    #[arg(long, env = "INVITATION_TTL_DAYS", default_value_t = 7)]
    invitation_ttl_days: i64,
    /// Hours a sign-in magic link stays valid.
    #[arg(long, env = "MAGIC_LINK_TTL_HOURS", default_value_t = 24)]
    magic_link_ttl_hours: i64,
    /// Secret that signs access tokens; a random one is made when not given, so sessions
    /// end when the gateway stops.
    #[arg(long, env = "SESSION_SECRET", hide_env_values = true)]
    session_secret: Option<String>,
}

fn parse_parameter(text: &str) -> Result<(String, String), String> {
    let (name, value) = text
        .split_once('=')
        .ok_or_else(|| format!("expected NAME=VALUE, got {text:?}"))?;
    Ok((name.to_owned(), value.to_owned()))
}

#[tokio::main]
async fn main() -> ExitCode {
    shared::telemetry::init();
    match run(Args::parse()).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("local-gateway: {message}");
            ExitCode::FAILURE
        }
    }
}

async fn run(args: Args) -> Result<(), String> {
    require_local_endpoint()?;
    let admin_email = Email::parse(&args.admin_email)
        .ok_or_else(|| format!("--admin-email {:?} is not a valid email", args.admin_email))?;
    let overrides: HashMap<String, String> = args.parameters.into_iter().collect();
    let template = Template::load(&args.template, &overrides).map_err(|e| e.to_string())?;

    let config = Config {
        table_name: args.table,
        base_url: args.base_url,
        instance_name: args.instance_name,
        mail_enabled: args.mail_enabled,
        mail_sender: args.mail_sender,
        invitation_ttl_days: args.invitation_ttl_days,
        magic_link_ttl_hours: args.magic_link_ttl_hours,
        session_secret: args
            .session_secret
            .unwrap_or_else(|| Secret::generate("").expose().to_owned()),
        initial_admin_email: Some(admin_email.as_str().to_owned()),
    };
    let context = Arc::new(AppContext::new(config).await);
    if context.mailer.is_enabled() {
        verify_sender(&context).await.map_err(|e| e.to_string())?;
    }
    let outcome = bootstrap(&context, &template, &admin_email)
        .await
        .map_err(|e| e.to_string())?;

    let endpoint = std::env::var("AWS_ENDPOINT_URL_SESV2")
        .or_else(|_| std::env::var("AWS_ENDPOINT_URL"))
        .unwrap_or_default();
    let gateway = Gateway::new(template, context)
        .map_err(|e| e.to_string())?
        .with_mail_echo(endpoint);
    let address = SocketAddr::from((Ipv4Addr::LOCALHOST, args.port));
    let listener = tokio::net::TcpListener::bind(address)
        .await
        .map_err(|e| format!("cannot listen on {address}: {e}"))?;
    print_welcome(&format!("http://{address}"), &outcome);

    axum::serve(listener, gateway.into_router())
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
        .map_err(|e| format!("server failed: {e}"))
}

/// Refuses to run against real AWS: the gateway is for a local emulator only.
fn require_local_endpoint() -> Result<(), String> {
    let endpoint = std::env::var("AWS_ENDPOINT_URL_SESV2")
        .or_else(|_| std::env::var("AWS_ENDPOINT_URL"))
        .unwrap_or_default();
    let host = endpoint
        .split("://")
        .nth(1)
        .and_then(|rest| rest.split(['/', ':']).next())
        .unwrap_or_default();
    if matches!(host, "127.0.0.1" | "localhost") {
        Ok(())
    } else {
        Err(format!(
            "AWS_ENDPOINT_URL must point at a local emulator on 127.0.0.1, got {endpoint:?}; scripts/dev starts moto and sets it"
        ))
    }
}

fn print_welcome(url: &str, outcome: &Outcome) {
    println!("infra-admin local API listening on {url}");
    match outcome {
        Outcome::Created {
            admin,
            token,
            secret,
        } => {
            println!("  admin:      {} (uid {})", admin.email, admin.uid);
            println!(
                "  InfraToken: {} (id {}, never expires)",
                secret.expose(),
                token.id
            );
            println!(
                "  try:        curl -H \"Authorization: Bearer {}\" {url}/v1/infra/users",
                secret.expose()
            );
            println!(
                "  sign in:    curl -H 'Content-Type: application/json' -d '{{\"email\":\"{}\"}}' {url}/v1/auth/signin",
                admin.email
            );
        }
        Outcome::AlreadyDone { users } => {
            println!(
                "  the table already has {users} users, so bootstrap changed nothing and created no new token"
            );
        }
    }
}
