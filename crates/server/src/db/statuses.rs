//! A company's custom appointment statuses, stored as their API JSON (`doc`).

use std::collections::HashMap;

use booking_model::AppointmentStatusDefinition;

use super::now_utc;
use crate::db::Conn;
use crate::error::{Error, OnConstraint, Result};

fn parse(doc: &str) -> Result<AppointmentStatusDefinition> {
    Ok(serde_json::from_str(doc).map_err(anyhow::Error::from)?)
}

fn text(status: &AppointmentStatusDefinition) -> Result<String> {
    Ok(serde_json::to_string(status).map_err(anyhow::Error::from)?)
}

/// The company's statuses, by id.
pub async fn list(conn: &mut Conn, company_id: &str) -> Result<Vec<AppointmentStatusDefinition>> {
    let rows: Vec<(String,)> =
        sqlx::query_as("SELECT doc FROM appointment_statuses WHERE company_id = $1 ORDER BY id")
            .bind(company_id)
            .fetch_all(&mut *conn)
            .await?;
    rows.iter().map(|(doc,)| parse(doc)).collect()
}

/// Names of the company's statuses by id (what `customStatus.name` shows).
pub async fn names(conn: &mut Conn, company_id: &str) -> Result<StatusNames> {
    Ok(list(conn, company_id)
        .await?
        .into_iter()
        .filter_map(|s| Some((s.id?, s.name?)))
        .collect())
}

/// Status id → name.
pub type StatusNames = HashMap<String, String>;

/// One status.
pub async fn get(
    conn: &mut Conn,
    company_id: &str,
    id: &str,
) -> Result<Option<AppointmentStatusDefinition>> {
    let row: Option<(String,)> =
        sqlx::query_as("SELECT doc FROM appointment_statuses WHERE company_id = $1 AND id = $2")
            .bind(company_id)
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?;
    row.map(|(doc,)| parse(&doc)).transpose()
}

/// Adds a status (its `id` set); 409 when the id is taken.
pub async fn insert(
    conn: &mut Conn,
    company_id: &str,
    status: &AppointmentStatusDefinition,
) -> Result<()> {
    let id = status.id.clone().unwrap_or_default();
    let now = now_utc();
    sqlx::query(
        "INSERT INTO appointment_statuses (company_id, id, doc, created_at, updated_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(company_id)
    .bind(&id)
    .bind(text(status)?)
    .bind(&now)
    .bind(&now)
    .execute(&mut *conn)
    .await
    .map_err(Error::from)
    .on_unique_violation(|| Error::Conflict(format!("appointment status `{id}` already exists")))?;
    Ok(())
}

/// Replaces a status; `false` when there is none with its id.
pub async fn replace(
    conn: &mut Conn,
    company_id: &str,
    status: &AppointmentStatusDefinition,
) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE appointment_statuses SET doc = $1, updated_at = $2 WHERE company_id = $3 AND id = $4",
    )
    .bind(text(status)?)
    .bind(now_utc())
    .bind(company_id)
    .bind(&status.id)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() > 0)
}

/// Removes a status; `false` when there was none.
pub async fn delete(conn: &mut Conn, company_id: &str, id: &str) -> Result<bool> {
    let done = sqlx::query("DELETE FROM appointment_statuses WHERE company_id = $1 AND id = $2")
        .bind(company_id)
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(done.rows_affected() > 0)
}
