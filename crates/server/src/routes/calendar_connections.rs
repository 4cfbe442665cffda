//! A staff member's connected calendars (API key): `POST` and `GET
//! staff/{id}/calendarConnections`, `GET` and `DELETE staff/{id}/calendarConnections/{connectionId}`.
//! A connection's busy time blocks the staff member's slots once read; its `status` tells how the
//! reads go. CalDAV passwords are sealed with the server's secret key and never shown.

use axum::extract::State;
use axum::http::StatusCode;
use axum::middleware;
use axum::routing::get;
use axum::Router;
use booking_model::{
    validate_calendar_connection, CalendarConnection, CalendarConnectionStatus, ListResponse,
    NewCalendarConnection,
};

use crate::booking::ids;
use crate::calendar::sync;
use crate::db::appointments::utc_text;
use crate::db::calendar_connections::{self as store, StoredConnection};
use crate::error::{Error, Result};
use crate::extract::{Json, Path};
use crate::webhooks::ssrf;
use crate::{auth, AppState};

/// Routes of this module, all behind the API key.
pub fn router(state: &AppState) -> Router<AppState> {
    Router::new()
        .route("/staff/{id}/calendarConnections", get(list).post(create))
        .route(
            "/staff/{id}/calendarConnections/{connection_id}",
            get(read).delete(remove),
        )
        .route_layer(middleware::from_fn_with_state(
            state.clone(),
            auth::require_api_key,
        ))
}

/// The API's view of a stored connection.
fn view(stored: &StoredConnection) -> CalendarConnection {
    CalendarConnection {
        id: stored.id.clone(),
        staff_id: stored.staff_id.clone(),
        kind: stored.kind.clone(),
        url: stored.url.clone(),
        username: stored.username.clone(),
        created_at: utc_text(stored.created_at),
        status: CalendarConnectionStatus {
            last_sync_at: stored.last_sync_at.map(utc_text),
            last_attempt_at: stored.last_attempt_at.map(utc_text),
            last_error: stored.last_error.clone(),
            event_count: stored.event_count,
            busy_count: stored.busy_count,
            last_write_at: stored.last_write_at.map(utc_text),
            last_write_error: stored.last_write_error.clone(),
        },
    }
}

fn no_staff(staff_id: &str) -> Error {
    Error::NotFound(format!("staff member `{staff_id}` not found"))
}

fn no_connection(id: &str) -> Error {
    Error::NotFound(format!("calendar connection `{id}` not found"))
}

async fn list(
    State(state): State<AppState>,
    Path((company_id, staff_id)): Path<(String, String)>,
) -> Result<Json<ListResponse<CalendarConnection>>> {
    let mut conn = state.db.acquire().await?;
    if !store::staff_exists(&mut conn, &company_id, &staff_id).await? {
        return Err(no_staff(&staff_id));
    }
    let stored = store::list(&mut conn, &company_id, &staff_id).await?;
    Ok(Json(ListResponse::new(stored.iter().map(view).collect())))
}

async fn create(
    State(state): State<AppState>,
    Path((company_id, staff_id)): Path<(String, String)>,
    Json(new): Json<NewCalendarConnection>,
) -> Result<(StatusCode, Json<CalendarConnection>)> {
    {
        let mut conn = state.db.acquire().await?;
        if !store::staff_exists(&mut conn, &company_id, &staff_id).await? {
            return Err(no_staff(&staff_id));
        }
    }
    let fields = validate_calendar_connection(&new);
    if !fields.is_empty() {
        return Err(Error::invalid(fields));
    }
    let kind = new.kind.as_deref().unwrap_or_default().trim().to_owned();
    let id = ids::record_id();
    let secret = match (kind.as_str(), &state.config.secret_key) {
        ("caldav", None) => {
            return Err(Error::Conflict(
                "this server has no secret key to store a CalDAV password with: start it with \
                 --secret-key (or BOOKING_SECRET_KEY), 32 bytes as hex or base64"
                    .to_owned(),
            ))
        }
        ("caldav", Some(key)) => Some(key.seal(
            &sync::seal_context(&company_id, &id),
            new.password.as_deref().unwrap_or_default(),
        )),
        _ => None,
    };
    let url = new.url.as_deref().unwrap_or_default().trim().to_owned();
    ssrf::check_url(&url, state.config.allow_private_webhooks)
        .await
        .map_err(|e| Error::rule("url", sync::address_refusal(&e)))?;
    let stored = StoredConnection {
        company_id: company_id.clone(),
        id,
        staff_id,
        kind,
        url,
        username: new.username.as_deref().map(str::trim).map(str::to_owned),
        secret,
        created_at: state.clock.now(),
        ..StoredConnection::default()
    };
    let zone = crate::db::business::get_company(&state.db, &company_id)
        .await?
        .and_then(|c| c.time_zone)
        .unwrap_or_else(|| "UTC".to_owned());
    let mut tx = state.db.write().await?;
    store::insert(&mut tx, &stored).await?;
    // The bookings already made appear in the new calendar too, not only the next ones.
    if stored.kind == "caldav" {
        crate::calendar::write::enqueue_existing(
            &mut tx,
            (&company_id, &stored.staff_id, &stored.id),
            &zone,
            state.clock.now(),
        )
        .await?;
    }
    tx.commit().await?;
    // The first read starts at once, in the background; the status shows when it is done.
    let reader = state.clone();
    let first = stored.clone();
    tokio::spawn(async move {
        if let Err(e) = sync::refresh_if_due(&reader, &first).await {
            tracing::warn!(error = %e, "recording a calendar read failed");
        }
    });
    Ok((StatusCode::CREATED, Json(view(&stored))))
}

async fn read(
    State(state): State<AppState>,
    Path((company_id, staff_id, id)): Path<(String, String, String)>,
) -> Result<Json<CalendarConnection>> {
    let mut conn = state.db.acquire().await?;
    match store::get(&mut conn, &company_id, &staff_id, &id).await? {
        Some(stored) => Ok(Json(view(&stored))),
        None => Err(no_connection(&id)),
    }
}

async fn remove(
    State(state): State<AppState>,
    Path((company_id, staff_id, id)): Path<(String, String, String)>,
) -> Result<StatusCode> {
    let mut tx = state.db.write().await?;
    if !store::delete(&mut tx, &company_id, &staff_id, &id).await? {
        return Err(no_connection(&id));
    }
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}
