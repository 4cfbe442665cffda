//! Watches, their signing keys (`migrations/0004_watches.sql`), and their deliveries: the webhook
//! channel of the outbox (`db::outbox`).
//!
//! Instants in these tables are UTC RFC 3339 with exactly three fractional digits
//! (`2026-12-01T08:30:00.250Z`, see [`ms_text`]) so text order is time order at the millisecond the
//! worker schedules by.

use booking_model::{Watch, WatchEvent, WatchStatus};
use chrono::{DateTime, Utc};
use sqlx::Row;

use super::outbox::{self, Message, NewMessage, WEBHOOK};
use super::{Db, ExecuteLocked};
use crate::db::Conn;
use crate::error::Result;

pub use super::outbox::{ms_text, parse_instant, Attempt, AttemptRecord, Finish};

fn json<T: serde::Serialize>(value: &T) -> Result<String> {
    Ok(serde_json::to_string(value).map_err(anyhow::Error::from)?)
}

// ---------------------------------------------------------------------------------------------
// Watches

/// A watch as stored: the document with its secrets, and the health the worker keeps.
#[derive(Debug, Clone)]
pub struct StoredWatch {
    pub company_id: String,
    /// `status` is the column's (the worker may have disabled it).
    pub watch: Watch,
    /// First failed attempt since the last success.
    pub failing_since: Option<String>,
    /// When and why the worker disabled it.
    pub disabled_at: Option<String>,
    pub disabled_reason: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

impl StoredWatch {
    pub fn id(&self) -> &str {
        self.watch.id.as_deref().unwrap_or_default()
    }
}

const WATCH_COLUMNS: &str =
    "company_id, status, doc, failing_since, disabled_at, disabled_reason, created_at, updated_at";

fn watch_from_row(row: &crate::db::DbRow) -> Result<StoredWatch> {
    let doc: String = row.try_get("doc")?;
    let mut watch: Watch = serde_json::from_str(&doc).map_err(anyhow::Error::from)?;
    let status: String = row.try_get("status")?;
    watch.status = Some(match status.as_str() {
        "disabled" => WatchStatus::Disabled,
        _ => WatchStatus::Enabled,
    });
    Ok(StoredWatch {
        company_id: row.try_get("company_id")?,
        watch,
        failing_since: row.try_get("failing_since")?,
        disabled_at: row.try_get("disabled_at")?,
        disabled_reason: row.try_get("disabled_reason")?,
        created_at: row.try_get("created_at")?,
        updated_at: row.try_get("updated_at")?,
    })
}

fn status_text(watch: &Watch) -> &'static str {
    match watch.is_enabled() {
        true => "enabled",
        false => "disabled",
    }
}

/// Fails (400, naming `signature.cryptoKeyIds`) when a key the watch signs with is gone, inside
/// the transaction that saves the watch: the check the API made before could have seen a key that
/// a deletion (on any node) removed before this write took the lock.
async fn keys_still_exist(conn: &mut Conn, company_id: &str, watch: &Watch) -> Result<()> {
    let Some(signature) = watch.signature.as_ref().filter(|s| s.enabled == Some(true)) else {
        return Ok(());
    };
    for id in &signature.crypto_key_ids {
        let found: Option<(i64,)> =
            sqlx::query_as("SELECT 1 FROM crypto_keys WHERE company_id = $1 AND id = $2")
                .bind(company_id)
                .bind(id)
                .fetch_optional(&mut *conn)
                .await?;
        if found.is_none() {
            return Err(crate::error::Error::field(
                "signature.cryptoKeyIds",
                format!("no crypto key {id:?} in this company"),
            ));
        }
    }
    Ok(())
}

