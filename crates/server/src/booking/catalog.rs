//! Everything a company offers (company, services, staff, resources), loaded once per request from
//! `db::business` and looked up by id or externalId.

use std::str::FromStr;

use booking_model::{Company, Resource, Service, Staff};
use chrono_tz::Tz;

use crate::db::business::{self, Collection};
use crate::db::Conn;
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
