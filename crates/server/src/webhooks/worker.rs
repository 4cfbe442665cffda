//! The delivery loop. Each turn it hands expired leases back (attempts a dead worker started), claims
//! the due deliveries it has room for, and attempts each in its own task; when an attempt ends it
//! records the outcome and schedules the retry:
//!
//! delay = `backoff_base` × 2^(attempt − 1), at most `backoff_max`, ± 20 % jitter; or the receiver's
//! `Retry-After` when it sent one. A delivery whose next attempt would start later than
//! `retry_window` after the change is failed for good.

use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::Utc;
use rand::Rng;
use tokio::task::JoinSet;

use super::send::{self, Outcome};
use super::Settings;
use crate::db::watches::{self, parse_instant, AttemptRecord, Delivery, Finish};
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
    tokio::spawn(run(state, stop))
}

async fn run(state: AppState, stop: impl Future<Output = ()>) {
    let mut stop = std::pin::pin!(stop);
    let owner: Arc<str> = Arc::from(format!("worker-{}", crate::booking::ids::record_id()));
    let settings = state.webhooks.settings.clone();
    let mut in_flight: JoinSet<()> = JoinSet::new();
    let mut last_purge: Option<Instant> = None;
    tracing::info!(%owner, "webhook delivery worker started");
    loop {
        while in_flight.try_join_next().is_some() {}
        if last_purge.is_none_or(|at| at.elapsed() >= PURGE_EVERY) {
            last_purge = Some(Instant::now());
            let before = Utc::now() - chrono_duration(settings.retention);
            if let Err(e) = watches::purge_finished(&state.db, before).await {
                tracing::warn!(error = %e, "could not purge old webhook deliveries");
            }
        }
        let room = settings.max_in_flight.saturating_sub(in_flight.len());
        let mut full_batch = false;
        if room > 0 {
            match claim(&state, &owner, room).await {
                Ok(claimed) => {
                    full_batch = claimed.len() == room;
                    for delivery in claimed {
                        let (state, owner) = (state.clone(), owner.clone());
                        in_flight.spawn(async move { deliver(&state, &owner, delivery).await });
                    }
                }
                Err(e) => tracing::warn!(error = %e, "could not claim webhook deliveries"),
            }
        }
        // A full batch: more may be due, look again at once.
        let pause = tokio::time::sleep(match full_batch {
            true => Duration::ZERO,
            false => settings.poll_interval,
        });
        tokio::select! {
            biased;
            _ = &mut stop => break,
            _ = pause => {}
            Some(_) = in_flight.join_next() => {}
        }
    }
    tracing::info!(
        in_flight = in_flight.len(),
        "webhook delivery worker stopping: finishing the attempts in flight"
    );
    while in_flight.join_next().await.is_some() {}
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

fn chrono_duration(d: Duration) -> chrono::Duration {
    chrono::Duration::from_std(d).unwrap_or(chrono::Duration::MAX)
}

/// The wait before attempt `attempts + 1`: see the module documentation.
pub fn backoff(settings: &Settings, attempts: i64, retry_after: Option<Duration>) -> Duration {
    if let Some(wait) = retry_after {
        return wait;
    }
    let exponent = u32::try_from(attempts.saturating_sub(1).clamp(0, 30)).unwrap_or(30);
    let delay = settings
        .backoff_base
        .saturating_mul(2u32.saturating_pow(exponent))
        .min(settings.backoff_max);
    delay.mul_f64(rand::thread_rng().gen_range(0.8..=1.2))
}

async fn deliver(state: &AppState, owner: &str, delivery: Delivery) {
    let started_at = Utc::now();
    let clock = Instant::now();
    let outcome = send::attempt(state, &delivery).await;
    let duration_ms = i64::try_from(clock.elapsed().as_millis()).unwrap_or(i64::MAX);
    let settings = &state.webhooks.settings;
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
