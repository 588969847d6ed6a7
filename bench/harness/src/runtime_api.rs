//! A Lambda Runtime API endpoint on 127.0.0.1 that hands out one event at a time and
//! records when the function first polls for work and when each response arrives.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Instant;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde_json::Value;
use tokio::sync::{Mutex, mpsc, oneshot};

/// Path prefix of every Runtime API route.
const PREFIX: &str = "/2018-06-01/runtime";

/// An event waiting to be handed out, and the channel its response goes to.
struct Pending {
    request_id: String,
    event: Value,
    outcome: oneshot::Sender<Outcome>,
}

/// The response or error the function posted for one event, with its timing.
#[derive(Debug)]
pub struct Outcome {
    /// Whether the function reported an error rather than a response.
    pub failed: bool,
    pub body: Bytes,
    /// When the response arrived.
    pub at: Instant,
    /// When the function took the event.
    pub taken_at: Instant,
}

struct Shared {
    queue: Mutex<mpsc::Receiver<Pending>>,
    in_flight: Mutex<Option<(String, Instant, oneshot::Sender<Outcome>)>>,
    first_poll: Mutex<Option<oneshot::Sender<Instant>>>,
}

/// The running endpoint; one function process talks to it at a time.
pub struct RuntimeApi {
    pub address: SocketAddr,
    events: mpsc::Sender<Pending>,
    shared: Arc<Shared>,
}

impl RuntimeApi {
    /// Starts the endpoint on a free port of 127.0.0.1.
    pub async fn start() -> std::io::Result<Self> {
        let (events, queue) = mpsc::channel(1);
        let shared = Arc::new(Shared {
            queue: Mutex::new(queue),
            in_flight: Mutex::new(None),
            first_poll: Mutex::new(None),
        });
        let router = Router::new()
            .route(&format!("{PREFIX}/invocation/next"), get(next))
            .route(
                &format!("{PREFIX}/invocation/{{id}}/response"),
                post(respond),
            )
            .route(&format!("{PREFIX}/invocation/{{id}}/error"), post(fail))
            .route(&format!("{PREFIX}/init/error"), post(init_error))
            .with_state(shared.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let address = listener.local_addr()?;
        tokio::spawn(async move { axum::serve(listener, router).await });
        Ok(Self {
            address,
            events,
            shared,
        })
    }

    /// Returns a receiver of the instant the next process first polls for work.
    pub async fn watch_first_poll(&self) -> oneshot::Receiver<Instant> {
        let (sender, receiver) = oneshot::channel();
        *self.shared.first_poll.lock().await = Some(sender);
        receiver
    }

    /// Hands `event` to the function and waits for its response.
    pub async fn invoke(&self, event: Value) -> Option<Outcome> {
        let (outcome, receiver) = oneshot::channel();
        let pending = Pending {
            request_id: uuid::Uuid::new_v4().to_string(),
            event,
            outcome,
        };
        self.events.send(pending).await.ok()?;
        receiver.await.ok()
    }
}

async fn next(State(shared): State<Arc<Shared>>) -> Response {
    if let Some(sender) = shared.first_poll.lock().await.take() {
        let _ = sender.send(Instant::now());
    }
    let Some(pending) = shared.queue.lock().await.recv().await else {
        return StatusCode::GONE.into_response();
    };

    let taken_at = Instant::now();
    let body = pending.event.to_string();
    let request_id = pending.request_id.clone();
    *shared.in_flight.lock().await = Some((pending.request_id, taken_at, pending.outcome));

    let mut headers = HeaderMap::new();
    let deadline = chrono::Utc::now().timestamp_millis() + 30_000;
    insert(&mut headers, "lambda-runtime-aws-request-id", &request_id);
    insert(
        &mut headers,
        "lambda-runtime-deadline-ms",
        &deadline.to_string(),
    );
    insert(
        &mut headers,
        "lambda-runtime-invoked-function-arn",
        "arn:aws:lambda:us-east-1:123456789012:function:bench",
    );
    insert(
        &mut headers,
        "lambda-runtime-trace-id",
        "Root=1-00000000-000000000000000000000000",
    );
    (headers, body).into_response()
}

fn insert(headers: &mut HeaderMap, name: &'static str, value: &str) {
    if let Ok(value) = HeaderValue::from_str(value) {
        headers.insert(name, value);
    }
}

async fn respond(state: State<Arc<Shared>>, id: Path<String>, body: Bytes) -> StatusCode {
    finish(state, id, body, false).await
}

async fn fail(state: State<Arc<Shared>>, id: Path<String>, body: Bytes) -> StatusCode {
    finish(state, id, body, true).await
}

async fn finish(
    State(shared): State<Arc<Shared>>,
    Path(id): Path<String>,
    body: Bytes,
    failed: bool,
) -> StatusCode {
    let at = Instant::now();
    let mut in_flight = shared.in_flight.lock().await;
    match in_flight.take() {
        Some((request_id, taken_at, outcome)) if request_id == id => {
            let _ = outcome.send(Outcome {
                failed,
                body,
                at,
                taken_at,
            });
            StatusCode::ACCEPTED
        }
        other => {
            *in_flight = other;
            StatusCode::NOT_FOUND
        }
    }
}

async fn init_error(body: Bytes) -> StatusCode {
    eprintln!("function init failed: {}", String::from_utf8_lossy(&body));
    StatusCode::ACCEPTED
}
