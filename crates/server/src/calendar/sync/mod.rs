//! Keeping each connection's busy time in the database: one read of a connected calendar
//! ([`refresh`]: fetch, [`read_busy`](super::read_busy), replace the stored intervals, record the
//! status), the background refresher that reads every connection at an interval
//! ([`refresher::spawn_until`]), and the read a booking asks for first when the stored busy time
//! is stale ([`refresh_stale`], bounded by a short timeout). A failed read keeps the last good
//! busy time and is retried with backoff; no visitor ever waits for more than the short timeout.

/// The CalDAV requests and the reading of their answers.
mod caldav;
/// HTTP: ICS with ETags, CalDAV with change tags.
mod fetch;
/// The background refresher (the outbox's worker loop, one channel more).
pub mod refresher;

use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, NaiveTime, Utc};
use chrono_tz::Tz;

use super::{read_busy, BusyQuery};
use crate::db::calendar_connections::{self as store, Read, StoredConnection};
use crate::db::{business, Backend};
use crate::outbox_worker::{backoff, chrono_duration};
use crate::webhooks::ssrf;
use crate::AppState;
pub use fetch::MAX_BYTES;
use sqlx::pool::PoolConnection;

/// Environment variable of `--calendar-refresh-secs`.
pub const REFRESH_ENV: &str = "BOOKING_CALENDAR_REFRESH_SECS";
/// Environment variable of `--calendar-staleness-secs`.
pub const STALENESS_ENV: &str = "BOOKING_CALENDAR_STALENESS_SECS";

/// How connected calendars are read.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Each connection is read again this long after its last read.
    pub refresh_interval: Duration,
    /// Before a booking's final check, a connection of its staff member read longer ago than this
    /// is read first (bounded by `check_timeout`).
    pub staleness: Duration,
    /// Longest wait a booking makes for those reads; then it goes on with the stored busy time.
    pub check_timeout: Duration,
    /// Longest a read may take (connect, answer, body).
    pub fetch_timeout: Duration,
    /// First wait after a failed read; each further failure doubles it, up to `backoff_max`.
    pub backoff_base: Duration,
    pub backoff_max: Duration,
    /// How far ahead busy time is read (from the day before yesterday).
    pub horizon_days: u32,
    /// How often the refresher looks for due connections.
    pub poll_interval: Duration,
    /// Reads in flight at once.
    pub max_in_flight: usize,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            refresh_interval: Duration::from_secs(15 * 60),
            staleness: Duration::from_secs(5 * 60),
            check_timeout: Duration::from_secs(2),
            fetch_timeout: Duration::from_secs(20),
            backoff_base: Duration::from_secs(60),
            backoff_max: Duration::from_secs(6 * 3600),
            horizon_days: 366,
            poll_interval: Duration::from_secs(5),
            max_in_flight: 4,
        }
    }
}

/// The HTTP client of calendar reads: no redirects, no proxies, the SSRF guard's resolver unless
/// private addresses are allowed (as for webhooks).
pub fn client(settings: &Settings, allow_private: bool) -> reqwest::Client {
    let mut builder = reqwest::Client::builder()
        .timeout(settings.fetch_timeout)
        .connect_timeout(settings.fetch_timeout)
        .redirect(reqwest::redirect::Policy::none())
        .no_proxy()
        .user_agent(concat!(
            "booking-server-calendar/",
            env!("CARGO_PKG_VERSION")
        ));
    if !allow_private {
        builder = builder.dns_resolver(Arc::new(ssrf::PublicOnlyResolver));
    }
    builder
        .build()
        .expect("the calendar HTTP client needs no system resources to build")
}

/// The associated data a connection's password is sealed with.
pub fn seal_context(company_id: &str, connection_id: &str) -> String {
    format!("calendar-connection/{company_id}/{connection_id}")
}

/// The window busy time is read for at `now`: from the start of the day before yesterday (UTC)
/// to `horizon_days` later.
fn window(now: DateTime<Utc>, settings: &Settings) -> (DateTime<Utc>, DateTime<Utc>) {
    let from = (now.date_naive() - chrono::Days::new(2))
        .and_time(NaiveTime::MIN)
        .and_utc();
    let to = from + chrono::Duration::days(i64::from(settings.horizon_days) + 2);
    (from, to)
}

