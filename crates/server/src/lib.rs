//! The scheduling server: the Appointments API of the reference, the public API the widget uses, and
//! the static files of the widget itself.
//!
//! `app()` builds the whole HTTP surface; `main.rs` only parses the command line.

/// Storage: connection, migrations, queries per kind of record.
pub mod db;
/// Demo data (`--demo`): a realistic company to try the widget against.
pub mod demo;
/// The single error type and its JSON shape.
pub mod error;
/// Typed extractors whose rejections use the JSON error shape.
pub mod extract;
/// HTTP routes, one module per resource.
pub mod routes;

use std::path::PathBuf;
use std::sync::Arc;

use axum::Router;

pub use error::{Error, Result};

/// Settings fixed at start-up.
#[derive(Debug, Clone, Default)]
pub struct Config {
    /// Directory holding the built widget (trunk's `dist/`), served under `/widget/`.
    pub widget_dir: Option<PathBuf>,
    /// Serve the demo host page at `/`.
    pub demo: bool,
}

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub db: db::Db,
    pub config: Arc<Config>,
}

/// The complete application: API routes, widget files, demo page.
pub fn app(state: AppState) -> Router {
    routes::router(state)
}
