//! The company's signing keys for watches (`signature.cryptoKeyIds`), behind the API key. An
//! extension: the reference names crypto keys but documents no API for them.
//!
//! - `POST cryptoKeys` `{"name"?}` → 201 `{id, name, secret, createdAt}`: the `whsec_…` secret is
//!   shown this once.
//! - `GET cryptoKeys` → `{"items":[{id, name, createdAt, rotatedAt?, previousValidUntil?}]}` (no secrets).
//! - `GET cryptoKeys/{keyId}`.
//! - `POST cryptoKeys/{keyId}/rotate` → 200 with the new `secret`, shown this once. The previous
//!   secret keeps signing (a second signature in `webhook-signature`) until `previousValidUntil`, so
//!   receivers can switch without losing a notification.
//! - `DELETE cryptoKeys/{keyId}` → 204; 409 while a watch signs with it.

use axum::extract::State;
use axum::http::StatusCode;
use axum::middleware;
use axum::response::IntoResponse;
use axum::routing::{get, post};
use axum::Router;
use chrono::Utc;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use crate::auth;
use crate::booking::ids;
use crate::db::watches::{self, ms_text, CryptoKey, KeyRemoval};
use crate::error::{Error, Result};
use crate::extract::{Json, Path};
use crate::webhooks::signing::Secret;
use crate::AppState;

/// Routes of this module, all behind the API key.
pub fn router(state: &AppState) -> Router<AppState> {
    Router::new()
        .route("/cryptoKeys", get(list).post(create))
        .route("/cryptoKeys/{key_id}", get(read).delete(remove))
        .route("/cryptoKeys/{key_id}/rotate", post(rotate))
        .route_layer(middleware::from_fn_with_state(
            state.clone(),
            auth::require_api_key,
        ))
}

/// A key as listed: never its secret.
fn render(key: &CryptoKey) -> Value {
    let mut value = json!({"id": key.id, "createdAt": key.created_at});
    if let Some(name) = &key.name {
        value["name"] = json!(name);
    }
    if let Some(at) = &key.rotated_at {
        value["rotatedAt"] = json!(at);
    }
    if let Some(until) = &key.previous_until {
        value["previousValidUntil"] = json!(until);
    }
    value
}

#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct NewKey {
    name: Option<String>,
}

async fn create(
    State(state): State<AppState>,
    Path(company_id): Path<String>,
    body: axum::body::Bytes,
) -> Result<impl IntoResponse> {
    // The body is optional: no body (or an empty one) is a key without a name.
    let input: NewKey = match body.iter().all(u8::is_ascii_whitespace) {
        true => NewKey::default(),
        false => {
            let value = serde_json::from_slice(&body).map_err(|e| {
                Error::field("body", format!("expected {{\"name\": \"...\"}}: {e}"))
            })?;
            crate::extract::parse(value)?
        }
    };
    if input.name.as_ref().is_some_and(|n| n.chars().count() > 255) {
        return Err(Error::field("name", "must be at most 255 characters"));
    }
    let secret = Secret::generate().written();
    let key = CryptoKey {
        id: ids::record_id(),
        name: input.name,
        secret: secret.clone(),
        previous_secret: None,
        previous_until: None,
        created_at: ms_text(Utc::now()),
        rotated_at: None,
    };
    watches::insert_key(&state.db, &company_id, &key).await?;
    let mut body = render(&key);
    body["secret"] = json!(secret);
    Ok((StatusCode::CREATED, Json(body)))
}

async fn list(
    State(state): State<AppState>,
    Path(company_id): Path<String>,
) -> Result<Json<Value>> {
    let items: Vec<Value> = watches::list_keys(&state.db, &company_id)
        .await?
        .iter()
        .map(render)
        .collect();
    Ok(Json(json!({ "items": items })))
}

async fn found(state: &AppState, company_id: &str, key_id: &str) -> Result<CryptoKey> {
    watches::get_key(&state.db, company_id, key_id)
        .await?
        .ok_or_else(|| Error::NotFound(format!("crypto key `{key_id}` not found")))
}

async fn read(
    State(state): State<AppState>,
    Path((company_id, key_id)): Path<(String, String)>,
) -> Result<Json<Value>> {
    Ok(Json(render(&found(&state, &company_id, &key_id).await?)))
}

async fn rotate(
    State(state): State<AppState>,
    Path((company_id, key_id)): Path<(String, String)>,
) -> Result<Json<Value>> {
    found(&state, &company_id, &key_id).await?;
    let secret = Secret::generate().written();
    let now = Utc::now();
    let overlap = chrono::Duration::from_std(state.webhooks.settings.rotation_overlap)
        .unwrap_or(chrono::Duration::zero());
    watches::rotate_key(&state.db, &company_id, &key_id, &secret, now, now + overlap).await?;
    let mut body = render(&found(&state, &company_id, &key_id).await?);
    body["secret"] = json!(secret);
    Ok(Json(body))
}

async fn remove(
    State(state): State<AppState>,
    Path((company_id, key_id)): Path<(String, String)>,
) -> Result<StatusCode> {
    match watches::delete_unused_key(&state.db, &company_id, &key_id).await? {
        KeyRemoval::Deleted => Ok(StatusCode::NO_CONTENT),
        KeyRemoval::Missing => Err(Error::NotFound(format!("crypto key `{key_id}` not found"))),
        KeyRemoval::InUse(users) => Err(Error::Conflict(format!(
            "crypto key `{key_id}` signs for watch(es) {}; remove it from their signature.cryptoKeyIds first",
            users.join(", ")
        ))),
    }
}
