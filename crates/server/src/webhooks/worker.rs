//! The webhook channel of the outbox loop (`outbox_worker`): it hands expired leases back (attempts a
//! dead worker started), claims the due deliveries, attempts each; when an attempt ends it
//! records the outcome and schedules the retry:
//!
//! delay = `backoff_base` × 2^(attempt − 1), at most `backoff_max`, ± 20 % jitter; or the receiver's
//! `Retry-After` when it sent one. A delivery whose next attempt would start later than
//! `retry_window` after the change is failed for good.

use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::Utc;

use super::send::{self, Outcome};
use super::Settings;
use crate::db::watches::{self, parse_instant, AttemptRecord, Delivery, Finish};
use crate::outbox_worker::{self, chrono_duration, Channel};
use crate::AppState;

/// How often finished deliveries older than `retention` are purged.
const PURGE_EVERY: Duration = Duration::from_secs(3600);

/// Starts the delivery worker. It runs until the returned task is aborted (or the runtime stops);
/// anything it was delivering then is taken again after its lease expires.
pub fn spawn(state: AppState) -> tokio::task::JoinHandle<()> {
    spawn_until(state, std::future::pending())
}

/// Starts the delivery worker; once `stop` completes it claims nothing more, lets the attempts in
/// flight finish and record their outcome, and then the returned task ends (graceful shutdown).
pub fn spawn_until(
    state: AppState,
    stop: impl Future<Output = ()> + Send + 'static,
) -> tokio::task::JoinHandle<()> {
    let settings = &state.webhooks.settings;
    if settings.lease_cuts_attempts() {
        tracing::warn!(
            lease_ms = settings.lease.as_millis(),
            attempt_limit_ms = settings.attempt_limit().as_millis(),
            request_timeout_ms = settings.request_timeout.as_millis(),
            "webhook attempts are cut at 3/4 of the outbox lease (--outbox-lease-ms), before their \
             requests' time limit: a receiver slower than that is retried later"
        );
    }
    let channel = Arc::new(Webhooks {
        settings: state.webhooks.settings.clone(),
        last_purge: std::sync::Mutex::new(None),
    });
    tokio::spawn(outbox_worker::run(channel, state, stop))
}

/// The webhook channel of the outbox loop.
struct Webhooks {
    settings: Settings,
    last_purge: std::sync::Mutex<Option<Instant>>,
}

impl Channel for Webhooks {
    type Item = Delivery;
    const NAME: &'static str = "webhook";

    fn poll_interval(&self) -> Duration {
        self.settings.poll_interval
    }

    fn max_in_flight(&self) -> usize {
        self.settings.max_in_flight
    }

    async fn tidy(&self, state: &AppState) {
        let due = {
            let mut last = self.last_purge.lock().unwrap_or_else(|p| p.into_inner());
            let due = last.is_none_or(|at| at.elapsed() >= PURGE_EVERY);
            if due {
                *last = Some(Instant::now());
            }
            due
        };
        if due {
            let before = Utc::now() - chrono_duration(self.settings.retention);
            if let Err(e) = watches::purge_finished(&state.db, before).await {
                tracing::warn!(error = %e, "could not purge old webhook deliveries");
            }
        }
    }

    async fn claim(
        &self,
        state: &AppState,
        owner: &str,
        room: usize,
    ) -> crate::Result<Vec<Delivery>> {
        claim(state, owner, room).await
    }

    async fn deliver(self: Arc<Self>, state: AppState, owner: Arc<str>, item: Delivery) {
        deliver(&state, &owner, item).await
    }
}

async fn claim(state: &AppState, owner: &str, room: usize) -> crate::Result<Vec<Delivery>> {
    let now = Utc::now();
    let released = watches::release_expired_leases(&state.db, now).await?;
    if released > 0 {
        tracing::info!(
            released,
            "webhook deliveries taken back after their lease expired"
        );
    }
    let lease_until = now + chrono_duration(state.webhooks.settings.lease);
    watches::claim(&state.db, now, lease_until, owner, room).await
}

/// The wait before attempt `attempts + 1`: see the module documentation.
pub fn backoff(settings: &Settings, attempts: i64, retry_after: Option<Duration>) -> Duration {
    if let Some(wait) = retry_after {
        return wait;
    }
    outbox_worker::backoff(settings.backoff_base, settings.backoff_max, attempts)
}

async fn deliver(state: &AppState, owner: &str, delivery: Delivery) {
    let started_at = Utc::now();
    let clock = Instant::now();
    let settings = &state.webhooks.settings;
    let limit = settings.attempt_limit();
    // Past its lease the delivery is another worker's to claim: the attempt must end before.
    let outcome = match tokio::time::timeout(limit, send::attempt(state, &delivery)).await {
        Ok(outcome) => outcome,
        Err(_) => Outcome::Retry {
            status: None,
            error: format!(
                "timed out: the attempt took over {} ms (its limit, within the lease)",
                limit.as_millis()
            ),
            retry_after: None,
        },
    };
    let duration_ms = i64::try_from(clock.elapsed().as_millis()).unwrap_or(i64::MAX);
    let (status_code, error, finish) = match outcome {
        Outcome::Delivered { status } => (Some(status), None, Finish::Succeeded),
        Outcome::Final { status, error } => (status, Some(error), Finish::Failed),
        Outcome::Skipped { reason } => (None, Some(reason), Finish::Skipped),
        Outcome::Retry {
            status,
            error,
            retry_after,
        } => {
            let next =
                Utc::now() + chrono_duration(backoff(settings, delivery.attempts, retry_after));
            let deadline = parse_instant(&delivery.occurred_at).unwrap_or(started_at)
                + chrono_duration(settings.retry_window);
            match next <= deadline {
                true => (
                    status,
                    Some(error),
                    Finish::Retry {
                        next_attempt_at: next,
                    },
                ),
                false => (
                    status,
                    Some(format!(
                        "{error} — given up after {} attempts: the retry window is over",
                        delivery.attempts
                    )),
                    Finish::Failed,
                ),
            }
        }
    };
    let record = AttemptRecord {
        started_at,
        duration_ms,
        status_code,
        error,
        finish,
    };
    match watches::finish_attempt(
        &state.db,
        &delivery,
        owner,
        &record,
        chrono_duration(settings.disable_after),
    )
    .await
    {
        Ok(Some(reason)) => tracing::warn!(
            watch = %delivery.watch_id,
            company = %delivery.company_id,
            %reason,
            "webhook watch disabled"
        ),
        Ok(None) => {}
        Err(e) => {
            tracing::warn!(error = %e, delivery = %delivery.id, "could not record a webhook attempt")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_with_jitter_up_to_the_cap_and_honours_retry_after() {
        let settings = Settings {
            backoff_base: Duration::from_secs(10),
            backoff_max: Duration::from_secs(60),
            ..Settings::default()
        };
        let within = |d: Duration, nominal: u64| {
            let n = Duration::from_secs(nominal);
            d >= n.mul_f64(0.8) && d <= n.mul_f64(1.2)
        };
        assert!(within(backoff(&settings, 1, None), 10));
        assert!(within(backoff(&settings, 2, None), 20));
        assert!(within(backoff(&settings, 3, None), 40));
        assert!(within(backoff(&settings, 4, None), 60));
        assert!(within(backoff(&settings, 40, None), 60));
        assert_eq!(
            backoff(&settings, 3, Some(Duration::from_secs(300))),
            Duration::from_secs(300)
        );
    }
}