/// Stores a new watch (its `id` set).
pub async fn insert(db: &Db, company_id: &str, watch: &Watch) -> Result<()> {
    let now = ms_text(Utc::now());
    let mut tx = db.write().await?;
    keys_still_exist(&mut tx, company_id, watch).await?;
    sqlx::query(
        "INSERT INTO watches (company_id, id, status, doc, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(company_id)
    .bind(&watch.id)
    .bind(status_text(watch))
    .bind(json(watch)?)
    .bind(&now)
    .bind(&now)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Replaces a watch; whether it existed. Enabling it (again) clears its failure record.
pub async fn replace(db: &Db, company_id: &str, watch: &Watch) -> Result<bool> {
    let mut tx = db.write().await?;
    keys_still_exist(&mut tx, company_id, watch).await?;
    let done = sqlx::query(
        "UPDATE watches SET status = $1, doc = $2, updated_at = $3, \
         failing_since = CASE WHEN $4 = 'enabled' THEN NULL ELSE failing_since END, \
         disabled_at = CASE WHEN $5 = 'enabled' THEN NULL ELSE disabled_at END, \
         disabled_reason = CASE WHEN $6 = 'enabled' THEN NULL ELSE disabled_reason END \
         WHERE company_id = $7 AND id = $8",
    )
    .bind(status_text(watch))
    .bind(json(watch)?)
    .bind(ms_text(Utc::now()))
    .bind(status_text(watch))
    .bind(status_text(watch))
    .bind(status_text(watch))
    .bind(company_id)
    .bind(&watch.id)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(done.rows_affected() > 0)
}

/// Saves the document only (a rotated OAuth2 refresh token), leaving status and health alone.
pub async fn save_doc(db: &Db, company_id: &str, watch: &Watch) -> Result<()> {
    sqlx::query("UPDATE watches SET doc = $1 WHERE company_id = $2 AND id = $3")
        .bind(json(watch)?)
        .bind(company_id)
        .bind(&watch.id)
        .execute_locked(db)
        .await?;
    Ok(())
}

/// One watch of a company.
pub async fn get(db: &Db, company_id: &str, id: &str) -> Result<Option<StoredWatch>> {
    let row = sqlx::query(&format!(
        "SELECT {WATCH_COLUMNS} FROM watches WHERE company_id = $1 AND id = $2"
    ))
    .bind(company_id)
    .bind(id)
    .fetch_optional(db)
    .await?;
    row.map(|r| watch_from_row(&r)).transpose()
}

/// Every watch of a company, oldest first.
pub async fn list(db: &Db, company_id: &str) -> Result<Vec<StoredWatch>> {
    let rows = sqlx::query(&format!(
        "SELECT {WATCH_COLUMNS} FROM watches WHERE company_id = $1 ORDER BY created_at, id"
    ))
    .bind(company_id)
    .fetch_all(db)
    .await?;
    rows.iter().map(watch_from_row).collect()
}

/// Removes a watch and its deliveries; whether it existed.
pub async fn delete(db: &Db, company_id: &str, id: &str) -> Result<bool> {
    let mut tx = db.write().await?;
    outbox::delete_of_recipient(&mut tx, (WEBHOOK, company_id, id)).await?;
    let done = sqlx::query("DELETE FROM watches WHERE company_id = $1 AND id = $2")
        .bind(company_id)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(done.rows_affected() > 0)
}

/// Ids of the company's enabled watches (inside the caller's transaction).
pub async fn enabled_ids(conn: &mut Conn, company_id: &str) -> Result<Vec<String>> {
    let rows: Vec<(String,)> = sqlx::query_as(
        "SELECT id FROM watches WHERE company_id = $1 AND status = 'enabled' ORDER BY id",
    )
    .bind(company_id)
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows.into_iter().map(|(id,)| id).collect())
}

// ---------------------------------------------------------------------------------------------
// Deliveries: the webhook channel of the outbox

/// What [`insert_delivery`] needs.
pub struct NewDelivery<'a> {
    pub company_id: &'a str,
    pub watch_id: &'a str,
    pub appointment_id: &'a str,
    pub event: WatchEvent,
    /// The appointment's JSON as written.
    pub appointment: &'a str,
    /// The company's zone, for the notification's `date`.
    pub time_zone: &'a str,
}

/// Adds a pending delivery, due now (inside the caller's transaction).
pub async fn insert_delivery(conn: &mut Conn, new: &NewDelivery<'_>) -> Result<()> {
    let message = NewMessage {
        channel: WEBHOOK,
        company_id: new.company_id,
        recipient: new.watch_id,
        subject_id: new.appointment_id,
        kind: new.event.as_str(),
        payload: new.appointment,
        time_zone: new.time_zone,
    };
    outbox::enqueue(conn, &message).await?;
    Ok(())
}

/// A webhook delivery: an outbox message of the webhook channel, in webhook terms.
#[derive(Debug, Clone)]
pub struct Delivery {
    /// The message id (`webhook-id`).
    pub id: String,
    pub company_id: String,
    pub watch_id: String,
    pub appointment_id: String,
    pub event: String,
    pub appointment: String,
    pub occurred_at: String,
    pub time_zone: String,
    /// The body, fixed at the first attempt so every retry sends the same bytes.
    pub body: Option<String>,
    /// `pending`, `delivering`, `succeeded`, `failed` or `skipped`.
    pub state: String,
    /// Attempts started (the one in progress included).
    pub attempts: i64,
    pub next_attempt_at: String,
    pub last_status: Option<i64>,
    pub last_error: Option<String>,
    pub created_at: String,
    pub finished_at: Option<String>,
}

impl From<Message> for Delivery {
    fn from(m: Message) -> Self {
        Delivery {
            id: m.id,
            company_id: m.company_id,
            watch_id: m.recipient,
            appointment_id: m.subject_id,
            event: m.kind,
            appointment: m.payload,
            occurred_at: m.occurred_at,
            time_zone: m.time_zone,
            body: m.body,
            state: m.state,
            attempts: m.attempts,
            next_attempt_at: m.next_attempt_at,
            last_status: m.last_status,
            last_error: m.last_error,
            created_at: m.created_at,
            finished_at: m.finished_at,
        }
    }
}

