//! Everything a company offers (company, services, staff, resources), loaded from `db::business`
//! (per request, or through the process's [`Cache`] checked against the setup version) and looked
//! up by id or externalId.

use std::collections::HashMap;
use std::str::FromStr;
use std::sync::{Arc, Mutex, PoisonError};

use booking_model::{Company, Form, Resource, Service, Staff};
use chrono_tz::Tz;

use crate::db::business::{self, Collection};
use crate::db::{Conn, Dialect};
use crate::error::{Error, Result};

/// Everything a company offers, loaded once per request.
#[derive(Debug, Clone)]
pub struct Catalog {
    pub company: Company,
    /// The company's IANA zone: working hours are wall-clock times there.
    pub zone: Tz,
    pub services: Vec<Service>,
    pub staff: Vec<Staff>,
    pub resources: Vec<Resource>,
}

/// Stored business data the engine can't use: a bug in whatever wrote it, not the visitor's fault.
pub(super) fn bad_setup(what: &str, reason: impl std::fmt::Display) -> Error {
    Error::Internal(anyhow::anyhow!(
        "invalid {what} in the company setup: {reason}"
    ))
}

impl Catalog {
    /// Builds a catalog, checking the company's time zone.
    pub fn new(
        company: Company,
        services: Vec<Service>,
        staff: Vec<Staff>,
        resources: Vec<Resource>,
    ) -> Result<Self> {
        let zone_name = company.time_zone.as_deref().unwrap_or("UTC");
        let zone = Tz::from_str(zone_name).map_err(|e| bad_setup("company timeZone", e))?;
        Ok(Catalog {
            company,
            zone,
            services,
            staff,
            resources,
        })
    }

    /// A service by id or externalId; 404 naming it otherwise.
    pub fn service(&self, id: &str) -> Result<&Service> {
        self.services
            .iter()
            .find(|s| s.id.as_deref() == Some(id) || s.external_id.as_deref() == Some(id))
            .ok_or_else(|| Error::NotFound(format!("service `{id}` not found")))
    }

    /// A staff member by id or externalId; 404 naming it otherwise.
    pub fn staff_member(&self, id: &str) -> Result<&Staff> {
        self.staff
            .iter()
            .find(|s| s.id.as_deref() == Some(id) || s.external_id.as_deref() == Some(id))
            .ok_or_else(|| Error::NotFound(format!("staff member `{id}` not found")))
    }

    /// Staff who perform `service` (listed on either side), optionally only those shown in the widget.
    pub fn staff_for(&self, service: &Service, widget_only: bool) -> Vec<&Staff> {
        let service_id = service.id.as_deref().unwrap_or_default();
        self.staff
            .iter()
            .filter(|s| !widget_only || s.is_available_for_widget())
            .filter(|s| {
                s.performs(service_id)
                    || service
                        .staff
                        .iter()
                        .any(|ss| ss.id.is_some() && ss.id == s.id)
            })
            .collect()
    }
}

impl Catalog {
    /// A resource by id or externalId; 404 naming it otherwise.
    pub fn resource(&self, id: &str) -> Result<&Resource> {
        self.resources
            .iter()
            .find(|r| r.id.as_deref() == Some(id) || r.external_id.as_deref() == Some(id))
            .ok_or_else(|| Error::NotFound(format!("resource `{id}` not found")))
    }
}

/// Everything the company offers, for slot computations; 404 when the company doesn't exist.
pub async fn load(conn: &mut Conn, company_id: &str) -> Result<Catalog> {
    let company = business::get_company(&mut *conn, company_id)
        .await?
        .ok_or_else(|| Error::NotFound(format!("company `{company_id}` not found")))?;
    let services = business::list_docs(&mut *conn, Collection::Services, company_id).await?;
    let staff = business::list_docs(&mut *conn, Collection::Staff, company_id).await?;
    let resources = business::list_docs(&mut *conn, Collection::Resources, company_id).await?;
    Catalog::new(company, services, staff, resources)
}

/// A company's catalogue and booking forms, as of one version of the setup.
#[derive(Debug)]
pub struct Offer {
    pub catalog: Catalog,
    /// Every form of the company, in display order (`forms::choose` picks the one that applies).
    pub forms: Vec<Form>,
    version: i64,
}

/// The setups companies are booked against, kept in process while the database's setup version
/// (`counters` row `setup`, bumped by triggers on every change to companies, services, staff,
/// resources and forms, whichever process or node makes it: migration 0017) is the one they were
/// read with. A hit costs one indexed read instead of five queries and the parsing of every
/// document; a stale entry is never used, on SQLite or on PostgreSQL behind several nodes.
#[derive(Debug, Default)]
pub struct Cache {
    entries: Mutex<HashMap<String, Arc<Offer>>>,
}

/// Companies kept at most: past it the cache starts again empty (each entry is a few KB).
const CACHE_COMPANIES: usize = 1024;

/// The setup version now, as `conn` sees it.
async fn setup_version(conn: &mut Conn) -> Result<i64> {
    let (version,): (i64,) = sqlx::query_as("SELECT value FROM counters WHERE name = 'setup'")
        .fetch_one(&mut *conn)
        .await?;
    Ok(version)
}

impl Cache {
    /// The company's offer as `conn` (a reader) sees it now: the cached one while the setup
    /// version is unchanged, else read again (version, catalogue and forms in one snapshot).
    pub async fn offer(&self, conn: &mut Conn, company_id: &str) -> Result<Arc<Offer>> {
        let version = setup_version(conn).await?;
        if let Some(hit) = self.get(company_id).filter(|o| o.version == version) {
            return Ok(hit);
        }
        // SQLite's plain (deferred) BEGIN is a snapshot already; a custom statement there would
        // leave a wider window for a cancelled request to strand the transaction.
        let mut tx = match Dialect::of(conn) {
            Dialect::Sqlite => sqlx::Connection::begin(&mut *conn).await?,
            Dialect::Postgres => {
                let snapshot = "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY";
                sqlx::Connection::begin_with(&mut *conn, snapshot).await?
            }
        };
        let offer = Arc::new(Offer {
            version: setup_version(&mut tx).await?,
            catalog: load(&mut tx, company_id).await?,
            forms: business::list_docs(&mut *tx, Collection::Forms, company_id).await?,
        });
        tx.commit().await?;
        let mut entries = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
        // Requests that read concurrently may finish in any order: the newest setup stays.
        let newer = entries
            .get(company_id)
            .is_none_or(|kept| kept.version <= offer.version);
        if newer {
            if entries.len() >= CACHE_COMPANIES {
                entries.clear();
            }
            entries.insert(company_id.to_owned(), offer.clone());
        }
        Ok(offer)
    }

    fn get(&self, company_id: &str) -> Option<Arc<Offer>> {
        let entries = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
        entries.get(company_id).cloned()
    }
}
