//! Every HTTP call the widget makes, and nothing else. The JSON types come from `booking-model`, the
//! same crate the server serializes with, so the two can't drift.

use std::fmt;

use booking_model::{ErrorBody, ListResponse, PublicService};
use gloo_net::http::{Request, Response};
use serde::de::DeserializeOwned;

/// Why a call failed, in terms the UI can act on.
#[derive(Debug, Clone, PartialEq)]
pub enum ApiError {
    /// The server could not be reached (offline, DNS, CORS, server down): retrying may help.
    Network(String),
    /// The server answered with an error status; `message` is its explanation.
    Http {
        status: u16,
        message: String,
        body: Option<ErrorBody>,
    },
    /// The answer was not what the API promises (a bug on one side).
    Decode(String),
}

impl ApiError {
    /// HTTP status, when the server answered.
    pub fn status(&self) -> Option<u16> {
        match self {
            ApiError::Http { status, .. } => Some(*status),
            _ => None,
        }
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ApiError::Network(e) => write!(f, "network error: {e}"),
            ApiError::Http {
                status, message, ..
            } => write!(f, "{message} (HTTP {status})"),
            ApiError::Decode(e) => write!(f, "unexpected answer from the server: {e}"),
        }
    }
}

impl std::error::Error for ApiError {}

/// A client for one company's public widget API.
#[derive(Debug, Clone, PartialEq)]
pub struct Api {
    /// `{origin}/api/2.1/scheduling/companies/{company}` — every public route hangs below it.
    company_base: String,
}

impl Api {
    /// A client for `company` on the server at `origin` (e.g. `https://book.example.com`; empty = this
    /// page's origin).
    pub fn new(origin: &str, company: &str) -> Self {
        let company = encode_component(company);
        Api {
            company_base: format!(
                "{}/api/2.1/scheduling/companies/{company}",
                origin.trim_end_matches('/')
            ),
        }
    }

    /// The services a visitor can book, names and descriptions in `lang`.
    pub async fn services(&self, lang: &str) -> Result<Vec<PublicService>, ApiError> {
        let url = format!(
            "{}/widget/services?lang={}",
            self.company_base,
            encode_component(lang)
        );
        let list: ListResponse<PublicService> = get_json(&url).await?;
        Ok(list.items)
    }
}

async fn get_json<T: DeserializeOwned>(url: &str) -> Result<T, ApiError> {
    let response = Request::get(url)
        .header("Accept", "application/json")
        .send()
        .await
        .map_err(|e| ApiError::Network(e.to_string()))?;
    decode(response).await
}

/// Turns a response into `T`, or into an `ApiError` carrying the server's JSON error when there is one.
async fn decode<T: DeserializeOwned>(response: Response) -> Result<T, ApiError> {
    let status = response.status();
    let text = response
        .text()
        .await
        .map_err(|e| ApiError::Network(e.to_string()))?;
    if response.ok() {
        return serde_json::from_str(&text).map_err(|e| ApiError::Decode(e.to_string()));
    }
    let body: Option<ErrorBody> = serde_json::from_str(&text).ok();
    let message = body
        .as_ref()
        .map(|b| b.error.message.clone())
        .unwrap_or_else(|| response.status_text());
    Err(ApiError::Http {
        status,
        message,
        body,
    })
}

/// Percent-encodes a URL path segment or query value.
fn encode_component(text: &str) -> String {
    String::from(js_sys::encode_uri_component(text))
}
