//! Notifications by email and SMS. Every appointment write plans its messages ([`plan::plan`]: a
//! pure function of the appointment before and after) and adds them to the outbox on channel
//! [`CHANNEL`] (and [`sms::CHANNEL`] for a company with text messages on) in the write's own
//! transaction ([`enqueue`]). Each row keeps what its message needs (the appointment as written,
//! the kind, the reader and the booking's language); the email worker ([`worker`]) renders it at
//! its first attempt ([`render`]), fixes the bytes, and sends them over SMTP or into `.eml` files
//! ([`transport`]); the SMS worker ([`sms`]) does the same with a short text and an HTTP gateway.

/// How an attempt is recorded: sent, retried with backoff, or failed (both channels).
pub mod delivery;
/// Which messages a change sends, to whom.
pub mod plan;
/// An outbox row as an email: subject, text and HTML parts, the invitation.
pub mod render;
/// Text messages: the short text, the HTTP gateway, their worker.
pub mod sms;
/// The emails' (and text messages') words in the widget's seven languages.
pub mod strings;
/// SMTP (lettre) or `.eml` files.
pub mod transport;
/// The email channel's delivery loop.
pub mod worker;

use std::path::PathBuf;

use booking_model::{Appointment, Company};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::db::appointments::{Change, Setup, StoredAppointment};
use crate::db::outbox::{self, NewMessage};
use crate::db::Conn;
use crate::error::Result;

/// The outbox channel of emails.
pub const CHANNEL: &str = "email";

/// The `source` of writes the client makes (the widget's history entries say it too).
const CLIENT_SOURCE: &str = "widget";

/// Environment variable equivalent of `--smtp-url`.
pub const SMTP_URL_ENV: &str = "BOOKING_SMTP_URL";

/// Environment variable equivalent of `--smtp-ca-file`.
pub const SMTP_CA_FILE_ENV: &str = "BOOKING_SMTP_CA_FILE";

/// Where emails go and how their delivery is timed. The defaults suit production; tests shrink the
/// timings.
#[derive(Clone)]
pub struct Settings {
    /// `smtp://user:pass@host:port` (`?tls=required` for STARTTLS) or `smtps://…`; none: files.
    pub smtp_url: Option<String>,
    /// A PEM file of certificate authorities the SMTP server's certificate may also chain to (a
    /// private CA), beside the public ones.
    pub smtp_ca_file: Option<PathBuf>,
    /// Without SMTP, each email is written here as `<message id>.eml` (beside the database).
    pub mail_dir: Option<PathBuf>,
    /// Sender when the company has no address of its own.
    pub default_from: String,
    /// How deliveries are timed (its `timeout` bounds one SMTP conversation).
    pub timing: delivery::Timing,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            smtp_url: None,
            smtp_ca_file: None,
            mail_dir: None,
            default_from: "bookings@localhost".to_owned(),
            timing: delivery::Timing::default(),
        }
    }
}

// By hand: the SMTP URL's userinfo is a password.
impl std::fmt::Debug for Settings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Settings")
            .field(
                "smtp_url",
                &self.smtp_url.as_deref().map(crate::redact::url),
            )
            .field("smtp_ca_file", &self.smtp_ca_file)
            .field("mail_dir", &self.mail_dir)
            .field("default_from", &self.default_from)
            .field("timing", &self.timing)
            .finish()
    }
}

impl Settings {
    /// Whether emails are sent at all (SMTP or files configured).
    pub fn enabled(&self) -> bool {
        self.smtp_url.is_some() || self.mail_dir.is_some()
    }
}

/// What an email outbox row carries: enough to render the message at send time.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Payload {
    /// [`plan::Kind`] name.
    pub kind: String,
    /// [`plan::Audience`] name.
    pub audience: String,
    /// The reader's language: the booking's for the client, the company's (`lang`) for the
    /// company and its staff.
    pub lang: String,
    pub to: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The client made the change (through the widget), not the business.
    pub by_client: bool,
    /// The appointment as written.
    pub appointment: Appointment,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    pub deleted: bool,
    /// Where it was before a move.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub previous_start: Option<DateTime<Utc>>,
}

impl Payload {
    /// The appointment as `booking::ics` takes it.
    pub fn stored(&self, company_id: &str) -> StoredAppointment {
        StoredAppointment {
            company_id: company_id.to_owned(),
            appointment: self.appointment.clone(),
            start: self.start,
            end: self.end,
            resource_units: 0,
            deleted: self.deleted,
        }
    }
}

