//! Companies and what they offer (services, staff, resources, forms), stored as the API's JSON documents
//! beside the columns we look them up by.

use serde::de::DeserializeOwned;
use serde::Serialize;
use sha2::{Digest, Sha256};
use sqlx::Executor;

use booking_model::Company;

use super::now_utc;
use crate::db::Backend;
use crate::error::Result;

/// The per-company collections. A closed set, so table names never come from input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Collection {
    Services,
    Staff,
    Resources,
    Forms,
}

impl Collection {
    fn table(self) -> &'static str {
        match self {
            Collection::Services => "services",
            Collection::Staff => "staff",
            Collection::Resources => "resources",
            Collection::Forms => "forms",
        }
    }
}

fn to_json<T: Serialize>(doc: &T) -> Result<String> {
    Ok(serde_json::to_string(doc).map_err(anyhow::Error::from)?)
}

fn from_json<T: DeserializeOwned>(text: &str) -> Result<T> {
    Ok(serde_json::from_str(text).map_err(anyhow::Error::from)?)
}

/// Inserts or replaces a company.
pub async fn put_company<'c, E: Executor<'c, Database = Backend>>(
    db: E,
    company: &Company,
) -> Result<()> {
    let id = company.id.clone().unwrap_or_default();
    let now = now_utc();
    sqlx::query(
        "INSERT INTO companies (id, doc, created_at, updated_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (id) DO UPDATE SET doc = excluded.doc, updated_at = excluded.updated_at",
    )
    .bind(id)
    .bind(to_json(company)?)
    .bind(&now)
    .bind(&now)
    .execute(db)
    .await?;
    Ok(())
}

/// The company with this id, if any.
pub async fn get_company<'c, E: Executor<'c, Database = Backend>>(
    db: E,
    id: &str,
) -> Result<Option<Company>> {
    let row: Option<(String,)> = sqlx::query_as("SELECT doc FROM companies WHERE id = $1")
        .bind(id)
        .fetch_optional(db)
        .await?;
    row.map(|(doc,)| from_json(&doc)).transpose()
}

/// Inserts or replaces one document of a company's collection.
pub async fn put_doc<'c, E, T>(
    db: E,
    collection: Collection,
    company_id: &str,
    id: &str,
    external_id: Option<&str>,
    position: i64,
    doc: &T,
) -> Result<()>
where
    E: Executor<'c, Database = Backend>,
    T: Serialize,
{
    let sql = format!(
        "INSERT INTO {} (company_id, id, external_id, position, doc) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (company_id, id) DO UPDATE SET external_id = excluded.external_id, \
         position = excluded.position, doc = excluded.doc",
        collection.table()
    );
    sqlx::query(&sql)
        .bind(company_id)
        .bind(id)
        .bind(external_id)
        .bind(position)
        .bind(to_json(doc)?)
        .execute(db)
        .await?;
    Ok(())
}

/// Every document of a company's collection, in display order.
pub async fn list_docs<'c, E, T>(db: E, collection: Collection, company_id: &str) -> Result<Vec<T>>
where
    E: Executor<'c, Database = Backend>,
    T: DeserializeOwned,
{
    let sql = format!(
        "SELECT doc FROM {} WHERE company_id = $1 ORDER BY position, id",
        collection.table()
    );
    let rows: Vec<(String,)> = sqlx::query_as(&sql).bind(company_id).fetch_all(db).await?;
    rows.iter().map(|(doc,)| from_json(doc)).collect()
}

/// The SHA-256 hex digest under which an API key is stored.
pub fn hash_api_key(key: &str) -> String {
    Sha256::digest(key.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Registers an API key for a company (idempotent for the same key).
pub async fn put_api_key<'c, E: Executor<'c, Database = Backend>>(
    db: E,
    company_id: &str,
    key: &str,
    label: &str,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO api_keys (key_hash, company_id, label, created_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (key_hash) DO NOTHING",
    )
    .bind(hash_api_key(key))
    .bind(company_id)
    .bind(label)
    .bind(now_utc())
    .execute(db)
    .await?;
    Ok(())
}

/// One document of a company's collection, by id.
pub async fn get_doc<'c, E, T>(
    db: E,
    collection: Collection,
    company_id: &str,
    id: &str,
) -> Result<Option<T>>
where
    E: Executor<'c, Database = Backend>,
    T: DeserializeOwned,
{
    let sql = format!(
        "SELECT doc FROM {} WHERE company_id = $1 AND id = $2",
        collection.table()
    );
    let row: Option<(String,)> = sqlx::query_as(&sql)
        .bind(company_id)
        .bind(id)
        .fetch_optional(db)
        .await?;
    row.map(|(doc,)| from_json(&doc)).transpose()
}

/// Display position of a document: its current one, or after the last for a new one.
pub async fn position_for<'c, E: Executor<'c, Database = Backend>>(
    db: E,
    collection: Collection,
    company_id: &str,
    id: &str,
) -> Result<i64> {
    let sql = format!(
        "SELECT COALESCE(MAX(CASE WHEN id = $1 THEN position END), MAX(position) + 1, 0) FROM {} \
         WHERE company_id = $2",
        collection.table()
    );
    let (position,): (i64,) = sqlx::query_as(&sql)
        .bind(id)
        .bind(company_id)
        .fetch_one(db)
        .await?;
    Ok(position)
}

/// Removes one document; whether it was there.
pub async fn delete_doc<'c, E: Executor<'c, Database = Backend>>(
    db: E,
    collection: Collection,
    company_id: &str,
    id: &str,
) -> Result<bool> {
    let sql = format!(
        "DELETE FROM {} WHERE company_id = $1 AND id = $2",
        collection.table()
    );
    let done = sqlx::query(&sql)
        .bind(company_id)
        .bind(id)
        .execute(db)
        .await?;
    Ok(done.rows_affected() > 0)
}

/// Removes a company and, by cascade, everything it owns (keys, setup, clients, appointments).
pub async fn delete_company<'c, E: Executor<'c, Database = Backend>>(
    db: E,
    company_id: &str,
) -> Result<bool> {
    let done = sqlx::query("DELETE FROM companies WHERE id = $1")
        .bind(company_id)
        .execute(db)
        .await?;
    Ok(done.rows_affected() > 0)
}

/// The company an API key belongs to, if the key is known.
pub async fn company_of_api_key<'c, E: Executor<'c, Database = Backend>>(
    db: E,
    key: &str,
) -> Result<Option<String>> {
    let row: Option<(String,)> =
        sqlx::query_as("SELECT company_id FROM api_keys WHERE key_hash = $1")
            .bind(hash_api_key(key))
            .fetch_optional(db)
            .await?;
    Ok(row.map(|(id,)| id))
}
