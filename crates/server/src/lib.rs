//! The scheduling server: the Appointments API of the reference, the public API the widget uses, and
//! the static files of the widget itself.
//!
//! `app()` builds the whole HTTP surface; `main.rs` only parses the command line.

/// The `admin` subcommands: companies and API keys.
pub mod admin;
/// API-key authentication and tenancy of the authenticated API.
pub mod auth;
/// Booking rules shared by the widget routes and the Appointments API.
pub mod booking;
/// Busy polling while SQLite's writer is contended (`--busy-poll`).
pub mod busy_poll;
/// Calendar sync: staff calendars (CalDAV, ICS) read into busy time that blocks their slots.
pub mod calendar;
/// The injectable clock every "now" of the write path reads.
pub mod clock;
/// Storage: connection, migrations, queries per kind of record.
pub mod db;
/// Demo data (`--demo`): a realistic company to try the widget against.
pub mod demo;
/// The single error type and its JSON shape.
pub mod error;
/// Typed extractors whose rejections use the JSON error shape.
pub mod extract;
/// Escaping text for the HTML the server writes.
pub mod html;
/// Where links in answers and notifications point (`rescheduleLink`), and which headers count.
pub mod links;
/// Emails and text messages: planning on each appointment write, rendering, SMTP or `.eml`
/// delivery, the SMS gateway.
pub mod notify;
/// The OpenAPI 3.1 document and its docs page.
pub mod openapi;
/// The outbox's delivery loop, shared by the webhook and email channels.
pub mod outbox_worker;
/// Per-IP limits on booking requests.
pub mod rate_limit;
/// Secrets (passwords, URL credentials) printed as `***` by the configuration's `Debug`.
pub mod redact;
/// HTTP routes, one module per resource.
pub mod routes;
/// Webhooks (watches): the outbox, its delivery worker, signatures, the SSRF guard.
pub mod webhooks;

use std::path::PathBuf;
use std::sync::Arc;

use axum::Router;

pub use error::{Error, Result};

/// Settings fixed at start-up.
#[derive(Debug, Clone)]
pub struct Config {
    /// Directory holding the built widget (trunk's `dist/`), served under `/widget/`.
    pub widget_dir: Option<PathBuf>,
    /// Serve the demo host page at `/`.
    pub demo: bool,
    /// Origin for links in answers and notifications (reschedule links), see [`links`].
    pub public_url: Option<String>,
    /// Without `public_url`: build links from `X-Forwarded-Proto` / `X-Forwarded-Host` / `Host`
    /// (`--trust-forwarded-headers`; only behind a proxy that sets them).
    pub trust_forwarded_headers: bool,
    /// The address the server listens on: the links' origin when nothing else is configured.
    pub listen_addr: Option<std::net::SocketAddr>,
    /// Booking requests allowed per IP per minute.
    pub bookings_per_minute: u32,
    /// Webhooks: allow watch addresses on loopback and private networks (`--allow-private-webhooks`;
    /// tests and the demo). Off, such addresses are refused when saved and again at delivery.
    pub allow_private_webhooks: bool,
    /// Webhooks: delivery timing (poll interval, backoff, timeouts, leases).
    pub webhooks: webhooks::Settings,
    /// Emails: SMTP or the mail directory, and delivery timing.
    pub email: notify::Settings,
    /// Text messages: the SMS gateway (none: no text messages), and delivery timing.
    pub sms: notify::sms::Settings,
    /// Seals credentials at rest (CalDAV passwords; `--secret-key`). None: CalDAV connections
    /// are refused.
    pub secret_key: Option<calendar::credentials::SecretKey>,
    /// Connected calendars: refresh interval, staleness, timeouts, horizon.
    pub calendar: calendar::sync::Settings,
    /// Bookings written out to CalDAV calendars: delivery timing.
    pub calendar_write: notify::delivery::Timing,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            widget_dir: None,
            demo: false,
            public_url: None,
            trust_forwarded_headers: false,
            listen_addr: None,
            bookings_per_minute: 30,
            allow_private_webhooks: false,
            webhooks: webhooks::Settings::default(),
            email: notify::Settings::default(),
            sms: notify::sms::Settings::default(),
            secret_key: None,
            calendar: calendar::sync::Settings::default(),
            calendar_write: calendar::write::default_timing(),
        }
    }
}

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub db: db::Db,
    pub config: Arc<Config>,
    /// Companies' catalogues and forms, reused while the setup version is unchanged.
    pub catalogs: Arc<booking::catalog::Cache>,
    /// Form pattern checks (compiled regexes are cached here).
    pub matcher: Arc<booking::pattern::RegexMatcher>,
    /// Per-IP limit on booking requests.
    pub booking_limiter: Arc<rate_limit::RateLimiter>,
    /// Webhooks: the delivery client and OAuth2 token cache.
    pub webhooks: Arc<webhooks::Runtime>,
    /// What "now" is (the system's; tests set it).
    pub clock: clock::Clock,
    /// The HTTP client of connected-calendar reads (the SSRF guard's resolver, no redirects).
    pub calendar_client: reqwest::Client,
}

impl AppState {
    /// State for a database and configuration.
    pub fn new(db: db::Db, config: Config) -> Self {
        AppState {
            db,
            catalogs: Arc::default(),
            matcher: Arc::default(),
            booking_limiter: Arc::new(rate_limit::RateLimiter::per_minute(
                config.bookings_per_minute,
            )),
            webhooks: Arc::new(webhooks::Runtime::new(
                config.webhooks.clone(),
                config.allow_private_webhooks,
            )),
            calendar_client: calendar::sync::client(
                &config.calendar,
                config.allow_private_webhooks,
            ),
            config: Arc::new(config),
            clock: clock::Clock::system(),
        }
    }

    /// The same state reading `clock` (tests).
    pub fn with_clock(mut self, clock: clock::Clock) -> Self {
        self.clock = clock;
        self
    }
}

/// The complete application: API routes, widget files, demo page.
pub fn app(state: AppState) -> Router {
    routes::router(state)
}
