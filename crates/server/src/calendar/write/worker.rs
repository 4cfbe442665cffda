//! The CalDAV channel's worker: the notification channels' delivery loop
//! ([`crate::notify::delivery`]: claim with a lease, backoff, retry window) with a sender that
//! renders the event at the first attempt (fixed in the row, so a retry sends the same bytes),
//! writes or removes it with preconditions, and records where it is (href, ETag) and how the
//! connection's last write went. Writes of one appointment to one calendar go out in order (the
//! outbox holds a row back while an earlier one of the same subject and recipient is pending).

use std::future::Future;

use super::dav::{self, Answer, Precondition, Target};
use super::{Payload, DELETE, PUT};
use crate::calendar::sync::{address_refusal, seal_context};
use crate::clock::Clock;
use crate::db::calendar_connections as connections;
use crate::db::calendar_events::{self as events, Written};
use crate::db::outbox::Message;
use crate::db::Conn;
use crate::db::{business, Db};
use crate::notify::delivery::{Sender, Worker};
use crate::notify::transport::Outcome;
use crate::webhooks::ssrf;
use crate::AppState;
use chrono::{DateTime, Utc};

/// Starts the calendar writer; it stops like the other workers once `stop` completes.
pub fn spawn_until(
    state: AppState,
    stop: impl Future<Output = ()> + Send + 'static,
) -> tokio::task::JoinHandle<()> {
    let worker = Worker {
        sender: CalendarWrites {
            db: state.db.clone(),
            clock: state.clock.clone(),
            client: state.calendar_client.clone(),
        },
        timing: state.config.calendar_write,
    };
    worker.spawn_until(state, stop)
}

struct CalendarWrites {
    db: Db,
    clock: Clock,
    client: reqwest::Client,
}

/// A write ready to send.
struct Prepared {
    /// The version of the appointment it writes (its `change_seq`).
    seq: i64,
    /// The event (empty for a removal).
    ics: String,
    /// Where it is, or goes: the stored href, else `{calendar}/{resource_name}`.
    href: String,
    /// Our copy there, if any.
    written: Option<Written>,
    username: String,
    password: String,
}

fn storage(e: crate::Error) -> Outcome {
    Outcome::Retry {
        code: None,
        error: format!("database: {e}"),
    }
}

fn error_of(outcome: &Outcome) -> Option<&str> {
    match outcome {
        Outcome::Sent | Outcome::Skipped { .. } => None,
        Outcome::Retry { error, .. }
        | Outcome::RetryAfter { error, .. }
        | Outcome::Final { error, .. } => Some(error),
    }
}

