//! The outbox (`migrations/0006_outbox.sql`): one row per side effect of a change, written in the
//! change's own transaction, so the effect exists if and only if the change was committed. A
//! channel's worker claims due rows with a lease, attempts them, and records each attempt with its
//! backoff; a row whose worker died is claimed again once its lease has expired. Webhooks are one
//! channel ([`WEBHOOK`]); the channels differ in how they send, not in how they queue and retry.
//!
//! Instants here are UTC RFC 3339 with exactly three fractional digits (see [`ms_text`]), so text
//! order is time order at the millisecond workers schedule by.

use chrono::{DateTime, SecondsFormat, Utc};
use rand::Rng;
use sqlx::Row;

use super::Db;
use crate::db::Conn;
use crate::error::{Error, Result};

/// The webhook channel: one message per appointment change and enabled watch.
pub const WEBHOOK: &str = "webhook";

/// An instant as stored in the outbox.
pub fn ms_text(instant: DateTime<Utc>) -> String {
    instant.to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// Reads an instant written by [`ms_text`] (or any RFC 3339 text).
pub fn parse_instant(text: &str) -> Result<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text)
        .map(|d| d.with_timezone(&Utc))
        .map_err(|e| Error::Internal(anyhow::anyhow!("bad stored instant {text:?}: {e}")))
}

/// A message id: `msg_` and 24 random letters and digits.
fn message_id() -> String {
    const ALPHABET: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    let mut rng = rand::thread_rng();
    let tail: String = (0..24)
        .map(|_| char::from(ALPHABET[rng.gen_range(0..ALPHABET.len())]))
        .collect();
    format!("msg_{tail}")
}

/// What [`enqueue`] needs.
#[derive(Debug, Clone, Copy)]
pub struct NewMessage<'a> {
    pub channel: &'a str,
    pub company_id: &'a str,
    /// Who receives it (a watch id for webhooks).
    pub recipient: &'a str,
    /// What changed (an appointment id).
    pub subject_id: &'a str,
    /// What happened (`created`, `updated`, `deleted`).
    pub kind: &'a str,
    /// The record as written.
    pub payload: &'a str,
    /// The company's zone, for dates in the message.
    pub time_zone: &'a str,
}

/// Adds a pending message, due now (inside the caller's transaction); returns its id.
pub async fn enqueue(conn: &mut Conn, new: &NewMessage<'_>) -> Result<String> {
    // Due by the worker's clock (the system's), whatever clock the change was made under.
    enqueue_at(conn, new, Utc::now()).await
}

/// Adds a pending message due at `due` by the clock of the channel's worker (its retry window
/// counts from then too); returns its id.
pub async fn enqueue_at(
    conn: &mut Conn,
    new: &NewMessage<'_>,
    due: DateTime<Utc>,
) -> Result<String> {
    let mut ids = enqueue_all(conn, &[(*new, due)]).await?;
    ids.pop()
        .ok_or_else(|| Error::Internal(anyhow::anyhow!("enqueue_all returned no id for one row")))
}