/// Deliveries whose worker held them past the lease go back to `pending` (see
/// [`outbox::release_expired_leases`]). Returns how many.
pub async fn release_expired_leases(db: &Db, now: DateTime<Utc>) -> Result<u64> {
    outbox::release_expired_leases(db, WEBHOOK, now).await
}

/// Claims up to `limit` due deliveries for `owner` until `lease_until`, in order per watch and
/// appointment (see [`outbox::claim`]).
pub async fn claim(
    db: &Db,
    now: DateTime<Utc>,
    lease_until: DateTime<Utc>,
    owner: &str,
    limit: usize,
) -> Result<Vec<Delivery>> {
    let claimed = outbox::claim(db, WEBHOOK, (now, lease_until), owner, limit).await?;
    Ok(claimed.into_iter().map(Delivery::from).collect())
}

/// Fixes the body of a delivery at its first attempt.
pub async fn save_body(db: &Db, id: &str, body: &str) -> Result<()> {
    outbox::save_body(db, id, body).await
}

/// Records an attempt of a claimed delivery: its log entry, the delivery's new state and the watch's
/// health; disables the watch when it has failed for `disable_after` (skipping what it still had
/// pending). Does nothing when the lease was lost to another worker. Returns the reason when this
/// attempt disabled the watch.
pub async fn finish_attempt(
    db: &Db,
    delivery: &Delivery,
    owner: &str,
    record: &AttemptRecord,
    disable_after: chrono::Duration,
) -> Result<Option<String>> {
    let now = Utc::now();
    let now_text = ms_text(now);
    let mut tx = db.write().await?;
    let attempt = (delivery.id.as_str(), delivery.attempts);
    if !outbox::finish(&mut tx, attempt, owner, record, now).await? {
        // The lease expired and another worker took the row: its result is the one that counts.
        return Ok(None);
    }
    if matches!(record.finish, Finish::Skipped) {
        tx.commit().await?;
        return Ok(None);
    }
    let mut disabled = None;
    if matches!(record.finish, Finish::Succeeded) {
        sqlx::query("UPDATE watches SET failing_since = NULL WHERE company_id = $1 AND id = $2")
            .bind(&delivery.company_id)
            .bind(&delivery.watch_id)
            .execute(&mut *tx)
            .await?;
    } else {
        sqlx::query(
            "UPDATE watches SET failing_since = COALESCE(failing_since, $1) WHERE company_id = $2 AND id = $3",
        )
        .bind(ms_text(record.started_at))
        .bind(&delivery.company_id)
        .bind(&delivery.watch_id)
        .execute(&mut *tx)
        .await?;
        let threshold = now - disable_after;
        let reason = format!(
            "disabled automatically: every delivery attempt failed for over {} (last: {})",
            human_duration(disable_after),
            record.error.as_deref().unwrap_or("failed")
        );
        let done = sqlx::query(
            "UPDATE watches SET status = 'disabled', disabled_at = $1, disabled_reason = $2 \
             WHERE company_id = $3 AND id = $4 AND status = 'enabled' AND failing_since <= $5",
        )
        .bind(&now_text)
        .bind(&reason)
        .bind(&delivery.company_id)
        .bind(&delivery.watch_id)
        .bind(ms_text(threshold))
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() > 0 {
            let recipient = (
                WEBHOOK,
                delivery.company_id.as_str(),
                delivery.watch_id.as_str(),
            );
            let why = format!("not sent: the watch was {reason}");
            outbox::skip_pending(&mut tx, recipient, &why, now).await?;
            disabled = Some(reason);
        }
    }
    tx.commit().await?;
    Ok(disabled)
}

fn human_duration(d: chrono::Duration) -> String {
    match d.num_seconds() {
        s if s >= 3600 && s % 3600 == 0 => format!("{} h", s / 3600),
        s if s >= 60 && s % 60 == 0 => format!("{} min", s / 60),
        s if s > 0 => format!("{s} s"),
        _ => format!("{} ms", d.num_milliseconds()),
    }
}

/// The newest `limit` deliveries of a watch with their attempts, newest first.
pub async fn deliveries_of(
    db: &Db,
    company_id: &str,
    watch_id: &str,
    limit: i64,
) -> Result<Vec<(Delivery, Vec<Attempt>)>> {
    let messages = outbox::of_recipient(db, (WEBHOOK, company_id, watch_id), limit).await?;
    Ok(messages
        .into_iter()
        .map(|(message, attempts)| (Delivery::from(message), attempts))
        .collect())
}

