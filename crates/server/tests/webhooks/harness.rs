//! The harness: the app under test (server + delivery worker on a temporary SQLite file) and local
//! receivers that record what they get. Common imports are re-exported for the test modules.

pub use std::collections::{HashMap, VecDeque};
pub use std::path::{Path, PathBuf};
pub use std::sync::atomic::{AtomicUsize, Ordering};
pub use std::sync::{Arc, Mutex};
pub use std::time::{Duration, Instant};

pub use axum::extract::State;
pub use axum::http::{HeaderMap, Method as HttpMethod, StatusCode, Uri};
pub use axum::response::IntoResponse;
pub use base64::Engine;
pub use booking_server::webhooks::{self, Settings};
pub use booking_server::Config;
pub use chrono::{Days, Utc};
pub use reqwest::Method;
pub use serde_json::{json, Value};
pub use tokio::task::JoinHandle;

pub const DEMO: &str = "/api/2.1/scheduling/companies/demo";
pub const KEY: &str = crate::support::DEMO_KEY;
/// Longest wait for something the worker should do within a second or two.
pub const PATIENCE: Duration = Duration::from_secs(15);

// ------------------------------------------------------------------------------------------------
// The app under test

pub fn fast() -> Settings {
    Settings {
        poll_interval: Duration::from_millis(50),
        backoff_base: Duration::from_millis(100),
        backoff_max: Duration::from_secs(1),
        retry_window: Duration::from_secs(120),
        request_timeout: Duration::from_secs(2),
        lease: Duration::from_secs(3),
        disable_after: Duration::from_secs(3600),
        max_in_flight: 4,
        ..Settings::default()
    }
}

/// The server and its worker; both stop when this is dropped (as abruptly as `kill -9` stops
/// them: nothing is flushed or handed back).
pub struct App {
    pub base: String,
    pub client: reqwest::Client,
    pub tasks: Vec<JoinHandle<()>>,
}

impl Drop for App {
    fn drop(&mut self) {
        for task in &self.tasks {
            task.abort();
        }
    }
}

impl App {
    pub async fn start(db_path: &Path, allow_private: bool, settings: Settings) -> App {
        let db = crate::support::demo_db(db_path).await;
        let (base, state, server) =
            crate::support::serve(db, booking_server::clock::Clock::system(), |_| Config {
                demo: true,
                bookings_per_minute: 1_000,
                allow_private_webhooks: allow_private,
                webhooks: settings,
                ..Config::default()
            })
            .await;
        let worker = webhooks::spawn_worker(state);
        App {
            base,
            client: reqwest::Client::new(),
            tasks: vec![worker, server],
        }
    }

    pub async fn call(&self, method: Method, path: &str, body: Option<&Value>) -> (u16, Value) {
        let url = format!("{}{path}", self.base);
        crate::support::request_json(&self.client, method, &url, Some(KEY), body).await
    }

    pub async fn post(&self, path: &str, body: &Value) -> (u16, Value) {
        self.call(Method::POST, &format!("{DEMO}{path}"), Some(body))
            .await
    }

    pub async fn get(&self, path: &str) -> (u16, Value) {
        self.call(Method::GET, &format!("{DEMO}{path}"), None).await
    }

    /// Creates a watch; returns its id.
    pub async fn watch(&self, body: Value) -> String {
        let (status, created) = self.post("/appointments/watch", &body).await;
        assert_eq!(status, 201, "{created}");
        created["id"].as_str().expect("watch id").to_owned()
    }

    /// Books an appointment through the Appointments API (`force`, so no slot search is needed),
    /// `days` ahead at `hour` (Paris); returns it.
    pub async fn appointment(&self, days: u64, hour: u32, email: &str) -> Value {
        let day = Utc::now().date_naive() + Days::new(days);
        let body = json!({
            "client": {"firstName": "Ada", "lastName": "Lovelace", "email": email},
            "service": {"id": "haircut"},
            "staff": {"id": "camille"},
            "start": {"dateTime": format!("{day}T{hour:02}:00:00"), "timeZone": "Europe/Paris"},
            "extendedProperties": {"public": {"guests": 2}}
        });
        let (status, created) = self.post("/appointments?force=true", &body).await;
        assert_eq!(status, 201, "{created}");
        created
    }

