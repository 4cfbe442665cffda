//! The authenticated Appointments API of the reference: `GET/POST appointments`,
//! `GET/PUT/DELETE appointments/{appointmentId}` under `/companies/{companyId}/`.
//!
//! Handlers parse and check parameters, call `booking::appointments` inside a write transaction, and
//! shape the answer (`fields`, `levelDetail`, `lang`, reschedule link).

use std::str::FromStr;

use axum::extract::{RawQuery, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::middleware;
use axum::response::IntoResponse;
use axum::routing::get;
use axum::Router;
use booking_model::{Appointment, AppointmentStatus, LevelDetail};
use chrono::{DateTime, Months, NaiveDate, Utc};
use serde::Deserialize;
use serde_json::{json, Value};

use crate::auth;
use crate::booking::api_view::{render, url_safe, View};
use crate::booking::appointments::{self as rules, WriteOptions};
use crate::booking::catalog;
use crate::booking::custom_status;
use crate::booking::files;
use crate::booking::sync::{self, PageToken};
use crate::db::appointment_list::{self, ListFilter, Position};
use crate::db::appointments::{current_change_seq, utc_text};
use crate::db::{clients, statuses};
use crate::error::{Error, Result};
use crate::extract::{Json, Path, Query};
use crate::links;
use crate::AppState;

/// Default and largest `maxResults`.
pub const DEFAULT_MAX_RESULTS: i64 = 250;
/// Largest `maxResults`.
pub const MAX_MAX_RESULTS: i64 = 2500;
/// Width of the list window when only one of `startDate` / `endDate` is given and the default of
/// the other would not lie beyond it: the width of the default window (now ± 1 month).
pub const LONE_BOUND_WINDOW_MONTHS: u32 = 2;

/// Routes of this module, all behind the API key.
pub fn router(state: &AppState) -> Router<AppState> {
    Router::new()
        .route("/appointments", get(list).post(create))
        .route(
            "/appointments/{appointment_id}",
            get(read).put(replace).delete(remove),
        )
        .route(
            "/appointments/{appointment_id}/files/{file_id}/{file_name}",
            get(download),
        )
        .route_layer(middleware::from_fn_with_state(
            state.clone(),
            auth::require_api_key,
        ))
}

/// `true`/`false` (also `1`/`0`, any case) for the boolean parameter `name`.
pub fn flag(name: &str, value: Option<&str>) -> Result<bool> {
    match value.map(|v| v.trim().to_ascii_lowercase()).as_deref() {
        None | Some("") => Ok(false),
        Some("true" | "1") => Ok(true),
        Some("false" | "0") => Ok(false),
        Some(other) => Err(Error::field(
            name,
            format!("must be true or false (got {other:?})"),
        )),
    }
}

/// A language tag like `fr` or `fr-CA`.
fn lang(value: Option<&str>) -> Result<String> {
    let Some(value) = value.filter(|v| !v.is_empty()) else {
        return Ok("en".to_owned());
    };
    let ok = value.len() <= 35
        && value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    match ok {
        true => Ok(value.to_owned()),
        false => Err(Error::field(
            "lang",
            format!("must be a language code like fr or en-GB (got {value:?})"),
        )),
    }
}

/// `GET appointments/{id}/files/{fileId}/{name}`: a file answered in the appointment's form, behind
/// the API key like the appointment itself.
async fn download(
    State(state): State<AppState>,
    Path((company_id, key, file_id, _name)): Path<(String, String, String, String)>,
) -> Result<impl IntoResponse> {
    let mut conn = state.db.acquire().await?;
    let stored = rules::find(&mut conn, &company_id, &key).await?;
    let id = stored.appointment.id.as_deref().unwrap_or_default();
    let file = files::download(&mut conn, &company_id, id, &file_id).await?;
    let disposition = format!("attachment; filename=\"{}\"", url_safe(&file.file_name));
    Ok((
        [
            (header::CONTENT_TYPE, file.media_type),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        file.content,
    ))
}

/// `GET appointments/{id}` parameters.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct ReadParams {
    lang: Option<String>,
    fields: Option<String>,
    level_detail: Option<String>,
}

async fn read(
    State(state): State<AppState>,
    Path((company_id, key)): Path<(String, String)>,
    Query(params): Query<ReadParams>,
    headers: HeaderMap,
) -> Result<Json<Value>> {
    let view = View::new(
        params.fields.as_deref(),
        params.level_detail.as_deref(),
        LevelDetail::Full,
    )?;
    let lang = params.lang.as_deref().map(|l| lang(Some(l))).transpose()?;
    let mut conn = state.db.acquire().await?;
    let mut stored = rules::find(&mut conn, &company_id, &key).await?;
    crate::calendar::write::show_copies(&mut conn, &company_id, [&mut stored]).await?;
    let names = statuses::names(&mut conn, &company_id).await?;
    let origin = links::origin(&state.config, Some(&headers));
    Ok(Json(render(
        &stored,
        &view,
        origin.as_deref(),
        lang.as_deref(),
        &names,
        state.clock.now(),
    )?))
}

/// `POST` / `PUT` / `DELETE` parameters.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct WriteParams {
    lang: Option<String>,
    force: Option<String>,
    personal_appointment_sync: Option<String>,
    silent: Option<String>,
    calculate_geolocation: Option<String>,
}