impl CalendarWrites {
    async fn prepare_write(
        &self,
        state: &AppState,
        message: &Message,
    ) -> Result<Prepared, Outcome> {
        let mut conn = self.db.acquire().await.map_err(|e| storage(e.into()))?;
        let company_id = &message.company_id;
        let connection = connections::get_by_id(&mut conn, company_id, &message.recipient)
            .await
            .map_err(storage)?
            .ok_or_else(|| Outcome::Final {
                code: None,
                error: "the calendar connection was removed".to_owned(),
            })?;
        if connection.kind != "caldav" {
            return Err(Outcome::Final {
                code: None,
                error: "an ics subscription is read-only: nothing is written to it".to_owned(),
            });
        }
        let payload: Payload =
            serde_json::from_str(&message.payload).map_err(|e| Outcome::Final {
                code: None,
                error: format!("unreadable calendar payload: {e}"),
            })?;
        let applied = events::get(&mut conn, company_id, (&message.subject_id, &connection.id))
            .await
            .map_err(storage)?;
        // Rows of one appointment and calendar go out in the order they were planned, which is not
        // always the order their changes committed in: the version decides.
        // Skipped, not `succeeded`: nothing was sent, and the row says so.
        if let Some(newer) = applied.as_ref().filter(|a| a.seq > payload.seq) {
            return Err(Outcome::Skipped {
                reason: format!("superseded by version {}", newer.seq),
            });
        }
        // The address is checked before every request, as for reads: DNS may have changed.
        // Bounded like a read's: a slow DNS must not outlast the lease.
        tokio::time::timeout(
            state.config.calendar.fetch_timeout,
            ssrf::check_url(&connection.url, state.config.allow_private_webhooks),
        )
        .await
        .map_err(|_| Outcome::Retry {
            code: None,
            error: "the calendar server's name did not resolve in time".to_owned(),
        })?
        .map_err(|e| Outcome::Retry {
            code: None,
            error: format!("url {}", address_refusal(&e)),
        })?;
        let key = state
            .config
            .secret_key
            .as_ref()
            .ok_or_else(|| Outcome::Retry {
                code: None,
                error: "the server has no secret key (--secret-key) to open the stored password"
                    .to_owned(),
            })?;
        let password = key
            .open(
                &seal_context(company_id, &connection.id),
                connection.secret.as_deref().unwrap_or_default(),
            )
            .map_err(|e| Outcome::Retry {
                code: None,
                error: e.to_string(),
            })?;
        let stored = payload.stored(company_id);
        let written = applied.and_then(|a| a.written);
        let href = match &written {
            Some(w) => w.href.clone(),
            None => event_url(
                &connection.url,
                &crate::booking::ics::resource_name(&stored),
            )
            .map_err(|error| Outcome::Final { code: None, error })?,
        };
        let ics = match (message.kind.as_str(), &message.body) {
            (PUT, Some(body)) => body.clone(),
            (PUT, None) => {
                let company = business::get_company(&self.db, company_id)
                    .await
                    .map_err(storage)?;
                let uid_host = crate::booking::ics::uid_host(&state.config);
                crate::booking::ics::calendar_event(
                    &stored,
                    company.as_ref(),
                    &uid_host,
                    self.clock.now(),
                )
            }
            _ => String::new(),
        };
        Ok(Prepared {
            seq: payload.seq,
            ics,
            href,
            written,
            username: connection.username.unwrap_or_default(),
            password,
        })
    }

    /// Writes the event; the ETag of the version written.
    async fn put(&self, target: &Target<'_>, p: &Prepared) -> Result<Option<String>, Outcome> {
        let precondition = match &p.written {
            None => Precondition::Absent,
            Some(w) => w
                .etag
                .as_deref()
                .map_or(Precondition::Any, Precondition::Version),
        };
        match dav::put(target, &p.href, &p.ics, precondition).await {
            Answer::Done { etag } => return Ok(etag),
            Answer::Failed(outcome) => return Err(outcome),
            Answer::Missing if precondition == Precondition::Absent => {
                return Err(Outcome::Retry {
                    code: Some(404),
                    error: "no calendar at this address (404)".to_owned(),
                })
            }
            // Someone changed or removed the event since our last write (the staff member in their
            // calendar app), or our previous attempt went through unrecorded. The booking is what
            // the copy must show: take the version there now and overwrite it, once.
            Answer::Changed | Answer::Missing => {}
        }
        let there = match dav::current(target, &p.href).await {
            Answer::Done { etag } => Some(etag),
            Answer::Missing | Answer::Changed => None,
            Answer::Failed(outcome) => return Err(outcome),
        };
        let precondition = match &there {
            Some(Some(etag)) => Precondition::Version(etag),
            Some(None) => Precondition::Any,
            None => Precondition::Absent,
        };
        match dav::put(target, &p.href, &p.ics, precondition).await {
            Answer::Done { etag } => Ok(etag),
            Answer::Failed(outcome) => Err(outcome),
            Answer::Changed | Answer::Missing => Err(Outcome::Retry {
                code: Some(412),
                error: "the event changed in the calendar while it was being written".to_owned(),
            }),
        }
    }

