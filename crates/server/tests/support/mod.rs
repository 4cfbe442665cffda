//! A real server for integration tests: the full app on 127.0.0.1:0 over a fresh SQLite file.

#![allow(dead_code)] // each test file uses its own subset

use booking_server::clock::Clock;
use booking_server::{app, db, demo, AppState, Config};

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
        let dir = tempfile::tempdir().expect("temp dir");
        let db = db::open(&dir.path().join("test.sqlite"))
            .await
            .expect("open db");
        demo::seed(&db).await.expect("seed demo");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let addr = listener.local_addr().expect("addr");
        let base = format!("http://{addr}");
        let state = AppState::new(
            db.clone(),
            Config {
                demo: true,
                bookings_per_minute,
                listen_addr: Some(addr),
                ..Config::default()
            },
        )
        .with_clock(clock.clone());
        let service = app(state).into_make_service_with_connect_info::<std::net::SocketAddr>();
        tokio::spawn(async move { axum::serve(listener, service).await.expect("serve") });
        TestServer {
            base,
            client: reqwest::Client::new(),
            db,
            clock,
            _dir: dir,
        }
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
        body: &serde_json::Value,
    ) -> (u16, serde_json::Value) {
        let response = self
            .client
            .request(method, format!("{}{path}", self.base))
            .json(body)
            .send()
            .await
            .expect("request");
        let status = response.status().as_u16();
        let text = response.text().await.expect("body");
        let json = if text.is_empty() {
            serde_json::Value::Null
        } else {
            serde_json::from_str(&text).expect("JSON body")
        };
        (status, json)
    }
}