impl WriteParams {
    /// Checks every parameter. `calculateGeolocation` is accepted and checked but changes
    /// nothing: this server has no geocoder. `personalAppointmentSync` decides whether a personal
    /// appointment is written to the staff member's CalDAV calendars (absent: as last given, else
    /// `true`).
    fn options(&self) -> Result<WriteOptions> {
        let personal_sync = match self.personal_appointment_sync.as_deref().map(str::trim) {
            None | Some("") => None,
            value => Some(flag("personalAppointmentSync", value)?),
        };
        flag(
            "calculateGeolocation",
            self.calculate_geolocation.as_deref(),
        )?;
        Ok(WriteOptions {
            lang: lang(self.lang.as_deref())?,
            force: flag("force", self.force.as_deref())?,
            silent: flag("silent", self.silent.as_deref())?,
            personal_calendar_sync: personal_sync,
        })
    }
}

async fn create(
    State(state): State<AppState>,
    Path(company_id): Path<String>,
    Query(params): Query<WriteParams>,
    headers: HeaderMap,
    Json(input): Json<Appointment>,
) -> Result<impl IntoResponse> {
    if params.calculate_geolocation.is_some() {
        return Err(Error::field(
            "calculateGeolocation",
            "is only accepted when updating an appointment",
        ));
    }
    let options = params.options()?;
    // Connected calendars whose busy time is stale are read first (a bounded wait, never an error).
    let staff_id = input.staff.as_ref().and_then(|s| s.id.as_deref());
    crate::calendar::sync::refresh_stale(&state, &company_id, staff_id).await;
    let now = state.clock.now();
    let mut tx = state.db.write().await?;
    let wanted_status = input.custom_status.clone();
    let mut stored = rules::insert(
        &mut tx,
        &company_id,
        input,
        &options,
        state.matcher.as_ref(),
        now,
    )
    .await?;
    // After the appointment's own checks (so their 400 lists every field); a refusal here rolls
    // the write back with the transaction.
    custom_status::check(&mut tx, &company_id, wanted_status.as_ref()).await?;
    // The answer shows what GET would: the calendar copy and personalAppointmentSync as stored.
    crate::calendar::write::show_copies(&mut tx, &company_id, [&mut stored]).await?;
    let names = statuses::names(&mut tx, &company_id).await?;
    tx.commit().await?;
    let origin = links::origin(&state.config, Some(&headers));
    let body = render(&stored, &View::Full, origin.as_deref(), None, &names, now)?;
    Ok((StatusCode::CREATED, Json(body)))
}

async fn replace(
    State(state): State<AppState>,
    Path((company_id, key)): Path<(String, String)>,
    Query(params): Query<WriteParams>,
    headers: HeaderMap,
    Json(input): Json<Appointment>,
) -> Result<Json<Value>> {
    let options = params.options()?;
    // Connected calendars whose busy time is stale are read first (a bounded wait, never an error).
    let staff_id = input.staff.as_ref().and_then(|s| s.id.as_deref());
    crate::calendar::sync::refresh_stale(&state, &company_id, staff_id).await;
    let now = state.clock.now();
    let mut tx = state.db.write().await?;
    let wanted_status = input.custom_status.clone();
    let mut stored = rules::update(
        &mut tx,
        &company_id,
        &key,
        input,
        &options,
        state.matcher.as_ref(),
        now,
    )
    .await?;
    // After the appointment's own checks (so their 400 lists every field); a refusal here rolls
    // the write back with the transaction.
    custom_status::check(&mut tx, &company_id, wanted_status.as_ref()).await?;
    // The answer shows what GET would: the calendar copy and personalAppointmentSync as stored.
    crate::calendar::write::show_copies(&mut tx, &company_id, [&mut stored]).await?;
    let names = statuses::names(&mut tx, &company_id).await?;
    tx.commit().await?;
    let origin = links::origin(&state.config, Some(&headers));
    Ok(Json(render(
        &stored,
        &View::Full,
        origin.as_deref(),
        None,
        &names,
        now,
    )?))
}

