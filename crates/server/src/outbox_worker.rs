//! The outbox's delivery loop, shared by every channel (webhooks, emails): each turn it claims the
//! due messages it has room for (the channel hands expired leases back first) and attempts each in
//! its own task. Once `stop` completes it claims nothing more, lets the attempts in flight finish
//! and record their outcome, and returns (graceful shutdown). Channels differ in how they claim and
//! send, not in this loop.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use rand::Rng;
use tokio::task::JoinSet;

use crate::AppState;

/// How a channel claims and attempts its messages.
pub trait Channel: Send + Sync + 'static {
    /// A claimed message.
    type Item: Send + 'static;
    /// The channel's name in logs.
    const NAME: &'static str;
    /// How often the loop looks for due messages.
    fn poll_interval(&self) -> Duration;
    /// Messages in flight at once.
    fn max_in_flight(&self) -> usize;
    /// Housekeeping before each turn (purging old rows); errors are the channel's to log.
    fn tidy(&self, _state: &AppState) -> impl Future<Output = ()> + Send {
        async {}
    }
    /// Claims up to `room` due messages for `owner`.
    fn claim(
        &self,
        state: &AppState,
        owner: &str,
        room: usize,
    ) -> impl Future<Output = crate::Result<Vec<Self::Item>>> + Send;
    /// Attempts one message and records its outcome.
    fn deliver(
        self: Arc<Self>,
        state: AppState,
        owner: Arc<str>,
        item: Self::Item,
    ) -> impl Future<Output = ()> + Send + 'static;
}

/// Runs `channel`'s loop until `stop` completes, then drains the attempts in flight.
pub async fn run<C: Channel>(channel: Arc<C>, state: AppState, stop: impl Future<Output = ()>) {
    let mut stop = std::pin::pin!(stop);
    let owner: Arc<str> = Arc::from(format!("worker-{}", crate::booking::ids::record_id()));
    let mut in_flight: JoinSet<()> = JoinSet::new();
    tracing::info!(%owner, channel = C::NAME, "delivery worker started");
    // Woken by a finished attempt rather than by the poll: claim only once half the room is free
    // (or nothing is in flight), so a busy channel claims in batches, not one row per write
    // transaction taken from bookings.
    let mut woken_by_attempt = false;
    loop {
        while in_flight.try_join_next().is_some() {}
        channel.tidy(&state).await;
        let room = channel.max_in_flight().saturating_sub(in_flight.len());
        let batch_worth_it =
            !woken_by_attempt || in_flight.is_empty() || room * 2 >= channel.max_in_flight();
        let mut full_batch = false;
        if room > 0 && batch_worth_it {
            match channel.claim(&state, &owner, room).await {
                Ok(claimed) => {
                    full_batch = claimed.len() == room;
                    for item in claimed {
                        let deliver = channel.clone().deliver(state.clone(), owner.clone(), item);
                        in_flight.spawn(deliver);
                    }
                }
                Err(e) => tracing::warn!(error = %e, channel = C::NAME, "could not claim messages"),
            }
        }
        // A full batch: more may be due, look again at once.
        let pause = tokio::time::sleep(match full_batch {
            true => Duration::ZERO,
            false => channel.poll_interval(),
        });
        woken_by_attempt = false;
        tokio::select! {
            biased;
            _ = &mut stop => break,
            _ = pause => {}
            Some(_) = in_flight.join_next() => woken_by_attempt = true,
        }
    }
    tracing::info!(
        in_flight = in_flight.len(),
        channel = C::NAME,
        "delivery worker stopping: finishing the attempts in flight"
    );
    while in_flight.join_next().await.is_some() {}
}

/// The wait before attempt `attempts + 1`: `base` × 2^(attempts − 1), at most `max`, ± 20 % jitter.
pub fn backoff(base: Duration, max: Duration, attempts: i64) -> Duration {
    let exponent = u32::try_from(attempts.saturating_sub(1).clamp(0, 30)).unwrap_or(30);
    let delay = base.saturating_mul(2u32.saturating_pow(exponent)).min(max);
    delay.mul_f64(rand::thread_rng().gen_range(0.8..=1.2))
}

/// A std duration as chrono's, capped at a century so that adding it to an instant can't overflow
/// (which panics): a wait that long means "never" to every caller.
pub fn chrono_duration(d: Duration) -> chrono::Duration {
    let century = chrono::Duration::days(36_525);
    chrono::Duration::from_std(d).map_or(century, |d| d.min(century))
}
