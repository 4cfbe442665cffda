//! Files answered in booking forms (`migrations/0007_form_files.sql`): stored once, outside the
//! appointment document, which keeps a [`REFERENCE`] to each.

use chrono::{DateTime, Utc};

use super::appointments::utc_text;
use crate::db::Conn;
use crate::error::Result;

/// How a stored file is named inside an appointment's `form`: `stored-file:<id>`.
pub const REFERENCE: &str = "stored-file:";

/// A stored file.
#[derive(Debug, Clone)]
pub struct StoredFile {
    pub id: String,
    pub appointment_id: String,
    pub file_name: String,
    pub media_type: String,
    pub content: Vec<u8>,
}

/// Stores a file (inside the caller's transaction).
pub async fn insert(
    conn: &mut Conn,
    company_id: &str,
    file: &StoredFile,
    now: DateTime<Utc>,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO form_files (company_id, id, appointment_id, file_name, media_type, content, \
         created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(company_id)
    .bind(&file.id)
    .bind(&file.appointment_id)
    .bind(&file.file_name)
    .bind(&file.media_type)
    .bind(&file.content)
    .bind(utc_text(now))
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// One file of one appointment.
pub async fn get(
    conn: &mut Conn,
    company_id: &str,
    appointment_id: &str,
    id: &str,
) -> Result<Option<StoredFile>> {
    let row: Option<(String, String, String, String, Vec<u8>)> = sqlx::query_as(
        "SELECT id, appointment_id, file_name, media_type, content FROM form_files \
         WHERE company_id = $1 AND appointment_id = $2 AND id = $3",
    )
    .bind(company_id)
    .bind(appointment_id)
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(row.map(
        |(id, appointment_id, file_name, media_type, content)| StoredFile {
            id,
            appointment_id,
            file_name,
            media_type,
            content,
        },
    ))
}
