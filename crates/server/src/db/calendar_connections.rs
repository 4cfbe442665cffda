//! Staff members' connected calendars (`calendar_connections`) and the busy time last read from
//! each (`calendar_busy`), replaced as a whole by each successful fetch.

use chrono::{DateTime, Utc};
use sqlx::Row;

use super::appointments::utc_text;
use crate::db::{Conn, DbRow};
use crate::error::{Error, Result};

/// A connection as stored (the password sealed). A new one is its identity fields with the rest
/// `..Default::default()`: never read, never written, no error.
#[derive(Clone, Default)]
pub struct StoredConnection {
    pub company_id: String,
    pub id: String,
    pub staff_id: String,
    /// `caldav` or `ics`.
    pub kind: String,
    pub url: String,
    pub username: Option<String>,
    /// The password sealed by `calendar::credentials` (CalDAV only).
    pub secret: Option<String>,
    pub created_at: DateTime<Utc>,
    /// The ETag (ICS) or getctag (CalDAV) of the last successful read.
    pub validator: Option<String>,
    /// End of the window the stored busy time covers.
    pub window_end: Option<DateTime<Utc>>,
    pub last_attempt_at: Option<DateTime<Utc>>,
    pub last_sync_at: Option<DateTime<Utc>>,
    pub last_error: Option<String>,
    /// Failed fetches in a row (the refresher's backoff).
    pub failures: u32,
    pub event_count: u64,
    pub busy_count: u64,
    /// The last write of a booking to it (CalDAV), and its error when it failed.
    pub last_write_at: Option<DateTime<Utc>>,
    pub last_write_error: Option<String>,
}

/// The sealed password stays out of debug output and logs.
impl std::fmt::Debug for StoredConnection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StoredConnection")
            .field("company_id", &self.company_id)
            .field("id", &self.id)
            .field("staff_id", &self.staff_id)
            .field("kind", &self.kind)
            .field("url", &crate::redact::url(&self.url))
            .field("username", &self.username)
            .field("secret", &crate::redact::secret(&self.secret))
            .finish_non_exhaustive()
    }
}

const COLUMNS: &str = "company_id, id, staff_id, kind, url, username, secret, created_at, \
    validator, window_end, last_attempt_at, last_sync_at, last_error, failures, event_count, \
    busy_count, last_write_at, last_write_error";

fn instant(text: Option<String>) -> Result<Option<DateTime<Utc>>> {
    text.map(|t| {
        DateTime::parse_from_rfc3339(&t)
            .map(|d| d.with_timezone(&Utc))
            .map_err(|e| Error::Internal(anyhow::anyhow!("bad stored instant {t:?}: {e}")))
    })
    .transpose()
}

fn count(row: &DbRow, column: &str) -> Result<u64> {
    Ok(u64::try_from(row.try_get::<i64, _>(column)?).unwrap_or(0))
}

fn from_row(row: &DbRow) -> Result<StoredConnection> {
    Ok(StoredConnection {
        company_id: row.try_get("company_id")?,
        id: row.try_get("id")?,
        staff_id: row.try_get("staff_id")?,
        kind: row.try_get("kind")?,
        url: row.try_get("url")?,
        username: row.try_get("username")?,
        secret: row.try_get("secret")?,
        created_at: instant(Some(row.try_get("created_at")?))?.unwrap_or_default(),
        validator: row.try_get("validator")?,
        window_end: instant(row.try_get("window_end")?)?,
        last_attempt_at: instant(row.try_get("last_attempt_at")?)?,
        last_sync_at: instant(row.try_get("last_sync_at")?)?,
        last_error: row.try_get("last_error")?,
        failures: u32::try_from(count(row, "failures")?).unwrap_or(u32::MAX),
        event_count: count(row, "event_count")?,
        busy_count: count(row, "busy_count")?,
        last_write_at: instant(row.try_get("last_write_at")?)?,
        last_write_error: row.try_get("last_write_error")?,
    })
}

