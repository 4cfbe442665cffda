//! Clients: stored as their API JSON (`ClientRef`) beside the columns they are matched by.

use booking_model::ClientRef;

use super::now_utc;
use crate::db::Conn;
use crate::error::Result;

fn from_json(text: &str) -> Result<ClientRef> {
    Ok(serde_json::from_str(text).map_err(anyhow::Error::from)?)
}

/// The client with this id, if any.
pub async fn get(conn: &mut Conn, company_id: &str, id: &str) -> Result<Option<ClientRef>> {
    let row: Option<(String,)> =
        sqlx::query_as("SELECT doc FROM clients WHERE company_id = $1 AND id = $2")
            .bind(company_id)
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?;
    row.map(|(doc,)| from_json(&doc)).transpose()
}

/// The client whose externalId is `external_id`, if any.
pub async fn by_external_id(
    conn: &mut Conn,
    company_id: &str,
    external_id: &str,
) -> Result<Option<ClientRef>> {
    let row: Option<(String,)> =
        sqlx::query_as("SELECT doc FROM clients WHERE company_id = $1 AND external_id = $2")
            .bind(company_id)
            .bind(external_id)
            .fetch_optional(&mut *conn)
            .await?;
    row.map(|(doc,)| from_json(&doc)).transpose()
}

/// The oldest client with this email (compared lower-cased); with `without_external_id`, only among
/// clients that have no externalId.
pub async fn by_email(
    conn: &mut Conn,
    company_id: &str,
    email: &str,
    without_external_id: bool,
) -> Result<Option<ClientRef>> {
    let sql = match without_external_id {
        true => {
            "SELECT doc FROM clients WHERE company_id = $1 AND email = $2 AND external_id IS NULL \
             ORDER BY created_at, id LIMIT 1"
        }
        false => {
            "SELECT doc FROM clients WHERE company_id = $1 AND email = $2 ORDER BY created_at, id LIMIT 1"
        }
    };
    let row: Option<(String,)> = sqlx::query_as(sql)
        .bind(company_id)
        .bind(email.trim().to_lowercase())
        .fetch_optional(&mut *conn)
        .await?;
    row.map(|(doc,)| from_json(&doc)).transpose()
}

/// Ids of the clients whose id or externalId is `key` (for list filters).
pub async fn ids_matching(
    conn: &mut Conn,
    company_id: &str,
    key: &str,
    by_id: bool,
) -> Result<Vec<String>> {
    let sql = match by_id {
        true => "SELECT id FROM clients WHERE company_id = $1 AND (external_id = $2 OR id = $3)",
        false => {
            "SELECT id FROM clients WHERE company_id = $1 AND (external_id = $2 OR 1 = 0 AND id = $3)"
        }
    };
    let rows: Vec<(String,)> = sqlx::query_as(sql)
        .bind(company_id)
        .bind(key)
        .bind(key)
        .fetch_all(&mut *conn)
        .await?;
    Ok(rows.into_iter().map(|(id,)| id).collect())
}

/// Every client of the company, by id.
pub async fn list(conn: &mut Conn, company_id: &str) -> Result<Vec<ClientRef>> {
    let rows: Vec<(String,)> =
        sqlx::query_as("SELECT doc FROM clients WHERE company_id = $1 ORDER BY id")
            .bind(company_id)
            .fetch_all(&mut *conn)
            .await?;
    rows.iter().map(|(doc,)| from_json(doc)).collect()
}

/// Inserts a client (`client.id` must be set) or replaces the one with the same id.
pub async fn put(conn: &mut Conn, company_id: &str, client: &ClientRef) -> Result<()> {
    let now = now_utc();
    let email = client.email.as_deref().map(|e| e.trim().to_lowercase());
    sqlx::query(
        "INSERT INTO clients (company_id, id, external_id, email, doc, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (company_id, id) DO UPDATE SET \
         external_id = excluded.external_id, email = excluded.email, doc = excluded.doc, \
         updated_at = excluded.updated_at",
    )
    .bind(company_id)
    .bind(&client.id)
    .bind(&client.external_id)
    .bind(email)
    .bind(serde_json::to_string(client).map_err(anyhow::Error::from)?)
    .bind(&now)
    .bind(&now)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Removes a client; whether one was there.
pub async fn delete(conn: &mut Conn, company_id: &str, id: &str) -> Result<bool> {
    let done = sqlx::query("DELETE FROM clients WHERE company_id = $1 AND id = $2")
        .bind(company_id)
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(done.rows_affected() > 0)
}
