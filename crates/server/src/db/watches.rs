//! Watches, their signing keys, and the delivery outbox (`migrations/0004_watches.sql`).
//!
//! Instants in these tables are UTC RFC 3339 with exactly three fractional digits
//! (`2026-12-01T08:30:00.250Z`, see [`ms_text`]) so text order is time order at the millisecond the
//! worker schedules by.

use booking_model::{Watch, WatchEvent, WatchStatus};
use chrono::{DateTime, SecondsFormat, Utc};
use rand::Rng;
use sqlx::{Row, SqliteConnection};

use super::Db;
use crate::error::{Error, Result};

/// An instant as stored in the webhook tables.
pub fn ms_text(instant: DateTime<Utc>) -> String {
    instant.to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// Reads an instant written by [`ms_text`] (or any RFC 3339 text).
pub fn parse_instant(text: &str) -> Result<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text)
        .map(|d| d.with_timezone(&Utc))
        .map_err(|e| Error::Internal(anyhow::anyhow!("bad stored instant {text:?}: {e}")))
}

fn json<T: serde::Serialize>(value: &T) -> Result<String> {
    Ok(serde_json::to_string(value).map_err(anyhow::Error::from)?)
}

/// A message id (`webhook-id`): `msg_` and 24 random letters and digits.
fn message_id() -> String {
    const ALPHABET: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    let mut rng = rand::thread_rng();
    let tail: String = (0..24)
        .map(|_| char::from(ALPHABET[rng.gen_range(0..ALPHABET.len())]))
        .collect();
    format!("msg_{tail}")
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

fn watch_from_row(row: &sqlx::sqlite::SqliteRow) -> Result<StoredWatch> {
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

/// Stores a new watch (its `id` set).
pub async fn insert(db: &Db, company_id: &str, watch: &Watch) -> Result<()> {
    let now = ms_text(Utc::now());
    sqlx::query(
        "INSERT INTO watches (company_id, id, status, doc, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)",
    )
    .bind(company_id)
    .bind(&watch.id)
    .bind(status_text(watch))
    .bind(json(watch)?)
    .bind(&now)
    .bind(&now)
    .execute(db)
    .await?;
    Ok(())
}

/// Replaces a watch; whether it existed. Enabling it (again) clears its failure record.
pub async fn replace(db: &Db, company_id: &str, watch: &Watch) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE watches SET status = ?, doc = ?, updated_at = ?, \
         failing_since = CASE WHEN ? = 'enabled' THEN NULL ELSE failing_since END, \
         disabled_at = CASE WHEN ? = 'enabled' THEN NULL ELSE disabled_at END, \
         disabled_reason = CASE WHEN ? = 'enabled' THEN NULL ELSE disabled_reason END \
         WHERE company_id = ? AND id = ?",
    )
    .bind(status_text(watch))
    .bind(json(watch)?)
    .bind(ms_text(Utc::now()))
    .bind(status_text(watch))
    .bind(status_text(watch))
    .bind(status_text(watch))
    .bind(company_id)
    .bind(&watch.id)
    .execute(db)
    .await?;
    Ok(done.rows_affected() > 0)
}

/// Saves the document only (a rotated OAuth2 refresh token), leaving status and health alone.
pub async fn save_doc(db: &Db, company_id: &str, watch: &Watch) -> Result<()> {
    sqlx::query("UPDATE watches SET doc = ? WHERE company_id = ? AND id = ?")
        .bind(json(watch)?)
        .bind(company_id)
        .bind(&watch.id)
        .execute(db)
        .await?;
    Ok(())
}

/// One watch of a company.
pub async fn get(db: &Db, company_id: &str, id: &str) -> Result<Option<StoredWatch>> {
    let row = sqlx::query(&format!(
        "SELECT {WATCH_COLUMNS} FROM watches WHERE company_id = ? AND id = ?"
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
        "SELECT {WATCH_COLUMNS} FROM watches WHERE company_id = ? ORDER BY created_at, id"
    ))
    .bind(company_id)
    .fetch_all(db)
    .await?;
    rows.iter().map(watch_from_row).collect()
}

/// Removes a watch and (by cascade) its deliveries; whether it existed.
pub async fn delete(db: &Db, company_id: &str, id: &str) -> Result<bool> {
    let done = sqlx::query("DELETE FROM watches WHERE company_id = ? AND id = ?")
        .bind(company_id)
        .bind(id)
        .execute(db)
        .await?;
    Ok(done.rows_affected() > 0)
}

/// Ids of the company's enabled watches (inside the caller's transaction).
pub async fn enabled_ids(conn: &mut SqliteConnection, company_id: &str) -> Result<Vec<String>> {
    let rows: Vec<(String,)> = sqlx::query_as(
        "SELECT id FROM watches WHERE company_id = ? AND status = 'enabled' ORDER BY id",
    )
    .bind(company_id)
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows.into_iter().map(|(id,)| id).collect())
}

