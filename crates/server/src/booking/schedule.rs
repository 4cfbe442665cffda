//! Company, service, staff and resource records → a slot-engine `Query`.

use booking_availability::{
    Busy, DateRange, Query, ResourcePool, ServiceRules, StaffCalendar, WeeklyHours,
};
use booking_model::{DayHours, Resource, Service, Staff, Vacation};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use chrono_tz::Tz;

use super::catalog::{bad_setup, Catalog};
use crate::error::{Error, Result};

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

/// What is asked about a resource booked on its own.
#[derive(Debug, Clone, Copy)]
pub struct ResourceQuery<'a> {
    pub resource: &'a Resource,
    /// Units wanted.
    pub units: u32,
    /// Consecutive periods of the resource's duration (`iterationCount`).
    pub iterations: u32,
    /// Inclusive day range, in `output_zone`.
    pub first_day: NaiveDate,
    pub last_day: NaiveDate,
    pub output_zone: Tz,
}

/// The staff members a query is about: the one asked for (by id or externalId; a 404 when the
/// widget may not show them), else everyone who performs `service`.
pub fn candidate_staff<'c>(
    catalog: &'c Catalog,
    service: &Service,
    staff_id: Option<&str>,
    widget_only: bool,
) -> Result<Vec<&'c Staff>> {
    Ok(match staff_id {
        Some(id) => {
            let member = catalog.staff_member(id)?;
            if widget_only && !member.is_available_for_widget() {
                return Err(Error::NotFound(format!("staff member `{id}` not found")));
            }
            vec![member]
        }
        None => catalog.staff_for(service, widget_only),
    })
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
    let staff = candidate_staff(catalog, service, request.staff_id, request.widget_only)?
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

/// The engine query for booking `units` of a resource on its own for `iterations` consecutive
/// periods of its duration: the resource's hours (the company's when it has none), its unit count,
/// and the existing bookings holding it.
pub fn build_resource_query(
    catalog: &Catalog,
    request: &ResourceQuery<'_>,
    busy: Vec<Busy>,
    now: DateTime<Utc>,
) -> Result<Query> {
    let ResourceQuery {
        resource,
        units,
        iterations,
        ..
    } = *request;
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
        output_zone: request.output_zone,
        first_day: request.first_day,
        last_day: request.last_day,
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
