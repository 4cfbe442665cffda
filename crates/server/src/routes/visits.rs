//! The visitor's own appointment through the widget: book (`POST widget/appointments`), then view,
//! reschedule, cancel and download it by its `encryptedId`.

use std::net::{IpAddr, SocketAddr};

use axum::extract::{ConnectInfo, FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use booking_model::{PublicAppointment, PublicBookingRequest, PublicRescheduleRequest};
use chrono::{DateTime, Utc};
use serde::Deserialize;

use crate::booking::{ics, visitor};
use crate::db::appointments::StoredAppointment;
use crate::error::{Error, Result};
use crate::extract::{Json, Path, Query};
use crate::AppState;
use crate::{calendar, links};

/// Routes of this module. Booking requests are rate-limited per IP before anything else is read.
pub fn router(state: &AppState) -> Router<AppState> {
    let limited = middleware::from_fn_with_state(state.clone(), limit_bookings);
    Router::new()
        .route("/widget/appointments", post(book).route_layer(limited))
        .route(
            "/widget/appointments/{encrypted_id}",
            get(view).put(reschedule).delete(cancel),
        )
        .route(
            "/widget/appointments/{encrypted_id}/calendar.ics",
            get(calendar),
        )
}

/// The caller's IP address, when the server was started with connection info.
pub struct ClientIp(pub Option<IpAddr>);

impl<S: Send + Sync> FromRequestParts<S> for ClientIp {
    type Rejection = std::convert::Infallible;
    async fn from_request_parts(
        parts: &mut Parts,
        _: &S,
    ) -> std::result::Result<Self, Self::Rejection> {
        let ip = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|ConnectInfo(addr)| addr.ip());
        Ok(ClientIp(ip))
    }
}

/// The visitor's view, with a reschedule link while the appointment is still ahead.
pub fn public_view(
    stored: &StoredAppointment,
    origin: Option<&str>,
    now: DateTime<Utc>,
) -> PublicAppointment {
    let mut view = PublicAppointment::from(&stored.appointment);
    view.reschedule_link = links::reschedule_link(stored, origin, now);
    view
}

/// Counts the request against its IP's booking allowance (429 with Retry-After when spent).
async fn limit_bookings(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    request: Request,
    next: Next,
) -> Response {
    if let Some(ip) = ip {
        if let Err(e) = state.booking_limiter.check(ip) {
            return e.into_response();
        }
    }
    next.run(request).await
}

async fn book(
    State(state): State<AppState>,
    Path(company_id): Path<String>,
    headers: HeaderMap,
    Json(request): Json<PublicBookingRequest>,
) -> Result<impl IntoResponse> {
    let started = std::time::Instant::now();
    // What no other booking can change is read and checked on a reader, in parallel with other
    // requests; the writer's lock is held only for the check against stored bookings and the insert.
    let mut conn = state.db.acquire().await?;
    let prepared = visitor::prepare(
        &mut conn,
        &state.catalogs,
        &company_id,
        &request,
        state.matcher.as_ref(),
    )
    .await?;
    // Connected calendars whose busy time is stale are read first (a bounded wait, never an error),
    // on the same reader.
    let staff_id = request.staff_id.as_deref().filter(|s| !s.is_empty());
    calendar::sync::refresh_stale_on(&state, Some(conn), &company_id, staff_id).await;
    let prepared_at = std::time::Instant::now();
    // IMMEDIATE takes SQLite's write lock before the availability check, so concurrent bookings run
    // one after the other: the check and the insert can't interleave with another booking.
    let mut tx = state.db.write().await?;
    let locked_at = std::time::Instant::now();
    let now = state.clock.now();
    let stored = visitor::book(&mut tx, &prepared, &request, now).await?;
    let committing = std::time::Instant::now();
    tx.commit().await?;
    tracing::debug!(
        commit_us = committing.elapsed().as_micros(),
        prepare_us = (prepared_at - started).as_micros(),
        queued_us = (locked_at - prepared_at).as_micros(),
        locked_us = locked_at.elapsed().as_micros(),
        "booked"
    );
    let view = public_view(
        &stored,
        links::origin(&state.config, Some(&headers)).as_deref(),
        now,
    );
    Ok((StatusCode::CREATED, Json(view)))
}

