//! What the browser asked for: the requests the real server received (a recording layer in front
//! of the app, nothing answered on its behalf), and Chrome DevTools commands through chromedriver
//! (network throttling, blocked URLs).

use std::sync::{Arc, Mutex};

use anyhow::{Context, Result};
use axum::extract::Request;
use axum::middleware::Next;
use axum::Router;
use fantoccini::Client;
use serde_json::Value;

/// Every request the server received, in arrival order: its path and query, and the status it was
/// answered with.
#[derive(Debug, Clone, Default)]
pub struct RequestLog(Arc<Mutex<Vec<(String, u16)>>>);

impl RequestLog {
    /// `app`, recording each request once it is answered.
    pub fn record(&self, app: Router) -> Router {
        let log = self.clone();
        app.layer(axum::middleware::from_fn(
            move |request: Request, next: Next| {
                let log = log.clone();
                async move {
                    let target = request
                        .uri()
                        .path_and_query()
                        .map(|p| p.as_str().to_owned())
                        .unwrap_or_default();
                    let response = next.run(request).await;
                    log.lock().push((target, response.status().as_u16()));
                    response
                }
            },
        ))
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<(String, u16)>> {
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// How many requests were answered so far.
    pub fn len(&self) -> usize {
        self.lock().len()
    }

    /// Whether none was.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The requests answered after the first `skip`, whose path and query contain `part`.
    pub fn since(&self, skip: usize, part: &str) -> Vec<String> {
        let log = self.lock();
        log.iter()
            .skip(skip)
            .filter(|(target, _)| target.contains(part))
            .map(|(target, status)| format!("{status} {target}"))
            .collect()
    }

    /// Every request so far whose path and query start with `prefix`.
    pub fn matching(&self, prefix: &str) -> Vec<String> {
        let log = self.lock();
        log.iter()
            .filter(|(target, _)| target.starts_with(prefix))
            .map(|(target, _)| target.clone())
            .collect()
    }

    /// How many requests whose path ends with `suffix` were answered with a body (200): downloads,
    /// as opposed to revalidations (304).
    pub fn downloads(&self, suffix: &str) -> usize {
        let log = self.lock();
        log.iter()
            .filter(|(target, status)| {
                *status == 200
                    && target
                        .split('?')
                        .next()
                        .is_some_and(|p| p.ends_with(suffix))
            })
            .count()
    }

    /// Forgets what was recorded so far.
    pub fn clear(&self) {
        self.lock().clear();
    }
}

/// chromedriver's `goog/cdp/execute`: one Chrome DevTools Protocol command.
#[derive(Debug)]
struct Cdp {
    body: String,
}

impl fantoccini::wd::WebDriverCompatibleCommand for Cdp {
    fn endpoint(
        &self,
        base: &url::Url,
        session: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base.join(&format!(
            "session/{}/goog/cdp/execute",
            session.unwrap_or_default()
        ))
    }
    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        (http::Method::POST, Some(self.body.clone()))
    }
}

/// Runs the DevTools command `cmd` (e.g. `Network.setBlockedURLs`) with `params`.
pub async fn cdp(browser: &Client, cmd: &str, params: Value) -> Result<Value> {
    let body = serde_json::json!({ "cmd": cmd, "params": params }).to_string();
    browser
        .issue_cmd(Cdp { body })
        .await
        .with_context(|| format!("DevTools command {cmd}"))
}