/// Plans the emails of a write and adds them to the outbox (inside the write's transaction).
/// `before` is the appointment before an update (`None`: an insert); `lang` the booking's language.
pub async fn enqueue(
    conn: &mut Conn,
    before: Option<&StoredAppointment>,
    after: &StoredAppointment,
    change: &Change<'_>,
    lang: &str,
) -> Result<()> {
    // The writer's catalogue: no company, staff or service is read again inside the lock.
    let setup = change.setup;
    let company = Some(setup.company);
    let sms = sms_on(company);
    // Reminders follow every write, a silent one included (which only drops the obsolete ones).
    let mut rows =
        replan_reminders(conn, before.is_none(), after, change, lang, (company, sms)).await?;
    // Most writes the business makes through the API are silent or personal: nothing more.
    if !change.silent && !after.appointment.is_personal() {
        rows.extend(planned_messages(before, after, change, lang)?);
    }
    let messages: Vec<_> = rows.iter().map(|row| (row.message(), row.due)).collect();
    outbox::enqueue_all(conn, &messages).await?;
    Ok(())
}

/// An outbox row a write plans, before it is inserted with the write's others.
struct Row {
    channel: &'static str,
    company_id: String,
    recipient: String,
    subject_id: String,
    kind: &'static str,
    payload: String,
    time_zone: String,
    due: DateTime<Utc>,
}

impl Row {
    fn message(&self) -> NewMessage<'_> {
        NewMessage {
            channel: self.channel,
            company_id: &self.company_id,
            recipient: &self.recipient,
            subject_id: &self.subject_id,
            kind: self.kind,
            payload: &self.payload,
            time_zone: &self.time_zone,
        }
    }
}

/// The change messages of a write (not its reminders), due now.
fn planned_messages(
    before: Option<&StoredAppointment>,
    after: &StoredAppointment,
    change: &Change<'_>,
    lang: &str,
) -> Result<Vec<Row>> {
    // The writer's catalogue: no company, staff or service is read again inside the lock.
    let setup = change.setup;
    let company = Some(setup.company);
    let staff = after
        .appointment
        .staff
        .as_ref()
        .and_then(|s| s.id.as_deref())
        .and_then(|id| setup.staff_member(id));
    let context = plan::Context {
        silent: change.silent,
        staff_email: staff.as_ref().and_then(|s| s.email.as_deref()),
        company_email: company.and_then(|c| c.email.as_deref()),
        sms: sms_on(company),
    };
    let time_zone = company
        .and_then(|c| c.time_zone.clone())
        .unwrap_or_else(|| "UTC".to_owned());
    let subject_id = after.appointment.id.clone().unwrap_or_default();
    let previous_start = before.map(|b| b.start).filter(|s| *s != after.start);
    let company_lang = company.and_then(|c| c.lang.as_deref());
    plan::plan(before, after, &context)
        .into_iter()
        .map(|message| {
            let payload = payload_json(
                &message,
                after,
                change,
                (lang, company_lang),
                previous_start,
            )?;
            Ok(Row {
                channel: message.channel.as_str(),
                company_id: after.company_id.clone(),
                recipient: message.to,
                subject_id: subject_id.clone(),
                kind: message.kind.as_str(),
                payload,
                time_zone: time_zone.clone(),
                due: change.now,
            })
        })
        .collect()
}

/// `lang` is the booking's language; `company_lang` the company's (absent: English), which its
/// own and its staff's messages are in.
fn payload_json(
    message: &plan::Planned,
    after: &StoredAppointment,
    change: &Change<'_>,
    (lang, company_lang): (&str, Option<&str>),
    previous_start: Option<DateTime<Utc>>,
) -> Result<String> {
    let lang = match message.audience {
        plan::Audience::Client => lang,
        plan::Audience::Staff | plan::Audience::Company => company_lang.unwrap_or("en"),
    };
    let payload = Payload {
        kind: message.kind.as_str().to_owned(),
        audience: message.audience.as_str().to_owned(),
        lang: strings::resolve(lang).to_owned(),
        to: message.to.clone(),
        name: message.name.clone(),
        by_client: change.source == CLIENT_SOURCE,
        appointment: after.appointment.clone(),
        start: after.start,
        end: after.end,
        deleted: after.deleted,
        previous_start,
    };
    Ok(serde_json::to_string(&payload).map_err(anyhow::Error::from)?)
}

/// Whether the company sends its clients text messages (`smsNotifications`).
pub fn sms_on(company: Option<&Company>) -> bool {
    company.and_then(|c| c.sms_notifications) == Some(true)
}

/// The outbox channels of an appointment's messages.
pub const CHANNELS: [&str; 2] = [CHANNEL, sms::CHANNEL];

/// The outbox subject of an appointment's reminders: apart from its change messages, so that a
/// reminder waiting for its instant never holds back the emails of later changes (the outbox sends
/// one subject's messages to one recipient in order).
pub fn reminder_subject(appointment_id: &str) -> String {
    format!("{appointment_id}/reminder")
}

