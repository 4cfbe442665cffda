//! A real server for integration tests: the full app on 127.0.0.1:0 over a fresh SQLite file.

#![allow(dead_code)] // each test file uses its own subset

use std::sync::Arc;

use booking_server::{app, db, demo, AppState, Config};

/// A running server; the database lives as long as this value.
pub struct TestServer {
    /// `http://127.0.0.1:PORT`
    pub base: String,
    pub client: reqwest::Client,
    _dir: tempfile::TempDir,
}

impl TestServer {
    /// Starts the app with the demo company seeded.
    pub async fn with_demo() -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let db = db::open(&dir.path().join("test.sqlite"))
            .await
            .expect("open db");
        demo::seed(&db).await.expect("seed demo");
        let state = AppState {
            db,
            config: Arc::new(Config {
                widget_dir: None,
                demo: true,
            }),
        };
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let base = format!("http://{}", listener.local_addr().expect("addr"));
        tokio::spawn(async move { axum::serve(listener, app(state)).await.expect("serve") });
        TestServer {
            base,
            client: reqwest::Client::new(),
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
}
