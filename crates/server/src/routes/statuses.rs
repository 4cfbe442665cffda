//! The appointment-statuses API (authenticated, like the setup API): a company's custom statuses,
//! which `customStatus.id` of an appointment names. The reference refers to it ("managed with the
//! appointment statuses api") without documenting it; this is the small CRUD it implies.
//!
//! - `GET appointmentStatuses` → `{"items": [...]}`; `POST` creates (`id` generated when absent,
//!   409 when taken).
//! - `GET`, `PUT` (replace) and `DELETE appointmentStatuses/{id}`. Appointments that have a deleted
//!   status keep its id, without a name; new writes naming it are refused.

use axum::extract::State;
use axum::http::StatusCode;
use axum::middleware;
use axum::routing::get;
use axum::Router;
use booking_model::{validate_appointment_status, AppointmentStatusDefinition, ListResponse};

use crate::auth;
use crate::booking::{ids, setup};
use crate::db::statuses;
use crate::error::{Error, Result};
use crate::extract::{Json, Path};
use crate::AppState;

/// Routes of this module, all behind the API key.
pub fn router(state: &AppState) -> Router<AppState> {
    Router::new()
        .route("/appointmentStatuses", get(list).post(create))
        .route(
            "/appointmentStatuses/{id}",
            get(read).put(replace).delete(remove),
        )
        .route_layer(middleware::from_fn_with_state(
            state.clone(),
            auth::require_api_key,
        ))
}

fn not_found(id: &str) -> Error {
    Error::NotFound(format!("appointment status `{id}` not found"))
}

/// Every problem of `status` at once, each naming its field.
fn validate(status: &AppointmentStatusDefinition) -> Result<()> {
    let mut fields = validate_appointment_status(status);
    // The id is a path segment: its characters are checked as every record id's are.
    let id_checked = fields.iter().any(|f| f.name == "id");
    if let (Some(id), false) = (status.id.as_deref(), id_checked) {
        if let Err(Error::BadRequest { fields: more, .. }) = setup::check_id("id", id) {
            fields.extend(more);
        }
    }
    match fields.is_empty() {
        true => Ok(()),
        false => Err(Error::invalid(fields)),
    }
}

async fn list(
    State(state): State<AppState>,
    Path(company_id): Path<String>,
) -> Result<Json<ListResponse<AppointmentStatusDefinition>>> {
    let mut conn = state.db.acquire().await?;
    Ok(Json(ListResponse::new(
        statuses::list(&mut conn, &company_id).await?,
    )))
}

async fn create(
    State(state): State<AppState>,
    Path(company_id): Path<String>,
    Json(mut status): Json<AppointmentStatusDefinition>,
) -> Result<(StatusCode, Json<AppointmentStatusDefinition>)> {
    if status.id.as_deref().is_none_or(str::is_empty) {
        status.id = Some(ids::record_id());
    }
    validate(&status)?;
    let mut tx = state.db.write().await?;
    statuses::insert(&mut tx, &company_id, &status).await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(status)))
}

async fn read(
    State(state): State<AppState>,
    Path((company_id, id)): Path<(String, String)>,
) -> Result<Json<AppointmentStatusDefinition>> {
    let mut conn = state.db.acquire().await?;
    statuses::get(&mut conn, &company_id, &id)
        .await?
        .map(Json)
        .ok_or_else(|| not_found(&id))
}

async fn replace(
    State(state): State<AppState>,
    Path((company_id, id)): Path<(String, String)>,
    Json(mut status): Json<AppointmentStatusDefinition>,
) -> Result<Json<AppointmentStatusDefinition>> {
    if let Some(sent) = status.id.as_deref().filter(|sent| *sent != id) {
        // The body against the path: a rule the OpenAPI document cannot state (422).
        return Err(Error::rule(
            "id",
            format!("must match the id in the path (got {sent:?}, path says {id:?})"),
        ));
    }
    // The path's id names a stored status (ids are checked when created), so only the body is
    // validated here: an id no status can have is a 404 like any other unknown id, not a 400.
    status.id = None;
    validate(&status)?;
    status.id = Some(id.clone());
    let mut tx = state.db.write().await?;
    if !statuses::replace(&mut tx, &company_id, &status).await? {
        return Err(not_found(&id));
    }
    tx.commit().await?;
    Ok(Json(status))
}

async fn remove(
    State(state): State<AppState>,
    Path((company_id, id)): Path<(String, String)>,
) -> Result<StatusCode> {
    let mut tx = state.db.write().await?;
    if !statuses::delete(&mut tx, &company_id, &id).await? {
        return Err(not_found(&id));
    }
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}
