//! What the `booking-server admin` subcommands do: create companies and API keys.

use booking_model::Company;

use crate::booking::{ids, setup};
use crate::db::{business, Db};
use crate::error::{Error, Result};

/// Creates a company (409 when the id is taken) and returns a new API key for it.
pub async fn create_company(db: &Db, id: &str, name: &str, time_zone: &str) -> Result<String> {
    let company = Company {
        id: Some(id.to_owned()),
        name: Some(name.to_owned()),
        time_zone: Some(time_zone.to_owned()),
        ..Company::default()
    };
    let mut tx = db.write().await?;
    if business::get_company(&mut *tx, id).await?.is_some() {
        return Err(Error::Conflict(format!("company `{id}` already exists")));
    }
    setup::save_company(&mut tx, &company).await?;
    let key = ids::api_key();
    business::put_api_key(&mut *tx, id, &key, "created with the company").await?;
    tx.commit().await?;
    Ok(key)
}

/// Returns a new API key for an existing company (404 otherwise).
pub async fn create_key(db: &Db, company_id: &str, label: &str) -> Result<String> {
    if business::get_company(db, company_id).await?.is_none() {
        return Err(Error::NotFound(format!("company `{company_id}` not found")));
    }
    let key = ids::api_key();
    let mut tx = db.write().await?;
    business::put_api_key(&mut *tx, company_id, &key, label).await?;
    tx.commit().await?;
    Ok(key)
}
