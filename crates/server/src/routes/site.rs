//! Non-API pages: the built widget under `/widget/` and, with `--demo`, a host page at `/` that embeds it.

use axum::response::{Html, IntoResponse, Redirect};
use axum::routing::get;
use axum::Router;
use tower_http::services::ServeDir;

use crate::{AppState, Config};

/// The demo host page: a fictional customer website embedding the widget in an iframe.
const DEMO_PAGE: &str = include_str!("../../assets/demo.html");

/// Static routes for the given configuration.
pub fn router(config: &Config) -> Router<AppState> {
    let mut router =
        Router::new().route("/widget", get(|| async { Redirect::permanent("/widget/") }));
    if let Some(dir) = &config.widget_dir {
        router = router.nest_service("/widget/", ServeDir::new(dir));
    }
    if config.demo {
        router = router.route("/", get(|| async { Html(DEMO_PAGE) }));
    } else {
        router = router.route(
            "/",
            get(|| async { Redirect::temporary("/api/health").into_response() }),
        );
    }
    router
}
