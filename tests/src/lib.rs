//! Test harness: a local gateway on its own table in moto, one per test, so tests can
//! run in parallel. `scripts/test` starts moto and sets `AWS_ENDPOINT_URL`.

#![allow(clippy::expect_used, clippy::panic)]

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::{DateTime, Utc};
use local_gateway::bootstrap::{Outcome, bootstrap};
use local_gateway::{Gateway, Template};
use reqwest::{Method, StatusCode};
use serde_json::Value;
use shared::AppContext;
use shared::config::Config;
use shared::email::Email;
use shared::secret::Secret;
use shared::store::{Actor, NewInfraToken, NewUser, User};

/// Domain of the admin that bootstrap creates in every test table. Each table's admin gets
/// its own address, so a test that reads its admin's mail never reads another test's.
pub const ADMIN_DOMAIN: &str = "example.com";

/// Returns the repository root.
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Loads `template.yaml` with parameter overrides.
pub fn load_template(overrides: &[(&str, &str)]) -> Template {
    let overrides: HashMap<String, String> = overrides
        .iter()
        .map(|(name, value)| ((*name).to_owned(), (*value).to_owned()))
        .collect();
    Template::load(&repo_root().join("template.yaml"), &overrides).expect("template.yaml loads")
}

/// Secret that signs test access tokens.
pub const SESSION_SECRET: &str = "test-session-secret-of-at-least-32-bytes";

/// Sender of test mail; the harness verifies its domain in moto.
pub const MAIL_SENDER: &str = "noreply@infra-admin.test";

/// Builds a context on a new, uniquely named table (not created yet), with mail on.
pub async fn new_context() -> Arc<AppContext> {
    new_context_with(|_| {}).await
}

/// Builds a context as [`new_context`] does, then lets `adjust` change its configuration.
pub async fn new_context_with(adjust: impl FnOnce(&mut Config)) -> Arc<AppContext> {
    let endpoint = std::env::var("AWS_ENDPOINT_URL").unwrap_or_default();
    assert!(
        endpoint.starts_with("http://127.0.0.1"),
        "AWS_ENDPOINT_URL must point at moto on 127.0.0.1; run the tests with scripts/test"
    );
    let mut config = Config {
        table_name: format!("test-{}", uuid::Uuid::new_v4()),
        base_url: "http://localhost:3000".to_owned(),
        instance_name: "infra-admin test".to_owned(),
        mail_enabled: true,
        mail_sender: MAIL_SENDER.to_owned(),
        invitation_ttl_days: 7,
        magic_link_ttl_hours: 24,
        session_secret: SESSION_SECRET.to_owned(),
        initial_admin_email: None,
    };
    adjust(&mut config);
    let context = AppContext::new(config).await;
    verify_domain(&context, "infra-admin.test").await;
    Arc::new(context)
}

/// Verifies a sender domain in moto's SES, which rejects mail from unverified senders.
pub async fn verify_domain(context: &AppContext, domain: &str) {
    local_gateway::bootstrap::verify_domain(context, domain)
        .await
        .expect("sender domain verified");
}