// ---------------------------------------------------------------------------------------------
// Deliveries (the outbox)

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
pub async fn insert_delivery(conn: &mut SqliteConnection, new: &NewDelivery<'_>) -> Result<()> {
    let now = ms_text(Utc::now());
    sqlx::query(
        "INSERT INTO webhook_deliveries (id, company_id, watch_id, appointment_id, event, appointment, \
         occurred_at, time_zone, state, attempts, next_attempt_at, created_at) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'pending', 0, ?, ?)",
    )
    .bind(message_id())
    .bind(new.company_id)
    .bind(new.watch_id)
    .bind(new.appointment_id)
    .bind(new.event.as_str())
    .bind(new.appointment)
    .bind(&now)
    .bind(new.time_zone)
    .bind(&now)
    .bind(&now)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// A delivery row.
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

const DELIVERY_COLUMNS: &str = "id, company_id, watch_id, appointment_id, event, appointment, \
     occurred_at, time_zone, body, state, attempts, next_attempt_at, last_status, last_error, \
     created_at, finished_at";

fn delivery_from_row(row: &sqlx::sqlite::SqliteRow) -> Result<Delivery> {
    Ok(Delivery {
        id: row.try_get("id")?,
        company_id: row.try_get("company_id")?,
        watch_id: row.try_get("watch_id")?,
        appointment_id: row.try_get("appointment_id")?,
        event: row.try_get("event")?,
        appointment: row.try_get("appointment")?,
        occurred_at: row.try_get("occurred_at")?,
        time_zone: row.try_get("time_zone")?,
        body: row.try_get("body")?,
        state: row.try_get("state")?,
        attempts: row.try_get("attempts")?,
        next_attempt_at: row.try_get("next_attempt_at")?,
        last_status: row.try_get("last_status")?,
        last_error: row.try_get("last_error")?,
        created_at: row.try_get("created_at")?,
        finished_at: row.try_get("finished_at")?,
    })
}

/// Deliveries whose worker held them past the lease (it crashed or was killed mid-attempt) go back
/// to `pending`, due now, with their lost attempt logged. Returns how many.
pub async fn release_expired_leases(db: &Db, now: DateTime<Utc>) -> Result<u64> {
    let now = ms_text(now);
    // Read first: the common case (nothing expired) then takes no write lock.
    let expired: Option<(i64,)> = sqlx::query_as(
        "SELECT 1 FROM webhook_deliveries WHERE state = 'delivering' AND lease_until <= ? LIMIT 1",
    )
    .bind(&now)
    .fetch_optional(db)
    .await?;
    if expired.is_none() {
        return Ok(0);
    }
    let mut tx = db.begin().await?;
    sqlx::query(
        "INSERT INTO webhook_attempts (delivery_id, attempt, started_at, duration_ms, status_code, error) \
         SELECT id, attempts, lease_until, 0, NULL, \
         'interrupted: the worker stopped before this attempt finished (lease expired)' \
         FROM webhook_deliveries WHERE state = 'delivering' AND lease_until <= ? \
         ON CONFLICT (delivery_id, attempt) DO NOTHING",
    )
    .bind(&now)
    .execute(&mut *tx)
    .await?;
    let done = sqlx::query(
        "UPDATE webhook_deliveries SET state = 'pending', next_attempt_at = ?, lease_until = NULL, \
         lease_owner = NULL, last_error = 'interrupted: lease expired' \
         WHERE state = 'delivering' AND lease_until <= ?",
    )
    .bind(&now)
    .bind(&now)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(done.rows_affected())
}

/// Claims up to `limit` due deliveries for `owner` until `lease_until`, counting the attempt.
/// The single `UPDATE … RETURNING` is atomic, so two workers never claim the same row.
///
/// Per watch and appointment, changes go out in order: a delivery waits while an earlier one of
/// the same appointment to the same watch is still pending or in flight (a retrying `updated` holds
/// back the `deleted` that followed it; other appointments are not held up).
pub async fn claim(
    db: &Db,
    now: DateTime<Utc>,
    lease_until: DateTime<Utc>,
    owner: &str,
    limit: usize,
) -> Result<Vec<Delivery>> {
    // Read first: the common case (nothing due) then takes no write lock away from bookings.
    let due: Option<(i64,)> = sqlx::query_as(
        "SELECT 1 FROM webhook_deliveries WHERE state = 'pending' AND next_attempt_at <= ? LIMIT 1",
    )
    .bind(ms_text(now))
    .fetch_optional(db)
    .await?;
    if due.is_none() {
        return Ok(Vec::new());
    }
    let rows = sqlx::query(&format!(
        "UPDATE webhook_deliveries SET state = 'delivering', attempts = attempts + 1, \
         lease_until = ?, lease_owner = ? \
         WHERE id IN (SELECT d.id FROM webhook_deliveries d WHERE d.state = 'pending' \
         AND d.next_attempt_at <= ? AND NOT EXISTS (SELECT 1 FROM webhook_deliveries e \
         WHERE e.company_id = d.company_id AND e.watch_id = d.watch_id \
         AND e.appointment_id = d.appointment_id AND e.state IN ('pending', 'delivering') \
         AND (e.created_at < d.created_at OR (e.created_at = d.created_at AND e.id < d.id))) \
         ORDER BY d.next_attempt_at, d.created_at LIMIT ?) AND state = 'pending' \
         RETURNING {DELIVERY_COLUMNS}"
    ))
    .bind(ms_text(lease_until))
    .bind(owner)
    .bind(ms_text(now))
    .bind(i64::try_from(limit).unwrap_or(i64::MAX))
    .fetch_all(db)
    .await?;
    rows.iter().map(delivery_from_row).collect()
}

/// Fixes the body of a delivery at its first attempt.
pub async fn save_body(db: &Db, id: &str, body: &str) -> Result<()> {
    sqlx::query("UPDATE webhook_deliveries SET body = ? WHERE id = ? AND body IS NULL")
        .bind(body)
        .bind(id)
        .execute(db)
        .await?;
    Ok(())
}

/// How an attempt ended, as the worker records it.
#[derive(Debug, Clone)]
pub enum Finish {
    /// 2xx.
    Succeeded,
    /// Failed; tried again at `next_attempt_at`.
    Retry { next_attempt_at: DateTime<Utc> },
    /// Failed for good (a final answer, or the retry window is over).
    Failed,
    /// Not attempted: the watch is disabled or gone.
    Skipped,
}

/// One attempt's result.
#[derive(Debug, Clone)]
pub struct AttemptRecord {
    pub started_at: DateTime<Utc>,
    pub duration_ms: i64,
    pub status_code: Option<u16>,
    pub error: Option<String>,
    pub finish: Finish,
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
    let mut tx = db.begin().await?;
    let (state, next) = match &record.finish {
        Finish::Succeeded => ("succeeded", None),
        Finish::Retry { next_attempt_at } => ("pending", Some(ms_text(*next_attempt_at))),
        Finish::Failed => ("failed", None),
        Finish::Skipped => ("skipped", None),
    };
    let skipped = matches!(record.finish, Finish::Skipped);
    let updated = sqlx::query(
        "UPDATE webhook_deliveries SET state = ?, next_attempt_at = COALESCE(?, next_attempt_at), \
         lease_until = NULL, lease_owner = NULL, \
         attempts = CASE WHEN ? THEN attempts - 1 ELSE attempts END, \
         last_status = CASE WHEN ? THEN last_status ELSE ? END, last_error = ?, \
         finished_at = CASE WHEN ? = 'pending' THEN NULL ELSE ? END \
         WHERE id = ? AND lease_owner = ? AND state = 'delivering'",
    )
    .bind(state)
    .bind(&next)
    .bind(skipped)
    .bind(skipped)
    .bind(record.status_code.map(i64::from))
    .bind(&record.error)
    .bind(state)
    .bind(&now_text)
    .bind(&delivery.id)
    .bind(owner)
    .execute(&mut *tx)
    .await?;
    if updated.rows_affected() == 0 {
        // The lease expired and another worker took the row: its result is the one that counts.
        return Ok(None);
    }
    if skipped {
        tx.commit().await?;
        return Ok(None);
    }
    sqlx::query(
        "INSERT INTO webhook_attempts (delivery_id, attempt, started_at, duration_ms, status_code, \
         error, next_attempt_at) VALUES (?, ?, ?, ?, ?, ?, ?) \
         ON CONFLICT (delivery_id, attempt) DO NOTHING",
    )
    .bind(&delivery.id)
    .bind(delivery.attempts)
    .bind(ms_text(record.started_at))
    .bind(record.duration_ms)
    .bind(record.status_code.map(i64::from))
    .bind(&record.error)
    .bind(&next)
    .execute(&mut *tx)
    .await?;
    let mut disabled = None;
    if matches!(record.finish, Finish::Succeeded) {
        sqlx::query("UPDATE watches SET failing_since = NULL WHERE company_id = ? AND id = ?")
            .bind(&delivery.company_id)
            .bind(&delivery.watch_id)
            .execute(&mut *tx)
            .await?;
    } else {
        sqlx::query(
            "UPDATE watches SET failing_since = COALESCE(failing_since, ?) WHERE company_id = ? AND id = ?",
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
            "UPDATE watches SET status = 'disabled', disabled_at = ?, disabled_reason = ? \
             WHERE company_id = ? AND id = ? AND status = 'enabled' AND failing_since <= ?",
        )
        .bind(&now_text)
        .bind(&reason)
        .bind(&delivery.company_id)
        .bind(&delivery.watch_id)
        .bind(ms_text(threshold))
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() > 0 {
            sqlx::query(
                "UPDATE webhook_deliveries SET state = 'skipped', last_error = ?, finished_at = ? \
                 WHERE company_id = ? AND watch_id = ? AND state = 'pending'",
            )
            .bind(format!("not sent: the watch was {reason}"))
            .bind(&now_text)
            .bind(&delivery.company_id)
            .bind(&delivery.watch_id)
            .execute(&mut *tx)
            .await?;
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

/// One logged attempt.
#[derive(Debug, Clone)]
pub struct Attempt {
    pub attempt: i64,
    pub started_at: String,
    pub duration_ms: i64,
    pub status_code: Option<i64>,
    pub error: Option<String>,
    pub next_attempt_at: Option<String>,
}

/// The newest `limit` deliveries of a watch with their attempts, newest first.
pub async fn deliveries_of(
    db: &Db,
    company_id: &str,
    watch_id: &str,
    limit: i64,
) -> Result<Vec<(Delivery, Vec<Attempt>)>> {
    let rows = sqlx::query(&format!(
        "SELECT {DELIVERY_COLUMNS} FROM webhook_deliveries WHERE company_id = ? AND watch_id = ? \
         ORDER BY created_at DESC, id DESC LIMIT ?"
    ))
    .bind(company_id)
    .bind(watch_id)
    .bind(limit)
    .fetch_all(db)
    .await?;
    let mut out = Vec::with_capacity(rows.len());
    for row in &rows {
        let delivery = delivery_from_row(row)?;
        let attempts = sqlx::query(
            "SELECT attempt, started_at, duration_ms, status_code, error, next_attempt_at \
             FROM webhook_attempts WHERE delivery_id = ? ORDER BY attempt",
        )
        .bind(&delivery.id)
        .fetch_all(db)
        .await?
        .iter()
        .map(|r| {
            Ok(Attempt {
                attempt: r.try_get("attempt")?,
                started_at: r.try_get("started_at")?,
                duration_ms: r.try_get("duration_ms")?,
                status_code: r.try_get("status_code")?,
                error: r.try_get("error")?,
                next_attempt_at: r.try_get("next_attempt_at")?,
            })
        })
        .collect::<Result<Vec<_>>>()?;
        out.push((delivery, attempts));
    }
    Ok(out)
}

/// Purges finished deliveries that finished before `before`; how many.
pub async fn purge_finished(db: &Db, before: DateTime<Utc>) -> Result<u64> {
    let done = sqlx::query(
        "DELETE FROM webhook_deliveries WHERE state IN ('succeeded', 'failed', 'skipped') \
         AND finished_at < ?",
    )
    .bind(ms_text(before))
    .execute(db)
    .await?;
    Ok(done.rows_affected())
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

fn key_from_row(row: &sqlx::sqlite::SqliteRow) -> Result<CryptoKey> {
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
        "INSERT INTO crypto_keys (company_id, id, name, secret, created_at) VALUES (?, ?, ?, ?, ?)",
    )
    .bind(company_id)
    .bind(&key.id)
    .bind(&key.name)
    .bind(&key.secret)
    .bind(&key.created_at)
    .execute(db)
    .await?;
    Ok(())
}

/// Every key of a company, oldest first.
pub async fn list_keys(db: &Db, company_id: &str) -> Result<Vec<CryptoKey>> {
    let rows = sqlx::query(&format!(
        "SELECT {KEY_COLUMNS} FROM crypto_keys WHERE company_id = ? ORDER BY created_at, id"
    ))
    .bind(company_id)
    .fetch_all(db)
    .await?;
    rows.iter().map(key_from_row).collect()
}

/// One key of a company.
pub async fn get_key(db: &Db, company_id: &str, id: &str) -> Result<Option<CryptoKey>> {
    let row = sqlx::query(&format!(
        "SELECT {KEY_COLUMNS} FROM crypto_keys WHERE company_id = ? AND id = ?"
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
        "UPDATE crypto_keys SET previous_secret = secret, previous_until = ?, secret = ?, rotated_at = ? \
         WHERE company_id = ? AND id = ?",
    )
    .bind(ms_text(previous_until))
    .bind(new_secret)
    .bind(ms_text(now))
    .bind(company_id)
    .bind(id)
    .execute(db)
    .await?;
    Ok(done.rows_affected() > 0)
}

/// Removes a key; whether it existed.
pub async fn delete_key(db: &Db, company_id: &str, id: &str) -> Result<bool> {
    let done = sqlx::query("DELETE FROM crypto_keys WHERE company_id = ? AND id = ?")
        .bind(company_id)
        .bind(id)
        .execute(db)
        .await?;
    Ok(done.rows_affected() > 0)
}