    /// Removes the event (already gone counts as removed).
    async fn delete(&self, target: &Target<'_>, p: &Prepared) -> Result<(), Outcome> {
        let precondition = p
            .written
            .as_ref()
            .and_then(|w| w.etag.as_deref())
            .map_or(Precondition::Any, Precondition::Version);
        match dav::delete(target, &p.href, precondition).await {
            Answer::Done { .. } | Answer::Missing => return Ok(()),
            Answer::Failed(outcome) => return Err(outcome),
            // Edited in the calendar since our write: the booking is gone all the same.
            Answer::Changed => {}
        }
        match dav::delete(target, &p.href, Precondition::Any).await {
            Answer::Done { .. } | Answer::Missing => Ok(()),
            Answer::Failed(outcome) => Err(outcome),
            Answer::Changed => Err(Outcome::Retry {
                code: Some(412),
                error: "the calendar server refused to remove the event (412)".to_owned(),
            }),
        }
    }
}

/// What a sent write applied to the calendar.
pub struct Done {
    /// Where the copy is (or was, once removed), and its ETag.
    written: Written,
    seq: i64,
    removed: bool,
}

impl Sender for CalendarWrites {
    const CHANNEL: &'static str = super::CHANNEL;
    type Prepared = Prepared;
    type Effect = Done;

    async fn prepare(&self, state: &AppState, message: &Message) -> Result<Prepared, Outcome> {
        self.prepare_write(state, message).await
    }

    fn body(prepared: &Prepared) -> &str {
        &prepared.ics
    }

    async fn send(&self, message: &Message, prepared: Prepared) -> (Outcome, Option<Done>) {
        let target = Target {
            client: &self.client,
            username: &prepared.username,
            password: &prepared.password,
        };
        let done = match message.kind.as_str() {
            PUT => self.put(&target, &prepared).await.map(|etag| (etag, false)),
            DELETE => self.delete(&target, &prepared).await.map(|()| (None, true)),
            other => Err(Outcome::Final {
                code: None,
                error: format!("unknown calendar write {other:?}"),
            }),
        };
        match done {
            Ok((etag, removed)) => {
                let written = Written {
                    href: prepared.href,
                    etag,
                };
                let seq = prepared.seq;
                (
                    Outcome::Sent,
                    Some(Done {
                        written,
                        seq,
                        removed,
                    }),
                )
            }
            Err(outcome) => (outcome, None),
        }
    }

    /// The copy written or removed and the connection's write status; or, for a failure, the
    /// connection's error (when it still exists). A superseded row (skipped) records nothing.
    async fn settle(
        &self,
        conn: &mut Conn,
        message: &Message,
        (outcome, done): (&Outcome, Option<&Done>),
        times: (DateTime<Utc>, DateTime<Utc>),
    ) -> crate::Result<()> {
        let company_id = &message.company_id;
        let key = (message.subject_id.as_str(), message.recipient.as_str());
        if let Some(done) = done {
            let applied = (&done.written, done.seq, done.removed);
            events::record_applied(conn, company_id, key, applied, times.1).await?;
        }
        match (error_of(outcome), done) {
            (None, None) => Ok(()),
            (error, _) => {
                events::record_status(conn, company_id, &message.recipient, times, error).await
            }
        }
    }
}

/// The address of event `name` in the calendar collection at `collection`: inside it (its path
/// taken as a folder), without its query or fragment.
fn event_url(collection: &str, name: &str) -> Result<String, String> {
    let mut url = reqwest::Url::parse(collection).map_err(|e| format!("calendar url: {e}"))?;
    url.set_query(None);
    url.set_fragment(None);
    if !url.path().ends_with('/') {
        let folder = format!("{}/", url.path());
        url.set_path(&folder);
    }
    url.join(name)
        .map(String::from)
        .map_err(|e| format!("event url: {e}"))
}

#[cfg(test)]
mod event_url_tests {
    use super::event_url;

    #[test]
    fn an_event_goes_inside_the_collection_whatever_its_url_ends_with() {
        for collection in [
            "https://dav.example.com/cal/ada",
            "https://dav.example.com/cal/ada/",
            "https://dav.example.com/cal/ada/?token=x#top",
        ] {
            assert_eq!(
                event_url(collection, "demo-a%2F1.ics").as_deref(),
                Ok("https://dav.example.com/cal/ada/demo-a%2F1.ics"),
                "{collection}"
            );
        }
    }
}
