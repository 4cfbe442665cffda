//! One delivery attempt: build the request (method, body, headers, authentication, signature), send
//! it, and classify the answer.
//!
//! - 2xx: delivered.
//! - network error, timeout, 408, 429, 5xx: retried later (`Retry-After` honoured, in seconds or as an
//!   HTTP date).
//! - any other status (3xx — redirects are not followed —, 4xx): failed for good.
//! - with `oauth2Auth`, a 401 drops the cached token, a new one is requested and the request is sent
//!   once more within the same attempt.

use std::time::Duration;

use booking_model::WatchMethod;
use chrono::Utc;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue, AUTHORIZATION, CONTENT_TYPE};
use reqwest::{Method, Response, StatusCode, Url};

use super::signing::{self, Secret};
use super::{oauth2, payload, ssrf};
use crate::db::watches::{self, parse_instant, Delivery, StoredWatch};
use crate::error::Result;
use crate::AppState;

/// Header carrying the event (`created`, `updated`, `deleted`), useful with `DELETE`, which has no body.
pub const EVENT_HEADER: &str = "booking-event";
/// Header carrying the appointment id.
pub const APPOINTMENT_HEADER: &str = "booking-appointment-id";

/// How an attempt ended.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// The receiver answered 2xx.
    Delivered { status: u16 },
    /// Worth another try later.
    Retry {
        status: Option<u16>,
        error: String,
        /// From the receiver's `Retry-After`.
        retry_after: Option<Duration>,
    },
    /// Failed for good.
    Final { status: Option<u16>, error: String },
    /// Not attempted: the watch is disabled or gone.
    Skipped { reason: String },
}

/// Whether a status is worth retrying: 408, 429 and 5xx.
pub fn is_retryable_status(code: u16) -> bool {
    code == 408 || code == 429 || (500..600).contains(&code)
}