/// The wording of the SSRF guard's refusal for a calendar address.
pub fn address_refusal(error: &ssrf::AddressError) -> String {
    match error {
        ssrf::AddressError::Credentials => {
            "must not carry credentials in the URL; send them as username and password (caldav)"
                .to_owned()
        }
        ssrf::AddressError::Private { host, ip } => format!(
            "{host} resolves to {ip}, a loopback, private or reserved address; calendars are only \
             read from public addresses (unless the server runs with --allow-private-webhooks)"
        ),
        other => other.to_string(),
    }
}

/// Reads `connection` once and records the outcome. Errors are the database's only: a calendar
/// that fails is recorded as the connection's `lastError`.
pub async fn refresh(state: &AppState, connection: &StoredConnection) -> crate::Result<()> {
    let settings = &state.config.calendar;
    let now = state.clock.now();
    let (from, to) = window(now, settings);
    let outcome = read(state, connection, (from, to)).await;
    let mut tx = state.db.write().await?;
    match outcome {
        Ok(None) => {
            let next = now + chrono_duration(settings.refresh_interval);
            store::record_unchanged(&mut tx, connection, now, next).await?;
        }
        Ok(Some(read)) => {
            let next = now + chrono_duration(settings.refresh_interval);
            // Only the window is kept: an event spanning years must not become thousands of rows.
            let busy: Vec<_> = read
                .intervals
                .iter()
                .map(|i| (i.start.max(from), i.end.min(to)))
                .filter(|(start, end)| start < end)
                .collect();
            let read = Read {
                busy: &busy,
                validator: read.validator.as_deref(),
                window_end: to,
                events: u64::try_from(read.events).unwrap_or(u64::MAX),
            };
            store::record_read(&mut tx, connection, &read, now, next).await?;
        }
        Err(error) => {
            let attempts = i64::from(connection.failures) + 1;
            let wait = backoff(settings.backoff_base, settings.backoff_max, attempts);
            tracing::info!(
                company = %connection.company_id,
                connection = %connection.id,
                %error,
                "reading a connected calendar failed; its last busy time stays in use"
            );
            store::record_failure(
                &mut tx,
                connection,
                &error,
                now,
                now + chrono_duration(wait),
            )
            .await?;
        }
    }
    tx.commit().await?;
    Ok(())
}

/// Reads `connection` unless another reader (the refresher, another node) took it first.
pub async fn refresh_if_due(state: &AppState, connection: &StoredConnection) -> crate::Result<()> {
    let now = state.clock.now();
    let lease_until = now + chrono_duration(state.config.calendar.fetch_timeout.saturating_mul(3));
    let mut tx = state.db.write().await?;
    let got = store::claim(
        &mut tx,
        &connection.company_id,
        &connection.id,
        now,
        lease_until,
    )
    .await?;
    tx.commit().await?;
    match got {
        true => refresh(state, connection).await,
        false => Ok(()),
    }
}

/// What one read found: `None` when the calendar did not change.
struct Found {
    intervals: Vec<super::BusyInterval>,
    events: usize,
    validator: Option<String>,
}

