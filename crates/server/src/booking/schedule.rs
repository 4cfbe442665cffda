use std::str::FromStr;

use booking_availability::{
    Busy, DateRange, Query, ResourcePool, ServiceRules, StaffCalendar, WeeklyHours,
};
use booking_model::{Company, DayHours, Resource, Service, Staff, Vacation};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use chrono_tz::Tz;

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
fn bad_setup(what: &str, reason: impl std::fmt::Display) -> Error {
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

/// Opening hours as the engine wants them.
pub fn weekly_hours(days: &[DayHours]) -> Result<WeeklyHours> {
    let mut hours = WeeklyHours::new();
    for day in days {
        let intervals = day
            .parse_hours()
            .map_err(|e| bad_setup("workingHours", e))?;
        hours.set(day.day.into(), intervals);
    }
    Ok(hours)
}

fn date_ranges(vacations: &[Vacation]) -> Result<Vec<DateRange>> {
    vacations
        .iter()
        .map(|v| {
            let (first, last) = v.parse().map_err(|e| bad_setup("vacations", e))?;
            Ok(DateRange::new(first, last))
        })
        .collect()
}

/// What a visitor (or the admin API) asks the engine about.
#[derive(Debug, Clone)]
pub struct SlotQuery<'a> {
    pub service: &'a Service,
    /// `None` = any staff member who performs the service.
    pub staff_id: Option<&'a str>,
    /// Inclusive day range, in `output_zone`.
    pub first_day: NaiveDate,
    pub last_day: NaiveDate,
    pub output_zone: Tz,
    /// Whether only staff shown in the widget count (public routes) or all (admin API).
    pub widget_only: bool,
}

impl SlotQuery<'_> {
    /// The UTC window whose appointments can affect these days: the days plus generous margins for zone
    /// offsets (up to 26 h apart) and preparation/buffer times.
    pub fn busy_window(&self) -> (DateTime<Utc>, DateTime<Utc>) {
        let start = self.first_day - Duration::days(3);
        let end = self.last_day + Duration::days(3);
        (
            start.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc(),
            end.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc(),
        )
    }
}

/// The engine query for `request` given the existing appointments in its window.
pub fn build_query(
    catalog: &Catalog,
    request: &SlotQuery<'_>,
    busy: Vec<Busy>,
    now: DateTime<Utc>,
) -> Result<Query> {
    let service = request.service;
    let service_id = service.id.clone().unwrap_or_default();
    let company_hours = weekly_hours(&catalog.company.working_hours)?;
    let staff = match request.staff_id {
        Some(id) => {
            let member = catalog.staff_member(id)?;
            if request.widget_only && !member.is_available_for_widget() {
                return Err(Error::NotFound(format!("staff member `{id}` not found")));
            }
            vec![member]
        }
        None => catalog.staff_for(service, request.widget_only),
    };
    let staff = staff
        .into_iter()
        .map(|s| {
            // Staff without hours of their own work the company's hours.
            let hours = match s.working_hours.is_empty() {
                true => company_hours.clone(),
                false => weekly_hours(&s.working_hours)?,
            };
            Ok(StaffCalendar {
                id: s.id.clone().unwrap_or_default(),
                hours,
                vacations: date_ranges(&s.vacations)?,
                offers_service: catalog
                    .staff_for(service, false)
                    .iter()
                    .any(|p| p.id == s.id),
            })
        })
        .collect::<Result<Vec<_>>>()?;
    let resource = match service.resource.first() {
        Some(needed) => {
            let id = needed.id.clone().unwrap_or_default();
            let pool = catalog
                .resources
                .iter()
                .find(|r| r.id.as_deref() == Some(id.as_str()));
            Some(ResourcePool {
                count: pool.and_then(|r| r.count).unwrap_or(1),
                requested: needed.quantity.unwrap_or(1),
                id,
            })
        }
        None => None,
    };
    let rules = ServiceRules {
        duration: service
            .duration
            .ok_or_else(|| bad_setup("service", format!("`{service_id}` has no duration")))?,
        buffer_after: service.buffer_duration.unwrap_or(0),
        preparation: service.preparation_duration.unwrap_or(0),
        capacity: service.capacity.unwrap_or(1),
        max_per_day: service.max_appointments_per_day,
        min_notice: minutes(
            service
                .min_appointment_date
                .map(|d| d.as_minutes())
                .unwrap_or(0),
        ),
        horizon: service
            .max_appointment_date
            .map(|d| minutes(d.as_minutes())),
        step: service.slot_interval_minutes(),
        hours: match service.uses_company_working_hours() {
            true => None,
            false => Some(weekly_hours(&service.working_hours)?),
        },
    };
    Ok(Query {
        zone: catalog.zone,
        output_zone: request.output_zone,
        first_day: request.first_day,
        last_day: request.last_day,
        service_id,
        rules,
        company_hours,
        company_vacations: date_ranges(&catalog.company.vacations)?,
        staff,
        resource,
        busy,
        now,
    })
}

fn minutes(m: u64) -> Duration {
    Duration::minutes(i64::try_from(m).unwrap_or(i64::MAX / 120_000))
}

/// The id under which a resource booking's own calendar is passed to the engine: the engine books
/// through a staff calendar, and a resource booked on its own has nobody attached.
pub const RESOURCE_DESK: &str = "";

/// The engine query for booking `units` of `resource` on its own for `iterations` consecutive
/// periods of its duration: the resource's hours (the company's when it has none), its unit count,
/// and the existing bookings holding it.
pub fn build_resource_query(
    catalog: &Catalog,
    resource: &Resource,
    units: u32,
    iterations: u32,
    day: NaiveDate,
    busy: Vec<Busy>,
    now: DateTime<Utc>,
) -> Result<Query> {
    let id = resource.id.clone().unwrap_or_default();
    let period = resource
        .duration
        .filter(|d| *d > 0)
        .ok_or_else(|| bad_setup("resource", format!("`{id}` has no duration")))?;
    let company_hours = weekly_hours(&catalog.company.working_hours)?;
    let hours = match resource.working_hours.is_empty() {
        true => None,
        false => Some(weekly_hours(&resource.working_hours)?),
    };
    let mut rules =
        booking_availability::ServiceRules::new(period.saturating_mul(iterations.max(1)));
    rules.step = Some(period);
    rules.hours = hours.clone();
    Ok(Query {
        zone: catalog.zone,
        output_zone: catalog.zone,
        first_day: day,
        last_day: day,
        service_id: format!("resource:{id}"),
        rules,
        company_vacations: date_ranges(&catalog.company.vacations)?,
        staff: vec![StaffCalendar {
            id: RESOURCE_DESK.to_owned(),
            hours: hours.unwrap_or_else(|| company_hours.clone()),
            vacations: Vec::new(),
            offers_service: true,
        }],
        company_hours,
        resource: Some(ResourcePool {
            count: resource.count.unwrap_or(1),
            requested: units,
            id,
        }),
        busy,
        now,
    })
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
