//! The SMS channel of the outbox loop (`outbox_worker`), the email worker's twin: at a message's
//! first attempt it writes the text (company record, link from `--public-url`) into the row, so a
//! retry sends the same words, then posts it to the gateway. "Now" is the server's clock, which
//! plans reminders too.

use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, Instant};

use super::gateway::Gateway;
use super::{text, Settings, CHANNEL};
use crate::db::business;
use crate::db::outbox::{self, Message};
use crate::notify::delivery::{self, Retries};
use crate::notify::transport::Outcome;
use crate::notify::Payload;
use crate::outbox_worker::{self, Channel};
use crate::AppState;

/// Starts the SMS worker when a gateway is configured; it stops like the others once `stop`
/// completes. An unusable gateway setting is an error here, at start-up.
pub fn spawn_until(
    state: AppState,
    stop: impl Future<Output = ()> + Send + 'static,
) -> Result<Option<tokio::task::JoinHandle<()>>, String> {
    let settings = state.config.sms.clone();
    let Some(gateway) = Gateway::from_settings(&settings)? else {
        return Ok(None);
    };
    let channel = Arc::new(TextMessages { settings, gateway });
    Ok(Some(tokio::spawn(outbox_worker::run(channel, state, stop))))
}

struct TextMessages {
    settings: Settings,
    gateway: Gateway,
}

impl Channel for TextMessages {
    type Item = Message;
    const NAME: &'static str = CHANNEL;

    fn poll_interval(&self) -> Duration {
        self.settings.poll_interval
    }

    fn max_in_flight(&self) -> usize {
        self.settings.max_in_flight
    }

    async fn claim(
        &self,
        state: &AppState,
        owner: &str,
        room: usize,
    ) -> crate::Result<Vec<Message>> {
        delivery::claim_due(state, CHANNEL, self.settings.lease, owner, room).await
    }

    async fn deliver(self: Arc<Self>, state: AppState, owner: Arc<str>, item: Message) {
        let started_at = state.clock.now();
        let clock = Instant::now();
        let outcome = match self.prepare(&state, &item).await {
            Ok(body) => self.gateway.send(&item.id, &item.recipient, &body).await,
            Err(outcome) => outcome,
        };
        let duration_ms = i64::try_from(clock.elapsed().as_millis()).unwrap_or(i64::MAX);
        let retries = Retries {
            backoff_base: self.settings.backoff_base,
            backoff_max: self.settings.backoff_max,
            retry_window: self.settings.retry_window,
        };
        delivery::record(
            &state,
            (&owner, CHANNEL),
            &item,
            (started_at, duration_ms),
            outcome,
            retries,
        )
        .await;
    }
}

impl TextMessages {
    /// The text to send: written and saved at the first attempt, read back at the next ones.
    async fn prepare(&self, state: &AppState, message: &Message) -> Result<String, Outcome> {
        if let Some(late) =
            delivery::too_late(message, state.clock.now(), self.settings.retry_window)
        {
            return Err(late);
        }
        if let Some(body) = &message.body {
            return Ok(body.clone());
        }
        let storage = |e: crate::Error| Outcome::Retry {
            code: None,
            error: format!("database: {e}"),
        };
        let payload: Payload =
            serde_json::from_str(&message.payload).map_err(|e| Outcome::Final {
                code: None,
                error: format!("unreadable SMS payload: {e}"),
            })?;
        let company = business::get_company(&state.db, &message.company_id)
            .await
            .map_err(storage)?;
        let origin = crate::links::origin(&state.config, None);
        let body = text::text(
            &payload,
            &message.company_id,
            company.as_ref(),
            origin.as_deref(),
        );
        outbox::save_body(&state.db, &message.id, &body)
            .await
            .map_err(storage)?;
        Ok(body)
    }
}