/// Adds pending messages, each due at its instant, in one statement (inside the caller's
/// transaction): a write's emails and reminders cost one round trip under the write lock, not one
/// each. Returns their ids, in order.
pub async fn enqueue_all(
    conn: &mut Conn,
    new: &[(NewMessage<'_>, DateTime<Utc>)],
) -> Result<Vec<String>> {
    // 10 parameters a row (the due instant is bound once, as `occurred_at` and
    // `next_attempt_at`): 2,560 a statement, far below SQLite's 32,766 and PostgreSQL's 65,535.
    const ROWS_PER_STATEMENT: usize = 256;
    let created = ms_text(Utc::now());
    let mut ids = Vec::with_capacity(new.len());
    for chunk in new.chunks(ROWS_PER_STATEMENT) {
        let mut sql = String::from(
            "INSERT INTO outbox (id, channel, company_id, recipient, subject_id, kind, payload, \
             occurred_at, time_zone, state, attempts, next_attempt_at, created_at) VALUES ",
        );
        for row in 0..chunk.len() {
            let p = |k: usize| row * 10 + k;
            if row > 0 {
                sql.push_str(", ");
            }
            sql.push_str(&format!(
                "(${}, ${}, ${}, ${}, ${}, ${}, ${}, ${}, ${}, 'pending', 0, ${}, ${})",
                p(1),
                p(2),
                p(3),
                p(4),
                p(5),
                p(6),
                p(7),
                p(8),
                p(9),
                p(8),
                p(10)
            ));
        }
        let mut query = sqlx::query(&sql);
        for (message, due) in chunk {
            let id = message_id();
            query = query
                .bind(id.clone())
                .bind(message.channel)
                .bind(message.company_id)
                .bind(message.recipient)
                .bind(message.subject_id)
                .bind(message.kind)
                .bind(message.payload)
                .bind(ms_text(*due))
                .bind(message.time_zone)
                .bind(created.clone());
            ids.push(id);
        }
        query.execute(&mut *conn).await?;
    }
    Ok(ids)
}

/// An outbox row.
#[derive(Debug, Clone)]
pub struct Message {
    pub id: String,
    pub channel: String,
    pub company_id: String,
    pub recipient: String,
    pub subject_id: String,
    pub kind: String,
    pub payload: String,
    pub occurred_at: String,
    pub time_zone: String,
    /// What is sent, fixed at the first attempt so every retry sends the same bytes.
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

const COLUMNS: &str = "id, channel, company_id, recipient, subject_id, kind, payload, \
     occurred_at, time_zone, body, state, attempts, next_attempt_at, last_status, last_error, \
     created_at, finished_at";

fn from_row(row: &crate::db::DbRow) -> Result<Message> {
    Ok(Message {
        id: row.try_get("id")?,
        channel: row.try_get("channel")?,
        company_id: row.try_get("company_id")?,
        recipient: row.try_get("recipient")?,
        subject_id: row.try_get("subject_id")?,
        kind: row.try_get("kind")?,
        payload: row.try_get("payload")?,
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

/// Messages of `channel` whose worker held them past the lease (it crashed or was killed
/// mid-attempt) go back to `pending`, due now, with their lost attempt logged. Returns how many.
pub async fn release_expired_leases(db: &Db, channel: &str, now: DateTime<Utc>) -> Result<u64> {
    let now = ms_text(now);
    // Read first: the common case (nothing expired) then takes no write lock.
    let expired: Option<(i64,)> = sqlx::query_as(
        "SELECT 1 FROM outbox WHERE channel = $1 AND state = 'delivering' AND lease_until <= $2 LIMIT 1",
    )
    .bind(channel)
    .bind(&now)
    .fetch_optional(db)
    .await?;
    if expired.is_none() {
        return Ok(0);
    }
    let mut tx = db.write().await?;
    sqlx::query(
        "INSERT INTO outbox_attempts (message_id, attempt, started_at, duration_ms, status_code, error) \
         SELECT id, attempts, lease_until, 0, NULL, \
         'interrupted: the worker stopped before this attempt finished (lease expired)' \
         FROM outbox WHERE channel = $1 AND state = 'delivering' AND lease_until <= $2 \
         ON CONFLICT (message_id, attempt) DO NOTHING",
    )
    .bind(channel)
    .bind(&now)
    .execute(&mut *tx)
    .await?;
    let done = sqlx::query(
        "UPDATE outbox SET state = 'pending', next_attempt_at = $1, lease_until = NULL, \
         lease_owner = NULL, last_error = 'interrupted: lease expired' \
         WHERE channel = $2 AND state = 'delivering' AND lease_until <= $3",
    )
    .bind(&now)
    .bind(channel)
    .bind(&now)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(done.rows_affected())
}

/// Claims up to `limit` due messages of `channel` for `owner` until `lease_until`, counting the
/// attempt. The single `UPDATE … RETURNING` is atomic, so two workers never claim the same row.
///
/// Per recipient and subject, changes go out in order, one at a time: a message waits while an
/// earlier one (by `occurred_at`, then creation) of the same subject to the same recipient is still
/// pending (a retrying `updated` holds back the `deleted` that followed it; other subjects are not
/// held up), and while any of them is in flight, whatever its `occurred_at`: a change that read its
/// clock first but committed later would otherwise be sent beside the one in flight, and the older
/// of two concurrent calendar writes could land last. `occurred_at` is the instant a message is
/// about, so a reminder planned together with a later one is not held back by it.
pub async fn claim(
    db: &Db,
    channel: &str,
    (now, lease_until): (DateTime<Utc>, DateTime<Utc>),
    owner: &str,
    limit: usize,
) -> Result<Vec<Message>> {
    // Read first: the common case (nothing due) then takes no write lock away from bookings.
    let due: Option<(i64,)> = sqlx::query_as(
        "SELECT 1 FROM outbox WHERE channel = $1 AND state = 'pending' AND next_attempt_at <= $2 LIMIT 1",
    )
    .bind(channel)
    .bind(ms_text(now))
    .fetch_optional(db)
    .await?;
    if due.is_none() {
        return Ok(Vec::new());
    }
    // PostgreSQL: workers of several nodes claim at once; each skips the rows another is claiming
    // instead of queueing behind its lock (SQLite has one writer: nothing to skip).
    let skip_locked = match db.dialect() {
        super::Dialect::Postgres => " FOR UPDATE OF d SKIP LOCKED",
        super::Dialect::Sqlite => "",
    };
    let rows = sqlx::query(&format!(
        "UPDATE outbox SET state = 'delivering', attempts = attempts + 1, \
         lease_until = $1, lease_owner = $2 \
         WHERE id IN (SELECT d.id FROM outbox d WHERE d.channel = $3 AND d.state = 'pending' \
         AND d.next_attempt_at <= $4 AND NOT EXISTS (SELECT 1 FROM outbox e \
         WHERE e.channel = d.channel AND e.company_id = d.company_id AND e.recipient = d.recipient \
         AND e.subject_id = d.subject_id AND (e.state = 'delivering' OR (e.state = 'pending' \
         AND (e.occurred_at < d.occurred_at OR (e.occurred_at = d.occurred_at \
         AND (e.created_at < d.created_at OR (e.created_at = d.created_at AND e.id < d.id))))))) \
         ORDER BY d.next_attempt_at, d.created_at LIMIT $5{skip_locked}) AND state = 'pending' \
         RETURNING {COLUMNS}"
    ))
    .bind(ms_text(lease_until))
    .bind(owner)
    .bind(channel)
    .bind(ms_text(now))
    .bind(i64::try_from(limit).unwrap_or(i64::MAX))
    .fetch_all(db.writer())
    .await?;
    rows.iter().map(from_row).collect()
}

/// Fixes the body of a message at its first attempt.
///
/// Outside the write lock, like the claims and for the same reason: one statement on one row this
/// worker holds by its lease, idempotent (`body IS NULL`) and depending on no read, so it needs no
/// serialization with the booking writes, and it holds no lock while waiting for another (no
/// deadlock). Taking the write lock would cost every first delivery a turn bookings wait for.
pub async fn save_body(db: &Db, id: &str, body: &str) -> Result<()> {
    keep_body(&mut *db.writer().acquire().await?, id, body).await
}

/// [`save_body`] inside the caller's transaction (with the attempt's [`finish`]).
pub async fn keep_body(conn: &mut Conn, id: &str, body: &str) -> Result<()> {
    sqlx::query("UPDATE outbox SET body = $1 WHERE id = $2 AND body IS NULL")
        .bind(body)
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// How an attempt ended, as the worker records it.
#[derive(Debug, Clone)]
pub enum Finish {
    /// Sent.
    Succeeded,
    /// Failed; tried again at `next_attempt_at`.
    Retry { next_attempt_at: DateTime<Utc> },
    /// Failed for good (a final answer, or the retry window is over).
    Failed,
    /// Not attempted: the recipient is disabled or gone.
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

/// Records an attempt of a claimed message inside the caller's transaction: its new state and
/// (unless skipped) its log entry. `false`, with nothing written, when the lease was lost: another
/// attempt (of another worker, or of this one after the lease expired) holds the row, and its result
/// is the one that counts.
pub async fn finish(
    conn: &mut Conn,
    (id, attempt): (&str, i64),
    owner: &str,
    record: &AttemptRecord,
    now: DateTime<Utc>,
) -> Result<bool> {
    finish_keeping(conn, (id, attempt), owner, (record, None), now).await
}

/// [`finish`], fixing `body` in the same statement when the row has none yet.
async fn finish_keeping(
    conn: &mut Conn,
    (id, attempt): (&str, i64),
    owner: &str,
    (record, body): (&AttemptRecord, Option<&str>),
    now: DateTime<Utc>,
) -> Result<bool> {
    let attempted = Attempted {
        id,
        attempt,
        record,
        body,
    };
    Ok(
        finish_all(conn, owner, std::slice::from_ref(&attempted), now)
            .await?
            .first()
            .copied()
            .unwrap_or(false),
    )
}

/// One attempt of a claimed message to record with [`finish_all`]: the message, the attempt (its
/// `attempts` when claimed), what came of it, and the bytes made for it when the row had none.
pub struct Attempted<'a> {
    pub id: &'a str,
    pub attempt: i64,
    pub record: &'a AttemptRecord,
    pub body: Option<&'a str>,
}

/// Records several attempts of messages `owner` claimed, inside the caller's transaction, as
/// [`finish`] does one: each row's new state, then one `INSERT` for every log entry (a statement
/// less per attempt under the write lock). Says of each whether it was still `owner`'s (nothing is
/// written for one that was not).
pub async fn finish_all(
    conn: &mut Conn,
    owner: &str,
    attempts: &[Attempted<'_>],
    now: DateTime<Utc>,
) -> Result<Vec<bool>> {
    let mut ours = Vec::with_capacity(attempts.len());
    for a in attempts {
        ours.push(mark_finished(conn, a, owner, now).await?);
    }
    let logged: Vec<&Attempted<'_>> = attempts
        .iter()
        .zip(&ours)
        .filter(|(a, ours)| **ours && !matches!(a.record.finish, Finish::Skipped))
        .map(|(a, _)| a)
        .collect();
    if logged.is_empty() {
        return Ok(ours);
    }
    // 7 parameters a row, at most one row per attempt in flight: far below either database's limit.
    let sql = format!(
        "INSERT INTO outbox_attempts (message_id, attempt, started_at, duration_ms, status_code, \
         error, next_attempt_at) VALUES {} ON CONFLICT (message_id, attempt) DO NOTHING",
        super::numbered_rows(logged.len(), 7)
    );
    let mut insert = sqlx::query(&sql);
    for a in logged {
        insert = insert
            .bind(a.id)
            .bind(a.attempt)
            .bind(ms_text(a.record.started_at))
            .bind(a.record.duration_ms)
            .bind(a.record.status_code.map(i64::from))
            .bind(a.record.error.as_deref())
            .bind(next_attempt(&a.record.finish));
    }
    insert.execute(&mut *conn).await?;
    Ok(ours)
}

/// When a retried message is next due (`None` when it is not retried).
fn next_attempt(finish: &Finish) -> Option<String> {
    match finish {
        Finish::Retry { next_attempt_at } => Some(ms_text(*next_attempt_at)),
        _ => None,
    }
}

/// The row's new state after attempt `a`; `false`, with nothing written, when `owner` no longer
/// held it.
async fn mark_finished(
    conn: &mut Conn,
    a: &Attempted<'_>,
    owner: &str,
    now: DateTime<Utc>,
) -> Result<bool> {
    let record = a.record;
    let state = match &record.finish {
        Finish::Succeeded => "succeeded",
        Finish::Retry { .. } => "pending",
        Finish::Failed => "failed",
        Finish::Skipped => "skipped",
    };
    let skipped = matches!(record.finish, Finish::Skipped);
    let updated = sqlx::query(
        "UPDATE outbox SET state = $1, next_attempt_at = COALESCE($2, next_attempt_at), \
         lease_until = NULL, lease_owner = NULL, \
         attempts = CASE WHEN $3 THEN attempts - 1 ELSE attempts END, \
         last_status = CASE WHEN $4 THEN last_status ELSE $5 END, last_error = $6, \
         finished_at = CASE WHEN $7 = 'pending' THEN NULL ELSE $8 END, body = COALESCE(body, $12) \
         WHERE id = $9 AND lease_owner = $10 AND state = 'delivering' AND attempts = $11",
    )
    .bind(state)
    .bind(next_attempt(&record.finish))
    .bind(skipped)
    .bind(skipped)
    .bind(record.status_code.map(i64::from))
    .bind(&record.error)
    .bind(state)
    .bind(ms_text(now))
    .bind(a.id)
    .bind(owner)
    // The attempt too, not only the owner: one worker loop re-claims a row whose lease it let
    // expire under the same owner name, and the stale attempt must not record over the live one.
    .bind(a.attempt)
    .bind(a.body)
    .execute(&mut *conn)
    .await?;
    Ok(updated.rows_affected() > 0)
}

/// [`finish`], and fixes `body` (the bytes made for this attempt) only while `owner` still held
/// the message: a worker whose lease ran out lost it to the one that re-claimed it, whose body is
/// the one retries send. One statement with the outcome (it shares the writer with bookings).
pub async fn finish_with_body(
    conn: &mut Conn,
    (id, attempt): (&str, i64),
    owner: &str,
    (record, body): (&AttemptRecord, Option<&str>),
    now: DateTime<Utc>,
) -> Result<bool> {
    finish_keeping(conn, (id, attempt), owner, (record, body), now).await
}

/// Gives up every pending message to a recipient (it was disabled), saying why.
pub async fn skip_pending(
    conn: &mut Conn,
    (channel, company_id, recipient): (&str, &str, &str),
    reason: &str,
    now: DateTime<Utc>,
) -> Result<()> {
    sqlx::query(
        "UPDATE outbox SET state = 'skipped', last_error = $1, finished_at = $2 \
         WHERE channel = $3 AND company_id = $4 AND recipient = $5 AND state = 'pending'",
    )
    .bind(reason)
    .bind(ms_text(now))
    .bind(channel)
    .bind(company_id)
    .bind(recipient)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Removes every message to a recipient (it was deleted) with their attempts.
pub async fn delete_of_recipient(
    conn: &mut Conn,
    (channel, company_id, recipient): (&str, &str, &str),
) -> Result<()> {
    sqlx::query("DELETE FROM outbox WHERE channel = $1 AND company_id = $2 AND recipient = $3")
        .bind(channel)
        .bind(company_id)
        .bind(recipient)
        .execute(&mut *conn)
        .await?;
    Ok(())
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

/// The newest `limit` messages to a recipient with their attempts, newest first.
pub async fn of_recipient(
    db: &Db,
    (channel, company_id, recipient): (&str, &str, &str),
    limit: i64,
) -> Result<Vec<(Message, Vec<Attempt>)>> {
    let rows = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM outbox WHERE company_id = $1 AND channel = $2 AND recipient = $3 \
         ORDER BY created_at DESC, id DESC LIMIT $4"
    ))
    .bind(company_id)
    .bind(channel)
    .bind(recipient)
    .bind(limit)
    .fetch_all(db)
    .await?;
    let mut out = Vec::with_capacity(rows.len());
    for row in &rows {
        let message = from_row(row)?;
        let attempts = sqlx::query(
            "SELECT attempt, started_at, duration_ms, status_code, error, next_attempt_at \
             FROM outbox_attempts WHERE message_id = $1 ORDER BY attempt",
        )
        .bind(&message.id)
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
        out.push((message, attempts));
    }
    Ok(out)
}

/// Every message about any of `subjects` (an appointment's) on either of `channels`, oldest
/// first.
pub async fn of_subjects(
    db: &Db,
    (channels, company_id): ([&str; 2], &str),
    subjects: [&str; 2],
) -> Result<Vec<Message>> {
    let rows = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM outbox WHERE company_id = $1 AND channel IN ($2, $3) \
         AND subject_id IN ($4, $5) ORDER BY occurred_at, created_at, id"
    ))
    .bind(company_id)
    .bind(channels[0])
    .bind(channels[1])
    .bind(subjects[0])
    .bind(subjects[1])
    .fetch_all(db)
    .await?;
    rows.iter().map(from_row).collect()
}

/// Messages one purge transaction removes: the write lock is held for one batch at a time, so
/// bookings wait for milliseconds, not for a month of deliveries.
const PURGE_BATCH: i64 = 500;

/// Purges finished messages (every channel) that finished before `before`; how many.
///
/// Through the write lock: unlocked, the purges of several nodes (all due at start) and a watch's
/// deletion removed the same rows in different orders and deadlocked (PostgreSQL's 40P01).
pub async fn purge_finished(db: &Db, before: DateTime<Utc>) -> Result<u64> {
    let before = ms_text(before);
    let mut purged = 0;
    loop {
        let mut tx = db.write().await?;
        let done = sqlx::query(
            "DELETE FROM outbox WHERE id IN (SELECT id FROM outbox \
             WHERE state IN ('succeeded', 'failed', 'skipped') AND finished_at < $1 LIMIT $2)",
        )
        .bind(&before)
        .bind(PURGE_BATCH)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        purged += done.rows_affected();
        if done.rows_affected() < PURGE_BATCH.unsigned_abs() {
            return Ok(purged);
        }
    }
}
