//! The email channel of the outbox loop (`outbox_worker`). At a message's first attempt it renders
//! the row (company record, links from `--public-url`) and fixes the bytes in the row, so every
//! retry sends the same message with the same `Message-ID`. SMTP 4xx and network failures retry
//! with backoff until `retry_window` after the change (or the reminder's instant); 5xx is recorded
//! as failed. "Now" is the server's clock (`AppState::clock`), which plans reminders too.

use std::future::Future;

use lettre::address::Envelope;

use super::delivery::{Sender, Worker};
use super::render;
use super::transport::{Outcome, Transport};
use super::{Payload, CHANNEL};
use crate::db::business;
use crate::db::outbox::Message;
use crate::AppState;

/// Starts the email worker when emails are configured (SMTP or a mail directory); it stops like the
/// webhook worker's once `stop` completes. An unusable `--smtp-url` is an error here, at start-up.
pub fn spawn_until(
    state: AppState,
    stop: impl Future<Output = ()> + Send + 'static,
) -> Result<Option<tokio::task::JoinHandle<()>>, String> {
    let settings = &state.config.email;
    let Some(transport) = Transport::from_settings(settings)? else {
        return Ok(None);
    };
    let worker = Worker {
        sender: Emails {
            default_from: settings.default_from.clone(),
            transport,
        },
        timing: settings.timing,
    };
    Ok(Some(worker.spawn_until(state, stop)))
}

struct Emails {
    /// Sender when the company has no address of its own.
    default_from: String,
    transport: Transport,
}

impl Sender for Emails {
    const CHANNEL: &'static str = CHANNEL;
    type Prepared = (Envelope, String);

    async fn prepare(
        &self,
        state: &AppState,
        message: &Message,
    ) -> Result<(Envelope, String), Outcome> {
        self.envelope_and_bytes(state, message).await
    }

    fn body((_, raw): &(Envelope, String)) -> &str {
        raw
    }

    type Effect = ();

    async fn send(
        &self,
        message: &Message,
        (envelope, raw): (Envelope, String),
    ) -> (Outcome, Option<()>) {
        let outcome = self
            .transport
            .send(&message.id, &envelope, raw.as_bytes())
            .await;
        (outcome, None)
    }
}

impl Emails {
    /// The envelope and the bytes to send: rendered at the first attempt (saved with its outcome), read
    /// back at the next ones. The error is the attempt's outcome: final when the row can't become an email,
    /// a retry when the database failed.
    async fn envelope_and_bytes(
        &self,
        state: &AppState,
        message: &Message,
    ) -> Result<(Envelope, String), Outcome> {
        let unsendable = |error: String| Outcome::Final { code: None, error };
        let storage = |e: crate::Error| Outcome::Retry {
            code: None,
            error: format!("database: {e}"),
        };
        let payload: Payload = serde_json::from_str(&message.payload)
            .map_err(|e| unsendable(format!("unreadable email payload: {e}")))?;
        let company = business::get_company(&state.db, &message.company_id)
            .await
            .map_err(storage)?;
        let from = render::sender(company.as_ref(), &self.default_from).ok_or_else(|| {
            unsendable("no sender address: give the company an email address".to_owned())
        })?;
        let to = payload.to.parse().map_err(|e| {
            unsendable(format!(
                "recipient {:?} is not an email address: {e}",
                payload.to
            ))
        })?;
        let envelope = Envelope::new(Some(from.email.clone()), vec![to])
            .map_err(|e| unsendable(format!("envelope: {e}")))?;
        if let Some(body) = &message.body {
            return Ok((envelope, body.clone()));
        }
        let now = state.clock.now();
        let origin = crate::links::origin(&state.config, None);
        let uid_host = crate::booking::ics::uid_host(&state.config);
        let links = render::Links {
            origin: origin.as_deref(),
            uid_host: &uid_host,
        };
        let rendered = render::render(&payload, &message.company_id, company.as_ref(), links, now);
        let reply_to = company
            .as_ref()
            .and_then(|c| c.email.as_deref())
            .and_then(|e| e.parse().ok())
            .map(|address| {
                lettre::message::Mailbox::new(
                    company.as_ref().and_then(|c| c.name.clone()),
                    address,
                )
            });
        let built = render::message(&message.id, &payload, &rendered, from, reply_to, now)
            .map_err(unsendable)?;
        let raw = String::from_utf8(built.formatted())
            .map_err(|e| unsendable(format!("the message is not UTF-8: {e}")))?;
        Ok((envelope, raw))
    }
}