/// Purges finished deliveries that finished before `before`; how many.
pub async fn purge_finished(db: &Db, before: DateTime<Utc>) -> Result<u64> {
    outbox::purge_finished(db, before).await
}

// ---------------------------------------------------------------------------------------------
// Crypto keys

/// A signing key of a company.
#[derive(Debug, Clone)]
pub struct CryptoKey {
    pub id: String,
    pub name: Option<String>,
    /// `whsec_<base64>`.
    pub secret: String,
    /// The secret before the last rotation, still used until `previous_until`.
    pub previous_secret: Option<String>,
    pub previous_until: Option<String>,
    pub created_at: String,
    pub rotated_at: Option<String>,
}

const KEY_COLUMNS: &str =
    "id, name, secret, previous_secret, previous_until, created_at, rotated_at";

fn key_from_row(row: &crate::db::DbRow) -> Result<CryptoKey> {
    Ok(CryptoKey {
        id: row.try_get("id")?,
        name: row.try_get("name")?,
        secret: row.try_get("secret")?,
        previous_secret: row.try_get("previous_secret")?,
        previous_until: row.try_get("previous_until")?,
        created_at: row.try_get("created_at")?,
        rotated_at: row.try_get("rotated_at")?,
    })
}

/// Stores a new key.
pub async fn insert_key(db: &Db, company_id: &str, key: &CryptoKey) -> Result<()> {
    sqlx::query(
        "INSERT INTO crypto_keys (company_id, id, name, secret, created_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(company_id)
    .bind(&key.id)
    .bind(&key.name)
    .bind(&key.secret)
    .bind(&key.created_at)
    .execute_locked(db)
    .await?;
    Ok(())
}

/// Every key of a company, oldest first.
pub async fn list_keys(db: &Db, company_id: &str) -> Result<Vec<CryptoKey>> {
    let rows = sqlx::query(&format!(
        "SELECT {KEY_COLUMNS} FROM crypto_keys WHERE company_id = $1 ORDER BY created_at, id"
    ))
    .bind(company_id)
    .fetch_all(db)
    .await?;
    rows.iter().map(key_from_row).collect()
}

/// One key of a company.
pub async fn get_key(db: &Db, company_id: &str, id: &str) -> Result<Option<CryptoKey>> {
    let row = sqlx::query(&format!(
        "SELECT {KEY_COLUMNS} FROM crypto_keys WHERE company_id = $1 AND id = $2"
    ))
    .bind(company_id)
    .bind(id)
    .fetch_optional(db)
    .await?;
    row.map(|r| key_from_row(&r)).transpose()
}

/// Replaces a key's secret, keeping the old one valid until `previous_until`; whether it existed.
pub async fn rotate_key(
    db: &Db,
    company_id: &str,
    id: &str,
    new_secret: &str,
    now: DateTime<Utc>,
    previous_until: DateTime<Utc>,
) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE crypto_keys SET previous_secret = secret, previous_until = $1, secret = $2, rotated_at = $3 \
         WHERE company_id = $4 AND id = $5",
    )
    .bind(ms_text(previous_until))
    .bind(new_secret)
    .bind(ms_text(now))
    .bind(company_id)
    .bind(id)
    .execute_locked(db)
    .await?;
    Ok(done.rows_affected() > 0)
}

/// What [`delete_unused_key`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyRemoval {
    Deleted,
    /// No such key.
    Missing,
    /// Kept: these watches sign with it.
    InUse(Vec<String>),
}

/// Removes a key unless a watch signs with it. The check and the delete are one write
/// transaction, so a watch saved with the key between them (on any node) cannot be left signing
/// with a key that is gone.
pub async fn delete_unused_key(db: &Db, company_id: &str, id: &str) -> Result<KeyRemoval> {
    let mut tx = db.write().await?;
    let exists: Option<(i64,)> =
        sqlx::query_as("SELECT 1 FROM crypto_keys WHERE company_id = $1 AND id = $2")
            .bind(company_id)
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?;
    if exists.is_none() {
        return Ok(KeyRemoval::Missing);
    }
    let rows = sqlx::query(&format!(
        "SELECT {WATCH_COLUMNS} FROM watches WHERE company_id = $1 ORDER BY created_at, id"
    ))
    .bind(company_id)
    .fetch_all(&mut *tx)
    .await?;
    let mut users = Vec::new();
    for row in &rows {
        let stored = watch_from_row(row)?;
        let signs = stored
            .watch
            .signature
            .as_ref()
            .is_some_and(|s| s.crypto_key_ids.iter().any(|k| k == id));
        if signs {
            users.push(stored.id().to_owned());
        }
    }
    if !users.is_empty() {
        return Ok(KeyRemoval::InUse(users));
    }
    sqlx::query("DELETE FROM crypto_keys WHERE company_id = $1 AND id = $2")
        .bind(company_id)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(KeyRemoval::Deleted)
}