/// A transport error in one line, with its cause (reqwest's own text is often just "error sending
/// request").
pub fn describe(error: &reqwest::Error) -> String {
    if error.is_timeout() {
        return "timed out".to_owned();
    }
    let mut text = error.to_string();
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

/// Makes one attempt at a claimed delivery. Never fails: storage errors become a retry.
pub async fn attempt(state: &AppState, delivery: &Delivery) -> Outcome {
    match try_attempt(state, delivery).await {
        Ok(outcome) => outcome,
        Err(e) => Outcome::Retry {
            status: None,
            error: format!("internal error before sending: {e}"),
            retry_after: None,
        },
    }
}

async fn try_attempt(state: &AppState, delivery: &Delivery) -> Result<Outcome> {
    let Some(stored) = watches::get(&state.db, &delivery.company_id, &delivery.watch_id).await?
    else {
        return Ok(Outcome::Skipped {
            reason: "not sent: the watch was deleted".to_owned(),
        });
    };
    if !stored.watch.is_enabled() {
        let reason = match &stored.disabled_reason {
            Some(why) => format!("not sent: the watch was {why}"),
            None => "not sent: the watch is disabled".to_owned(),
        };
        return Ok(Outcome::Skipped { reason });
    }
    let url = match ssrf::check_url(&stored.watch.address, state.webhooks.allow_private).await {
        Ok(url) => url,
        Err(ssrf::AddressError::Unresolvable(host)) => {
            return Ok(Outcome::Retry {
                status: None,
                error: format!("cannot resolve {host}"),
                retry_after: None,
            })
        }
        Err(e) => {
            return Ok(Outcome::Final {
                status: None,
                error: format!("address refused: {e}"),
            })
        }
    };
    let method = stored.watch.effective_method();
    let body = match (method, &delivery.body) {
        (WatchMethod::Delete, _) => String::new(),
        (_, Some(body)) => body.clone(),
        (_, None) => {
            let origin = crate::links::origin(&state.config, None);
            let body = payload::body(&state.db, delivery, &stored.watch, origin.as_deref()).await?;
            watches::save_body(&state.db, &delivery.id, &body).await?;
            body
        }
    };
    let keys = match signing_keys(state, &stored).await? {
        Ok(keys) => keys,
        Err(error) => {
            return Ok(Outcome::Final {
                status: None,
                error,
            })
        }
    };
    let request = Request {
        state,
        stored: &stored,
        delivery,
        url: &url,
        method,
        body: &body,
        keys: &keys,
    };
    if stored.watch.oauth2_auth.is_none() {
        return Ok(classify(request.send(None).await).await);
    }
    let token = match oauth2::access_token(state, &stored, false).await {
        Ok(token) => token,
        Err(e) => return Ok(token_failure(e)),
    };
    let first = request.send(Some(&token)).await;
    if !matches!(&first, Ok(r) if r.status() == StatusCode::UNAUTHORIZED) {
        return Ok(classify(first).await);
    }
    // The token was refused: renew it once (with the watch as stored now, in case the last token
    // answer rotated its refresh token) and try again.
    state
        .webhooks
        .tokens
        .forget(&stored.company_id, stored.id());
    let fresh = watches::get(&state.db, &stored.company_id, stored.id())
        .await?
        .unwrap_or_else(|| stored.clone());
    let token = match oauth2::access_token(state, &fresh, true).await {
        Ok(token) => token,
        Err(e) => return Ok(token_failure(e)),
    };
    Ok(classify(request.send(Some(&token)).await).await)
}

fn token_failure(e: oauth2::TokenError) -> Outcome {
    match e.retryable {
        true => Outcome::Retry {
            status: e.status,
            error: e.message,
            retry_after: None,
        },
        false => Outcome::Final {
            status: e.status,
            error: e.message,
        },
    }
}

/// The secrets to sign with, or why signing is impossible.
async fn signing_keys(
    state: &AppState,
    stored: &StoredWatch,
) -> Result<std::result::Result<Vec<Secret>, String>> {
    let Some(signature) = stored
        .watch
        .signature
        .as_ref()
        .filter(|s| s.enabled == Some(true))
    else {
        return Ok(Ok(Vec::new()));
    };
    let now = Utc::now();
    let mut keys = Vec::new();
    for id in &signature.crypto_key_ids {
        let Some(key) = watches::get_key(&state.db, &stored.company_id, id).await? else {
            continue;
        };
        keys.extend(Secret::parse(&key.secret).ok());
        let previous_valid = key
            .previous_until
            .as_deref()
            .and_then(|t| parse_instant(t).ok())
            .is_some_and(|until| until > now);
        if previous_valid {
            keys.extend(
                key.previous_secret
                    .as_deref()
                    .and_then(|s| Secret::parse(s).ok()),
            );
        }
    }
    Ok(match keys.is_empty() {
        true => Err(
            "signature is enabled but none of its cryptoKeyIds exists any more; not sent unsigned"
                .to_owned(),
        ),
        false => Ok(keys),
    })
}

/// Everything one HTTP request of an attempt needs.
struct Request<'a> {
    state: &'a AppState,
    stored: &'a StoredWatch,
    delivery: &'a Delivery,
    url: &'a Url,
    method: WatchMethod,
    body: &'a str,
    keys: &'a [Secret],
}

impl Request<'_> {
    async fn send(&self, bearer: Option<&str>) -> reqwest::Result<Response> {
        let watch = &self.stored.watch;
        let mut headers = HeaderMap::new();
        for (name, value) in watch.http_request_header.iter() {
            // Checked when the watch was saved; anything unusable is left out rather than failing.
            if let (Ok(name), Ok(value)) = (
                HeaderName::from_bytes(name.as_bytes()),
                HeaderValue::from_str(value),
            ) {
                headers.append(name, value);
            }
        }
        if !self.body.is_empty() && !headers.contains_key(CONTENT_TYPE) {
            headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        }
        let timestamp = Utc::now().timestamp();
        insert(&mut headers, "webhook-id", &self.delivery.id);
        insert(&mut headers, "webhook-timestamp", &timestamp.to_string());
        if !self.keys.is_empty() {
            let signature = signing::sign(
                self.keys,
                &self.delivery.id,
                timestamp,
                self.body.as_bytes(),
            );
            insert(&mut headers, "webhook-signature", &signature);
        }
        insert(&mut headers, EVENT_HEADER, &self.delivery.event);
        insert(
            &mut headers,
            APPOINTMENT_HEADER,
            &self.delivery.appointment_id,
        );
        let method = match self.method {
            WatchMethod::Post => Method::POST,
            WatchMethod::Put => Method::PUT,
            WatchMethod::Patch => Method::PATCH,
            WatchMethod::Delete => Method::DELETE,
        };
        let mut request = self
            .state
            .webhooks
            .client
            .request(method, self.url.clone())
            .headers(headers);
        if let Some(basic) = &watch.basic_auth {
            request = request.basic_auth(
                basic.username.as_deref().unwrap_or_default(),
                basic.password.as_deref(),
            );
        }
        if let Some(token) = bearer {
            request = request.header(AUTHORIZATION, format!("Bearer {token}"));
        }
        if !self.body.is_empty() {
            request = request.body(self.body.to_owned());
        }
        request.send().await
    }
}

