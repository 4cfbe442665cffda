//! The email channel of the outbox loop (`outbox_worker`). At a message's first attempt it renders
//! the row (company record, links from `--public-url`) and fixes the bytes in the row, so every
//! retry sends the same message with the same `Message-ID`. SMTP 4xx and network failures retry
//! with backoff until `retry_window` after the change (or the reminder's instant); 5xx is recorded
//! as failed. "Now" is the server's clock (`AppState::clock`), which plans reminders too.

use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, Instant};

use lettre::address::Envelope;

use super::delivery::{self, Retries};
use super::render;
use super::transport::{Outcome, Transport};
use super::{Payload, Settings, CHANNEL};
use crate::db::business;
use crate::db::outbox::{self, Message};
use crate::outbox_worker::{self, Channel};
use crate::AppState;

/// Starts the email worker when emails are configured (SMTP or a mail directory); it stops like the
/// webhook worker's once `stop` completes. An unusable `--smtp-url` is an error here, at start-up.
pub fn spawn_until(
    state: AppState,
    stop: impl Future<Output = ()> + Send + 'static,
) -> Result<Option<tokio::task::JoinHandle<()>>, String> {
    let settings = state.config.email.clone();
    let Some(transport) = Transport::from_settings(&settings)? else {
        return Ok(None);
    };
    let channel = Arc::new(Emails {
        settings,
        transport,
    });
    Ok(Some(tokio::spawn(outbox_worker::run(channel, state, stop))))
}

struct Emails {
    settings: Settings,
    transport: Transport,
}

impl Channel for Emails {
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
        self.attempt(&state, &owner, item).await
    }
}

impl Emails {
    async fn attempt(&self, state: &AppState, owner: &str, message: Message) {
        let started_at = state.clock.now();
        let clock = Instant::now();
        let outcome = match self.prepare(state, &message).await {
            // lettre's timeout is per command: bound the whole exchange too, so that a server
            // answering slowly can't keep it going past the lease (and a second copy).
            Ok((envelope, raw)) => {
                let send = self.transport.send(&message.id, &envelope, raw.as_bytes());
                match tokio::time::timeout(self.settings.timeout, send).await {
                    Ok(outcome) => outcome,
                    Err(_) => Outcome::Retry {
                        code: None,
                        error: format!("SMTP: no answer within {:?}", self.settings.timeout),
                    },
                }
            }
            Err(outcome) => outcome,
        };
        let duration_ms = i64::try_from(clock.elapsed().as_millis()).unwrap_or(i64::MAX);
        let retries = Retries {
            backoff_base: self.settings.backoff_base,
            backoff_max: self.settings.backoff_max,
            retry_window: self.settings.retry_window,
        };
        delivery::record(
            state,
            (owner, CHANNEL),
            &message,
            (started_at, duration_ms),
            outcome,
            retries,
        )
        .await;
    }

    /// The envelope and the bytes to send: rendered and saved at the first attempt, read back at
    /// the next ones. The error is the attempt's outcome: final when the row can't become an email,
    /// a retry when the database failed.
    async fn prepare(
        &self,
        state: &AppState,
        message: &Message,
    ) -> Result<(Envelope, String), Outcome> {
        if let Some(late) =
            delivery::too_late(message, state.clock.now(), self.settings.retry_window)
        {
            return Err(late);
        }
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
        let from =
            render::sender(company.as_ref(), &self.settings.default_from).ok_or_else(|| {
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
        outbox::save_body(&state.db, &message.id, &raw)
            .await
            .map_err(storage)?;
        Ok((envelope, raw))
    }
}
