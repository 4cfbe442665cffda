//! The SMS channel of the outbox loop (`outbox_worker`), the email worker's twin: at a message's
//! first attempt it writes the text (company record, link from `--public-url`) into the row, so a
//! retry sends the same words, then posts it to the gateway. "Now" is the server's clock, which
//! plans reminders too.

use std::future::Future;

use super::gateway::Gateway;
use super::{text, CHANNEL};
use crate::db::business;
use crate::db::outbox::Message;
use crate::notify::delivery::{Sender, Worker};
use crate::notify::transport::Outcome;
use crate::notify::Payload;
use crate::AppState;

/// Starts the SMS worker when a gateway is configured; it stops like the others once `stop`
/// completes. An unusable gateway setting is an error here, at start-up.
pub fn spawn_until(
    state: AppState,
    stop: impl Future<Output = ()> + Send + 'static,
) -> Result<Option<tokio::task::JoinHandle<()>>, String> {
    let settings = &state.config.sms;
    let Some(gateway) = Gateway::from_settings(settings)? else {
        return Ok(None);
    };
    let worker = Worker {
        sender: TextMessages { gateway },
        timing: settings.timing,
    };
    Ok(Some(worker.spawn_until(state, stop)))
}

struct TextMessages {
    gateway: Gateway,
}

impl Sender for TextMessages {
    const CHANNEL: &'static str = CHANNEL;
    type Prepared = String;

    /// The text to send: written at the first attempt (saved with its outcome), read back at the
    /// next ones.
    async fn prepare(&self, state: &AppState, message: &Message) -> Result<String, Outcome> {
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
        Ok(body)
    }

    fn body(body: &String) -> &str {
        body
    }

    type Effect = ();

    async fn send(&self, message: &Message, body: String) -> (Outcome, Option<()>) {
        let outcome = self
            .gateway
            .send(&message.id, &message.recipient, &body)
            .await;
        (outcome, None)
    }
}