/// Returns the mail moto's SES accepted for `to`, each with `subject` and `body` (the HTML
/// part where one was sent).
pub async fn sent_mail(to: &str) -> Vec<Value> {
    let endpoint = std::env::var("AWS_ENDPOINT_URL_SESV2")
        .or_else(|_| std::env::var("AWS_ENDPOINT_URL"))
        .unwrap_or_default();
    let data: Value = reqwest::get(format!("{endpoint}/moto-api/data.json"))
        .await
        .expect("moto answers")
        .json()
        .await
        .expect("moto data is JSON");
    let messages = data["ses"]["Message"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    messages
        .into_iter()
        .filter(|message| {
            message["destinations"]["ToAddresses"]
                .as_array()
                .is_some_and(|list| list.iter().any(|address| address == to))
        })
        .collect()
}

/// A local gateway serving the API on its own table.
#[derive(Debug)]
pub struct TestApi {
    pub url: String,
    pub token: String,
    pub admin: User,
    pub context: Arc<AppContext>,
    /// The gateway behind `url`, for building the events a request turns into.
    pub gateway: Arc<Gateway>,
    client: reqwest::Client,
}

/// A response's status and JSON body (`Value::Null` when the body is not JSON).
#[derive(Debug)]
pub struct Reply {
    pub status: StatusCode,
    pub body: Value,
    pub headers: reqwest::header::HeaderMap,
}

impl TestApi {
    /// Starts a gateway with the template's default parameters.
    pub async fn start() -> Self {
        Self::start_with(&[]).await
    }

    /// Starts a gateway with template parameter overrides, such as `AuthorizerTtl`.
    pub async fn start_with(overrides: &[(&str, &str)]) -> Self {
        Self::start_on(overrides, new_context().await).await
    }

    /// Starts a gateway on a table with no users at all. `admin` and `token` are then empty
    /// placeholders, since no InfraToken exists.
    pub async fn start_empty(context: Arc<AppContext>) -> Self {
        let template = load_template(&[]);
        let store = &context.store;
        local_gateway::table::ensure_table(store.client(), store.table(), &template.table)
            .await
            .expect("table created");
        let admin = User {
            uid: String::new(),
            display_name: None,
            email: String::new(),
            photo_url: None,
            is_admin: false,
            created_on: String::new(),
            last_logged_on: None,
            last_active_on: None,
        };
        Self::serve(template, context, admin, String::new()).await
    }

    /// Starts a gateway on the given context.
    pub async fn start_on(overrides: &[(&str, &str)], context: Arc<AppContext>) -> Self {
        let template = load_template(overrides);
        let address = format!("admin-{}@{ADMIN_DOMAIN}", uuid::Uuid::new_v4().simple());
        let email = Email::parse(&address).expect("valid email");
        let outcome = bootstrap(&context, &template, &email)
            .await
            .expect("bootstrap");
        let Outcome::Created { admin, secret, .. } = outcome else {
            panic!("a new table must be bootstrapped");
        };

        Self::serve(template, context, admin, secret.expose().to_owned()).await
    }

    async fn serve(
        template: Template,
        context: Arc<AppContext>,
        admin: User,
        token: String,
    ) -> Self {
        let gateway = Arc::new(Gateway::new(template, context.clone()).expect("gateway"));
        let router = gateway.clone().router();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let url = format!("http://{}", listener.local_addr().expect("address"));
        tokio::spawn(async move { axum::serve(listener, router).await });

        Self {
            url,
            token,
            admin,
            context,
            gateway,
            client: reqwest::Client::new(),
        }
    }

    /// Sends a request with the bootstrap token.
    pub async fn call(&self, method: Method, path: &str, body: Option<Value>) -> Reply {
        let header = format!("Bearer {}", self.token);
        self.send(method, path, Some(&header), body).await
    }

    /// Sends a GET with the bootstrap token.
    pub async fn get(&self, path: &str) -> Reply {
        self.call(Method::GET, path, None).await
    }

    /// Sends a request with the given `Authorization` header value, or none.
    pub async fn send(
        &self,
        method: Method,
        path: &str,
        authorization: Option<&str>,
        body: Option<Value>,
    ) -> Reply {
        let mut request = self.client.request(method, format!("{}{path}", self.url));
        if let Some(value) = authorization {
            request = request.header("authorization", value);
        }
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.expect("gateway answers");
        let status = response.status();
        let headers = response.headers().clone();
        let text = response.text().await.expect("body");
        let body = serde_json::from_str(&text).unwrap_or(Value::Null);
        Reply {
            status,
            body,
            headers,
        }
    }

    /// Signs in through the API: requests a magic link, reads it from moto's mail and
    /// verifies it. Returns the verify response body.
    pub async fn sign_in(&self, email: &str) -> Value {
        let token = self.request_magic_link(email).await;
        let reply = self.verify(&token).await;
        assert_eq!(
            reply.status,
            StatusCode::OK,
            "verify failed: {:?}",
            reply.body
        );
        reply.body
    }

    /// Requests a magic link for `email` and returns its token, read from moto's mail.
    pub async fn request_magic_link(&self, email: &str) -> String {
        let body = serde_json::json!({ "email": email });
        let reply = self
            .send(Method::POST, "/v1/auth/signin", None, Some(body))
            .await;
        assert_eq!(
            reply.status,
            StatusCode::OK,
            "sign-in failed: {:?}",
            reply.body
        );
        let mail = sent_mail(email).await;
        let newest = mail.last().expect("a magic-link mail");
        let text = newest["body"].as_str().expect("mail body");
        let start = text.find("token=mgl_").expect("token in mail") + "token=".len();
        text[start..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect()
    }

    /// Exchanges a link token for session tokens.
    pub async fn verify(&self, token: &str) -> Reply {
        let body = serde_json::json!({ "token": token });
        self.send(Method::POST, "/v1/auth/verify", None, Some(body))
            .await
    }

    /// Sends a request with an access token.
    pub async fn as_session(
        &self,
        access_token: &Value,
        method: Method,
        path: &str,
        body: Option<Value>,
    ) -> Reply {
        let header = format!("Bearer {}", access_token.as_str().expect("access token"));
        self.send(method, path, Some(&header), body).await
    }

    /// Sends a raw body with the bootstrap token and the given `Content-Type`.
    pub async fn send_raw(
        &self,
        method: Method,
        path: &str,
        content_type: &str,
        body: Vec<u8>,
    ) -> Reply {
        let response = self
            .client
            .request(method, format!("{}{path}", self.url))
            .header("authorization", format!("Bearer {}", self.token))
            .header("content-type", content_type)
            .body(body)
            .send()
            .await
            .expect("gateway answers");
        let status = response.status();
        let headers = response.headers().clone();
        let text = response.text().await.expect("body");
        let body = serde_json::from_str(&text).unwrap_or(Value::Null);
        Reply {
            status,
            body,
            headers,
        }
    }

    /// Creates a user directly in the store.
    pub async fn create_user(&self, email: &str, name: Option<&str>, is_admin: bool) -> User {
        self.context
            .store
            .create_user(NewUser {
                email: Email::parse(email).expect("valid email"),
                display_name: name.map(str::to_owned),
                is_admin,
            })
            .await
            .expect("user created")
    }

    /// Creates a non-admin user without a display name, taking the email by value so that
    /// many creations can run concurrently.
    pub async fn create_user_async(&self, email: String) -> User {
        self.create_user(&email, None, false).await
    }

    /// Creates an InfraToken by the bootstrap admin and returns its secret.
    pub async fn create_token(&self, expires_on: Option<DateTime<Utc>>) -> Secret {
        self.create_token_by(&self.admin.uid, expires_on).await
    }

    /// Creates an InfraToken recorded as created by `creator_uid` and returns its secret.
    pub async fn create_token_by(
        &self,
        creator_uid: &str,
        expires_on: Option<DateTime<Utc>>,
    ) -> Secret {
        let (_, secret) = self
            .context
            .store
            .create_infra_token(
                NewInfraToken {
                    label: "test".to_owned(),
                    creator_uid: creator_uid.to_owned(),
                    creator_email: String::new(),
                    expires_on,
                },
                &Actor::system(),
            )
            .await
            .expect("token created");
        secret
    }
}