fn insert(headers: &mut HeaderMap, name: &'static str, value: &str) {
    if let Ok(value) = HeaderValue::from_str(value) {
        headers.insert(HeaderName::from_static(name), value);
    }
}

/// At most this much of a failed answer's body is kept in the log.
const SNIPPET_BYTES: usize = 300;

async fn classify(result: reqwest::Result<Response>) -> Outcome {
    let mut response = match result {
        Ok(response) => response,
        Err(e) => {
            return Outcome::Retry {
                status: None,
                error: describe(&e),
                retry_after: None,
            }
        }
    };
    let code = response.status().as_u16();
    if response.status().is_success() {
        return Outcome::Delivered { status: code };
    }
    let retry_after = retry_after(response.headers());
    let location = response
        .headers()
        .get(reqwest::header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let mut snippet = Vec::new();
    while snippet.len() < SNIPPET_BYTES {
        match response.chunk().await {
            Ok(Some(chunk)) => snippet.extend_from_slice(&chunk),
            _ => break,
        }
    }
    snippet.truncate(SNIPPET_BYTES);
    let snippet = String::from_utf8_lossy(&snippet).trim().to_owned();
    let mut error = format!("HTTP {code}");
    if let Some(location) = location.filter(|_| (300..400).contains(&code)) {
        error.push_str(&format!(
            " (redirect to {location}: redirects are not followed)"
        ));
    }
    if !snippet.is_empty() {
        error.push_str(": ");
        error.push_str(&snippet);
    }
    match is_retryable_status(code) {
        true => Outcome::Retry {
            status: Some(code),
            error,
            retry_after,
        },
        false => Outcome::Final {
            status: Some(code),
            error,
        },
    }
}

/// `Retry-After` as a delay: whole seconds, or an HTTP date.
pub fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    /// 30 days.
    const RETRY_AFTER_MAX_SECS: u64 = 30 * 24 * 3600;
    let text = headers
        .get(reqwest::header::RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim();
    if let Ok(seconds) = text.parse::<u64>() {
        // Beyond the longest retry window it only means "give up": keep the instant computable.
        return Some(Duration::from_secs(seconds.min(RETRY_AFTER_MAX_SECS)));
    }
    let at = chrono::DateTime::parse_from_rfc2822(text).ok()?;
    Some(
        (at.with_timezone(&Utc) - Utc::now())
            .to_std()
            .unwrap_or(Duration::ZERO),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_in_seconds_or_as_a_date() {
        let mut headers = HeaderMap::new();
        assert_eq!(retry_after(&headers), None);
        headers.insert("retry-after", HeaderValue::from_static("7"));
        assert_eq!(retry_after(&headers), Some(Duration::from_secs(7)));
        // A receiver's absurd wait is capped: now + it must stay a valid instant.
        headers.insert("retry-after", HeaderValue::from_static("99999999999999999"));
        let capped = retry_after(&headers).expect("a number");
        assert_eq!(capped, Duration::from_secs(30 * 24 * 3600));
        let _ = Utc::now() + crate::outbox_worker::chrono_duration(Duration::MAX);
        headers.insert(
            "retry-after",
            HeaderValue::from_static("Sun, 06 Nov 1994 08:49:37 GMT"),
        );
        assert_eq!(retry_after(&headers), Some(Duration::ZERO));
        let soon = (Utc::now() + chrono::Duration::seconds(120)).to_rfc2822();
        headers.insert("retry-after", HeaderValue::from_str(&soon).unwrap());
        let delay = retry_after(&headers).unwrap();
        assert!(delay > Duration::from_secs(100) && delay <= Duration::from_secs(120));
    }

    #[test]
    fn retryable_statuses() {
        for code in [408, 429, 500, 502, 503, 504] {
            assert!(is_retryable_status(code), "{code}");
        }
        for code in [301, 400, 401, 403, 404, 410, 422] {
            assert!(!is_retryable_status(code), "{code}");
        }
    }
}