/// The offsets of `after`'s reminders: its service's, else its company's, else the default.
fn reminder_offsets(
    after: &StoredAppointment,
    setup: &Setup<'_>,
    company: Option<&Company>,
) -> Vec<chrono::Duration> {
    let service = after
        .appointment
        .service
        .as_ref()
        .and_then(|s| s.id.as_deref())
        .and_then(|id| setup.service(id));
    plan::reminder_offsets(
        service.and_then(|s| s.reminders.as_deref()),
        company.and_then(|c| c.reminders.as_deref()),
    )
}

/// Brings the appointment's planned reminders in line with `after`: a pending reminder it no longer
/// deserves (moved, cancelled, deleted) is dropped (`skipped`, saying why); one it deserves and has
/// not had is added, due at its instant, unless the change is silent. A reminder already sent, or
/// in flight, for the same instant is never planned again: each is sent once.
///
/// Returns the reminders to add, for the write to insert with its other rows. `new`: the write
/// inserts the appointment, which can have no reminder yet (ids are never reused), so none is read.
async fn replan_reminders(
    conn: &mut Conn,
    new: bool,
    after: &StoredAppointment,
    change: &Change<'_>,
    lang: &str,
    (company, sms): (Option<&Company>, bool),
) -> Result<Vec<Row>> {
    let id = after.appointment.id.clone().unwrap_or_default();
    let subject = reminder_subject(&id);
    let wanted = match plan::deserves_reminders(after, sms) {
        true => {
            let offsets = reminder_offsets(after, &change.setup, company);
            plan::reminders(after, &offsets, change.now, sms)
        }
        false => Vec::new(),
    };
    // (id, channel, recipient, due, state)
    let existing: Vec<(String, String, String, String, String)> = match new {
        true => Vec::new(),
        false => {
            sqlx::query_as(
                "SELECT id, channel, recipient, occurred_at, state FROM outbox \
                 WHERE channel IN ($1, $2) AND company_id = $3 AND subject_id = $4 \
                 AND state <> 'skipped'",
            )
            .bind(CHANNELS[0])
            .bind(CHANNELS[1])
            .bind(&after.company_id)
            .bind(&subject)
            .fetch_all(&mut *conn)
            .await?
        }
    };
    if wanted.is_empty() && existing.is_empty() {
        return Ok(Vec::new());
    }
    let key = |channel: &str, to: &str, due: &str| {
        (channel.to_owned(), to.to_ascii_lowercase(), due.to_owned())
    };
    let wanted_key = |(due, p): &(DateTime<Utc>, plan::Planned)| {
        key(p.channel.as_str(), &p.to, &outbox::ms_text(*due))
    };
    let wanted_keys: Vec<_> = wanted.iter().map(wanted_key).collect();
    for (row_id, channel, recipient, due, state) in &existing {
        let row_key = key(channel, recipient, due);
        let still = wanted_keys.contains(&row_key);
        match (state.as_str(), still) {
            ("pending", false) => {
                sqlx::query(
                    "UPDATE outbox SET state = 'skipped', finished_at = $1, \
                     last_error = 'dropped: the appointment moved, was cancelled or deleted' \
                     WHERE id = $2 AND state = 'pending'",
                )
                .bind(outbox::ms_text(change.now))
                .bind(row_id)
                .execute(&mut *conn)
                .await?;
            }
            // Still due: it shows the appointment as it is now when it goes out.
            ("pending", true) => {
                let Some((_, planned)) = wanted.iter().find(|w| wanted_key(w) == row_key) else {
                    continue;
                };
                let payload = payload_json(planned, after, change, (lang, None), None)?;
                sqlx::query("UPDATE outbox SET payload = $1 WHERE id = $2 AND body IS NULL")
                    .bind(payload)
                    .bind(row_id)
                    .execute(&mut *conn)
                    .await?;
            }
            _ => {}
        }
    }
    if change.silent {
        return Ok(Vec::new());
    }
    let time_zone = after
        .appointment
        .start
        .as_ref()
        .and_then(|s| s.time_zone.clone())
        .unwrap_or_else(|| "UTC".to_owned());
    let mut rows = Vec::new();
    for reminder in &wanted {
        let wanted = wanted_key(reminder);
        if existing
            .iter()
            .any(|(_, c, r, d, _)| key(c, r, d) == wanted)
        {
            continue;
        }
        let (due, planned) = reminder;
        rows.push(Row {
            channel: planned.channel.as_str(),
            company_id: after.company_id.clone(),
            recipient: planned.to.clone(),
            subject_id: subject.clone(),
            kind: planned.kind.as_str(),
            payload: payload_json(planned, after, change, (lang, None), None)?,
            time_zone: time_zone.clone(),
            due: *due,
        });
    }
    Ok(rows)
}
