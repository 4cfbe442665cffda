//! The notification log of an appointment: `GET appointments/{appointmentId}/notifications`, every
//! message its changes planned, email and SMS (kind, channel, recipient, planned and sent times,
//! status, last error). The bodies stay in the outbox, out of the answer.

use axum::extract::State;
use axum::middleware;
use axum::routing::get;
use axum::Router;
use serde_json::{json, Map, Value};

use crate::auth;
use crate::db::appointments::find_by_id_or_reference;
use crate::db::outbox::{self, Message};
use crate::error::{Error, Result};
use crate::extract::{Json, Path};
use crate::{notify, AppState};

/// This module's route, behind the API key.
pub fn router(state: &AppState) -> Router<AppState> {
    Router::new()
        .route(
            "/appointments/{appointment_id}/notifications",
            get(notifications),
        )
        .route_layer(middleware::from_fn_with_state(
            state.clone(),
            auth::require_api_key,
        ))
}

async fn notifications(
    State(state): State<AppState>,
    Path((company_id, key)): Path<(String, String)>,
) -> Result<Json<Value>> {
    // Deleted appointments keep their log: their last message is often the cancellation.
    let mut conn = state.db.acquire().await?;
    let stored = find_by_id_or_reference(&mut conn, &company_id, &key)
        .await?
        .ok_or_else(|| Error::NotFound(format!("appointment `{key}` not found")))?;
    drop(conn);
    let id = stored.appointment.id.unwrap_or_default();
    let reminders = notify::reminder_subject(&id);
    let messages = outbox::of_subjects(
        &state.db,
        (notify::CHANNELS, &company_id),
        [&id, &reminders],
    )
    .await?;
    let items: Vec<Value> = messages.iter().map(entry).collect();
    Ok(Json(json!({ "items": items })))
}

/// One message as the log shows it.
fn entry(m: &Message) -> Value {
    let audience = serde_json::from_str::<Value>(&m.payload)
        .ok()
        .and_then(|p| p.get("audience").and_then(Value::as_str).map(str::to_owned));
    let mut out = Map::new();
    out.insert("id".into(), json!(m.id));
    out.insert("kind".into(), json!(m.kind));
    out.insert("channel".into(), json!(m.channel));
    out.insert("recipient".into(), json!(m.recipient));
    out.insert("audience".into(), json!(audience));
    out.insert("status".into(), json!(m.state));
    out.insert("attemptCount".into(), json!(m.attempts));
    out.insert("plannedAt".into(), json!(m.occurred_at));
    if m.state == "pending" {
        out.insert("nextAttemptAt".into(), json!(m.next_attempt_at));
    }
    if m.state == "succeeded" {
        out.insert("sentAt".into(), json!(m.finished_at));
    }
    if let Some(code) = m.last_status {
        out.insert("lastStatusCode".into(), json!(code));
    }
    if let Some(error) = &m.last_error {
        out.insert("lastError".into(), json!(error));
    }
    if let Some(at) = &m.finished_at {
        out.insert("finishedAt".into(), json!(at));
    }
    Value::Object(out)
}