async fn remove(
    State(state): State<AppState>,
    Path((company_id, key)): Path<(String, String)>,
    Query(params): Query<WriteParams>,
) -> Result<StatusCode> {
    if params.force.is_some() || params.calculate_geolocation.is_some() {
        return Err(Error::field(
            if params.force.is_some() {
                "force"
            } else {
                "calculateGeolocation"
            },
            "is not a parameter of delete",
        ));
    }
    let options = params.options()?;
    let mut tx = state.db.write().await?;
    let how = (options.lang.as_str(), options.silent);
    rules::delete(&mut tx, &company_id, &key, how, state.clock.now()).await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The list parameters, read from the raw query so `status` may repeat.
#[derive(Debug, Default)]
struct ListParams {
    start_date: Option<String>,
    end_date: Option<String>,
    created_start_date: Option<String>,
    created_end_date: Option<String>,
    statuses: Vec<AppointmentStatus>,
    client_id: Option<String>,
    external_client_id: Option<String>,
    service_id: Option<String>,
    staff_id: Option<String>,
    resource_id: Option<String>,
    q: Option<String>,
    personal: bool,
    show_deleted: bool,
    fields: Option<String>,
    level_detail: Option<String>,
    lang: Option<String>,
    sync_token: Option<String>,
    page_token: Option<String>,
    max_results: i64,
}

impl ListParams {
    fn parse(pairs: &[(String, String)]) -> Result<Self> {
        let mut p = ListParams {
            max_results: DEFAULT_MAX_RESULTS,
            ..ListParams::default()
        };
        for (key, value) in pairs {
            let value = value.trim();
            let text = || Some(value.to_owned()).filter(|v| !v.is_empty());
            match key.as_str() {
                "startDate" => p.start_date = text(),
                "endDate" => p.end_date = text(),
                "createdStartDate" => p.created_start_date = text(),
                "createdEndDate" => p.created_end_date = text(),
                "status" => {
                    for one in value.split(',').map(str::trim).filter(|s| !s.is_empty()) {
                        let status = AppointmentStatus::from_str(one)
                            .map_err(|e| Error::field("status", e.to_string()))?;
                        p.statuses.push(status);
                    }
                }
                "clientId" => p.client_id = text(),
                "externalClientId" => p.external_client_id = text(),
                "serviceId" => p.service_id = text(),
                "staffId" => p.staff_id = text(),
                "resourceId" => p.resource_id = text(),
                "q" => p.q = text(),
                "personalAppointments" => p.personal = flag("personalAppointments", Some(value))?,
                "showDeleted" => p.show_deleted = flag("showDeleted", Some(value))?,
                "fields" => p.fields = text(),
                "levelDetail" => p.level_detail = text(),
                "lang" => p.lang = text(),
                "syncToken" => p.sync_token = text(),
                "pageToken" => p.page_token = text(),
                "maxResults" => {
                    p.max_results = value
                        .parse::<i64>()
                        .ok()
                        .filter(|n| (1..=MAX_MAX_RESULTS).contains(n))
                        .ok_or_else(|| {
                            Error::field(
                                "maxResults",
                                format!(
                                    "must be a number from 1 to {MAX_MAX_RESULTS} (got {value:?})"
                                ),
                            )
                        })?
                }
                // Credentials, and parameters of other APIs that a generic client may add.
                _ => {}
            }
        }
        Ok(p)
    }
}

/// An instant of a list filter for the parameter `name`: RFC 3339 with an offset, or a date-time
/// without one (`2026-12-01T09:30:00`, seconds and fractions optional), or a `yyyy-MM-dd` day
/// (its midnight). The reference says these bounds are in GMT, so a value without an offset is UTC.
fn instant(name: &str, value: Option<&str>) -> Result<Option<DateTime<Utc>>> {
    let Some(value) = value else {
        return Ok(None);
    };
    let value = plus_restored(value);
    if let Ok(t) = DateTime::parse_from_rfc3339(&value) {
        return Ok(Some(t.with_timezone(&Utc)));
    }
    if let Ok(t) = booking_model::datetime::parse_local_date_time(&value) {
        return Ok(Some(t.and_utc()));
    }
    if let Ok(day) = NaiveDate::parse_from_str(&value, "%Y-%m-%d") {
        if value.len() == 10 {
            return Ok(day.and_hms_opt(0, 0, 0).map(|t| t.and_utc()));
        }
    }
    Err(Error::field(
        name,
        format!(
            "must be an RFC 3339 date-time like 2026-12-01T00:00:00Z, a GMT date-time like \
             2026-12-01T00:00:00 or a day like 2026-12-01 (got {value:?})"
        ),
    ))
}

/// `…T10:00:00 01:00` back to `…T10:00:00+01:00`: an unencoded `+` in a query string arrives as a
/// space, and the offset is then unambiguous.
fn plus_restored(value: &str) -> std::borrow::Cow<'_, str> {
    let bytes = value.as_bytes();
    let n = bytes.len();
    let offset_like = n > 16
        && bytes[n - 6] == b' '
        && bytes[n - 3] == b':'
        && [n - 5, n - 4, n - 2, n - 1]
            .iter()
            .all(|&i| bytes[i].is_ascii_digit());
    match offset_like {
        true => format!("{}+{}", &value[..n - 6], &value[n - 5..]).into(),
        false => value.into(),
    }
}

