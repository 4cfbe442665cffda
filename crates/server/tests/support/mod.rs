//! A real server for integration tests: the full app on 127.0.0.1:0 over a fresh SQLite file, or
//! a fresh PostgreSQL database with `BOOKING_TEST_DB=postgres` ([`postgres`]).

#![allow(dead_code)] // each test file uses its own subset

pub mod postgres;

use booking_server::clock::Clock;
use booking_server::{app, db, demo, AppState, Config};
use serde_json::Value;

/// The demo company's API key (crates/server/assets/demo.json).
pub const DEMO_KEY: &str = "demo-api-key";

/// `{method} {url}`, with `apiKey` and a JSON body when given → (status, JSON body, or `Null` when
/// the body is empty). Panics, showing the text, when a body is not JSON.
pub async fn request_json(
    client: &reqwest::Client,
    method: reqwest::Method,
    url: &str,
    api_key: Option<&str>,
    body: Option<&Value>,
) -> (u16, Value) {
    let mut request = client.request(method, url);
    if let Some(key) = api_key {
        request = request.header("apiKey", key);
    }
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

/// Like [`request_json`], for answers that may not be JSON (an HTML page, a plain-text error):
/// their body reads as `Null`.
pub async fn request_lenient(
    client: &reqwest::Client,
    method: reqwest::Method,
    url: &str,
    body: Option<&Value>,
) -> (u16, Value) {
    let mut request = client.request(method, url);
    if let Some(body) = body {
        request = request.json(body);
    }
    let response = request.send().await.expect("request");
    let status = response.status().as_u16();
    let text = response.text().await.expect("body");
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

/// The test's database named by `path`: that SQLite file, or with `BOOKING_TEST_DB=postgres` the
/// PostgreSQL database made for that path ([`postgres::location_for`]), opened and migrated.
pub async fn open_db(path: &std::path::Path) -> db::Db {
    let location = db::Location::parse(&postgres::location_for(path)).expect("database location");
    db::open_at(&location).await.expect("open db")
}

/// A database named by `path` ([`open_db`]) with the demo company seeded.
pub async fn demo_db(path: &std::path::Path) -> db::Db {
    let db = open_db(path).await;
    demo::seed(&db).await.expect("seed demo");
    db
}

/// Serves the app over `db` on a fresh 127.0.0.1 port, under `clock`. `config` is given the base
/// URL (`http://127.0.0.1:PORT`, e.g. for `public_url`); the listen address is set after it.
/// Returns the base URL, the state (for the workers a test runs beside the server) and the serving
/// task (aborting it stops the server).
pub async fn serve(
    db: db::Db,
    clock: Clock,
    config: impl FnOnce(&str) -> Config,
) -> (String, AppState, tokio::task::JoinHandle<()>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    let base = format!("http://{addr}");
    let config = Config {
        listen_addr: Some(addr),
        ..config(&base)
    };
    let state = AppState::new(db, config).with_clock(clock);
    let service = app(state.clone()).into_make_service_with_connect_info::<std::net::SocketAddr>();
    let server = tokio::spawn(async move { axum::serve(listener, service).await.expect("serve") });
    (base, state, server)
}

/// A complete booking of the demo form, as the widget sends it (English, a client in New York,
/// one public extended property).
pub fn demo_booking(service: &str, staff: Option<&str>, start: &str, email: &str) -> Value {
    serde_json::json!({
        "serviceId": service,
        "staffId": staff,
        "start": start,
        "timeZone": "America/New_York",
        "lang": "en",
        "extendedProperties": {"campaign": "winter"},
        "form": {
            "id": "default",
            "contactFields": [
                {"id": "firstName", "bind": "crm-first-name", "value": "Ada"},
                {"id": "lastName", "bind": "crm-last-name", "value": "Lovelace"},
                {"id": "email", "bind": "crm-email", "value": email}
            ],
            "additionalFields": [[
                {"id": "firstVisit", "values": [{"value": "yes"}]}
            ], [
                {"id": "zip", "value": "75011"},
                {"id": "consent", "values": [{"value": "agree"}]}
            ]]
        }
    })
}

/// A running server; the database lives as long as this value.
pub struct TestServer {
    /// `http://127.0.0.1:PORT`
    pub base: String,
    pub client: reqwest::Client,
    /// The server's database, for arranging data the API can't create yet.
    pub db: db::Db,
    /// The server's clock: the system's unless the test set it.
    pub clock: Clock,
    _dir: tempfile::TempDir,
}

impl TestServer {
    /// Starts the app with the demo company seeded.
    pub async fn with_demo() -> Self {
        Self::with_booking_limit(1_000).await
    }

    /// Same, with a given per-IP booking limit per minute.
    pub async fn with_booking_limit(bookings_per_minute: u32) -> Self {
        Self::start(bookings_per_minute, Clock::system()).await
    }

    /// The demo company on a server whose clock stands at `clock` (move it with `clock.set`).
    pub async fn with_clock(clock: Clock) -> Self {
        Self::start(1_000, clock).await
    }

    async fn start(bookings_per_minute: u32, clock: Clock) -> Self {
        let (server, _) = Self::configured(clock, |_, _| Config {
            demo: true,
            bookings_per_minute,
            ..Config::default()
        })
        .await;
        server
    }

    /// The demo company on a server set up by `config` (given the base URL and the database's
    /// directory), under `clock`; with the state, for the workers a test runs beside it.
    pub async fn configured(
        clock: Clock,
        config: impl FnOnce(&str, &std::path::Path) -> Config,
    ) -> (Self, AppState) {
        let dir = tempfile::tempdir().expect("temp dir");
        let db = open_db(&dir.path().join("test.sqlite")).await;
        demo::seed_for(&db, clock.now().date_naive())
            .await
            .expect("seed demo");
        let (base, state, _) =
            serve(db.clone(), clock.clone(), |base| config(base, dir.path())).await;
        let server = TestServer {
            base,
            client: reqwest::Client::new(),
            db,
            clock,
            _dir: dir,
        };
        (server, state)
    }

    /// `GET {base}{path}` → (status, JSON body).
    pub async fn get_json(&self, path: &str) -> (u16, serde_json::Value) {
        let response = self
            .client
            .get(format!("{}{path}", self.base))
            .send()
            .await
            .expect("request");
        let status = response.status().as_u16();
        (status, response.json().await.expect("JSON body"))
    }

    /// `{method} {base}{path}` with a JSON body → (status, JSON body or Null when empty).
    pub async fn send_json(
        &self,
        method: reqwest::Method,
        path: &str,
        body: &Value,
    ) -> (u16, Value) {
        let url = format!("{}{path}", self.base);
        request_json(&self.client, method, &url, None, Some(body)).await
    }

    /// `{method} {base}{path}` as the demo company's API client (its key) → (status, JSON or Null).
    pub async fn api(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<&Value>,
    ) -> (u16, Value) {
        let url = format!("{}{path}", self.base);
        request_json(&self.client, method, &url, Some(DEMO_KEY), body).await
    }

    /// Free local starts (Paris wall clock, `yyyy-MM-ddTHH:mm:ss`) of `service` (with `staff` when
    /// given), from the widget's freeSlots, over 20 days from `skip_days` after the server's today.
    pub async fn free_starts(
        &self,
        service: &str,
        staff: Option<&str>,
        skip_days: u64,
    ) -> Vec<String> {
        let today = self.clock.now().date_naive();
        let (from, to) = (
            today + chrono::Days::new(skip_days),
            today + chrono::Days::new(skip_days + 20),
        );
        let staff = staff.map(|s| format!("&staffId={s}")).unwrap_or_default();
        let (status, body) = self
            .get_json(&format!(
                "/api/2.1/scheduling/companies/demo/widget/freeSlots?startDate={from}&endDate={to}&serviceId={service}{staff}&timeZone=Europe/Paris"
            ))
            .await;
        assert_eq!(status, 200, "{body}");
        body["items"]
            .as_array()
            .expect("days")
            .iter()
            .flat_map(|d| d["slots"].as_array().cloned().unwrap_or_default())
            .filter_map(|s| s.as_str().map(|s| s[..19].to_owned()))
            .collect()
    }
}

/// `local` (`yyyy-MM-ddTHH:mm:ss`) plus `minutes`, on the same wall clock.
pub fn plus_minutes(local: &str, minutes: i64) -> String {
    let t = chrono::NaiveDateTime::parse_from_str(local, "%Y-%m-%dT%H:%M:%S").expect("local time");
    (t + chrono::Duration::minutes(minutes))
        .format("%Y-%m-%dT%H:%M:%S")
        .to_string()
}
