//! Watches (webhooks) of the Appointments API, behind the API key:
//! `POST/GET appointments/watch`, `GET/PUT/DELETE appointments/watch/{watchId}`, and the delivery
//! log `GET appointments/watch/{watchId}/deliveries`. Delivery itself is `crate::webhooks`.
//!
//! Answers are the reference's watch resource with its secrets masked (see
//! `webhooks::validate::MASK`), plus, when the server disabled a failing watch, the extensions
//! `disabledAt` and `disabledReason`.

use axum::extract::State;
use axum::http::StatusCode;
use axum::middleware;
use axum::response::IntoResponse;
use axum::routing::get;
use axum::Router;
use booking_model::Watch;
use serde::Deserialize;
use serde_json::{json, Map, Value};

use crate::auth;
use crate::booking::ids;
use crate::db::watches::{self, Attempt, Delivery, StoredWatch};
use crate::error::{Error, Result};
use crate::extract::{Json, Path, Query};
use crate::webhooks::validate;
use crate::AppState;

/// Default and largest `maxResults` of the delivery log.
const DEFAULT_DELIVERIES: i64 = 100;
const MAX_DELIVERIES: i64 = 1000;

/// Routes of this module, all behind the API key.
pub fn router(state: &AppState) -> Router<AppState> {
    Router::new()
        .route("/appointments/watch", get(list).post(create))
        .route(
            "/appointments/watch/{watch_id}",
            get(read).put(replace).delete(remove),
        )
        .route("/appointments/watch/{watch_id}/deliveries", get(deliveries))
        .route_layer(middleware::from_fn_with_state(
            state.clone(),
            auth::require_api_key,
        ))
}

/// A watch as answered: secrets masked, and why the server disabled it, if it did.
fn render(stored: &StoredWatch) -> Result<Value> {
    let mut value =
        serde_json::to_value(validate::masked(&stored.watch)).map_err(anyhow::Error::from)?;
    if let (Some(at), Value::Object(map)) = (&stored.disabled_at, &mut value) {
        map.insert("disabledAt".to_owned(), json!(at));
        map.insert("disabledReason".to_owned(), json!(stored.disabled_reason));
    }
    Ok(value)
}

async fn found(state: &AppState, company_id: &str, watch_id: &str) -> Result<StoredWatch> {
    watches::get(&state.db, company_id, watch_id)
        .await?
        .ok_or_else(|| Error::NotFound(format!("watch `{watch_id}` not found")))
}

async fn create(
    State(state): State<AppState>,
    Path(company_id): Path<String>,
    Json(mut watch): Json<Watch>,
) -> Result<impl IntoResponse> {
    validate::unmask(&mut watch, None)?;
    validate::check(
        &state.db,
        &company_id,
        &mut watch,
        state.config.allow_private_webhooks,
    )
    .await?;
    // The id is the server's to give; one sent in the body is ignored (it is read-only).
    watch.id = Some(ids::record_id());
    watches::insert(&state.db, &company_id, &watch).await?;
    let stored = found(&state, &company_id, watch.id.as_deref().unwrap_or_default()).await?;
    Ok((StatusCode::CREATED, Json(render(&stored)?)))
}

async fn list(
    State(state): State<AppState>,
    Path(company_id): Path<String>,
) -> Result<Json<Value>> {
    let items = watches::list(&state.db, &company_id)
        .await?
        .iter()
        .map(render)
        .collect::<Result<Vec<_>>>()?;
    Ok(Json(json!({ "items": items })))
}

async fn read(
    State(state): State<AppState>,
    Path((company_id, watch_id)): Path<(String, String)>,
) -> Result<Json<Value>> {
    Ok(Json(render(&found(&state, &company_id, &watch_id).await?)?))
}

/// Replaces the watch (a full `PUT`; secrets sent back masked keep their stored values).
async fn replace(
    State(state): State<AppState>,
    Path((company_id, watch_id)): Path<(String, String)>,
    Json(mut watch): Json<Watch>,
) -> Result<Json<Value>> {
    let stored = found(&state, &company_id, &watch_id).await?;
    if let Some(id) = watch.id.as_deref().filter(|id| *id != watch_id) {
        return Err(Error::field(
            "id",
            format!("must be absent or the id of the path ({watch_id}), got {id:?}"),
        ));
    }
    validate::unmask(&mut watch, Some(&stored.watch))?;
    validate::check(
        &state.db,
        &company_id,
        &mut watch,
        state.config.allow_private_webhooks,
    )
    .await?;
    watch.id = Some(watch_id.clone());
    watches::replace(&state.db, &company_id, &watch).await?;
    state.webhooks.tokens.forget(&company_id, &watch_id);
    Ok(Json(render(&found(&state, &company_id, &watch_id).await?)?))
}

