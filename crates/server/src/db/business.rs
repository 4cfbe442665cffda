//! Companies and what they offer (services, staff, resources, forms), stored as the API's JSON documents
//! beside the columns we look them up by.

use serde::de::DeserializeOwned;
use serde::Serialize;
use sha2::{Digest, Sha256};
use sqlx::{Executor, Sqlite};

use booking_model::Company;

use super::now_utc;
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
pub async fn put_company<'c, E: Executor<'c, Database = Sqlite>>(
    db: E,
    company: &Company,
) -> Result<()> {
    let id = company.id.clone().unwrap_or_default();
    let now = now_utc();
    sqlx::query(
        "INSERT INTO companies (id, doc, created_at, updated_at) VALUES (?, ?, ?, ?) \
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
pub async fn get_company<'c, E: Executor<'c, Database = Sqlite>>(
    db: E,
    id: &str,
) -> Result<Option<Company>> {
    let row: Option<(String,)> = sqlx::query_as("SELECT doc FROM companies WHERE id = ?")
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
    E: Executor<'c, Database = Sqlite>,
    T: Serialize,
{
    let sql = format!(
        "INSERT INTO {} (company_id, id, external_id, position, doc) VALUES (?, ?, ?, ?, ?) \
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
    E: Executor<'c, Database = Sqlite>,
    T: DeserializeOwned,
{
    let sql = format!(
        "SELECT doc FROM {} WHERE company_id = ? ORDER BY position, id",
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
pub async fn put_api_key<'c, E: Executor<'c, Database = Sqlite>>(
    db: E,
    company_id: &str,
    key: &str,
    label: &str,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO api_keys (key_hash, company_id, label, created_at) VALUES (?, ?, ?, ?) \
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

/// Everything the company offers, for slot computations; 404 when the company doesn't exist.
pub async fn catalog(
    conn: &mut sqlx::SqliteConnection,
    company_id: &str,
) -> Result<crate::booking::schedule::Catalog> {
    let company = get_company(&mut *conn, company_id)
        .await?
        .ok_or_else(|| crate::Error::NotFound(format!("company `{company_id}` not found")))?;
    let services = list_docs(&mut *conn, Collection::Services, company_id).await?;
    let staff = list_docs(&mut *conn, Collection::Staff, company_id).await?;
    let resources = list_docs(&mut *conn, Collection::Resources, company_id).await?;
    crate::booking::schedule::Catalog::new(company, services, staff, resources)
}

/// The booking form for a service: one naming it, else one for every location, else the built-in
/// contact-only form.
pub async fn form_for_service<'c, E: Executor<'c, Database = Sqlite>>(
    db: E,
    company_id: &str,
    service_id: &str,
) -> Result<booking_model::Form> {
    use booking_model::{Form, FormObjectType};
    let forms: Vec<Form> = list_docs(db, Collection::Forms, company_id).await?;
    let names_service = |f: &&Form| {
        f.objects.iter().any(|o| {
            o.object_type == Some(FormObjectType::Service) && o.id.as_deref() == Some(service_id)
        })
    };
    let for_everything = |f: &&Form| {
        f.objects.is_empty()
            || f.objects
                .iter()
                .any(|o| o.object_type == Some(FormObjectType::AllLocations))
    };
    let chosen = forms
        .iter()
        .find(names_service)
        .or_else(|| forms.iter().find(for_everything))
        .cloned();
    Ok(chosen.unwrap_or_else(default_form))
}

/// The contact fields every booking needs, for companies that defined no form.
fn default_form() -> booking_model::Form {
    use booking_model::form::{BIND_EMAIL, BIND_FIRST_NAME, BIND_LAST_NAME, BIND_PHONE};
    use booking_model::{Form, FormItem, FormItemType};
    let item = |id: &str, kind, title: &str, bind: &str, external: &str, mandatory| FormItem {
        id: Some(id.to_owned()),
        item_type: Some(kind),
        title: Some(title.to_owned()),
        bind: Some(bind.to_owned()),
        external_id: Some(external.to_owned()),
        mandatory: Some(mandatory),
        visible: Some(true),
        ..FormItem::default()
    };
    Form {
        id: Some("default".to_owned()),
        name: Some("Contact".to_owned()),
        contact_fields: vec![
            item(
                "firstName",
                FormItemType::Input,
                "First name",
                BIND_FIRST_NAME,
                "firstname",
                true,
            ),
            item(
                "lastName",
                FormItemType::Input,
                "Last name",
                BIND_LAST_NAME,
                "lastname",
                true,
            ),
            item(
                "email",
                FormItemType::Email,
                "Email",
                BIND_EMAIL,
                "email",
                true,
            ),
            item(
                "phone",
                FormItemType::Phone,
                "Phone",
                BIND_PHONE,
                "phone",
                false,
            ),
        ],
        ..Form::default()
    }
}

/// One document of a company's collection, by id.
pub async fn get_doc<'c, E, T>(
    db: E,
    collection: Collection,
    company_id: &str,
    id: &str,
) -> Result<Option<T>>
where
    E: Executor<'c, Database = Sqlite>,
    T: DeserializeOwned,
{
    let sql = format!(
        "SELECT doc FROM {} WHERE company_id = ? AND id = ?",
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
pub async fn position_for<'c, E: Executor<'c, Database = Sqlite>>(
    db: E,
    collection: Collection,
    company_id: &str,
    id: &str,
) -> Result<i64> {
    let sql = format!(
        "SELECT COALESCE(MAX(CASE WHEN id = ? THEN position END), MAX(position) + 1, 0) FROM {} \
         WHERE company_id = ?",
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
pub async fn delete_doc<'c, E: Executor<'c, Database = Sqlite>>(
    db: E,
    collection: Collection,
    company_id: &str,
    id: &str,
) -> Result<bool> {
    let sql = format!(
        "DELETE FROM {} WHERE company_id = ? AND id = ?",
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
pub async fn delete_company<'c, E: Executor<'c, Database = Sqlite>>(
    db: E,
    company_id: &str,
) -> Result<bool> {
    let done = sqlx::query("DELETE FROM companies WHERE id = ?")
        .bind(company_id)
        .execute(db)
        .await?;
    Ok(done.rows_affected() > 0)
}

/// The company an API key belongs to, if the key is known.
pub async fn company_of_api_key<'c, E: Executor<'c, Database = Sqlite>>(
    db: E,
    key: &str,
) -> Result<Option<String>> {
    let row: Option<(String,)> =
        sqlx::query_as("SELECT company_id FROM api_keys WHERE key_hash = ?")
            .bind(hash_api_key(key))
            .fetch_optional(db)
            .await?;
    Ok(row.map(|(id,)| id))
}