    /// The delivery log of a watch.
    pub async fn deliveries(&self, watch_id: &str) -> Value {
        let (status, log) = self
            .get(&format!("/appointments/watch/{watch_id}/deliveries"))
            .await;
        assert_eq!(status, 200, "{log}");
        log
    }

    /// Waits until the newest delivery of the watch reaches `status`; returns the log.
    pub async fn wait_delivery(&self, watch_id: &str, status: &str) -> Value {
        let deadline = Instant::now() + PATIENCE;
        loop {
            let log = self.deliveries(watch_id).await;
            if log["items"][0]["status"] == status {
                return log;
            }
            assert!(
                Instant::now() < deadline,
                "no delivery reached {status}: {log:#}"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

/// A temporary database file that outlives the apps started on it.
pub struct Dir {
    pub dir: tempfile::TempDir,
}

impl Dir {
    pub fn new() -> Self {
        Dir {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    pub fn db(&self) -> PathBuf {
        self.dir.path().join("test.sqlite")
    }
}

// ------------------------------------------------------------------------------------------------
// The receivers

/// One request a receiver got.
#[derive(Debug, Clone)]
pub struct Hit {
    pub method: String,
    pub headers: HeaderMap,
    pub body: String,
    pub at: Instant,
}

impl Hit {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|_| panic!("JSON body: {}", self.body))
    }

    /// The form fields of a token request.
    pub fn form(&self) -> HashMap<String, String> {
        form_urlencoded::parse(self.body.as_bytes())
            .into_owned()
            .collect()
    }
}

/// How a receiver answers one request.
#[derive(Debug, Clone)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(&'static str, String)>,
    pub delay: Duration,
    /// The body to answer with, instead of the default.
    pub body: Option<String>,
}

impl Reply {
    pub fn status(status: u16) -> Self {
        Reply {
            status,
            headers: Vec::new(),
            delay: Duration::ZERO,
            body: None,
        }
    }

    /// A token endpoint's answer.
    pub fn token(answer: Value) -> Self {
        Reply {
            body: Some(answer.to_string()),
            ..Reply::status(200)
        }
    }

    pub fn header(mut self, name: &'static str, value: &str) -> Self {
        self.headers.push((name, value.to_owned()));
        self
    }

    pub fn delay(mut self, delay: Duration) -> Self {
        self.delay = delay;
        self
    }
}

/// A local HTTP server recording every request, per path. It answers from a script per path, then
/// `200 ok`; `/token` answers as an OAuth2 token endpoint (`tok-1`, `tok-2`, …).
#[derive(Clone, Default)]
pub struct Receiver {
    pub base: String,
    pub hits: Arc<Mutex<Vec<(String, Hit)>>>,
    pub script: Arc<Mutex<HashMap<String, VecDeque<Reply>>>>,
    pub tokens: Arc<AtomicUsize>,
}

pub async fn receive(
    State(receiver): State<Receiver>,
    method: HttpMethod,
    uri: Uri,
    headers: HeaderMap,
    body: String,
) -> axum::response::Response {
    let path = uri.path().to_owned();
    receiver.hits.lock().unwrap().push((
        path.clone(),
        Hit {
            method: method.to_string(),
            headers,
            body,
            at: Instant::now(),
        },
    ));
    let reply = receiver
        .script
        .lock()
        .unwrap()
        .get_mut(&path)
        .and_then(VecDeque::pop_front);
    let reply = reply.unwrap_or_else(|| Reply::status(200));
    tokio::time::sleep(reply.delay).await;
    let status = StatusCode::from_u16(reply.status).expect("status");
    let body = if let Some(body) = reply.body {
        body
    } else if path == "/token" && status.is_success() {
        let n = receiver.tokens.fetch_add(1, Ordering::SeqCst) + 1;
        json!({"access_token": format!("tok-{n}"), "token_type": "Bearer", "expires_in": 3600})
            .to_string()
    } else {
        "ok".to_owned()
    };
    let mut response = (status, body).into_response();
    for (name, value) in reply.headers {
        response
            .headers_mut()
            .insert(name, value.parse().expect("header value"));
    }
    response
}

impl Receiver {
    pub async fn start() -> Receiver {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let receiver = Receiver {
            base: format!("http://{}", listener.local_addr().expect("addr")),
            ..Receiver::default()
        };
        let router = axum::Router::new()
            .fallback(receive)
            .with_state(receiver.clone());
        tokio::spawn(async move { axum::serve(listener, router).await.expect("serve") });
        receiver
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub fn script(&self, path: &str, replies: Vec<Reply>) {
        self.script
            .lock()
            .unwrap()
            .insert(path.to_owned(), replies.into());
    }

    pub fn hits(&self, path: &str) -> Vec<Hit> {
        self.hits
            .lock()
            .unwrap()
            .iter()
            .filter(|(p, _)| p == path)
            .map(|(_, hit)| hit.clone())
            .collect()
    }

    /// Waits until `path` has had `n` requests; returns them.
    pub async fn wait(&self, path: &str, n: usize) -> Vec<Hit> {
        let deadline = Instant::now() + PATIENCE;
        loop {
            let hits = self.hits(path);
            if hits.len() >= n {
                return hits;
            }
            assert!(
                Instant::now() < deadline,
                "{path} got {} of {n} requests: {hits:#?}",
                hits.len()
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
}

pub fn field_names(body: &Value) -> Vec<String> {
    body["error"]["fields"]
        .as_array()
        .map(|fields| {
            fields
                .iter()
                .filter_map(|f| f["name"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

/// The Python that has the `standardwebhooks` library: `STANDARDWEBHOOKS_PYTHON` (set by
/// `cargo xtask test`, which installs it into a venv under `.tools/`), else that venv when an earlier
/// `cargo xtask test` made it, else `python3` if it can import the library.
pub fn standardwebhooks_python() -> PathBuf {
    if let Some(python) = std::env::var_os("STANDARDWEBHOOKS_PYTHON") {
        return PathBuf::from(python);
    }
    let venv =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../.tools/python-webhooks/bin/python");
    if venv.exists() {
        return venv;
    }
    let system = std::process::Command::new("python3")
        .args(["-c", "import standardwebhooks"])
        .output()
        .is_ok_and(|o| o.status.success());
    assert!(
        system,
        "the standardwebhooks library is missing: run `cargo xtask test`, which installs it into \
         .tools/python-webhooks, or set STANDARDWEBHOOKS_PYTHON to a Python that has it"
    );
    PathBuf::from("python3")
}

/// Verifies a received request with the reference Python library; returns its verdict.
pub fn verify_in_python(secret: &str, hit: &Hit) -> Result<(), String> {
    const SCRIPT: &str = "import json, sys\n\
        from standardwebhooks.webhooks import Webhook\n\
        d = json.load(sys.stdin)\n\
        Webhook(d['secret']).verify(d['body'], d['headers'])\n\
        print('verified')\n";
    let headers: HashMap<&str, &str> = ["webhook-id", "webhook-timestamp", "webhook-signature"]
        .into_iter()
        .filter_map(|name| Some((name, hit.header(name)?)))
        .collect();
    let input = json!({"secret": secret, "body": hit.body, "headers": headers}).to_string();
    let mut child = std::process::Command::new(standardwebhooks_python())
        .args(["-c", SCRIPT])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("python3");
    use std::io::Write;
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(input.as_bytes())
        .expect("write");
    let output = child.wait_with_output().expect("python3 output");
    match output.status.success() {
        true => Ok(()),
        false => Err(String::from_utf8_lossy(&output.stderr).into_owned()),
    }
}
