//! Access tokens for watches with `oauth2Auth`: a form-encoded `POST` to `accessTokenUrl` with
//! `grant_type` (`refresh_token` or `client_credentials`), `client_id`, then `refresh_token` or
//! `client_secret` (`client_secret` is sent with `refresh_token` too when the watch has one), and
//! `scope` when set. The answer's `access_token` is cached in memory until `expires_in` (an hour when
//! absent) less a 30 s margin. A new `refresh_token` in the answer (rotation) replaces the stored one.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use booking_model::{GrantType, OAuth2Auth};
use serde::Deserialize;
use sha2::{Digest, Sha256};

use super::ssrf;
use crate::db::watches::{self, StoredWatch};
use crate::AppState;

/// Lifetime assumed when the token endpoint gives no `expires_in`.
const DEFAULT_LIFETIME: Duration = Duration::from_secs(3600);
/// A token this close to its expiry is renewed before use.
const MARGIN: Duration = Duration::from_secs(30);

/// Cached tokens, by company and watch.
#[derive(Default)]
pub struct TokenCache(Mutex<HashMap<(String, String), Cached>>);

struct Cached {
    /// Digest of the credentials the token was obtained with: a changed watch misses the cache.
    fingerprint: String,
    access_token: String,
    expires: Instant,
}

impl TokenCache {
    fn get(&self, key: &(String, String), fingerprint: &str) -> Option<String> {
        let map = self.0.lock().unwrap_or_else(|e| e.into_inner());
        map.get(key)
            .filter(|c| c.fingerprint == fingerprint && c.expires > Instant::now() + MARGIN)
            .map(|c| c.access_token.clone())
    }

    fn put(&self, key: (String, String), cached: Cached) {
        let mut map = self.0.lock().unwrap_or_else(|e| e.into_inner());
        map.insert(key, cached);
    }

    /// Drops the token of a watch (after a 401, or when the watch changes).
    pub fn forget(&self, company_id: &str, watch_id: &str) {
        let mut map = self.0.lock().unwrap_or_else(|e| e.into_inner());
        map.remove(&(company_id.to_owned(), watch_id.to_owned()));
    }
}

fn fingerprint(auth: &OAuth2Auth) -> String {
    let text = serde_json::to_string(auth).unwrap_or_default();
    Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Why no token could be had.
#[derive(Debug)]
pub struct TokenError {
    /// Worth trying again later (network error, timeout, 408, 429, 5xx).
    pub retryable: bool,
    /// The token endpoint's status, if it answered.
    pub status: Option<u16>,
    pub message: String,
}

#[derive(Deserialize)]
struct TokenAnswer {
    access_token: String,
    #[serde(default)]
    expires_in: Option<serde_json::Value>,
    #[serde(default)]
    refresh_token: Option<String>,
}

/// An access token for the watch: the cached one unless `renew`, else a new one from the endpoint.
pub async fn access_token(
    state: &AppState,
    stored: &StoredWatch,
    renew: bool,
) -> Result<String, TokenError> {
    let auth = stored
        .watch
        .oauth2_auth
        .as_ref()
        .ok_or_else(|| final_error("the watch has no oauth2Auth"))?;
    let key = (stored.company_id.clone(), stored.id().to_owned());
    let runtime = &state.webhooks;
    if !renew {
        if let Some(token) = runtime.tokens.get(&key, &fingerprint(auth)) {
            return Ok(token);
        }
    }
    let url = auth
        .access_token_url
        .as_deref()
        .ok_or_else(|| final_error("oauth2Auth.accessTokenUrl is missing"))?;
    let url = match ssrf::check_url(url, runtime.allow_private).await {
        Ok(url) => url,
        Err(ssrf::AddressError::Unresolvable(host)) => {
            return Err(TokenError {
                retryable: true,
                status: None,
                message: format!("oauth2 token endpoint: cannot resolve {host}"),
            })
        }
        Err(e) => return Err(final_error(&format!("oauth2 accessTokenUrl {e}"))),
    };
    let grant = auth.effective_grant_type();
    let mut form: Vec<(&str, &str)> = vec![("grant_type", grant.as_str())];
    if let Some(id) = auth.client_id.as_deref() {
        form.push(("client_id", id));
    }
    if grant == GrantType::RefreshToken {
        form.push(("refresh_token", auth.refresh_token.as_deref().unwrap_or("")));
    }
    if let Some(secret) = auth.client_secret.as_deref() {
        form.push(("client_secret", secret));
    }
    if let Some(scope) = auth.scope.as_deref().filter(|s| !s.is_empty()) {
        form.push(("scope", scope));
    }
    let response = runtime
        .client
        .post(url)
        .header(reqwest::header::ACCEPT, "application/json")
        .form(&form)
        .send()
        .await
        .map_err(|e| TokenError {
            retryable: true,
            status: None,
            message: format!("oauth2 token endpoint: {}", super::send::describe(&e)),
        })?;
    let status = response.status();
    if !status.is_success() {
        let code = status.as_u16();
        return Err(TokenError {
            retryable: super::send::is_retryable_status(code),
            status: Some(code),
            message: format!("oauth2 token endpoint answered HTTP {code}"),
        });
    }
    let answer: TokenAnswer = response.json().await.map_err(|e| TokenError {
        retryable: true,
        status: Some(status.as_u16()),
        message: format!("oauth2 token endpoint: unreadable answer ({e})"),
    })?;
    let lifetime = answer
        .expires_in
        .as_ref()
        .and_then(|v| v.as_u64().or_else(|| v.as_str()?.parse().ok()))
        .map_or(DEFAULT_LIFETIME, Duration::from_secs);
    let mut auth_now = auth.clone();
    if let Some(rotated) = answer
        .refresh_token
        .filter(|r| grant == GrantType::RefreshToken && Some(r) != auth.refresh_token.as_ref())
    {
        auth_now.refresh_token = Some(rotated);
        let mut watch = stored.watch.clone();
        watch.oauth2_auth = Some(auth_now.clone());
        // On a task of its own: the attempt around this can be cut at its time limit, and the
        // provider has already retired the old token, so this save must not be cancelled with it.
        let (db, company_id, id) = (
            state.db.clone(),
            stored.company_id.clone(),
            stored.id().to_owned(),
        );
        let saved = tokio::spawn(async move {
            if let Err(e) = watches::save_doc(&db, &company_id, &watch).await {
                tracing::warn!(error = %e, watch = %id, "could not store the rotated refresh token");
            }
        });
        let _ = saved.await;
    }
    runtime.tokens.put(
        key,
        Cached {
            fingerprint: fingerprint(&auth_now),
            access_token: answer.access_token.clone(),
            expires: Instant::now() + lifetime,
        },
    );
    Ok(answer.access_token)
}

fn final_error(message: &str) -> TokenError {
    TokenError {
        retryable: false,
        status: None,
        message: message.to_owned(),
    }
}