async fn remove(
    State(state): State<AppState>,
    Path((company_id, watch_id)): Path<(String, String)>,
) -> Result<StatusCode> {
    match watches::delete(&state.db, &company_id, &watch_id).await? {
        true => {
            state.webhooks.tokens.forget(&company_id, &watch_id);
            Ok(StatusCode::NO_CONTENT)
        }
        false => Err(Error::NotFound(format!("watch `{watch_id}` not found"))),
    }
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct DeliveryParams {
    max_results: Option<String>,
}

/// The delivery log: the watch's health, then its newest deliveries (newest first), each with
/// every attempt.
async fn deliveries(
    State(state): State<AppState>,
    Path((company_id, watch_id)): Path<(String, String)>,
    Query(params): Query<DeliveryParams>,
) -> Result<Json<Value>> {
    let limit = match params.max_results.as_deref() {
        None | Some("") => DEFAULT_DELIVERIES,
        Some(text) => text
            .parse::<i64>()
            .ok()
            .filter(|n| (1..=MAX_DELIVERIES).contains(n))
            .ok_or_else(|| {
                Error::field(
                    "maxResults",
                    format!("must be a whole number from 1 to {MAX_DELIVERIES} (got {text:?})"),
                )
            })?,
    };
    // Deliveries before the watch: an attempt records both in one transaction, and two reads see
    // each its own commit, so the watch read last is at least as new as the deliveries shown (a
    // success listed with the watch still "failing" was the other order, on PostgreSQL).
    let items: Vec<Value> = watches::deliveries_of(&state.db, &company_id, &watch_id, limit)
        .await?
        .iter()
        .map(|(delivery, attempts)| delivery_json(delivery, attempts))
        .collect();
    let stored = found(&state, &company_id, &watch_id).await?;
    Ok(Json(json!({
        "watch": {
            "id": watch_id,
            "status": stored.watch.status,
            "failingSince": stored.failing_since,
            "disabledAt": stored.disabled_at,
            "disabledReason": stored.disabled_reason,
        },
        "items": items,
    })))
}

fn delivery_json(delivery: &Delivery, attempts: &[Attempt]) -> Value {
    let mut out = Map::new();
    out.insert("id".into(), json!(delivery.id));
    out.insert("event".into(), json!(delivery.event));
    out.insert("appointmentId".into(), json!(delivery.appointment_id));
    out.insert("status".into(), json!(delivery.state));
    out.insert("attemptCount".into(), json!(delivery.attempts));
    out.insert("createdAt".into(), json!(delivery.created_at));
    if delivery.state == "pending" {
        out.insert("nextAttemptAt".into(), json!(delivery.next_attempt_at));
    }
    if let Some(code) = delivery.last_status {
        out.insert("lastStatusCode".into(), json!(code));
    }
    if let Some(error) = &delivery.last_error {
        out.insert("lastError".into(), json!(error));
    }
    if let Some(at) = &delivery.finished_at {
        out.insert("finishedAt".into(), json!(at));
    }
    let attempts: Vec<Value> = attempts
        .iter()
        .map(|a| {
            let mut entry = Map::new();
            entry.insert("attempt".into(), json!(a.attempt));
            entry.insert("at".into(), json!(a.started_at));
            entry.insert("durationMs".into(), json!(a.duration_ms));
            if let Some(code) = a.status_code {
                entry.insert("statusCode".into(), json!(code));
            }
            if let Some(error) = &a.error {
                entry.insert("error".into(), json!(error));
            }
            if let Some(next) = &a.next_attempt_at {
                entry.insert("nextAttemptAt".into(), json!(next));
            }
            Value::Object(entry)
        })
        .collect();
    out.insert("attempts".into(), Value::Array(attempts));
    Value::Object(out)
}
