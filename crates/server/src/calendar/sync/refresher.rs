//! The background refresher: every connection is read again `refresh_interval` after its last
//! read (after a failure, after its backoff). It is the outbox's worker loop with one more
//! channel: a due connection is claimed by moving its next read past a lease, so several workers
//! (or nodes) never read one calendar twice at once, and a read cut short by a crash is retried
//! once the lease has passed.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use super::{refresh, Settings};
use crate::db::calendar_connections::{self as store, StoredConnection};
use crate::outbox_worker::{self, chrono_duration, Channel};
use crate::AppState;

/// Starts the refresher; it stops once `stop` completes and the reads in flight are recorded.
pub fn spawn_until(
    state: AppState,
    stop: impl Future<Output = ()> + Send + 'static,
) -> tokio::task::JoinHandle<()> {
    let channel = Arc::new(Refresher {
        settings: state.config.calendar.clone(),
    });
    tokio::spawn(outbox_worker::run(channel, state, stop))
}

struct Refresher {
    settings: Settings,
}

impl Channel for Refresher {
    type Item = StoredConnection;
    const NAME: &'static str = "calendar";

    fn poll_interval(&self) -> Duration {
        self.settings.poll_interval
    }

    fn max_in_flight(&self) -> usize {
        self.settings.max_in_flight.max(1)
    }

    async fn claim(
        &self,
        state: &AppState,
        _owner: &str,
        room: usize,
    ) -> crate::Result<Vec<StoredConnection>> {
        let settings = &self.settings;
        let now = state.clock.now();
        let lease_until = now + chrono_duration(settings.fetch_timeout.saturating_mul(3));
        let due = {
            let mut conn = state.db.acquire().await?;
            store::due(&mut conn, now, i64::try_from(room).unwrap_or(1)).await?
        };
        let mut claimed = Vec::new();
        for connection in due {
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
            if got {
                claimed.push(connection);
            }
        }
        Ok(claimed)
    }

    async fn deliver(
        self: Arc<Self>,
        state: AppState,
        _owner: Arc<str>,
        connection: StoredConnection,
    ) {
        if let Err(e) = refresh(&state, &connection).await {
            tracing::warn!(error = %e, connection = %connection.id, "recording a calendar read failed");
        }
    }
}