async fn read(
    state: &AppState,
    connection: &StoredConnection,
    (from, to): (DateTime<Utc>, DateTime<Utc>),
) -> Result<Option<Found>, String> {
    let settings = &state.config.calendar;
    // The address check resolves the host: a slow DNS counts against the read's time too.
    let checked = tokio::time::timeout(
        settings.fetch_timeout,
        ssrf::check_url(&connection.url, state.config.allow_private_webhooks),
    )
    .await
    .map_err(|_| "the calendar server's name did not resolve in time".to_owned())?;
    checked.map_err(|e| format!("url {}", address_refusal(&e)))?;
    let password;
    let source = match connection.kind.as_str() {
        "caldav" => {
            let key = state.config.secret_key.as_ref().ok_or_else(|| {
                "the server has no secret key (--secret-key) to open the stored password".to_owned()
            })?;
            let sealed = connection.secret.as_deref().unwrap_or_default();
            password = key
                .open(
                    &seal_context(&connection.company_id, &connection.id),
                    sealed,
                )
                .map_err(|e| e.to_string())?;
            fetch::Source::Caldav {
                url: &connection.url,
                username: connection.username.as_deref().unwrap_or_default(),
                password: &password,
            }
        }
        _ => fetch::Source::Ics {
            url: &connection.url,
        },
    };
    // The last validator counts only while the stored busy time still reaches the new window's
    // end (less a day): otherwise the calendar is read afresh for the days that came into reach.
    let reaches = connection
        .window_end
        .is_some_and(|end| end >= to - chrono::Duration::days(1));
    let validator = connection.validator.as_deref().filter(|_| reaches);
    let client = &state.calendar_client;
    let fetched = tokio::time::timeout(
        settings.fetch_timeout,
        fetch::fetch(client, &source, validator, (from, to)),
    )
    .await
    .map_err(|_| "the calendar server did not answer in time".to_owned())??;
    let (text, validator) = match fetched {
        fetch::Fetched::Unchanged => return Ok(None),
        fetch::Fetched::Calendar { text, validator } => (text, validator),
    };
    let zone = company_zone(state, &connection.company_id)
        .await
        .map_err(|e| e.to_string())?;
    let own_uid_host = crate::booking::ics::uid_host(&state.config);
    // An empty CalDAV collection answers no calendar data at all: no busy time, not an error.
    if text.trim().is_empty() && connection.kind == "caldav" {
        return Ok(Some(Found {
            intervals: Vec::new(),
            events: 0,
            validator,
        }));
    }
    // Parsing and expanding recurrences is CPU work of up to a few MB: off the async workers.
    let busy = tokio::task::spawn_blocking(move || {
        let query = BusyQuery {
            zone,
            from,
            to,
            own_uid_host: &own_uid_host,
        };
        read_busy(&text, &query).map_err(|e| e.to_string())
    })
    .await
    .map_err(|e| format!("reading the calendar stopped: {e}"))??;
    Ok(Some(Found {
        intervals: busy.intervals,
        events: busy.events,
        validator,
    }))
}

async fn company_zone(state: &AppState, company_id: &str) -> crate::Result<Tz> {
    let company = business::get_company(&state.db, company_id).await?;
    let name = company.and_then(|c| c.time_zone);
    Ok(name
        .as_deref()
        .and_then(|z| Tz::from_str(z).ok())
        .unwrap_or(Tz::UTC))
}

/// Before a booking's final check: reads the connections of `staff_id` (of every staff member
/// when `None`) whose busy time is older than the staleness, waiting at most the check timeout.
/// Reads still running then go on in the background and update the cache when done; the booking
/// goes on with the stored busy time. Never fails.
pub async fn refresh_stale(state: &AppState, company_id: &str, staff_id: Option<&str>) {
    refresh_stale_on(state, None, company_id, staff_id).await;
}

/// [`refresh_stale`] reading on `reader` (released after the read) instead of another connection
/// of the pool: a booking that just read its catalogue reuses that connection.
pub async fn refresh_stale_on(
    state: &AppState,
    reader: Option<PoolConnection<Backend>>,
    company_id: &str,
    staff_id: Option<&str>,
) {
    let settings = &state.config.calendar;
    let now = state.clock.now();
    let before = now - chrono_duration(settings.staleness);
    let lease_until = now + chrono_duration(settings.fetch_timeout.saturating_mul(3));
    // Read first: the common case (nothing stale) takes no write lock away from bookings.
    let stale = async {
        let mut reader = match reader {
            Some(reader) => reader,
            None => state.db.acquire().await?,
        };
        let stale = store::stale(&mut reader, company_id, staff_id, before).await?;
        drop(reader);
        if stale.is_empty() {
            return Ok(stale);
        }
        let mut tx = state.db.write().await?;
        let ours = store::claim_stale(&mut tx, &stale, before, (now, lease_until)).await?;
        tx.commit().await?;
        crate::Result::<Vec<StoredConnection>>::Ok(ours)
    };
    let stale = match stale.await {
        Ok(stale) if stale.is_empty() => return,
        Ok(stale) => stale,
        Err(e) => {
            tracing::warn!(error = %e, "could not look for stale calendar connections");
            return;
        }
    };
    let reads: Vec<_> = stale
        .into_iter()
        .map(|connection| {
            let state = state.clone();
            tokio::spawn(async move {
                if let Err(e) = refresh(&state, &connection).await {
                    tracing::warn!(error = %e, "recording a calendar read failed");
                }
            })
        })
        .collect();
    let all = async {
        for read in reads {
            let _ = read.await;
        }
    };
    let _ = tokio::time::timeout(settings.check_timeout, all).await;
}