/// Whether the staff member exists.
pub async fn staff_exists(conn: &mut Conn, company_id: &str, staff_id: &str) -> Result<bool> {
    let found: Option<(String,)> =
        sqlx::query_as("SELECT id FROM staff WHERE company_id = $1 AND id = $2")
            .bind(company_id)
            .bind(staff_id)
            .fetch_optional(&mut *conn)
            .await?;
    Ok(found.is_some())
}

/// Stores a new connection, due for its first fetch at once.
pub async fn insert(conn: &mut Conn, new: &StoredConnection) -> Result<()> {
    sqlx::query(
        "INSERT INTO calendar_connections (company_id, id, staff_id, kind, url, username, secret, \
         created_at, next_fetch_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)",
    )
    .bind(&new.company_id)
    .bind(&new.id)
    .bind(&new.staff_id)
    .bind(&new.kind)
    .bind(&new.url)
    .bind(new.username.as_deref())
    .bind(new.secret.as_deref())
    .bind(utc_text(new.created_at))
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The staff member's connections, oldest first.
pub async fn list(
    conn: &mut Conn,
    company_id: &str,
    staff_id: &str,
) -> Result<Vec<StoredConnection>> {
    let rows = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM calendar_connections WHERE company_id = $1 AND staff_id = $2 \
         ORDER BY created_at, id"
    ))
    .bind(company_id)
    .bind(staff_id)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter().map(from_row).collect()
}

/// One connection of the staff member.
pub async fn get(
    conn: &mut Conn,
    company_id: &str,
    staff_id: &str,
    id: &str,
) -> Result<Option<StoredConnection>> {
    let row = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM calendar_connections \
         WHERE company_id = $1 AND staff_id = $2 AND id = $3"
    ))
    .bind(company_id)
    .bind(staff_id)
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?;
    row.as_ref().map(from_row).transpose()
}

/// A connection of the company by id, whoever's it is (the calendar writer knows only the id).
pub async fn get_by_id(
    conn: &mut Conn,
    company_id: &str,
    id: &str,
) -> Result<Option<StoredConnection>> {
    let row = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM calendar_connections WHERE company_id = $1 AND id = $2"
    ))
    .bind(company_id)
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?;
    row.as_ref().map(from_row).transpose()
}

/// Removes a connection and its busy time; `false` when there was none.
pub async fn delete(conn: &mut Conn, company_id: &str, staff_id: &str, id: &str) -> Result<bool> {
    sqlx::query("DELETE FROM calendar_busy WHERE company_id = $1 AND connection_id = $2")
        .bind(company_id)
        .bind(id)
        .execute(&mut *conn)
        .await?;
    let done = sqlx::query(
        "DELETE FROM calendar_connections WHERE company_id = $1 AND staff_id = $2 AND id = $3",
    )
    .bind(company_id)
    .bind(staff_id)
    .bind(id)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() > 0)
}

/// Connections whose next fetch is due at `now`, the most overdue first.
pub async fn due(conn: &mut Conn, now: DateTime<Utc>, limit: i64) -> Result<Vec<StoredConnection>> {
    let rows = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM calendar_connections WHERE next_fetch_at <= $1 \
         ORDER BY next_fetch_at LIMIT $2"
    ))
    .bind(utc_text(now))
    .bind(limit)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter().map(from_row).collect()
}

/// Takes a due connection for one fetch: moves its next fetch to `lease_until` unless another
/// worker (or node) already did. `true` when this caller got it.
pub async fn claim(
    conn: &mut Conn,
    company_id: &str,
    id: &str,
    now: DateTime<Utc>,
    lease_until: DateTime<Utc>,
) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE calendar_connections SET next_fetch_at = $1 \
         WHERE company_id = $2 AND id = $3 AND next_fetch_at <= $4",
    )
    .bind(utc_text(lease_until))
    .bind(company_id)
    .bind(id)
    .bind(utc_text(now))
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() > 0)
}

