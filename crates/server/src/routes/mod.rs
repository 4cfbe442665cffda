//! The HTTP surface in one screen: each resource module contributes a `router()`.

/// The authenticated Appointments API.
pub mod appointments;
/// A staff member's connected calendars (CalDAV, ICS) and their status.
pub mod calendar_connections;
/// Staff calendar feeds (`staff/{id}/calendar.ics?token=`) and their tokens.
pub mod calendar_feed;
/// Signing keys of watches (`cryptoKeys`).
pub mod crypto_keys;
/// `/healthz` and `/readyz`.
pub mod health;
/// The demo's mailbox: the emails written as `.eml` files (`--demo` only).
pub mod mailbox;
/// An appointment's notification log (emails).
pub mod notifications;
/// Public routes the widget uses (no auth).
pub mod public;
/// The authenticated business setup API: company, services, staff, resources, forms, clients.
pub mod setup;
/// The widget's static files and the demo host page.
pub mod site;
/// `widget/freeSlots` and `widget/form`.
pub mod slots;
/// The appointment-statuses API: a company's custom statuses (`customStatus`).
pub mod statuses;
/// The visitor's own appointment: book, view, reschedule, cancel, .ics.
pub mod visits;
/// Watches (webhooks) and their delivery log.
pub mod watches;

use axum::extract::DefaultBodyLimit;
use axum::http::{header, Method};
use axum::routing::get;
use axum::Router;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::cors::{Any, CorsLayer};
use tower_http::trace::TraceLayer;

use crate::error::Error;
use crate::AppState;

/// Base path (under `/api`) of every company-scoped route.
pub const COMPANY_BASE: &str = "/2.1/scheduling/companies/{company_id}";

/// Largest accepted request body: room for a form with a file answer (5 MiB as a base64 data URI).
const MAX_BODY_BYTES: usize = 8 * 1024 * 1024;

/// Builds the whole application.
pub fn router(state: AppState) -> Router {
    // The API is called cross-origin by widgets on customer sites; credentials travel in headers, never
    // cookies, so an open CORS policy is safe.
    let cors = CorsLayer::new()
        .allow_origin(Any)
        .allow_methods([
            Method::GET,
            Method::POST,
            Method::PUT,
            Method::DELETE,
            Method::OPTIONS,
        ])
        .allow_headers([
            header::CONTENT_TYPE,
            header::AUTHORIZATION,
            header::HeaderName::from_static("apikey"),
            header::HeaderName::from_static("token"),
        ]);
    let api = Router::new()
        .nest(
            COMPANY_BASE,
            public::router()
                .merge(slots::router())
                .merge(visits::router(&state))
                .merge(appointments::router(&state))
                .merge(notifications::router(&state))
                .merge(setup::router(&state))
                .merge(calendar_feed::router(&state))
                .merge(calendar_connections::router(&state))
                .merge(statuses::router(&state))
                .merge(watches::router(&state))
                .merge(crypto_keys::router(&state)),
        )
        .route("/health", get(|| async { "ok" }))
        .route(
            "/openapi.json",
            get(|| async { axum::Json(crate::openapi::document()) }),
        )
        .route(
            "/docs",
            get(|| async { axum::response::Html(crate::openapi::DOCS_PAGE) }),
        )
        .fallback(|| async { Error::NotFound("no such API route".to_owned()) });
    #[cfg(debug_assertions)]
    let api = test_hooks(api);
    // Inside CORS, so a cross-origin caller can read the 500 of a panic.
    let api = api
        .layer(CatchPanicLayer::custom(crate::error::panic_response))
        .layer(cors);
    Router::new()
        .nest("/api", api)
        .merge(health::router())
        .merge(site::router(&state.config))
        .merge(mailbox::router(&state.config))
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        // A panic anywhere becomes a logged 500 and the server goes on (release builds unwind).
        .layer(CatchPanicLayer::custom(crate::error::panic_response))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

/// Test hooks, compiled into debug builds only and mounted only when the environment asks for
/// them (`BOOKING_SERVER_TEST_HOOKS=1`): `GET /api/test-hooks/panic` panics in its handler.
#[cfg(debug_assertions)]
fn test_hooks(api: Router<AppState>) -> Router<AppState> {
    match std::env::var_os("BOOKING_SERVER_TEST_HOOKS").is_some_and(|v| v == "1") {
        true => api.route("/test-hooks/panic", get(panicking_handler)),
        false => api,
    }
}

#[cfg(debug_assertions)]
async fn panicking_handler() -> &'static str {
    panic!("test hook: a handler panicked")
}
