//! `widget/freeSlots` and `widget/form`: what a visitor can book, and what they must fill in.

use std::str::FromStr;

use axum::extract::State;
use axum::routing::get;
use axum::Router;
use booking_availability::{format_rfc3339, free_slots};
use booking_model::schedule::parse_date;
use booking_model::{BookingTarget, DaySlots, Form, FreeSlotsResponse, ServiceRef, StaffRef};
use chrono::NaiveDate;
use chrono_tz::Tz;
use serde::Deserialize;

use crate::booking::availability::{self, Ask};
use crate::booking::forms;
use crate::booking::target::Target;
use crate::error::{Error, Result};
use crate::extract::{Json, Path, Query};
use crate::AppState;

/// Longest range one freeSlots call may cover.
pub const MAX_RANGE_DAYS: i64 = 62;

/// Routes of this module.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/widget/freeSlots", get(free_slots_route))
        .route("/widget/form", get(form))
}

/// `freeSlots` parameters, as the wider public API names them.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct FreeSlotsParams {
    start_date: Option<String>,
    end_date: Option<String>,
    service_id: Option<String>,
    resource_id: Option<String>,
    staff_id: Option<String>,
    resource_count: Option<String>,
    time_zone: Option<String>,
    lang: Option<String>,
}

fn required_date(name: &str, value: Option<&str>) -> Result<NaiveDate> {
    let value = value.ok_or_else(|| Error::field(name, "is required (yyyy-MM-dd)"))?;
    parse_date(value).map_err(|reason| Error::field(name, reason))
}

/// Parses an IANA zone name, naming the parameter when it is unknown.
pub fn parse_zone(name: &str, value: &str) -> Result<Tz> {
    Tz::from_str(value).map_err(|_| {
        Error::field(
            name,
            format!("unknown time zone {value:?}: use an IANA name such as Europe/Paris"),
        )
    })
}

async fn free_slots_route(
    State(state): State<AppState>,
    Path(company_id): Path<String>,
    Query(params): Query<FreeSlotsParams>,
) -> Result<Json<FreeSlotsResponse>> {
    let first_day = required_date("startDate", params.start_date.as_deref())?;
    let last_day = required_date("endDate", params.end_date.as_deref())?;
    if last_day < first_day {
        return Err(Error::rule(
            "endDate",
            format!("must not be before startDate (got {last_day} < {first_day})"),
        ));
    }
    let days = (last_day - first_day).num_days() + 1;
    if days > MAX_RANGE_DAYS {
        return Err(Error::rule(
            "endDate",
            format!("the range may cover at most {MAX_RANGE_DAYS} days (got {days})"),
        ));
    }
    let units = match params.resource_count.as_deref() {
        None | Some("") => None,
        Some(text) => Some(
            text.parse::<u32>()
                .ok()
                .filter(|n| *n >= 1)
                .ok_or_else(|| {
                    Error::field(
                        "resourceCount",
                        format!("must be a whole number ≥ 1 (got {text:?})"),
                    )
                })?,
        ),
    };
    let wanted = BookingTarget::from_ids(
        params.service_id.as_deref(),
        params.resource_id.as_deref(),
        units,
    )
    .ok_or_else(|| Error::rule("serviceId", "is required (or resourceId)"))?;

    let mut conn = state.db.acquire().await?;
    let offer = state.catalogs.offer(&mut conn, &company_id).await?;
    let catalog = &offer.catalog;
    let output_zone = match params.time_zone.as_deref() {
        Some(zone) => parse_zone("timeZone", zone)?,
        None => catalog.zone,
    };
    // An unknown service or resource is a 404 here, like any other missing record; more units than
    // the resource has simply never fit (no slots).
    let target = match wanted {
        BookingTarget::Service { id } => Target::Service(catalog.service(&id)?),
        BookingTarget::Resource { id, units } => Target::Resource {
            resource: catalog.resource(&id)?,
            units,
        },
        BookingTarget::Personal => return Err(Error::field("serviceId", "is required")),
    };
    let staff_id = match target {
        Target::Service(_) => params.staff_id.as_deref().filter(|s| !s.is_empty()),
        _ => None,
    };
    let ask = Ask {
        target,
        staff_id,
        iterations: None,
        widget_only: true,
        ignore_id: None,
    };
    let days = (first_day, last_day);
    let query = availability::query(
        &mut conn,
        catalog,
        &ask,
        days,
        output_zone,
        state.clock.now(),
    )
    .await?;
    let items = day_slots(&query);
    let Target::Service(service) = target else {
        return Ok(Json(FreeSlotsResponse {
            items,
            service: None,
            staff: None,
        }));
    };
    let (name, _) = service.localized(params.lang.as_deref().unwrap_or_default());
    let staff = staff_id
        .and_then(|id| catalog.staff_member(id).ok())
        .map(|s| StaffRef {
            id: s.id.clone(),
            first_name: s.first_name.clone(),
            last_name: s.last_name.clone(),
            external_id: None,
        });
    Ok(Json(FreeSlotsResponse {
        items,
        service: Some(ServiceRef {
            id: service.id.clone(),
            name: Some(name.to_owned()),
            external_id: None,
        }),
        staff,
    }))
}

/// Each day's free starts, written in the query's output zone.
fn day_slots(query: &booking_availability::Query) -> Vec<DaySlots> {
    let zone = query.output_zone;
    free_slots(query)
        .into_iter()
        .map(|day| DaySlots {
            day: day.day,
            time_zone: zone.name().to_owned(),
            slots: day
                .slots
                .iter()
                .map(|s| format_rfc3339(s.start, zone))
                .collect(),
        })
        .collect()
}

/// `?serviceId=` or `?resourceId=`: whose form.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct FormParams {
    service_id: Option<String>,
    resource_id: Option<String>,
}

async fn form(
    State(state): State<AppState>,
    Path(company_id): Path<String>,
    Query(params): Query<FormParams>,
) -> Result<Json<Form>> {
    let filled = |id: Option<String>| id.filter(|s| !s.is_empty());
    let mut conn = state.db.acquire().await?;
    let offer = state.catalogs.offer(&mut conn, &company_id).await?;
    let catalog = &offer.catalog;
    let id = match (filled(params.service_id), filled(params.resource_id)) {
        (Some(id), _) => catalog.service(&id)?.id.clone(),
        (None, Some(id)) => catalog.resource(&id)?.id.clone(),
        (None, None) => return Err(Error::rule("serviceId", "is required (or resourceId)")),
    }
    .unwrap_or_default();
    Ok(Json(forms::choose(&offer.forms, &id)))
}
