//! Extractors that turn malformed input into our JSON 400 (naming the field) instead of axum's
//! plain-text rejections.

use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::extract::{FromRequest, FromRequestParts};

use crate::error::Error;

/// `axum::Json` with our error shape.
#[derive(Debug, FromRequest)]
#[from_request(via(axum::Json), rejection(Error))]
pub struct Json<T>(pub T);

impl<T: serde::Serialize> axum::response::IntoResponse for Json<T> {
    fn into_response(self) -> axum::response::Response {
        axum::Json(self.0).into_response()
    }
}

/// `axum::extract::Query` with our error shape.
#[derive(Debug, FromRequestParts)]
#[from_request(via(axum::extract::Query), rejection(Error))]
pub struct Query<T>(pub T);

/// `axum::extract::Path` with our error shape.
#[derive(Debug, FromRequestParts)]
#[from_request(via(axum::extract::Path), rejection(Error))]
pub struct Path<T>(pub T);

/// serde reports `path.to.field: reason`; split it so the client sees which field to fix.
/// serde_urlencoded names no path, but "missing field `x`" names the field itself.
fn field_and_reason(detail: &str) -> (String, String) {
    match detail.split_once(": ") {
        Some((path, reason)) if !path.contains(' ') => (path.to_owned(), reason.to_owned()),
        _ => {
            let named = detail
                .split_once("field `")
                .and_then(|(_, rest)| rest.split_once('`'))
                .map(|(name, _)| name.to_owned());
            (
                named.unwrap_or_else(|| "body".to_owned()),
                detail.to_owned(),
            )
        }
    }
}

impl From<JsonRejection> for Error {
    fn from(rejection: JsonRejection) -> Self {
        match rejection {
            JsonRejection::JsonDataError(e) => {
                // axum's text is "Failed to deserialize the JSON body into the target type: <path>: <reason>".
                let text = e.body_text();
                let detail = text
                    .split_once("target type: ")
                    .map_or(text.as_str(), |(_, d)| d);
                let (name, reason) = field_and_reason(detail);
                Error::field(name, reason)
            }
            JsonRejection::JsonSyntaxError(e) => {
                Error::field("body", format!("invalid JSON: {}", e.body_text()))
            }
            JsonRejection::MissingJsonContentType(_) => {
                Error::field("Content-Type", "must be application/json")
            }
            other => Error::field("body", other.body_text()),
        }
    }
}

impl From<QueryRejection> for Error {
    fn from(rejection: QueryRejection) -> Self {
        let text = rejection.body_text();
        let detail = text
            .split_once("query string: ")
            .map_or(text.as_str(), |(_, d)| d);
        let (name, reason) = field_and_reason(detail);
        Error::field(name, reason)
    }
}

impl From<PathRejection> for Error {
    fn from(rejection: PathRejection) -> Self {
        Error::field("path", rejection.body_text())
    }
}
