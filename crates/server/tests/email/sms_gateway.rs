//! A local HTTP receiver standing in for the SMS gateway: a real axum server on 127.0.0.1:0 that
//! records every request (headers, form or JSON fields) and answers each number with the statuses
//! a test queued for it (201 once none is left; a 429 says `Retry-After: 1`).

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use axum::Router;

/// One request the gateway received, and what it answered.
#[derive(Debug, Clone)]
pub struct Request {
    pub path: String,
    pub authorization: Option<String>,
    pub content_type: Option<String>,
    pub idempotency_key: Option<String>,
    /// `To`, `From`, `Body` (form) or `to`, `from`, `body` (JSON), as sent.
    pub fields: HashMap<String, String>,
    pub answered: u16,
    pub at: Instant,
}

#[derive(Default)]
struct Recorded {
    requests: Vec<Request>,
    answers: HashMap<String, VecDeque<u16>>,
}

/// The running receiver.
pub struct Gateway {
    /// `http://127.0.0.1:PORT`
    pub base: String,
    state: Arc<Mutex<Recorded>>,
}

impl Gateway {
    pub async fn start() -> Self {
        let state = Arc::new(Mutex::new(Recorded::default()));
        let app = Router::new()
            .route("/{*path}", post(receive))
            .with_state(state.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let base = format!("http://{}", listener.local_addr().expect("addr"));
        tokio::spawn(async move { axum::serve(listener, app).await.expect("gateway") });
        Gateway { base, state }
    }

    /// Answers the next requests for `to` with `statuses`, in order.
    pub fn answer(&self, to: &str, statuses: &[u16]) {
        self.state
            .lock()
            .expect("lock")
            .answers
            .insert(to.to_owned(), statuses.iter().copied().collect());
    }

    /// Every request so far, in order.
    pub fn requests(&self) -> Vec<Request> {
        self.state.lock().expect("lock").requests.clone()
    }

    /// The requests for `to` (form `To` or JSON `to`).
    pub fn to(&self, to: &str) -> Vec<Request> {
        self.requests()
            .into_iter()
            .filter(|r| {
                r.fields
                    .get("To")
                    .or_else(|| r.fields.get("to"))
                    .map(String::as_str)
                    == Some(to)
            })
            .collect()
    }

    /// Waits (at most 20 s) until `count` requests for `to` arrived.
    pub async fn wait_for(&self, to: &str, count: usize) -> Vec<Request> {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let got = self.to(to);
            if got.len() >= count {
                return got;
            }
            assert!(
                Instant::now() < deadline,
                "{} of {count} requests for {to}; all: {:?}",
                got.len(),
                self.requests()
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

async fn receive(
    State(state): State<Arc<Mutex<Recorded>>>,
    uri: axum::http::Uri,
    headers: HeaderMap,
    body: Bytes,
) -> (StatusCode, [(&'static str, &'static str); 1]) {
    let header = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    let content_type = header("content-type");
    let fields: HashMap<String, String> = match content_type.as_deref() {
        Some(t) if t.starts_with("application/json") => {
            serde_json::from_slice::<HashMap<String, String>>(&body).unwrap_or_default()
        }
        _ => form_urlencoded::parse(&body).into_owned().collect(),
    };
    let to = fields
        .get("To")
        .or_else(|| fields.get("to"))
        .cloned()
        .unwrap_or_default();
    let mut recorded = state.lock().expect("lock");
    let answered = recorded
        .answers
        .get_mut(&to)
        .and_then(VecDeque::pop_front)
        .unwrap_or(201);
    recorded.requests.push(Request {
        path: uri.path().to_owned(),
        authorization: header("authorization"),
        content_type,
        idempotency_key: header("idempotency-key"),
        fields,
        answered,
        at: Instant::now(),
    });
    let status = StatusCode::from_u16(answered).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let wait = match status {
        StatusCode::TOO_MANY_REQUESTS => "1",
        _ => "0",
    };
    (status, [("retry-after", wait)])
}