/// The company's connections (of `staff_id`, when given) whose busy time was last read before
/// `before`, and that were not tried since then either (a failing calendar is not retried by
/// every booking).
pub async fn stale(
    conn: &mut Conn,
    company_id: &str,
    staff_id: Option<&str>,
    before: DateTime<Utc>,
) -> Result<Vec<StoredConnection>> {
    let rows = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM calendar_connections WHERE company_id = $1 \
         AND ($2 = '' OR staff_id = $2) \
         AND (last_sync_at IS NULL OR last_sync_at < $3) \
         AND (last_attempt_at IS NULL OR last_attempt_at < $3)"
    ))
    .bind(company_id)
    .bind(staff_id.unwrap_or(""))
    .bind(utc_text(before))
    .fetch_all(&mut *conn)
    .await?;
    rows.iter().map(from_row).collect()
}

/// Takes the [`stale`] connections among `candidates` for a read before a booking: marks them tried
/// at `now` (so they are no longer stale to others) and keeps the refresher off them until
/// `lease_until`, unless another booking, on this node or another, took them first. Returns those
/// this caller got: a burst of bookings reads each calendar once.
pub async fn claim_stale(
    conn: &mut Conn,
    candidates: &[StoredConnection],
    before: DateTime<Utc>,
    (now, lease_until): (DateTime<Utc>, DateTime<Utc>),
) -> Result<Vec<StoredConnection>> {
    let mut got = Vec::new();
    for connection in candidates {
        let done = sqlx::query(
            "UPDATE calendar_connections SET last_attempt_at = $1, next_fetch_at = \
             CASE WHEN next_fetch_at < $2 THEN $2 ELSE next_fetch_at END \
             WHERE company_id = $3 AND id = $4 \
             AND (last_sync_at IS NULL OR last_sync_at < $5) \
             AND (last_attempt_at IS NULL OR last_attempt_at < $5)",
        )
        .bind(utc_text(now))
        .bind(utc_text(lease_until))
        .bind(&connection.company_id)
        .bind(&connection.id)
        .bind(utc_text(before))
        .execute(&mut *conn)
        .await?;
        if done.rows_affected() > 0 {
            got.push(connection.clone());
        }
    }
    Ok(got)
}

/// What a successful read found.
#[derive(Debug, Clone)]
pub struct Read<'a> {
    pub busy: &'a [(DateTime<Utc>, DateTime<Utc>)],
    pub validator: Option<&'a str>,
    pub window_end: DateTime<Utc>,
    pub events: u64,
}

/// Replaces the connection's busy time with `read` and records the success. Nothing happens
/// when the connection was deleted meanwhile (`false`).
pub async fn record_read(
    conn: &mut Conn,
    connection: &StoredConnection,
    read: &Read<'_>,
    now: DateTime<Utc>,
    next_fetch_at: DateTime<Utc>,
) -> Result<bool> {
    let updated = sqlx::query(
        "UPDATE calendar_connections SET validator = $1, window_end = $2, last_attempt_at = $3, \
         last_sync_at = $3, last_error = NULL, failures = 0, next_fetch_at = $4, \
         event_count = $5, busy_count = $6 WHERE company_id = $7 AND id = $8",
    )
    .bind(read.validator)
    .bind(utc_text(read.window_end))
    .bind(utc_text(now))
    .bind(utc_text(next_fetch_at))
    .bind(i64::try_from(read.events).unwrap_or(i64::MAX))
    .bind(i64::try_from(read.busy.len()).unwrap_or(i64::MAX))
    .bind(&connection.company_id)
    .bind(&connection.id)
    .execute(&mut *conn)
    .await?;
    if updated.rows_affected() == 0 {
        return Ok(false);
    }
    sqlx::query("DELETE FROM calendar_busy WHERE company_id = $1 AND connection_id = $2")
        .bind(&connection.company_id)
        .bind(&connection.id)
        .execute(&mut *conn)
        .await?;
    // Many rows per statement: this runs under the write lock that bookings wait for.
    let rows: Vec<_> = read.busy.iter().flat_map(|&(s, e)| pieces(s, e)).collect();
    for chunk in rows.chunks(ROWS_PER_INSERT) {
        let values = super::numbered_rows(chunk.len(), 5);
        let sql = format!(
            "INSERT INTO calendar_busy (company_id, connection_id, staff_id, start_utc, end_utc) \
             VALUES {values}"
        );
        let mut insert = sqlx::query(&sql);
        for &(start, end) in chunk {
            insert = insert
                .bind(&connection.company_id)
                .bind(&connection.id)
                .bind(&connection.staff_id)
                .bind(utc_text(start))
                .bind(utc_text(end));
        }
        insert.execute(&mut *conn).await?;
    }
    Ok(true)
}

