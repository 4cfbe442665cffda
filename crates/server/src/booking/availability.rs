//! The one availability check. It owns the busy window (which stored bookings can affect the days
//! asked about), loads those bookings and hands them to the slot engine, for a service, a resource
//! on its own, or a staff member's personal time. Free-slot listings and every write use it.

use booking_availability::{check_slot, Query, Unavailable};
use chrono::{DateTime, Duration, NaiveDate, NaiveTime, Utc};
use chrono_tz::Tz;

use super::catalog::Catalog;
use super::schedule::{
    build_query, build_resource_query, candidate_staff, ResourceQuery, SlotQuery,
};
use super::target::Target;
use crate::db::appointments;
use crate::db::Conn;
use crate::error::{Error, Result};

/// Days on each side of the asked days whose bookings are loaded: zone offsets (up to 26 h apart)
/// plus preparation and buffer times stay well inside it.
const BUSY_MARGIN_DAYS: i64 = 3;

/// The UTC window whose bookings can affect the local days `first_day..=last_day`.
pub fn busy_window(first_day: NaiveDate, last_day: NaiveDate) -> (DateTime<Utc>, DateTime<Utc>) {
    let margin = Duration::days(BUSY_MARGIN_DAYS);
    (
        (first_day - margin).and_time(NaiveTime::MIN).and_utc(),
        (last_day + margin).and_time(NaiveTime::MIN).and_utc(),
    )
}

/// The UTC window whose bookings can affect a check of `span`, whose local day (company zone) is
/// `day`: that whole day (its sessions count against the daily limit), at most 14 h before and
/// 12 h after the naive day in UTC whatever the zone, widened by a day on each side, and by the
/// span's length with the service's preparation and buffer (every footprint the engine forms of a
/// stored booking uses them). Narrower than [`busy_window`]'s week: this one runs inside the lock.
fn check_window(
    day: NaiveDate,
    (start, end): (DateTime<Utc>, DateTime<Utc>),
    target: &Target<'_>,
) -> (DateTime<Utc>, DateTime<Utc>) {
    let (before, after) = match target.service() {
        Some(service) => (
            service.preparation_duration.unwrap_or(0),
            service.buffer_duration.unwrap_or(0),
        ),
        None => (0, 0),
    };
    let margin = Duration::days(1)
        + (end - start).max(Duration::zero())
        + Duration::minutes(i64::from(before) + i64::from(after));
    (
        day.and_time(NaiveTime::MIN).and_utc() - margin,
        (day + Duration::days(1)).and_time(NaiveTime::MIN).and_utc() + margin,
    )
}

/// Whose stored bookings can affect `ask`: its candidate staff members (the engine's, by their
/// stored ids, also when the ask names one by externalId), and the resource whose units it needs.
/// The engine counts no other booking (`booking_availability`'s busy index keeps only these), so
/// the read leaves the rest of the company's bookings in the database.
fn relevant<'c>(catalog: &'c Catalog, ask: &Ask<'c>) -> Result<(Vec<&'c str>, Option<&'c str>)> {
    Ok(match ask.target {
        Target::Service(service) => {
            let staff = candidate_staff(catalog, service, ask.staff_id, ask.widget_only)?
                .into_iter()
                .filter_map(|s| s.id.as_deref())
                .collect();
            let resource = service.resource.first().and_then(|r| r.id.as_deref());
            (staff, resource)
        }
        Target::Resource { resource, .. } => (Vec::new(), resource.id.as_deref()),
        Target::Personal => (ask.staff_id.into_iter().collect(), None),
    })
}

/// What is asked about.
#[derive(Debug, Clone, Copy)]
pub struct Ask<'a> {
    pub target: Target<'a>,
    /// The staff member wanted; `None` = anyone who performs the service.
    pub staff_id: Option<&'a str>,
    /// `iterationCount` (resources).
    pub iterations: Option<u32>,
    /// Only staff shown in the widget count (public routes).
    pub widget_only: bool,
    /// The appointment being moved or promoted: its own booking doesn't count against it.
    pub ignore_id: Option<&'a str>,
}

/// The engine query for `ask` over the local days `first_day..=last_day` of `zone`, with the
/// bookings of its busy window. A 404 for a staff member the widget may not show.
pub async fn query(
    conn: &mut Conn,
    catalog: &Catalog,
    ask: &Ask<'_>,
    days: (NaiveDate, NaiveDate),
    zone: Tz,
    now: DateTime<Utc>,
) -> Result<Query> {
    query_over(
        conn,
        catalog,
        ask,
        days,
        busy_window(days.0, days.1),
        zone,
        now,
    )
    .await
}

/// [`query`] with the bookings of the UTC window `(from, to)`.
async fn query_over(
    conn: &mut Conn,
    catalog: &Catalog,
    ask: &Ask<'_>,
    (first_day, last_day): (NaiveDate, NaiveDate),
    (from, to): (DateTime<Utc>, DateTime<Utc>),
    zone: Tz,
    now: DateTime<Utc>,
) -> Result<Query> {
    let company_id = catalog.company.id.as_deref().unwrap_or_default();
    let (staff, resource) = relevant(catalog, ask)?;
    let whose = appointments::Whose {
        staff: &staff,
        resource,
    };
    // With the busy time of the staff members' connected calendars.
    let busy =
        appointments::busy_between(conn, company_id, (from, to), ask.ignore_id, whose).await?;
    match ask.target {
        Target::Service(service) => {
            let request = SlotQuery {
                service,
                staff_id: ask.staff_id,
                first_day,
                last_day,
                output_zone: zone,
                widget_only: ask.widget_only,
            };
            build_query(catalog, &request, busy, now)
        }
        Target::Resource { resource, units } => {
            let request = ResourceQuery {
                resource,
                units,
                iterations: ask.iterations.unwrap_or(1).max(1),
                first_day,
                last_day,
                output_zone: zone,
            };
            build_resource_query(catalog, &request, busy, now)
        }
        Target::Personal => Err(Error::Internal(anyhow::anyhow!(
            "personal time has no slots to list"
        ))),
    }
}

/// Whether `ask` can start at `start` (and, for personal time, last until `end`). `Ok` holds the
/// staff member who takes a service (the one asked for, else the first free one).
pub async fn check(
    conn: &mut Conn,
    catalog: &Catalog,
    ask: &Ask<'_>,
    (start, end): (DateTime<Utc>, DateTime<Utc>),
    now: DateTime<Utc>,
) -> Result<std::result::Result<Option<String>, Unavailable>> {
    if let Target::Personal = ask.target {
        // Personal time follows no hours: it only must not overlap the staff member's bookings.
        let company_id = catalog.company.id.as_deref().unwrap_or_default();
        let staff_id = ask.staff_id.unwrap_or_default();
        let overlaps =
            appointments::staff_overlaps(conn, company_id, staff_id, start, end, ask.ignore_id)
                .await?;
        return Ok(match overlaps {
            0 => Ok(ask.staff_id.map(str::to_owned)),
            _ => Err(Unavailable::Conflict),
        });
    }
    let day = start.with_timezone(&catalog.zone).date_naive();
    let window = check_window(day, (start, end), &ask.target);
    let query = query_over(conn, catalog, ask, (day, day), window, catalog.zone, now).await?;
    Ok(match ask.target {
        Target::Service(_) => check_slot(&query, start, ask.staff_id).map(Some),
        // A resource on its own is booked through the engine's one unnamed calendar.
        _ => check_slot(&query, start, None).map(|_| None),
    })
}
