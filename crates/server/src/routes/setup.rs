//! The business setup API (authenticated): the key's own company, and its services, staff,
//! resources, forms and clients, in the shapes of the wider public API (see `booking-model`).
//!
//! Each collection answers `GET` (list, `{"items":[...]}`) and `POST` (create; `id` generated when
//! absent, 409 when taken) on `/{collection}`, and `GET`, `PUT` (replace) and `DELETE` on
//! `/{collection}/{id}`. Every write is validated by `booking::setup` (ids ≤ 16 URL-safe characters,
//! time zones, working hours, durations > 0, …), each violation a 400 naming its field.

use axum::extract::State;
use axum::http::StatusCode;
use axum::middleware;
use axum::routing::get;
use axum::Router;
use booking_model::{ClientRef, Company, Form, ListResponse, Resource, Service, Staff};

use crate::auth;
use crate::booking::ids;
use crate::booking::setup::{self, SetupRecord};
use crate::db::{business, clients};
use crate::error::{Error, OnConstraint, Result};
use crate::extract::{Json, Path};
use crate::AppState;

/// Routes of this module, all behind the API key.
pub fn router(state: &AppState) -> Router<AppState> {
    Router::new()
        .route(
            "/",
            get(read_company)
                .put(replace_company)
                .delete(delete_company),
        )
        .route("/services", get(list::<Service>).post(create::<Service>))
        .route(
            "/services/{id}",
            get(read::<Service>)
                .put(replace::<Service>)
                .delete(remove::<Service>),
        )
        .route("/staff", get(list::<Staff>).post(create::<Staff>))
        .route(
            "/staff/{id}",
            get(super::calendar_feed::read_staff)
                .put(replace::<Staff>)
                .delete(remove::<Staff>),
        )
        .route("/resources", get(list::<Resource>).post(create::<Resource>))
        .route(
            "/resources/{id}",
            get(read::<Resource>)
                .put(replace::<Resource>)
                .delete(remove::<Resource>),
        )
        .route("/forms", get(list::<Form>).post(create::<Form>))
        .route(
            "/forms/{id}",
            get(read::<Form>)
                .put(replace::<Form>)
                .delete(remove::<Form>),
        )
        .route("/clients", get(list_clients).post(create_client))
        .route(
            "/clients/{id}",
            get(read_client).put(replace_client).delete(remove_client),
        )
        .route_layer(middleware::from_fn_with_state(
            state.clone(),
            auth::require_api_key,
        ))
}

/// The `id` of a body must be absent or the one of the path.
fn same_id(path_id: &str, body_id: Option<&str>) -> Result<()> {
    match body_id {
        Some(id) if id != path_id => Err(Error::rule(
            "id",
            format!("must match the id in the path (got {id:?}, path says {path_id:?})"),
        )),
        _ => Ok(()),
    }
}

async fn read_company(
    State(state): State<AppState>,
    Path(company_id): Path<String>,
) -> Result<Json<Company>> {
    let company = business::get_company(&state.db, &company_id)
        .await?
        .ok_or_else(|| Error::NotFound(format!("company `{company_id}` not found")))?;
    Ok(Json(company))
}

async fn replace_company(
    State(state): State<AppState>,
    Path(company_id): Path<String>,
    Json(mut company): Json<Company>,
) -> Result<Json<Company>> {
    same_id(&company_id, company.id.as_deref())?;
    let mut tx = state.db.write().await?;
    let stored = business::get_company(&mut *tx, &company_id).await?;
    // Turning text messages on needs a gateway; a company that has them on keeps them while a
    // server runs without one (its messages wait in the outbox).
    if crate::notify::sms_on(Some(&company))
        && !crate::notify::sms_on(stored.as_ref())
        && !state.config.sms.configured()
    {
        return Err(Error::rule(
            "smsNotifications",
            "needs an SMS gateway, and this server has none: start it with --sms-url and \
             --sms-from (or leave smsNotifications off)",
        ));
    }
    company.id = Some(company_id);
    setup::save_company(&mut tx, &company).await?;
    tx.commit().await?;
    Ok(Json(company))
}

/// Deletes the company with everything it owns, its API keys included.
async fn delete_company(
    State(state): State<AppState>,
    Path(company_id): Path<String>,
) -> Result<StatusCode> {
    let mut tx = state.db.write().await?;
    business::delete_company(&mut *tx, &company_id).await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

fn not_found<T: SetupRecord>(id: &str) -> Error {
    Error::NotFound(format!("{} `{id}` not found", T::KIND))
}

async fn list<T: SetupRecord>(
    State(state): State<AppState>,
    Path(company_id): Path<String>,
) -> Result<Json<ListResponse<T>>> {
    let items = business::list_docs(&state.db, T::COLLECTION, &company_id).await?;
    Ok(Json(ListResponse::new(items)))
}

async fn create<T: SetupRecord>(
    State(state): State<AppState>,
    Path(company_id): Path<String>,
    Json(mut record): Json<T>,
) -> Result<(StatusCode, Json<T>)> {
    record.drop_read_only();
    if record.id().is_none_or(|id| id.is_empty()) {
        record.set_id(ids::record_id());
    }
    let id = record.id().unwrap_or_default().to_owned();
    setup::check_id("id", &id)?;
    let mut tx = state.db.write().await?;
    let existing: Option<T> = business::get_doc(&mut *tx, T::COLLECTION, &company_id, &id).await?;
    if existing.is_some() {
        return Err(Error::Conflict(format!(
            "a {} with id `{id}` already exists: choose another id, or PUT to replace it",
            T::KIND
        )));
    }
    setup::save(&mut tx, &company_id, &record).await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(record)))
}

