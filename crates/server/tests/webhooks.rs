//! Webhooks (watches) end to end: the real app and its delivery worker over a temporary SQLite file,
//! notifying small HTTP receivers on 127.0.0.1 that record what they get.
//!
//! The worker's timing is shrunk (50 ms polls, 100 ms backoff) so retries take well under a second.

use std::collections::{HashMap, VecDeque};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::extract::State;
use axum::http::{HeaderMap, Method as HttpMethod, StatusCode, Uri};
use axum::response::IntoResponse;
use base64::Engine;
use booking_server::webhooks::{self, Settings};
use booking_server::{app, db, demo, AppState, Config};
use chrono::{Days, Utc};
use reqwest::Method;
use serde_json::{json, Value};
use tokio::task::JoinHandle;

const DEMO: &str = "/api/2.1/scheduling/companies/demo";
const KEY: &str = "demo-api-key";
/// Longest wait for something the worker should do within a second or two.
const PATIENCE: Duration = Duration::from_secs(15);

// ------------------------------------------------------------------------------------------------
// The app under test

fn fast() -> Settings {
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
struct App {
    base: String,
    client: reqwest::Client,
    tasks: Vec<JoinHandle<()>>,
}

impl Drop for App {
    fn drop(&mut self) {
        for task in &self.tasks {
            task.abort();
        }
    }
}

impl App {
    async fn start(db_path: &Path, allow_private: bool, settings: Settings) -> App {
        let db = db::open(db_path).await.expect("open db");
        demo::seed(&db).await.expect("seed demo");
        let state = AppState::new(
            db,
            Config {
                demo: true,
                bookings_per_minute: 1_000,
                allow_private_webhooks: allow_private,
                webhooks: settings,
                ..Config::default()
            },
        );
        let worker = webhooks::spawn_worker(state.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let base = format!("http://{}", listener.local_addr().expect("addr"));
        let service = app(state).into_make_service_with_connect_info::<std::net::SocketAddr>();
        let server = tokio::spawn(async move {
            axum::serve(listener, service).await.expect("serve");
        });
        App {
            base,
            client: reqwest::Client::new(),
            tasks: vec![worker, server],
        }
    }

    async fn call(&self, method: Method, path: &str, body: Option<&Value>) -> (u16, Value) {
        let mut request = self
            .client
            .request(method, format!("{}{path}", self.base))
            .header("apiKey", KEY);
        if let Some(body) = body {
            request = request.json(body);
        }
        let response = request.send().await.expect("request");
        let status = response.status().as_u16();
        let text = response.text().await.expect("body");
        let json = match text.is_empty() {
            true => Value::Null,
            false => serde_json::from_str(&text).unwrap_or_else(|_| panic!("JSON body: {text}")),
        };
        (status, json)
    }

    async fn post(&self, path: &str, body: &Value) -> (u16, Value) {
        self.call(Method::POST, &format!("{DEMO}{path}"), Some(body))
            .await
    }

    async fn get(&self, path: &str) -> (u16, Value) {
        self.call(Method::GET, &format!("{DEMO}{path}"), None).await
    }

    /// Creates a watch; returns its id.
    async fn watch(&self, body: Value) -> String {
        let (status, created) = self.post("/appointments/watch", &body).await;
        assert_eq!(status, 201, "{created}");
        created["id"].as_str().expect("watch id").to_owned()
    }

    /// Books an appointment through the Appointments API (`force`, so no slot search is needed),
    /// `days` ahead at `hour` (Paris); returns it.
    async fn appointment(&self, days: u64, hour: u32, email: &str) -> Value {
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
    async fn deliveries(&self, watch_id: &str) -> Value {
        let (status, log) = self
            .get(&format!("/appointments/watch/{watch_id}/deliveries"))
            .await;
        assert_eq!(status, 200, "{log}");
        log
    }

    /// Waits until the newest delivery of the watch reaches `status`; returns the log.
    async fn wait_delivery(&self, watch_id: &str, status: &str) -> Value {
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
struct Dir {
    dir: tempfile::TempDir,
}

impl Dir {
    fn new() -> Self {
        Dir {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    fn db(&self) -> PathBuf {
        self.dir.path().join("test.sqlite")
    }
}

// ------------------------------------------------------------------------------------------------
// The receivers

/// One request a receiver got.
#[derive(Debug, Clone)]
struct Hit {
    method: String,
    headers: HeaderMap,
    body: String,
    at: Instant,
}

impl Hit {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|_| panic!("JSON body: {}", self.body))
    }

    /// The form fields of a token request.
    fn form(&self) -> HashMap<String, String> {
        form_urlencoded::parse(self.body.as_bytes())
            .into_owned()
            .collect()
    }
}

/// How a receiver answers one request.
#[derive(Debug, Clone)]
struct Reply {
    status: u16,
    headers: Vec<(&'static str, String)>,
    delay: Duration,
}

impl Reply {
    fn status(status: u16) -> Self {
        Reply {
            status,
            headers: Vec::new(),
            delay: Duration::ZERO,
        }
    }

    fn header(mut self, name: &'static str, value: &str) -> Self {
        self.headers.push((name, value.to_owned()));
        self
    }

    fn delay(mut self, delay: Duration) -> Self {
        self.delay = delay;
        self
    }
}

/// A local HTTP server recording every request, per path. It answers from a script per path, then
/// `200 ok`; `/token` answers as an OAuth2 token endpoint (`tok-1`, `tok-2`, …).
#[derive(Clone, Default)]
struct Receiver {
    base: String,
    hits: Arc<Mutex<Vec<(String, Hit)>>>,
    script: Arc<Mutex<HashMap<String, VecDeque<Reply>>>>,
    tokens: Arc<AtomicUsize>,
}

async fn receive(
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
    let body = if path == "/token" && status.is_success() {
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
    async fn start() -> Receiver {
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

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    fn script(&self, path: &str, replies: Vec<Reply>) {
        self.script
            .lock()
            .unwrap()
            .insert(path.to_owned(), replies.into());
    }

    fn hits(&self, path: &str) -> Vec<Hit> {
        self.hits
            .lock()
            .unwrap()
            .iter()
            .filter(|(p, _)| p == path)
            .map(|(_, hit)| hit.clone())
            .collect()
    }

    /// Waits until `path` has had `n` requests; returns them.
    async fn wait(&self, path: &str, n: usize) -> Vec<Hit> {
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

fn field_names(body: &Value) -> Vec<String> {
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

// ------------------------------------------------------------------------------------------------
// Managing watches

#[tokio::test]
async fn watches_are_created_listed_updated_and_deleted_with_secrets_masked() {
    let dir = Dir::new();
    let app = App::start(&dir.db(), true, fast()).await;
    let hook = Receiver::start().await;

    let (status, _) = app
        .client
        .get(format!("{}{DEMO}/appointments/watch", app.base))
        .send()
        .await
        .map(|r| (r.status().as_u16(), ()))
        .expect("request");
    assert_eq!(status, 401, "the API key is required");

    let full = json!({
        "address": hook.url("/hook"),
        "name": "CRM sync",
        "basicAuth": {"username": "crm", "password": "s3cret"},
        "httpRequestHeader": {"X-Api-Key": "k-123", "X-Source": "booking"},
        "schema": {"email": "$.client.email"},
        "levelDetails": "extraFull",
        "method": "PUT",
        "status": "enabled",
        "signature": {"enabled": false}
    });
    let (status, created) = app.post("/appointments/watch", &full).await;
    assert_eq!(status, 201, "{created}");
    let id = created["id"].as_str().expect("id").to_owned();
    assert_eq!(created["address"], hook.url("/hook"));
    assert_eq!(
        created["basicAuth"],
        json!({"username": "crm", "password": "********"})
    );
    assert_eq!(
        created["httpRequestHeader"],
        json!({"X-Api-Key": "********", "X-Source": "********"})
    );
    assert_eq!(created["levelDetails"], "extraFull");
    assert_eq!(created["method"], "PUT");
    assert!(!created.to_string().contains("s3cret"));

    let (status, list) = app.get("/appointments/watch").await;
    assert_eq!(status, 200);
    assert_eq!(list["items"].as_array().map(Vec::len), Some(1));
    assert_eq!(list["items"][0]["id"], id.as_str());

    // Read, change the name, write back with the masks: the stored secrets stay.
    let (_, mut read) = app.get(&format!("/appointments/watch/{id}")).await;
    read["name"] = json!("CRM sync (renamed)");
    read["schema"] = Value::Null;
    read["method"] = json!("POST");
    read["levelDetails"] = json!("full");
    let (status, updated) = app
        .call(
            Method::PUT,
            &format!("{DEMO}/appointments/watch/{id}"),
            Some(&read),
        )
        .await;
    assert_eq!(status, 200, "{updated}");
    assert_eq!(updated["name"], "CRM sync (renamed)");
    app.appointment(30, 10, "masked@example.com").await;
    let hit = &hook.wait("/hook", 1).await[0];
    let basic = base64::engine::general_purpose::STANDARD.encode("crm:s3cret");
    assert_eq!(
        hit.header("authorization"),
        Some(format!("Basic {basic}").as_str())
    );
    assert_eq!(hit.header("x-api-key"), Some("k-123"));

    let (status, _) = app
        .call(
            Method::DELETE,
            &format!("{DEMO}/appointments/watch/{id}"),
            None,
        )
        .await;
    assert_eq!(status, 204);
    let (status, _) = app.get(&format!("/appointments/watch/{id}")).await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn invalid_watches_are_refused_naming_the_field() {
    let dir = Dir::new();
    let app = App::start(&dir.db(), true, fast()).await;
    let cases = [
        (json!({"name": "no address"}), "address"),
        (json!({"address": "ftp://example.com/x"}), "address"),
        (
            json!({"address": "http://example.com/", "method": "GET"}),
            "method",
        ),
        (
            json!({"address": "http://example.com/", "status": "paused"}),
            "status",
        ),
        (
            json!({"address": "http://example.com/", "schema": {"a": ["$.x[?(@.y)]"]}}),
            "schema.a[0]",
        ),
        (
            json!({"address": "http://example.com/", "signature": {"enabled": true, "cryptoKeyIds": ["nope"]}}),
            "signature.cryptoKeyIds",
        ),
        (
            json!({"address": "http://example.com/", "oauth2Auth": {"clientId": "c", "refreshToken": "r"}}),
            "oauth2Auth.accessTokenUrl",
        ),
        (
            json!({"address": "http://example.com/", "oauth2Auth": {"grantType": "client_credentials",
                "clientId": "c", "accessTokenUrl": "http://example.com/token"}}),
            "oauth2Auth.clientSecret",
        ),
        (
            json!({"address": "http://example.com/", "basicAuth": {"username": "u", "password": "p"},
                "oauth2Auth": {"clientId": "c", "refreshToken": "r", "accessTokenUrl": "http://example.com/t"}}),
            "oauth2Auth",
        ),
        (
            json!({"address": "http://example.com/", "httpRequestHeader": {"webhook-signature": "forged"}}),
            "httpRequestHeader.webhook-signature",
        ),
        (
            json!({"address": "http://example.com/", "basicAuth": {"username": "u", "password": "********"}}),
            "basicAuth.password",
        ),
    ];
    for (body, field) in cases {
        let (status, answer) = app.post("/appointments/watch", &body).await;
        assert_eq!(status, 400, "{body} → {answer}");
        assert!(
            field_names(&answer).iter().any(|f| f == field),
            "{body} should name {field}: {answer}"
        );
    }
}

#[tokio::test]
async fn private_addresses_are_refused_without_the_flag_at_creation_and_at_delivery() {
    let dir = Dir::new();
    let hook = Receiver::start().await;
    // Created while private addresses were allowed...
    let watch_id = {
        let app = App::start(&dir.db(), true, fast()).await;
        app.watch(json!({"address": hook.url("/hook")})).await
    };
    // ...then the server restarts without --allow-private-webhooks.
    let app = App::start(&dir.db(), false, fast()).await;
    for address in [
        hook.url("/hook"),
        "http://localhost/hook".to_owned(),
        "http://10.0.0.7/hook".to_owned(),
        "http://169.254.169.254/latest/meta-data".to_owned(),
        "http://[::1]/hook".to_owned(),
    ] {
        let (status, answer) = app
            .post("/appointments/watch", &json!({"address": address}))
            .await;
        assert_eq!(status, 400, "{address}: {answer}");
        assert_eq!(field_names(&answer), ["address"], "{answer}");
    }
    app.appointment(30, 10, "private@example.com").await;
    let log = app.wait_delivery(&watch_id, "failed").await;
    let error = log["items"][0]["lastError"].as_str().unwrap_or_default();
    assert!(error.contains("address refused"), "{log:#}");
    assert_eq!(log["items"][0]["attemptCount"], 1, "refusals are final");
    assert!(
        hook.hits("/hook").is_empty(),
        "nothing reached the private address"
    );
}

// ------------------------------------------------------------------------------------------------
// Payloads

#[tokio::test]
async fn every_change_is_notified_with_the_appointment_date_and_event() {
    let dir = Dir::new();
    let app = App::start(&dir.db(), true, fast()).await;
    let hook = Receiver::start().await;
    let watch_id = app
        .watch(json!({"address": hook.url("/hook"), "name": "everything"}))
        .await;

    // Created through the Appointments API.
    let created = app.appointment(30, 10, "events@example.com").await;
    let id = created["id"].as_str().expect("id").to_owned();
    let first = &hook.wait("/hook", 1).await[0];
    assert_eq!(first.method, "POST");
    assert_eq!(first.header("content-type"), Some("application/json"));
    assert_eq!(first.header("booking-event"), Some("created"));
    assert_eq!(first.header("booking-appointment-id"), Some(id.as_str()));
    let message_id = first.header("webhook-id").expect("webhook-id").to_owned();
    assert!(message_id.starts_with("msg_"));
    assert!(first.header("webhook-timestamp").is_some());
    assert!(
        first.header("webhook-signature").is_none(),
        "not signed unless asked"
    );
    let body = first.json();
    assert_eq!(body["event"], "created");
    assert_eq!(body["id"], id.as_str());
    assert_eq!(body["client"]["email"], "events@example.com");
    assert_eq!(body["service"]["id"], "haircut");
    assert_eq!(body["date"]["timeZone"], "Europe/Paris");
    let sent = chrono::NaiveDateTime::parse_from_str(
        body["date"]["dateTime"].as_str().expect("dateTime"),
        "%Y-%m-%dT%H:%M:%S",
    )
    .expect("local date-time without offset");
    let paris_now = Utc::now()
        .with_timezone(&chrono_tz::Europe::Paris)
        .naive_local();
    assert!(
        (paris_now - sent).num_seconds().abs() < 60,
        "{sent} vs {paris_now}"
    );

    // Updated, then deleted.
    let mut changed = created.clone();
    changed["notes"] = json!("moved to the window seat");
    let (status, answer) = app
        .call(
            Method::PUT,
            &format!("{DEMO}/appointments/{id}?force=true"),
            Some(&changed),
        )
        .await;
    assert_eq!(status, 200, "{answer}");
    let (status, _) = app
        .call(Method::DELETE, &format!("{DEMO}/appointments/{id}"), None)
        .await;
    assert_eq!(status, 204);
    let hits = hook.wait("/hook", 3).await;
    let events: Vec<Value> = hits.iter().map(|h| h.json()["event"].clone()).collect();
    assert_eq!(
        events,
        [json!("created"), json!("updated"), json!("deleted")]
    );
    assert_eq!(hits[1].json()["notes"], "moved to the window seat");
    let ids: std::collections::HashSet<_> = hits
        .iter()
        .map(|h| h.header("webhook-id").map(str::to_owned))
        .collect();
    assert_eq!(ids.len(), 3, "one message id per change");

    let log = app.wait_delivery(&watch_id, "succeeded").await;
    let items = log["items"].as_array().expect("items");
    assert_eq!(items.len(), 3);
    assert!(items.iter().all(|d| d["status"] == "succeeded"), "{log:#}");
    assert_eq!(items[2]["id"], message_id.as_str(), "newest first");
    assert_eq!(items[2]["attempts"][0]["statusCode"], 200);
}

#[tokio::test]
async fn widget_bookings_and_cancellations_are_notified() {
    let dir = Dir::new();
    let app = App::start(&dir.db(), true, fast()).await;
    let hook = Receiver::start().await;
    app.watch(json!({"address": hook.url("/hook")})).await;

    let from = Utc::now().date_naive() + Days::new(5);
    let to = from + Days::new(14);
    let (status, slots) = app
        .get(&format!(
            "/widget/freeSlots?startDate={from}&endDate={to}&serviceId=haircut&staffId=camille&timeZone=Europe/Paris"
        ))
        .await;
    assert_eq!(status, 200, "{slots}");
    let start = slots["items"]
        .as_array()
        .and_then(|days| days.iter().find_map(|d| d["slots"][0].as_str()))
        .expect("a free slot")
        .to_owned();
    let booking = json!({
        "serviceId": "haircut", "staffId": "camille", "start": start, "timeZone": "Europe/Paris",
        "lang": "en",
        "form": {"id": "default", "contactFields": [
            {"id": "firstName", "bind": "crm-first-name", "value": "Grace"},
            {"id": "lastName", "bind": "crm-last-name", "value": "Hopper"},
            {"id": "email", "bind": "crm-email", "value": "grace@example.com"}
        ], "additionalFields": [[{"id": "firstVisit", "values": [{"value": "yes"}]}],
            [{"id": "zip", "value": "75011"}, {"id": "consent", "values": [{"value": "agree"}]}]]}
    });
    let (status, booked) = app.post("/widget/appointments", &booking).await;
    assert_eq!(status, 201, "{booked}");
    let encrypted = booked["encryptedId"].as_str().expect("encryptedId");
    let (status, cancelled) = app
        .call(
            Method::DELETE,
            &format!("{DEMO}/widget/appointments/{encrypted}"),
            None,
        )
        .await;
    assert_eq!(status, 200, "{cancelled}");

    let hits = hook.wait("/hook", 2).await;
    let (created, cancelled) = (hits[0].json(), hits[1].json());
    assert_eq!(created["event"], "created");
    assert_eq!(created["client"]["email"], "grace@example.com");
    assert_eq!(cancelled["event"], "updated", "a cancellation is an update");
    assert_eq!(cancelled["status"], "cancelled");
}

#[tokio::test]
async fn schema_templates_fill_typed_values_and_text() {
    let dir = Dir::new();
    let app = App::start(&dir.db(), true, fast()).await;
    let hook = Receiver::start().await;
    app.watch(json!({
        "address": hook.url("/templated"),
        "schema": {
            "type": "booking.$.event",
            "email": "$.client.email",
            "guests": "$.extendedProperties.public.guests",
            "client": "$.client",
            "missing": "$.nothing.here",
            "summary": "$.client.firstName $.client.lastName <$.client.email>, $.extendedProperties.public.guests guests.",
            "price": "$$10 flat",
            "fixed": [1, true, null]
        }
    }))
    .await;
    app.watch(json!({"address": hook.url("/extra"), "levelDetails": "extraFull"}))
        .await;
    app.appointment(30, 11, "schema@example.com").await;

    let body = hook.wait("/templated", 1).await[0].json();
    assert_eq!(
        body,
        json!({
            "type": "booking.created",
            "email": "schema@example.com",
            "guests": 2,
            "client": body["client"].clone(),
            "missing": null,
            "summary": "Ada Lovelace <schema@example.com>, 2 guests.",
            "price": "$10 flat",
            "fixed": [1, true, null]
        })
    );
    assert_eq!(body["client"]["email"], "schema@example.com");
    assert!(
        body["client"]["id"].is_string(),
        "the whole client object, typed"
    );

    let extra = hook.wait("/extra", 1).await[0].json();
    assert_eq!(extra["event"], "created");
    assert!(
        extra["service"]["duration"].is_number(),
        "extraFull carries the whole service record: {}",
        extra["service"]
    );
    assert_eq!(extra["staff"]["id"], "camille");
    assert!(extra["staff"].get("workingHours").is_some() || extra["staff"].get("email").is_some());
    assert_eq!(extra["company"]["timeZone"], "Europe/Paris");
}

#[tokio::test]
async fn each_method_is_used_and_delete_sends_no_body() {
    let dir = Dir::new();
    let app = App::start(&dir.db(), true, fast()).await;
    let hook = Receiver::start().await;
    for method in ["POST", "PUT", "PATCH", "DELETE"] {
        app.watch(json!({"address": hook.url(&format!("/{method}")), "method": method}))
            .await;
    }
    let created = app.appointment(30, 12, "methods@example.com").await;
    for method in ["POST", "PUT", "PATCH", "DELETE"] {
        let hit = &hook.wait(&format!("/{method}"), 1).await[0];
        assert_eq!(hit.method, method);
        if method == "DELETE" {
            assert!(hit.body.is_empty(), "DELETE has no body: {:?}", hit.body);
            assert_eq!(hit.header("content-type"), None);
            assert_eq!(hit.header("booking-event"), Some("created"));
            assert_eq!(hit.header("booking-appointment-id"), created["id"].as_str());
        } else {
            assert_eq!(hit.json()["id"], created["id"]);
        }
    }
}

#[tokio::test]
async fn disabled_watches_send_nothing() {
    let dir = Dir::new();
    let app = App::start(&dir.db(), true, fast()).await;
    let hook = Receiver::start().await;
    let off = app
        .watch(json!({"address": hook.url("/off"), "status": "disabled"}))
        .await;
    app.watch(json!({"address": hook.url("/on")})).await;
    app.appointment(30, 13, "disabled@example.com").await;
    hook.wait("/on", 1).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(hook.hits("/off").is_empty());
    assert_eq!(app.deliveries(&off).await["items"], json!([]));
}

// ------------------------------------------------------------------------------------------------
// Retries

#[tokio::test]
async fn server_errors_are_retried_with_the_same_message_until_success() {
    let dir = Dir::new();
    let app = App::start(&dir.db(), true, fast()).await;
    let hook = Receiver::start().await;
    hook.script("/hook", vec![Reply::status(500), Reply::status(503)]);
    let watch_id = app.watch(json!({"address": hook.url("/hook")})).await;
    app.appointment(30, 14, "retry@example.com").await;

    let hits = hook.wait("/hook", 3).await;
    assert_eq!(hits.len(), 3);
    let ids: Vec<_> = hits.iter().map(|h| h.header("webhook-id")).collect();
    assert!(
        ids.iter().all(|id| *id == ids[0]),
        "a stable webhook-id: {ids:?}"
    );
    assert!(
        hits.iter().all(|h| h.body == hits[0].body),
        "the same body every time"
    );
    assert!(
        hits[1].at - hits[0].at >= Duration::from_millis(70),
        "a backoff between tries"
    );

    let log = app.wait_delivery(&watch_id, "succeeded").await;
    let delivery = &log["items"][0];
    assert_eq!(delivery["attemptCount"], 3);
    let codes: Vec<Value> = delivery["attempts"]
        .as_array()
        .expect("attempts")
        .iter()
        .map(|a| a["statusCode"].clone())
        .collect();
    assert_eq!(codes, [json!(500), json!(503), json!(200)]);
    assert!(delivery["attempts"][0]["nextAttemptAt"].is_string());
    assert_eq!(log["watch"]["failingSince"], Value::Null, "healthy again");
}

#[tokio::test]
async fn retry_after_is_honoured() {
    let dir = Dir::new();
    let app = App::start(&dir.db(), true, fast()).await;
    let hook = Receiver::start().await;
    hook.script("/hook", vec![Reply::status(429).header("retry-after", "2")]);
    app.watch(json!({"address": hook.url("/hook")})).await;
    app.appointment(30, 15, "later@example.com").await;
    let hits = hook.wait("/hook", 2).await;
    let waited = hits[1].at - hits[0].at;
    assert!(
        waited >= Duration::from_millis(1900),
        "waited {waited:?} despite Retry-After: 2"
    );
}

#[tokio::test]
async fn client_errors_are_final_and_timeouts_are_retried() {
    let dir = Dir::new();
    let app = App::start(&dir.db(), true, fast()).await;
    let hook = Receiver::start().await;
    hook.script("/gone", vec![Reply::status(410)]);
    hook.script(
        "/slow",
        vec![Reply::status(200).delay(Duration::from_secs(4))],
    );
    let gone = app.watch(json!({"address": hook.url("/gone")})).await;
    let slow = app.watch(json!({"address": hook.url("/slow")})).await;
    app.appointment(30, 16, "final@example.com").await;

    let log = app.wait_delivery(&gone, "failed").await;
    assert_eq!(log["items"][0]["attemptCount"], 1);
    assert_eq!(log["items"][0]["lastStatusCode"], 410);
    let log = app.wait_delivery(&slow, "succeeded").await;
    let attempts = &log["items"][0]["attempts"];
    assert!(
        attempts[0]["error"]
            .as_str()
            .unwrap_or_default()
            .contains("timed out"),
        "{log:#}"
    );
    assert_eq!(attempts[1]["statusCode"], 200);
    assert_eq!(hook.hits("/gone").len(), 1);
}

#[tokio::test]
async fn a_watch_failing_for_too_long_is_disabled() {
    let dir = Dir::new();
    let settings = Settings {
        disable_after: Duration::from_millis(400),
        ..fast()
    };
    let app = App::start(&dir.db(), true, settings).await;
    let hook = Receiver::start().await;
    hook.script("/down", (0..100).map(|_| Reply::status(502)).collect());
    let watch_id = app.watch(json!({"address": hook.url("/down")})).await;
    app.appointment(30, 17, "down@example.com").await;

    let log = app.wait_delivery(&watch_id, "skipped").await;
    assert_eq!(log["watch"]["status"], "disabled", "{log:#}");
    let reason = log["watch"]["disabledReason"].as_str().unwrap_or_default();
    assert!(reason.contains("disabled automatically"), "{reason}");
    assert!(log["items"][0]["lastError"]
        .as_str()
        .unwrap_or_default()
        .contains("disabled automatically"));
    let (_, watch) = app.get(&format!("/appointments/watch/{watch_id}")).await;
    assert_eq!(watch["status"], "disabled");
    assert!(watch["disabledReason"].is_string());

    // Disabled: new changes are not queued for it.
    let tries = hook.hits("/down").len();
    app.appointment(30, 18, "down2@example.com").await;
    tokio::time::sleep(Duration::from_millis(400)).await;
    assert_eq!(hook.hits("/down").len(), tries);
    assert_eq!(
        app.deliveries(&watch_id).await["items"]
            .as_array()
            .map(Vec::len),
        Some(1)
    );
}

// ------------------------------------------------------------------------------------------------
// Restarts

#[tokio::test]
async fn a_pending_delivery_is_sent_after_a_restart() {
    let dir = Dir::new();
    let hook = Receiver::start().await;
    hook.script("/hook", vec![Reply::status(503).header("retry-after", "1")]);
    let watch_id = {
        let app = App::start(&dir.db(), true, fast()).await;
        let watch_id = app.watch(json!({"address": hook.url("/hook")})).await;
        app.appointment(30, 10, "restart@example.com").await;
        hook.wait("/hook", 1).await;
        watch_id
        // The app stops here, its retry still pending in the database.
    };
    tokio::time::sleep(Duration::from_millis(100)).await;
    let app = App::start(&dir.db(), true, fast()).await;
    let hits = hook.wait("/hook", 2).await;
    assert_eq!(hits[0].header("webhook-id"), hits[1].header("webhook-id"));
    let log = app.wait_delivery(&watch_id, "succeeded").await;
    assert_eq!(log["items"][0]["attemptCount"], 2);
}

#[tokio::test]
async fn a_delivery_interrupted_by_a_crash_is_taken_again_after_its_lease() {
    let dir = Dir::new();
    let hook = Receiver::start().await;
    // The first request hangs: the server is killed while it waits.
    hook.script(
        "/hook",
        vec![Reply::status(200).delay(Duration::from_secs(30))],
    );
    let settings = Settings {
        request_timeout: Duration::from_secs(20),
        lease: Duration::from_secs(2),
        ..fast()
    };
    let watch_id = {
        let app = App::start(&dir.db(), true, settings.clone()).await;
        let watch_id = app.watch(json!({"address": hook.url("/hook")})).await;
        app.appointment(30, 10, "crash@example.com").await;
        hook.wait("/hook", 1).await;
        watch_id
    };
    let app = App::start(&dir.db(), true, fast()).await;
    let hits = hook.wait("/hook", 2).await;
    assert_eq!(hits[0].header("webhook-id"), hits[1].header("webhook-id"));
    let log = app.wait_delivery(&watch_id, "succeeded").await;
    let attempts = log["items"][0]["attempts"]
        .as_array()
        .expect("attempts")
        .clone();
    assert_eq!(attempts.len(), 2, "{log:#}");
    assert!(attempts[0]["error"]
        .as_str()
        .unwrap_or_default()
        .contains("interrupted"));
    assert_eq!(attempts[1]["statusCode"], 200);
}

// ------------------------------------------------------------------------------------------------
// OAuth2

#[tokio::test]
async fn oauth2_refresh_token_grant_caches_the_token_and_renews_it_after_a_401() {
    let dir = Dir::new();
    let app = App::start(&dir.db(), true, fast()).await;
    let hook = Receiver::start().await;
    let watch_id = app
        .watch(json!({
            "address": hook.url("/hook"),
            "oauth2Auth": {
                "grantType": "refresh_token",
                "clientId": "booking-app",
                "refreshToken": "rt-1",
                "authUrl": hook.url("/authorize"),
                "accessTokenUrl": hook.url("/token"),
                "scope": "hooks.write"
            }
        }))
        .await;
    let (_, shown) = app.get(&format!("/appointments/watch/{watch_id}")).await;
    assert_eq!(shown["oauth2Auth"]["refreshToken"], "********");
    assert_eq!(shown["oauth2Auth"]["clientId"], "booking-app");

    app.appointment(30, 10, "oauth-a@example.com").await;
    let first = hook.wait("/hook", 1).await;
    assert_eq!(first[0].header("authorization"), Some("Bearer tok-1"));
    let token_request = &hook.wait("/token", 1).await[0];
    assert_eq!(token_request.method, "POST");
    assert_eq!(
        token_request.header("content-type"),
        Some("application/x-www-form-urlencoded")
    );
    let form = token_request.form();
    assert_eq!(form["grant_type"], "refresh_token");
    assert_eq!(form["client_id"], "booking-app");
    assert_eq!(form["refresh_token"], "rt-1");
    assert_eq!(form["scope"], "hooks.write");

    // The cached token serves the next notification.
    app.appointment(30, 11, "oauth-b@example.com").await;
    let hits = hook.wait("/hook", 2).await;
    assert_eq!(hits[1].header("authorization"), Some("Bearer tok-1"));
    assert_eq!(hook.hits("/token").len(), 1);

    // Refused once: a new token, and the same attempt goes through.
    hook.script("/hook", vec![Reply::status(401)]);
    app.appointment(30, 12, "oauth-c@example.com").await;
    let hits = hook.wait("/hook", 4).await;
    assert_eq!(hits[2].header("authorization"), Some("Bearer tok-1"));
    assert_eq!(hits[3].header("authorization"), Some("Bearer tok-2"));
    assert_eq!(hook.hits("/token").len(), 2);
    let log = app.wait_delivery(&watch_id, "succeeded").await;
    assert_eq!(
        log["items"][0]["attemptCount"], 1,
        "renewing is part of the attempt"
    );
}

#[tokio::test]
async fn oauth2_client_credentials_grant() {
    let dir = Dir::new();
    let app = App::start(&dir.db(), true, fast()).await;
    let hook = Receiver::start().await;
    app.watch(json!({
        "address": hook.url("/hook"),
        "oauth2Auth": {
            "grantType": "client_credentials",
            "clientId": "svc",
            "clientSecret": "cs-42",
            "accessTokenUrl": hook.url("/token")
        }
    }))
    .await;
    app.appointment(30, 10, "cc@example.com").await;
    let hit = &hook.wait("/hook", 1).await[0];
    assert_eq!(hit.header("authorization"), Some("Bearer tok-1"));
    let form = hook.wait("/token", 1).await[0].form();
    assert_eq!(form["grant_type"], "client_credentials");
    assert_eq!(form["client_id"], "svc");
    assert_eq!(form["client_secret"], "cs-42");
    assert!(!form.contains_key("refresh_token"));
}

// ------------------------------------------------------------------------------------------------
// Signatures

/// `PYTHONPATH` under which `import standardwebhooks` works: none needed when it is installed,
/// else a directory it is pip-installed into once (CI on a fresh machine).
fn standardwebhooks_path() -> Option<PathBuf> {
    let importable = |path: Option<&Path>| {
        let mut command = std::process::Command::new("python3");
        command.args(["-c", "import standardwebhooks"]);
        if let Some(path) = path {
            command.env("PYTHONPATH", path);
        }
        command
            .output()
            .map(|o| o.status.success())
            .unwrap_or(false)
    };
    if importable(None) {
        return None;
    }
    let target = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("python-standardwebhooks");
    if !importable(Some(&target)) {
        let status = std::process::Command::new("python3")
            .env("PIP_ROOT_USER_ACTION", "ignore")
            .args([
                "-m",
                "pip",
                "install",
                "--quiet",
                "--disable-pip-version-check",
                "--target",
            ])
            .arg(&target)
            .arg("standardwebhooks")
            .status()
            .expect("python3 -m pip (python3 and pip are needed for this test)");
        assert!(status.success(), "pip install standardwebhooks failed");
    }
    Some(target)
}

/// Verifies a received request with the reference Python library; returns its verdict.
fn verify_in_python(secret: &str, hit: &Hit) -> Result<(), String> {
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
    let mut command = std::process::Command::new("python3");
    command.args(["-c", SCRIPT]);
    if let Some(path) = standardwebhooks_path() {
        command.env("PYTHONPATH", path);
    }
    let mut child = command
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

#[tokio::test]
async fn signatures_verify_with_the_standard_webhooks_library_across_a_rotation() {
    let dir = Dir::new();
    let app = App::start(&dir.db(), true, fast()).await;
    let hook = Receiver::start().await;

    let (status, key) = app.post("/cryptoKeys", &json!({"name": "primary"})).await;
    assert_eq!(status, 201, "{key}");
    let key_id = key["id"].as_str().expect("key id").to_owned();
    let secret = key["secret"]
        .as_str()
        .expect("secret shown once")
        .to_owned();
    assert!(secret.starts_with("whsec_"));
    let (_, keys) = app.get("/cryptoKeys").await;
    assert_eq!(keys["items"][0]["id"], key_id.as_str());
    assert!(
        !keys.to_string().contains(&secret[6..]),
        "listed without the secret"
    );

    let watch_id = app
        .watch(json!({
            "address": hook.url("/hook"),
            "signature": {"enabled": true, "cryptoKeyIds": [key_id]}
        }))
        .await;
    app.appointment(30, 10, "signed@example.com").await;
    let hit = hook.wait("/hook", 1).await[0].clone();
    let signature = hit.header("webhook-signature").expect("signed");
    assert!(signature.starts_with("v1,"), "{signature}");
    verify_in_python(&secret, &hit).expect("the library accepts the signature");
    let mut tampered = hit.clone();
    tampered.body = tampered.body.replace("signed@", "forged@");
    assert!(
        verify_in_python(&secret, &tampered).is_err(),
        "a changed body is refused"
    );
    let other = booking_server::webhooks::signing::Secret::generate().written();
    assert!(
        verify_in_python(&other, &hit).is_err(),
        "another key is refused"
    );

    // Rotation: the new secret is shown once; both secrets sign for a while.
    let (status, rotated) = app
        .post(&format!("/cryptoKeys/{key_id}/rotate"), &json!({}))
        .await;
    assert_eq!(status, 200, "{rotated}");
    let new_secret = rotated["secret"].as_str().expect("new secret").to_owned();
    assert_ne!(new_secret, secret);
    assert!(rotated["previousValidUntil"].is_string());
    app.appointment(30, 11, "rotated@example.com").await;
    let hit = hook.wait("/hook", 2).await[1].clone();
    assert_eq!(
        hit.header("webhook-signature")
            .map(|s| s.split(' ').count()),
        Some(2),
        "signed with the new and the previous secret"
    );
    verify_in_python(&new_secret, &hit).expect("new secret verifies");
    verify_in_python(&secret, &hit).expect("previous secret still verifies");

    // A key in use can't be deleted.
    let (status, _) = app
        .call(Method::DELETE, &format!("{DEMO}/cryptoKeys/{key_id}"), None)
        .await;
    assert_eq!(status, 409);
    let (status, _) = app
        .call(
            Method::DELETE,
            &format!("{DEMO}/appointments/watch/{watch_id}"),
            None,
        )
        .await;
    assert_eq!(status, 204);
    let (status, _) = app
        .call(Method::DELETE, &format!("{DEMO}/cryptoKeys/{key_id}"), None)
        .await;
    assert_eq!(status, 204);
}
