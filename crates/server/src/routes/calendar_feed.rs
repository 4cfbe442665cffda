//! Each staff member's calendar feed: `GET staff/{id}/calendar.ics?token=` (no API key: the token
//! is the secret, for calendar apps that can only subscribe to a URL), the staff record with its
//! `calendarFeedUrl`, and `POST staff/{id}/calendarFeedToken` to replace a leaked URL.
//!
//! A missing, wrong or replaced token answers 404, as an unknown staff member does, so the feed
//! doesn't tell which ids exist.

use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::middleware;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use base64::Engine;
use booking_model::Staff;
use chrono::{DateTime, Duration, Utc};
use serde::Deserialize;
use sha2::{Digest, Sha256};

use crate::booking::ics;
use crate::db::business::{self, Collection};
use crate::db::calendar_feeds;
use crate::error::{Error, Result};
use crate::extract::{Json, Path, Query};
use crate::{auth, links, AppState};

/// How long a calendar app may reuse a feed before asking again (it then gets a 304 when nothing
/// changed).
const MAX_AGE_SECONDS: u32 = 300;

/// How far back the feed reaches: the recent past, so yesterday's appointments don't vanish.
const HISTORY: Duration = Duration::days(31);

/// The feed itself (public) and the token's replacement (API key).
pub fn router(state: &AppState) -> Router<AppState> {
    let rotate = post(rotate_token).route_layer(middleware::from_fn_with_state(
        state.clone(),
        auth::require_api_key,
    ));
    Router::new()
        .route("/staff/{id}/calendar.ics", get(feed))
        .route("/staff/{id}/calendarFeedToken", rotate)
}

#[derive(Debug, Deserialize)]
struct FeedQuery {
    token: Option<String>,
}

fn no_feed() -> Error {
    Error::NotFound("no such calendar feed".to_owned())
}

async fn feed(
    State(state): State<AppState>,
    Path((company_id, staff_id)): Path<(String, String)>,
    Query(query): Query<FeedQuery>,
    headers: HeaderMap,
) -> Result<Response> {
    let token = query.token.ok_or_else(no_feed)?;
    let mut conn = state.db.acquire().await?;
    if !calendar_feeds::opens(&mut conn, &company_id, &staff_id, &token).await? {
        return Err(no_feed());
    }
    let staff: Staff = business::get_doc(&mut *conn, Collection::Staff, &company_id, &staff_id)
        .await?
        .ok_or_else(no_feed)?;
    let company = business::get_company(&mut *conn, &company_id).await?;
    let now = state.clock.now();
    let events =
        calendar_feeds::appointments(&mut conn, &company_id, &staff_id, now - HISTORY).await?;
    // Stamped with the day, not the instant, so an unchanged feed keeps its ETag all day.
    let stamp = day_of(now);
    let name = match company.as_ref().and_then(|c| c.name.as_deref()) {
        Some(company_name) => format!("{} — {company_name}", staff.display_name()),
        None => staff.display_name(),
    };
    let body = ics::staff_feed(
        &events,
        company.as_ref(),
        &name,
        &ics::uid_host(&state.config),
        stamp,
    );
    let etag = format!(
        "\"{}\"",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(&Sha256::digest(&body)[..18])
    );
    let cache = format!("private, max-age={MAX_AGE_SECONDS}");
    let unchanged = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|tag| tag.trim() == etag));
    let mut response = match unchanged {
        true => StatusCode::NOT_MODIFIED.into_response(),
        false => (
            [(header::CONTENT_TYPE, "text/calendar; charset=utf-8")],
            body,
        )
            .into_response(),
    };
    let out = response.headers_mut();
    out.insert(header::CACHE_CONTROL, header_value(&cache));
    out.insert(header::ETAG, header_value(&etag));
    Ok(response)
}

fn header_value(text: &str) -> HeaderValue {
    HeaderValue::from_str(text).unwrap_or_else(|_| HeaderValue::from_static(""))
}

fn day_of(now: DateTime<Utc>) -> DateTime<Utc> {
    now.date_naive().and_time(chrono::NaiveTime::MIN).and_utc()
}

/// The feed's URL for `token`; `None` when the server knows no origin to build links on.
fn feed_url(
    state: &AppState,
    headers: &HeaderMap,
    company_id: &str,
    staff_id: &str,
    token: &str,
) -> Option<String> {
    let origin = links::origin(&state.config, Some(headers))?;
    let path =
        |segment: &str| form_urlencoded::byte_serialize(segment.as_bytes()).collect::<String>();
    Some(format!(
        "{origin}/api/2.1/scheduling/companies/{}/staff/{}/calendar.ics?token={}",
        path(company_id),
        path(staff_id),
        path(token)
    ))
}

/// `GET staff/{id}` (API key): the record with its `calendarFeedUrl`, the feed's token made on
/// first read.
pub async fn read_staff(
    State(state): State<AppState>,
    Path((company_id, staff_id)): Path<(String, String)>,
    headers: HeaderMap,
) -> Result<Json<Staff>> {
    let not_found = || Error::NotFound(format!("staff member `{staff_id}` not found"));
    let mut staff: Staff = business::get_doc(&state.db, Collection::Staff, &company_id, &staff_id)
        .await?
        .ok_or_else(not_found)?;
    let mut conn = state.db.acquire().await?;
    let token = match calendar_feeds::existing_token(&mut conn, &company_id, &staff_id).await? {
        Some(token) => token,
        None => {
            drop(conn);
            let mut tx = state.db.write().await?;
            let token = calendar_feeds::token(&mut tx, &company_id, &staff_id)
                .await?
                .ok_or_else(not_found)?;
            tx.commit().await?;
            token
        }
    };
    staff.calendar_feed_url = feed_url(&state, &headers, &company_id, &staff_id, &token);
    Ok(Json(staff))
}

/// `POST staff/{id}/calendarFeedToken`: a new token; the old URL answers 404 from now on.
async fn rotate_token(
    State(state): State<AppState>,
    Path((company_id, staff_id)): Path<(String, String)>,
    headers: HeaderMap,
) -> Result<Json<Staff>> {
    let not_found = || Error::NotFound(format!("staff member `{staff_id}` not found"));
    let mut tx = state.db.write().await?;
    let mut staff: Staff = business::get_doc(&mut *tx, Collection::Staff, &company_id, &staff_id)
        .await?
        .ok_or_else(not_found)?;
    let token = calendar_feeds::rotate(&mut tx, &company_id, &staff_id)
        .await?
        .ok_or_else(not_found)?;
    tx.commit().await?;
    staff.calendar_feed_url = feed_url(&state, &headers, &company_id, &staff_id, &token);
    Ok(Json(staff))
}