async fn read<T: SetupRecord>(
    State(state): State<AppState>,
    Path((company_id, id)): Path<(String, String)>,
) -> Result<Json<T>> {
    let record: Option<T> = business::get_doc(&state.db, T::COLLECTION, &company_id, &id).await?;
    record.map(Json).ok_or_else(|| not_found::<T>(&id))
}

async fn replace<T: SetupRecord>(
    State(state): State<AppState>,
    Path((company_id, id)): Path<(String, String)>,
    Json(mut record): Json<T>,
) -> Result<Json<T>> {
    same_id(&id, record.id())?;
    record.drop_read_only();
    record.set_id(id.clone());
    let mut tx = state.db.write().await?;
    let existing: Option<T> = business::get_doc(&mut *tx, T::COLLECTION, &company_id, &id).await?;
    if existing.is_none() {
        return Err(not_found::<T>(&id));
    }
    setup::save(&mut tx, &company_id, &record).await?;
    tx.commit().await?;
    Ok(Json(record))
}

async fn remove<T: SetupRecord>(
    State(state): State<AppState>,
    Path((company_id, id)): Path<(String, String)>,
) -> Result<StatusCode> {
    let mut tx = state.db.write().await?;
    let deleted = business::delete_doc(&mut *tx, T::COLLECTION, &company_id, &id).await?;
    tx.commit().await?;
    match deleted {
        true => Ok(StatusCode::NO_CONTENT),
        false => Err(not_found::<T>(&id)),
    }
}

async fn list_clients(
    State(state): State<AppState>,
    Path(company_id): Path<String>,
) -> Result<Json<ListResponse<ClientRef>>> {
    let mut conn = state.db.acquire().await?;
    Ok(Json(ListResponse::new(
        clients::list(&mut conn, &company_id).await?,
    )))
}

/// Writes a validated client; a taken externalId is a 409.
async fn save_client(
    conn: &mut crate::db::Conn,
    company_id: &str,
    client: &ClientRef,
) -> Result<()> {
    setup::validate_client(client)?;
    clients::put(conn, company_id, client)
        .await
        .on_unique_violation(|| {
            Error::Conflict(format!(
                "another client already has externalId {:?}",
                client.external_id.as_deref().unwrap_or_default()
            ))
        })
}

async fn create_client(
    State(state): State<AppState>,
    Path(company_id): Path<String>,
    Json(mut client): Json<ClientRef>,
) -> Result<(StatusCode, Json<ClientRef>)> {
    if client.id.as_deref().is_none_or(str::is_empty) {
        client.id = Some(ids::record_id());
    }
    let id = client.id.clone().unwrap_or_default();
    setup::check_id("id", &id)?;
    let mut tx = state.db.write().await?;
    if clients::get(&mut tx, &company_id, &id).await?.is_some() {
        return Err(Error::Conflict(format!(
            "a client with id `{id}` already exists: choose another id, or PUT to replace it"
        )));
    }
    save_client(&mut tx, &company_id, &client).await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(client)))
}

async fn read_client(
    State(state): State<AppState>,
    Path((company_id, id)): Path<(String, String)>,
) -> Result<Json<ClientRef>> {
    let mut conn = state.db.acquire().await?;
    clients::get(&mut conn, &company_id, &id)
        .await?
        .map(Json)
        .ok_or_else(|| Error::NotFound(format!("client `{id}` not found")))
}

async fn replace_client(
    State(state): State<AppState>,
    Path((company_id, id)): Path<(String, String)>,
    Json(mut client): Json<ClientRef>,
) -> Result<Json<ClientRef>> {
    same_id(&id, client.id.as_deref())?;
    client.id = Some(id.clone());
    let mut tx = state.db.write().await?;
    if clients::get(&mut tx, &company_id, &id).await?.is_none() {
        return Err(Error::NotFound(format!("client `{id}` not found")));
    }
    save_client(&mut tx, &company_id, &client).await?;
    tx.commit().await?;
    Ok(Json(client))
}

async fn remove_client(
    State(state): State<AppState>,
    Path((company_id, id)): Path<(String, String)>,
) -> Result<StatusCode> {
    let mut tx = state.db.write().await?;
    let deleted = clients::delete(&mut tx, &company_id, &id).await?;
    tx.commit().await?;
    match deleted {
        true => Ok(StatusCode::NO_CONTENT),
        false => Err(Error::NotFound(format!("client `{id}` not found"))),
    }
}