/// The window `[startDate, endDate)` of a list. A missing bound takes the reference's default
/// (now − 1 month, now + 1 month) when that still leaves a window after (before) the given one;
/// otherwise it lies [`LONE_BOUND_WINDOW_MONTHS`] months from the given bound. So a lone
/// `startDate` far ahead, or a lone `endDate` far back, lists the two months from (up to) it.
fn list_window(
    from: Option<DateTime<Utc>>,
    to: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> (Option<DateTime<Utc>>, Option<DateTime<Utc>>) {
    let months = Months::new(LONE_BOUND_WINDOW_MONTHS);
    let default_from = now.checked_sub_months(Months::new(1));
    let default_to = now.checked_add_months(Months::new(1));
    match (from, to) {
        (Some(from), Some(to)) => (Some(from), Some(to)),
        (None, None) => (default_from, default_to),
        (Some(from), None) => {
            let to = default_to
                .filter(|to| *to > from)
                .or_else(|| from.checked_add_months(months));
            (Some(from), to)
        }
        (None, Some(to)) => {
            let from = default_from
                .filter(|from| *from < to)
                .or_else(|| to.checked_sub_months(months));
            (from, Some(to))
        }
    }
}

/// Checks `from < to` for a pair of bounds, naming the second.
fn ordered(name: &str, from: Option<DateTime<Utc>>, to: Option<DateTime<Utc>>) -> Result<()> {
    if let (Some(from), Some(to)) = (from, to) {
        if from >= to {
            return Err(Error::rule(
                name,
                format!(
                    "must be after the lower bound (got {} <= {})",
                    utc_text(to),
                    utc_text(from)
                ),
            ));
        }
    }
    Ok(())
}

async fn list(
    State(state): State<AppState>,
    Path(company_id): Path<String>,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
) -> Result<Json<Value>> {
    let pairs = crate::extract::query_pairs(raw.as_deref())?;
    let params = ListParams::parse(&pairs)?;
    let view = View::new(
        params.fields.as_deref(),
        params.level_detail.as_deref(),
        LevelDetail::Light,
    )?;
    let lang = params.lang.as_deref().map(|l| lang(Some(l))).transpose()?;
    let now = state.clock.now();
    // startDate/endDate select the appointments overlapping [startDate, endDate) — the reading of the
    // reference's (swapped) "upper bound for start / lower bound for end" wording that makes its
    // defaults (now − 1 month, now + 1 month) a window.
    let (window_from, window_to) = list_window(
        instant("startDate", params.start_date.as_deref())?,
        instant("endDate", params.end_date.as_deref())?,
        now,
    );
    ordered("endDate", window_from, window_to)?;
    let created_after = instant("createdStartDate", params.created_start_date.as_deref())?;
    let created_before = instant("createdEndDate", params.created_end_date.as_deref())?;
    ordered("createdEndDate", created_after, created_before)?;
    let fingerprint = sync::fingerprint(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    let filters = sync::filter_fingerprint(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())));

    // One read transaction: the counter and the rows come from the same snapshot.
    let mut tx = state.db.begin().await?;
    let current = current_change_seq(&mut tx).await?;
    let (position, until) = match (&params.page_token, &params.sync_token) {
        (Some(token), _) => {
            let page = PageToken::read(token, &company_id, &fingerprint)?;
            let position = match (page.q, page.s) {
                (Some(seq), _) => Position::ByChange(seq),
                (None, after) => Position::ByStart(after),
            };
            (position, page.u)
        }
        (None, Some(token)) => {
            let from = sync::read_sync_token(token, &company_id, current, &filters, now)?;
            (Position::ByChange(from), current)
        }
        (None, None) => (Position::ByStart(None), current),
    };

    let catalog = catalog::load(&mut tx, &company_id).await?;
    let service_ids = ids_matching(
        params.service_id.as_deref(),
        catalog.services.iter().map(|s| (&s.id, &s.external_id)),
    );
    let staff_ids = ids_matching(
        params.staff_id.as_deref(),
        catalog.staff.iter().map(|s| (&s.id, &s.external_id)),
    );
    let resource_ids = ids_matching(
        params.resource_id.as_deref(),
        catalog.resources.iter().map(|r| (&r.id, &r.external_id)),
    );
    let mut client_ids: Option<Vec<String>> = None;
    if let Some(key) = &params.client_id {
        client_ids = Some(clients::ids_matching(&mut tx, &company_id, key, true).await?);
    }
    if let Some(key) = &params.external_client_id {
        let found = clients::ids_matching(&mut tx, &company_id, key, false).await?;
        client_ids = Some(match client_ids {
            Some(ids) => ids.into_iter().filter(|id| found.contains(id)).collect(),
            None => found,
        });
    }
    let filter = ListFilter {
        company_id: company_id.clone(),
        ends_after: window_from,
        starts_before: window_to,
        created_after,
        created_before,
        statuses: params.statuses.iter().map(|s| s.as_str()).collect(),
        client_ids,
        service_ids,
        staff_ids,
        resource_ids,
        terms: params
            .q
            .as_deref()
            .unwrap_or_default()
            .split_whitespace()
            .map(str::to_lowercase)
            .collect(),
        include_personal: params.personal,
        include_deleted: params.show_deleted,
    };
    let mut rows =
        appointment_list::list(&mut tx, &filter, &position, until, params.max_results + 1).await?;
    let stored = rows.iter_mut().map(|row| &mut row.stored);
    crate::calendar::write::show_copies(&mut tx, &company_id, stored).await?;
    let names = statuses::names(&mut tx, &company_id).await?;
    tx.commit().await?;

    let more = i64::try_from(rows.len()).unwrap_or(i64::MAX) > params.max_results;
    rows.truncate(usize::try_from(params.max_results).unwrap_or(usize::MAX));
    let origin = links::origin(&state.config, Some(&headers));
    let items = rows
        .iter()
        .map(|row| {
            let mut item = render(
                &row.stored,
                &view,
                origin.as_deref(),
                lang.as_deref(),
                &names,
                now,
            )?;
            // Left the filters since the token: a removal for this client, marked as a deletion is.
            if !row.in_filter {
                if let Some(map) = item.as_object_mut() {
                    map.insert("deleted".to_owned(), Value::Bool(true));
                }
            }
            Ok(item)
        })
        .collect::<Result<Vec<_>>>()?;
    let mut body = json!({ "items": items });
    match (more, rows.last()) {
        (true, Some(last)) => {
            let syncing = matches!(position, Position::ByChange(_));
            let token = PageToken {
                c: company_id.clone(),
                f: fingerprint,
                u: until,
                q: syncing.then_some(last.change_seq),
                s: (!syncing).then(|| (last.start_key.clone(), last.id.clone())),
            };
            body["nextPageToken"] = Value::String(token.encode());
        }
        _ => {
            body["nextSyncToken"] =
                Value::String(sync::sync_token(&company_id, until, &filters, now))
        }
    }
    Ok(Json(body))
}

/// For a list filter given as our id or an `externalId`: the ids of the records it names, or the key
/// itself when none matches (so the filter selects nothing rather than everything). `None` = no filter.
fn ids_matching<'a>(
    key: Option<&str>,
    records: impl Iterator<Item = (&'a Option<String>, &'a Option<String>)>,
) -> Option<Vec<String>> {
    let key = key?;
    let found: Vec<String> = records
        .filter(|(id, external_id)| matches_key(id, external_id, Some(key)))
        .filter_map(|(id, _)| id.clone())
        .collect();
    Some(if found.is_empty() {
        vec![key.to_owned()]
    } else {
        found
    })
}

fn matches_key(id: &Option<String>, external_id: &Option<String>, key: Option<&str>) -> bool {
    key.is_some_and(|k| id.as_deref() == Some(k) || external_id.as_deref() == Some(k))
}
