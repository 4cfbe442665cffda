//! Staff calendar feeds (`staff/{id}/calendar.ics?token=`): the token of each feed, and the
//! appointments a feed carries.

use chrono::{DateTime, Utc};
use subtle::ConstantTimeEq;

use super::appointments::{stored_from_row, utc_text, StoredAppointment};
use crate::booking::ids;
use crate::db::Conn;
use crate::error::Result;

/// Most events one feed carries (the earliest first); a staff member's calendar app needs the coming
/// weeks, not years of history.
pub const MAX_EVENTS: i64 = 2000;

/// The feed token of a staff member, made on first use. `None` when the staff member doesn't exist.
pub async fn token(conn: &mut Conn, company_id: &str, staff_id: &str) -> Result<Option<String>> {
    // INSERT … SELECT: only for a staff member that exists (the foreign key would refuse the others
    // with an error, not an answer); DO NOTHING keeps the token a concurrent reader just made.
    sqlx::query(
        "INSERT INTO staff_calendar_feeds (company_id, staff_id, token) \
         SELECT company_id, id, $1 FROM staff WHERE company_id = $2 AND id = $3 \
         ON CONFLICT (company_id, staff_id) DO NOTHING",
    )
    .bind(ids::feed_token())
    .bind(company_id)
    .bind(staff_id)
    .execute(&mut *conn)
    .await?;
    existing_token(conn, company_id, staff_id).await
}

/// The feed token of a staff member, if one was made.
pub async fn existing_token(
    conn: &mut Conn,
    company_id: &str,
    staff_id: &str,
) -> Result<Option<String>> {
    let token: Option<(String,)> = sqlx::query_as(
        "SELECT token FROM staff_calendar_feeds WHERE company_id = $1 AND staff_id = $2",
    )
    .bind(company_id)
    .bind(staff_id)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(token.map(|(t,)| t))
}

/// Replaces the token (the old URL stops working). `None` when the staff member doesn't exist.
pub async fn rotate(conn: &mut Conn, company_id: &str, staff_id: &str) -> Result<Option<String>> {
    sqlx::query(
        "INSERT INTO staff_calendar_feeds (company_id, staff_id, token) \
         SELECT company_id, id, $1 FROM staff WHERE company_id = $2 AND id = $3 \
         ON CONFLICT (company_id, staff_id) DO UPDATE SET token = excluded.token",
    )
    .bind(ids::feed_token())
    .bind(company_id)
    .bind(staff_id)
    .execute(&mut *conn)
    .await?;
    existing_token(conn, company_id, staff_id).await
}

/// Whether `token` opens this staff member's feed. Compared in constant time, so the answer's
/// timing tells nothing about how much of a guess was right.
pub async fn opens(conn: &mut Conn, company_id: &str, staff_id: &str, token: &str) -> Result<bool> {
    Ok(existing_token(conn, company_id, staff_id)
        .await?
        .is_some_and(|stored| bool::from(stored.as_bytes().ct_eq(token.as_bytes()))))
}

/// The staff member's appointments ending after `ends_after` that occupy their time (not
/// cancelled, declined, deleted or waiting-listed), personal ones included, by start.
pub async fn appointments(
    conn: &mut Conn,
    company_id: &str,
    staff_id: &str,
    ends_after: DateTime<Utc>,
) -> Result<Vec<StoredAppointment>> {
    let rows = sqlx::query(
        "SELECT company_id, id, resource_units, start_utc, end_utc, deleted, doc FROM appointments \
         WHERE company_id = $1 AND staff_id = $2 AND blocks = 1 AND end_utc > $3 \
         ORDER BY start_utc, id LIMIT $4",
    )
    .bind(company_id)
    .bind(staff_id)
    .bind(utc_text(ends_after))
    .bind(MAX_EVENTS)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter().map(stored_from_row).collect()
}