/// Rows of one `INSERT` into `calendar_busy`: 5 parameters each, well below SQLite's and
/// PostgreSQL's limits.
const ROWS_PER_INSERT: usize = 200;

/// The longest piece of busy time stored in one row.
pub(super) const PIECE: chrono::Duration = chrono::Duration::days(1);

/// `[start, end)` cut into consecutive pieces of at most [`PIECE`].
fn pieces(
    start: DateTime<Utc>,
    end: DateTime<Utc>,
) -> impl Iterator<Item = (DateTime<Utc>, DateTime<Utc>)> {
    std::iter::successors(Some(start), |&s| Some(s + PIECE))
        .take_while(move |&s| s < end)
        .map(move |s| (s, (s + PIECE).min(end)))
}

/// Records a fetch that found the calendar unchanged: the stored busy time stays.
pub async fn record_unchanged(
    conn: &mut Conn,
    connection: &StoredConnection,
    now: DateTime<Utc>,
    next_fetch_at: DateTime<Utc>,
) -> Result<()> {
    sqlx::query(
        "UPDATE calendar_connections SET last_attempt_at = $1, last_sync_at = $1, \
         last_error = NULL, failures = 0, next_fetch_at = $2 WHERE company_id = $3 AND id = $4",
    )
    .bind(utc_text(now))
    .bind(utc_text(next_fetch_at))
    .bind(&connection.company_id)
    .bind(&connection.id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Records a failed fetch: the error, one more failure, the retry time. The busy time of the last
/// success stays in use.
pub async fn record_failure(
    conn: &mut Conn,
    connection: &StoredConnection,
    error: &str,
    now: DateTime<Utc>,
    next_fetch_at: DateTime<Utc>,
) -> Result<()> {
    sqlx::query(
        "UPDATE calendar_connections SET last_attempt_at = $1, last_error = $2, \
         failures = failures + 1, next_fetch_at = $3 WHERE company_id = $4 AND id = $5",
    )
    .bind(utc_text(now))
    .bind(error)
    .bind(utc_text(next_fetch_at))
    .bind(&connection.company_id)
    .bind(&connection.id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_busy_time_is_stored_in_pieces_of_a_day() {
        let at = |s: &str| DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc);
        let cut: Vec<_> = pieces(at("2026-03-01T12:00:00Z"), at("2026-03-03T18:00:00Z")).collect();
        assert_eq!(
            cut,
            [
                (at("2026-03-01T12:00:00Z"), at("2026-03-02T12:00:00Z")),
                (at("2026-03-02T12:00:00Z"), at("2026-03-03T12:00:00Z")),
                (at("2026-03-03T12:00:00Z"), at("2026-03-03T18:00:00Z")),
            ]
        );
        let short = pieces(at("2026-03-01T09:00:00Z"), at("2026-03-01T10:00:00Z")).count();
        assert_eq!(short, 1);
    }
}
