//! API-key authentication and tenancy for the authenticated API.
//!
//! A key belongs to one company and is stored only as its SHA-256 digest (`api_keys`). It is accepted
//! as (first found wins):
//! 1. the `apiKey` header, then the `apiKey` query parameter;
//! 2. the `token` header, then the `token` query parameter — an alias of `apiKey`: upstream pairs an
//!    account key with a token, while here one random key is the whole credential, so `token` alone
//!    works and is ignored when `apiKey` is present;
//! 3. `Authorization: Bearer <key>`.
//!
//! No credential, or an unknown one → 401. A valid key used on another company's path → 404, the
//! same answer as for a company that does not exist, so keys can't probe which companies exist.

use axum::extract::{RawPathParams, Request, State};
use axum::http::{header, HeaderMap};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::db::business;
use crate::error::{Error, Result};
use crate::AppState;

/// The company the request's key belongs to (and whose path it is on), put in the request's
/// extensions by [`require_api_key`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tenant {
    pub company_id: String,
}

/// The credential a request carries, by the precedence of the module documentation.
pub fn credential(headers: &HeaderMap, query: Option<&str>) -> Option<String> {
    let header_value = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(str::to_owned)
    };
    let query_value = |name: &str| {
        query.and_then(|q| {
            form_urlencoded::parse(q.as_bytes())
                .find(|(k, v)| k == name && !v.trim().is_empty())
                .map(|(_, v)| v.trim().to_owned())
        })
    };
    let bearer = || {
        headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| {
                let (scheme, rest) = v.trim().split_once(' ')?;
                scheme.eq_ignore_ascii_case("bearer").then(|| rest.trim())
            })
            .filter(|v| !v.is_empty())
            .map(str::to_owned)
    };
    header_value("apikey")
        .or_else(|| query_value("apiKey"))
        .or_else(|| header_value("token"))
        .or_else(|| query_value("token"))
        .or_else(bearer)
}

/// Checks the key against the `{company_id}` of the path; see the module documentation.
pub async fn authenticate(
    state: &AppState,
    headers: &HeaderMap,
    query: Option<&str>,
    path_company: &str,
) -> Result<Tenant> {
    let key = credential(headers, query).ok_or_else(|| {
        Error::Unauthorized(
            "send your API key in the apiKey header (or ?apiKey=, or Authorization: Bearer <key>)"
                .to_owned(),
        )
    })?;
    let company_id = business::company_of_api_key(&state.db, &key)
        .await?
        .ok_or_else(|| Error::Unauthorized("this API key is not valid".to_owned()))?;
    if company_id != path_company {
        return Err(Error::NotFound(format!(
            "company `{path_company}` not found"
        )));
    }
    Ok(Tenant { company_id })
}

/// Middleware for the authenticated routes: 401/404 as documented above, else the request goes on
/// with a [`Tenant`] in its extensions.
pub async fn require_api_key(
    State(state): State<AppState>,
    params: RawPathParams,
    mut request: Request,
    next: Next,
) -> Response {
    let company = params
        .iter()
        .find(|(name, _)| *name == "company_id")
        .map(|(_, value)| value.to_owned())
        .unwrap_or_default();
    let query = request.uri().query().map(str::to_owned);
    match authenticate(&state, request.headers(), query.as_deref(), &company).await {
        Ok(tenant) => {
            request.extensions_mut().insert(tenant);
            next.run(request).await
        }
        Err(e) => e.into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn precedence_of_credentials() {
        let mut headers = HeaderMap::new();
        assert_eq!(credential(&headers, None), None);
        headers.insert(header::AUTHORIZATION, HeaderValue::from_static("Bearer b"));
        assert_eq!(credential(&headers, None).as_deref(), Some("b"));
        assert_eq!(credential(&headers, Some("token=t")).as_deref(), Some("t"));
        headers.insert("token", HeaderValue::from_static("th"));
        assert_eq!(credential(&headers, Some("token=t")).as_deref(), Some("th"));
        assert_eq!(
            credential(&headers, Some("apiKey=k&token=t")).as_deref(),
            Some("k")
        );
        headers.insert("apiKey", HeaderValue::from_static("kh"));
        assert_eq!(
            credential(&headers, Some("apiKey=k")).as_deref(),
            Some("kh")
        );
        let mut blank = HeaderMap::new();
        blank.insert("apiKey", HeaderValue::from_static(" "));
        assert_eq!(credential(&blank, Some("apiKey=")), None);
    }
}
