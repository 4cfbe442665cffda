//! Where the bookings written out to CalDAV calendars live (`calendar_events`, migration 0014):
//! per appointment and connection, the event resource's href and the ETag of our last write; and
//! each connection's last write status.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sqlx::Row;

use super::appointments::utc_text;
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

/// The appointment's copy in the connection's calendar, if we wrote one.
pub async fn get(
    conn: &mut Conn,
    company_id: &str,
    (appointment_id, connection_id): (&str, &str),
) -> Result<Option<Written>> {
    let row = sqlx::query(
        "SELECT href, etag FROM calendar_events WHERE company_id = $1 AND appointment_id = $2 \
         AND connection_id = $3",
    )
    .bind(company_id)
    .bind(appointment_id)
    .bind(connection_id)
    .fetch_optional(&mut *conn)
    .await?;
    row.map(|r| {
        Ok(Written {
            href: r.try_get("href")?,
            etag: r.try_get("etag")?,
        })
    })
    .transpose()
}

/// Records a successful write: the copy is at `written.href` with that ETag now, and the
/// connection's last write succeeded.
pub async fn record_written(
    conn: &mut Conn,
    company_id: &str,
    (appointment_id, connection_id): (&str, &str),
    written: &Written,
    now: DateTime<Utc>,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO calendar_events (company_id, appointment_id, connection_id, href, etag, \
         written_at) VALUES ($1, $2, $3, $4, $5, $6) \
         ON CONFLICT (company_id, appointment_id, connection_id) \
         DO UPDATE SET href = excluded.href, etag = excluded.etag, written_at = excluded.written_at",
    )
    .bind(company_id)
    .bind(appointment_id)
    .bind(connection_id)
    .bind(&written.href)
    .bind(written.etag.as_deref())
    .bind(utc_text(now))
    .execute(&mut *conn)
    .await?;
    record_status(conn, company_id, connection_id, now, None).await
}

/// Records a successful removal: the appointment has no copy in that calendar any more.
pub async fn record_removed(
    conn: &mut Conn,
    company_id: &str,
    (appointment_id, connection_id): (&str, &str),
    now: DateTime<Utc>,
) -> Result<()> {
    sqlx::query(
        "DELETE FROM calendar_events WHERE company_id = $1 AND appointment_id = $2 \
         AND connection_id = $3",
    )
    .bind(company_id)
    .bind(appointment_id)
    .bind(connection_id)
    .execute(&mut *conn)
    .await?;
    record_status(conn, company_id, connection_id, now, None).await
}

/// Records the connection's last write: when, and why it failed (`None`: it succeeded).
pub async fn record_status(
    conn: &mut Conn,
    company_id: &str,
    connection_id: &str,
    now: DateTime<Utc>,
    error: Option<&str>,
) -> Result<()> {
    sqlx::query(
        "UPDATE calendar_connections SET last_write_at = $1, last_write_error = $2 \
         WHERE company_id = $3 AND id = $4",
    )
    .bind(utc_text(now))
    .bind(error)
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
             WHERE e.company_id = $1 AND e.appointment_id IN ({}) \
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
