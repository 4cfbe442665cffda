//! Webhooks ("watches"): every appointment write adds outbox rows, in the writer's own transaction,
//! for each enabled watch of the company ([`enqueue`]); a background worker ([`spawn_worker`])
//! delivers them at least once, with retries, OAuth2, signatures and the SSRF guard.
//!
//! The outbox lives in the database (`db::outbox`, channel `webhook`), so a delivery survives a restart or a
//! crash: a row claimed by a worker that died is claimed again once its lease has expired. The
//! receiver-facing contract (payloads, headers, retries, signatures) is in `docs/webhooks.md`.

/// Access tokens for watches with `oauth2Auth`, cached until they expire.
pub mod oauth2;
/// Filling the notification body: `levelDetails` and the extra records of `extraFull`.
pub mod payload;
/// One delivery attempt: the HTTP request and how its answer is classified.
pub mod send;
/// Standard Webhooks signatures and `whsec_` secrets.
pub mod signing;
/// The SSRF guard: which destination addresses are allowed.
pub mod ssrf;
/// The `schema` template and its JSONPath subset.
pub mod template;
/// Checking and masking a watch sent to the API.
pub mod validate;
/// The delivery loop: claim due rows, attempt, record, schedule retries.
pub mod worker;

use std::sync::Arc;
use std::time::Duration;

use booking_model::{Company, WatchEvent};

use crate::db::appointments::StoredAppointment;
use crate::db::watches;
use crate::db::Conn;
use crate::error::Result;

pub use worker::spawn as spawn_worker;

/// Timing of deliveries. The defaults suit production; tests shrink them to run in seconds.
#[derive(Debug, Clone)]
pub struct Settings {
    /// How often the worker looks for due deliveries.
    pub poll_interval: Duration,
    /// Delay before the first retry; each further retry waits twice as long (±20 % jitter).
    pub backoff_base: Duration,
    /// Longest wait between two attempts (`Retry-After` is honoured beyond it).
    pub backoff_max: Duration,
    /// A delivery is given up when its next attempt would start this long after the change.
    pub retry_window: Duration,
    /// Time limit of one HTTP request (connection, answer and body), token requests included.
    pub request_timeout: Duration,
    /// How long a claimed delivery is reserved for its worker; past it, another worker (or the same
    /// server after a restart) takes it again. An attempt is cut at ¾ of it
    /// ([`Settings::attempt_limit`]), so no worker claims a delivery whose attempt is still live.
    pub lease: Duration,
    /// A watch whose attempts have all failed for this long is disabled.
    pub disable_after: Duration,
    /// Deliveries in flight at once.
    pub max_in_flight: usize,
    /// After a key rotation, notifications are signed with the previous secret too for this long.
    pub rotation_overlap: Duration,
    /// Finished deliveries (and their attempts) are purged after this long.
    pub retention: Duration,
}

impl Default for Settings {
    fn default() -> Self {
        const MINUTE: u64 = 60;
        const HOUR: u64 = 60 * MINUTE;
        Settings {
            poll_interval: Duration::from_secs(1),
            backoff_base: Duration::from_secs(30),
            backoff_max: Duration::from_secs(2 * HOUR),
            retry_window: Duration::from_secs(24 * HOUR),
            request_timeout: Duration::from_secs(10),
            lease: Duration::from_secs(2 * MINUTE),
            disable_after: Duration::from_secs(72 * HOUR),
            max_in_flight: 8,
            rotation_overlap: Duration::from_secs(24 * HOUR),
            retention: Duration::from_secs(30 * 24 * HOUR),
        }
    }
}

/// HTTP requests one attempt may make: an OAuth2 token, the notification, and after a 401 a
/// renewed token and the notification once more.
const REQUESTS_PER_ATTEMPT: u32 = 4;

impl Settings {
    /// The longest one attempt may take, its requests together: `request_timeout` for each, but at
    /// most ¾ of the lease (as a notification's send, `notify::Timing::within_lease`). A lease
    /// shorter than the attempt would expire while the request is still on the wire, and another
    /// worker (of this node or another) would claim the delivery and send it a second time; the
    /// last quarter is left for recording the outcome.
    pub fn attempt_limit(&self) -> Duration {
        (self.request_timeout * REQUESTS_PER_ATTEMPT).min(self.lease.mul_f64(0.75))
    }

    /// Whether the lease cuts attempts short of their requests' own time limits.
    pub fn lease_cuts_attempts(&self) -> bool {
        self.attempt_limit() < self.request_timeout * REQUESTS_PER_ATTEMPT
    }
}

/// What deliveries share: the settings, the HTTP client and the OAuth2 token cache.
pub struct Runtime {
    pub settings: Settings,
    /// `--allow-private-webhooks`: loopback and private destinations are allowed.
    pub allow_private: bool,
    /// Redirects off, proxies off, the SSRF-guarding resolver unless private addresses are allowed.
    pub client: reqwest::Client,
    pub tokens: oauth2::TokenCache,
}

impl Runtime {
    /// The runtime for these settings.
    pub fn new(settings: Settings, allow_private: bool) -> Self {
        let mut builder = reqwest::Client::builder()
            .timeout(settings.request_timeout)
            .connect_timeout(settings.request_timeout)
            .redirect(reqwest::redirect::Policy::none())
            .no_proxy()
            .user_agent(concat!(
                "booking-server-webhooks/",
                env!("CARGO_PKG_VERSION")
            ));
        if !allow_private {
            builder = builder.dns_resolver(Arc::new(ssrf::PublicOnlyResolver));
        }
        Runtime {
            client: builder
                .build()
                .expect("the webhook HTTP client needs no system resources to build"),
            settings,
            allow_private,
            tokens: oauth2::TokenCache::default(),
        }
    }
}

impl std::fmt::Debug for Runtime {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Runtime")
            .field("settings", &self.settings)
            .field("allow_private", &self.allow_private)
            .finish_non_exhaustive()
    }
}

/// The event a write is: `created` for an insert, `deleted` for a soft delete, else `updated`
/// (a visitor's cancellation included).
pub fn event_of(stored: &StoredAppointment, inserted: bool) -> WatchEvent {
    match (inserted, stored.deleted) {
        (true, _) => WatchEvent::Created,
        (false, true) => WatchEvent::Deleted,
        (false, false) => WatchEvent::Updated,
    }
}

/// Adds one outbox row per enabled watch of the appointment's company, inside the caller's
/// transaction: the notification exists if and only if the change is committed. Called by
/// `db::appointments::write` for every insert, update and soft delete. `company` is the company as
/// the writer read it: its time zone goes with each delivery.
pub async fn enqueue(
    conn: &mut Conn,
    stored: &StoredAppointment,
    inserted: bool,
    company: &Company,
) -> Result<()> {
    let watch_ids = watches::enabled_ids(conn, &stored.company_id).await?;
    if watch_ids.is_empty() {
        return Ok(());
    }
    let time_zone = company.time_zone.as_deref().unwrap_or("UTC");
    let appointment = serde_json::to_string(&stored.appointment).map_err(anyhow::Error::from)?;
    let event = event_of(stored, inserted);
    for watch_id in watch_ids {
        watches::insert_delivery(
            conn,
            &watches::NewDelivery {
                company_id: &stored.company_id,
                watch_id: &watch_id,
                appointment_id: stored.appointment.id.as_deref().unwrap_or_default(),
                event,
                appointment: &appointment,
                time_zone,
            },
        )
        .await?;
    }
    Ok(())
}
