//! Where the bookings written out to CalDAV calendars live (`calendar_events`, migration 0014):
//! per appointment and connection, the event resource's href and the ETag of our last write; and
//! each connection's last write status; and each appointment's `personalAppointmentSync` as last
//! given (`appointments.personal_calendar_sync`, migration 0016).

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sqlx::Row;

use super::appointments::utc_text;
use super::outbox::ms_text;
use crate::db::Conn;
use crate::error::Result;

/// An appointment's copy in one calendar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    pub href: String,
    /// What the server answered our last `PUT` with; `None` when it sent no ETag.
    pub etag: Option<String>,
}

/// The ids of the staff member's CalDAV connections (the ones bookings are written to).
pub async fn caldav_connections(
    conn: &mut Conn,
    company_id: &str,
    staff_id: &str,
) -> Result<Vec<String>> {
    let rows: Vec<(String,)> = sqlx::query_as(
        "SELECT id FROM calendar_connections WHERE company_id = $1 AND staff_id = $2 \
         AND kind = 'caldav' ORDER BY created_at, id",
    )
    .bind(company_id)
    .bind(staff_id)
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows.into_iter().map(|(id,)| id).collect())
}

/// What we last applied to a connection's calendar for one appointment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Applied {
    /// The copy there, `None` once removed (the row stays as a tombstone of its version).
    pub written: Option<Written>,
    /// The appointment's `change_seq` of the version applied: a write of an older one is stale.
    pub seq: i64,
}

/// What we last applied for the appointment in the connection's calendar, if anything.
pub async fn get(
    conn: &mut Conn,
    company_id: &str,
    (appointment_id, connection_id): (&str, &str),
) -> Result<Option<Applied>> {
    let row = sqlx::query(
        "SELECT href, etag, applied_seq, removed FROM calendar_events WHERE company_id = $1 \
         AND appointment_id = $2 AND connection_id = $3",
    )
    .bind(company_id)
    .bind(appointment_id)
    .bind(connection_id)
    .fetch_optional(&mut *conn)
    .await?;
    row.map(|r| {
        let removed: i64 = r.try_get("removed")?;
        let written = Written {
            href: r.try_get("href")?,
            etag: r.try_get("etag")?,
        };
        Ok(Applied {
            written: (removed == 0).then_some(written),
            seq: r.try_get("applied_seq")?,
        })
    })
    .transpose()
}

/// Records what a write applied: version `seq` of the appointment is in the calendar at
/// `written.href` with that ETag (`removed`: it was removed from there). Never over a newer
/// version's record (a worker that lost its lease, or a write planned by an earlier commit).
pub async fn record_applied(
    conn: &mut Conn,
    company_id: &str,
    (appointment_id, connection_id): (&str, &str),
    (written, seq, removed): (&Written, i64, bool),
    now: DateTime<Utc>,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO calendar_events (company_id, appointment_id, connection_id, href, etag, \
         written_at, applied_seq, removed) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
         ON CONFLICT (company_id, appointment_id, connection_id) \
         DO UPDATE SET href = excluded.href, etag = excluded.etag, written_at = excluded.written_at, \
         applied_seq = excluded.applied_seq, removed = excluded.removed \
         WHERE calendar_events.applied_seq <= excluded.applied_seq",
    )
    .bind(company_id)
    .bind(appointment_id)
    .bind(connection_id)
    .bind(&written.href)
    .bind(written.etag.as_deref().filter(|_| !removed))
    .bind(utc_text(now))
    .bind(seq)
    .bind(i64::from(removed))
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Records how a write to the connection went at `now`, for an attempt started at `started`:
/// `error` is kept with its instant; a success clears only an error recorded before its attempt
/// started (an older attempt finishing late says nothing of the failure since; the same instant
/// counts as not before, as a test's fixed clock gives every attempt one).
pub async fn record_status(
    conn: &mut Conn,
    company_id: &str,
    connection_id: &str,
    (started, now): (DateTime<Utc>, DateTime<Utc>),
    error: Option<&str>,
) -> Result<()> {
    // Millisecond instants: attempts a second apart must still compare in order.
    let query = match error {
        Some(error) => sqlx::query(
            "UPDATE calendar_connections SET last_write_at = $1, last_write_error = $2, \
             last_write_error_at = $3 WHERE company_id = $4 AND id = $5",
        )
        .bind(utc_text(now))
        .bind(error)
        .bind(ms_text(now)),
        None => sqlx::query(
            "UPDATE calendar_connections SET last_write_at = $1, \
             last_write_error = CASE WHEN last_write_error_at >= $2 THEN last_write_error END, \
             last_write_error_at = CASE WHEN last_write_error_at >= $3 THEN last_write_error_at END \
             WHERE company_id = $4 AND id = $5",
        )
        .bind(utc_text(now))
        .bind(ms_text(started))
        .bind(ms_text(started)),
    };
    query
        .bind(company_id)
        .bind(connection_id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// The href of each of `appointment_ids`' copies (the oldest connection's when it has several).
pub async fn hrefs(
    conn: &mut Conn,
    company_id: &str,
    appointment_ids: &[&str],
) -> Result<HashMap<String, String>> {
    let mut found = HashMap::new();
    // A list page holds at most a few hundred appointments: bounded chunks of placeholders.
    for chunk in appointment_ids.chunks(200) {
        let placeholders: Vec<String> = (2..chunk.len() + 2).map(|n| format!("${n}")).collect();
        let sql = format!(
            "SELECT e.appointment_id, e.href FROM calendar_events e \
             JOIN calendar_connections c ON c.company_id = e.company_id AND c.id = e.connection_id \
             WHERE e.company_id = $1 AND e.removed = 0 AND e.appointment_id IN ({}) \
             ORDER BY c.created_at DESC, c.id DESC",
            placeholders.join(", ")
        );
        let mut query = sqlx::query(&sql).bind(company_id);
        for id in chunk {
            query = query.bind(*id);
        }
        // Oldest connection last, so its href is the one kept.
        for row in query.fetch_all(&mut *conn).await? {
            found.insert(row.try_get("appointment_id")?, row.try_get("href")?);
        }
    }
    Ok(found)
}

/// The `personalAppointmentSync` last given for each of `appointment_ids` (none: never given).
pub async fn personal_sync(
    conn: &mut Conn,
    company_id: &str,
    appointment_ids: &[&str],
) -> Result<HashMap<String, bool>> {
    let mut found = HashMap::new();
    for chunk in appointment_ids.chunks(200) {
        let placeholders: Vec<String> = (2..chunk.len() + 2).map(|n| format!("${n}")).collect();
        let sql = format!(
            "SELECT id, personal_calendar_sync FROM appointments WHERE company_id = $1 \
             AND personal_calendar_sync IS NOT NULL AND id IN ({})",
            placeholders.join(", ")
        );
        let mut query = sqlx::query(&sql).bind(company_id);
        for id in chunk {
            query = query.bind(*id);
        }
        for row in query.fetch_all(&mut *conn).await? {
            let flag: i64 = row.try_get("personal_calendar_sync")?;
            found.insert(row.try_get("id")?, flag != 0);
        }
    }
    Ok(found)
}

/// Keeps the `personalAppointmentSync` a write gave (inside its transaction).
pub async fn keep_personal_sync(
    conn: &mut Conn,
    company_id: &str,
    appointment_id: &str,
    sync: bool,
) -> Result<()> {
    sqlx::query(
        "UPDATE appointments SET personal_calendar_sync = $1 WHERE company_id = $2 AND id = $3",
    )
    .bind(i64::from(sync))
    .bind(company_id)
    .bind(appointment_id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}
