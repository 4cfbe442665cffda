//! Probes for orchestrators and load balancers: `/healthz` (the process is up) and `/readyz` (it can
//! serve: the database answers and its migrations are applied).

use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{json, Value};

use crate::error::{Error, Result};
use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
}

/// 200 while the process answers HTTP at all; touches nothing else.
async fn healthz() -> Json<Value> {
    Json(json!({"status": "ok"}))
}

/// 200 when the database answers and every migration of this build is applied; otherwise a 503 in
/// the one error shape saying which.
async fn readyz(State(state): State<AppState>) -> Result<Json<Value>> {
    crate::db::ready(&state.db)
        .await
        .map_err(Error::Unavailable)?;
    Ok(Json(json!({"status": "ready"})))
}