async fn view(
    State(state): State<AppState>,
    Path((company_id, encrypted_id)): Path<(String, String)>,
    headers: HeaderMap,
) -> Result<Json<PublicAppointment>> {
    let mut conn = state.db.acquire().await?;
    let stored = visitor::find(&mut conn, &company_id, &encrypted_id).await?;
    Ok(Json(public_view(
        &stored,
        links::origin(&state.config, Some(&headers)).as_deref(),
        state.clock.now(),
    )))
}

async fn reschedule(
    State(state): State<AppState>,
    Path((company_id, encrypted_id)): Path<(String, String)>,
    headers: HeaderMap,
    Json(request): Json<PublicRescheduleRequest>,
) -> Result<Json<PublicAppointment>> {
    let start = DateTime::parse_from_rfc3339(&request.start)
        .map_err(|_| {
            Error::field(
                "start",
                format!(
                    "must be a date-time with offset like 2026-12-01T09:30:00+01:00 (got {:?})",
                    request.start
                ),
            )
        })?
        .with_timezone(&Utc);
    let now = state.clock.now();
    let lang = request.lang.as_deref().unwrap_or("en");
    let staff_id = request.staff_id.as_deref().filter(|s| !s.is_empty());
    calendar::sync::refresh_stale(&state, &company_id, staff_id).await;
    let mut tx = state.db.write().await?;
    let stored = visitor::reschedule(
        &mut tx,
        &company_id,
        &encrypted_id,
        start,
        staff_id,
        lang,
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(Json(public_view(
        &stored,
        links::origin(&state.config, Some(&headers)).as_deref(),
        now,
    )))
}

/// `?lang=fr` on a cancellation (the language of its history entry) or on the calendar file (the
/// language of its description).
#[derive(Debug, Deserialize)]
struct LangParams {
    lang: Option<String>,
}

/// The visitor's language: `?lang=`, else the first of `Accept-Language`, else English.
fn visitor_lang(sent: Option<&str>, headers: &HeaderMap) -> String {
    let from_header = headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|h| h.to_str().ok())
        .and_then(|h| h.split([',', ';']).next());
    [sent, from_header]
        .into_iter()
        .flatten()
        .map(str::trim)
        .find(|l| {
            !l.is_empty()
                && l.len() <= 35
                && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        })
        .unwrap_or("en")
        .to_owned()
}

async fn cancel(
    State(state): State<AppState>,
    Path((company_id, encrypted_id)): Path<(String, String)>,
    Query(params): Query<LangParams>,
    headers: HeaderMap,
) -> Result<Json<PublicAppointment>> {
    let now = state.clock.now();
    let lang = visitor_lang(params.lang.as_deref(), &headers);
    let mut tx = state.db.write().await?;
    let stored = visitor::cancel(&mut tx, &company_id, &encrypted_id, &lang, now).await?;
    tx.commit().await?;
    Ok(Json(public_view(
        &stored,
        links::origin(&state.config, Some(&headers)).as_deref(),
        now,
    )))
}

async fn calendar(
    State(state): State<AppState>,
    Path((company_id, encrypted_id)): Path<(String, String)>,
    Query(params): Query<LangParams>,
    headers: HeaderMap,
) -> Result<impl IntoResponse> {
    let lang = visitor_lang(params.lang.as_deref(), &headers);
    let mut conn = state.db.acquire().await?;
    let stored = visitor::find(&mut conn, &company_id, &encrypted_id).await?;
    let company = crate::db::business::get_company(&mut *conn, &company_id).await?;
    let body = ics::invite_in(
        &stored,
        company.as_ref(),
        ics::Method::for_appointment(&stored),
        &ics::uid_host(&state.config),
        state.clock.now(),
        &lang,
    );
    Ok((
        [
            (header::CONTENT_TYPE, "text/calendar; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"appointment.ics\"",
            ),
        ],
        body,
    ))
}
