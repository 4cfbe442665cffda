//! `widget/freeSlots` and `widget/form`: what a visitor can book, and what they must fill in.

use std::str::FromStr;

use axum::extract::State;
use axum::routing::get;
use axum::Router;
use booking_availability::{format_rfc3339, free_slots};
use booking_model::schedule::parse_date;
use booking_model::{DaySlots, Form, FreeSlotsResponse, ServiceRef, StaffRef};
use chrono::{NaiveDate, Utc};
use chrono_tz::Tz;
use serde::Deserialize;

use crate::booking::schedule::{build_query, SlotQuery};
use crate::db::{appointments, business};
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
        return Err(Error::field(
            "endDate",
            format!("must not be before startDate (got {last_day} < {first_day})"),
        ));
    }
    let days = (last_day - first_day).num_days() + 1;
    if days > MAX_RANGE_DAYS {
        return Err(Error::field(
            "endDate",
            format!("the range may cover at most {MAX_RANGE_DAYS} days (got {days})"),
        ));
    }
    let service_id =
        match (params.service_id.as_deref(), params.resource_id.as_deref()) {
            (Some(id), _) if !id.is_empty() => id,
            (_, Some(_)) => return Err(Error::field(
                "resourceId",
                "booking a resource on its own is not available in the widget yet: send serviceId",
            )),
            _ => return Err(Error::field("serviceId", "is required")),
        };

    let mut conn = state.db.acquire().await?;
    let catalog = business::catalog(&mut conn, &company_id).await?;
    let output_zone = match params.time_zone.as_deref() {
        Some(zone) => parse_zone("timeZone", zone)?,
        None => catalog.zone,
    };
    let service = catalog.service(service_id)?;
    let request = SlotQuery {
        service,
        staff_id: params.staff_id.as_deref().filter(|s| !s.is_empty()),
        first_day,
        last_day,
        output_zone,
        widget_only: true,
    };
    let (from, to) = request.busy_window();
    let busy = appointments::busy_between(&mut conn, &company_id, from, to, None).await?;
    let query = build_query(&catalog, &request, busy, Utc::now())?;
    let zone_name = output_zone.name().to_owned();
    let items = free_slots(&query)
        .into_iter()
        .map(|day| DaySlots {
            day: day.day,
            time_zone: zone_name.clone(),
            slots: day
                .slots
                .iter()
                .map(|s| format_rfc3339(s.start, output_zone))
                .collect(),
        })
        .collect();
    let (name, _) = service.localized(params.lang.as_deref().unwrap_or_default());
    let staff = match request.staff_id {
        Some(id) => catalog.staff_member(id).ok().map(|s| StaffRef {
            id: s.id.clone(),
            first_name: s.first_name.clone(),
            last_name: s.last_name.clone(),
            external_id: None,
        }),
        None => None,
    };
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

/// `?serviceId=`: whose form.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct FormParams {
    service_id: Option<String>,
}

async fn form(
    State(state): State<AppState>,
    Path(company_id): Path<String>,
    Query(params): Query<FormParams>,
) -> Result<Json<Form>> {
    let service_id = params
        .service_id
        .filter(|s| !s.is_empty())
        .ok_or_else(|| Error::field("serviceId", "is required"))?;
    let mut conn = state.db.acquire().await?;
    let catalog = business::catalog(&mut conn, &company_id).await?;
    let service = catalog.service(&service_id)?;
    let id = service.id.clone().unwrap_or_default();
    Ok(Json(
        business::form_for_service(&mut *conn, &company_id, &id).await?,
    ))
}
