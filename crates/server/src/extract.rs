//! Extractors that turn malformed input into our JSON 400 (naming the field) instead of axum's
//! plain-text rejections.

use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::extract::{FromRequest, FromRequestParts, RawPathParams, Request};
use axum::http::request::Parts;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

use crate::error::Error;
use booking_model::{field_code, FieldError};

/// `axum::Json` with our error shape. A number with a zero fraction (`30.0`) is read as the integer
/// it equals: JSON Schema, and so the OpenAPI document, counts it as an integer, and some clients
/// (Python's `json`) write whole floats that way.
#[derive(Debug)]
pub struct Json<T>(pub T);

impl<T: DeserializeOwned + Serialize, S: Send + Sync> FromRequest<S> for Json<T> {
    type Rejection = Error;

    async fn from_request(request: Request, state: &S) -> Result<Self, Error> {
        let axum::Json(value) = axum::Json::<Value>::from_request(request, state).await?;
        parse(value).map(Json)
    }
}

/// What [`Json`] makes of a JSON body it read, for a route that reads the body itself (an
/// optional one): no NUL in text, whole floats as integers, the field named in every error, and
/// objects where the type has objects.
pub fn parse<T: DeserializeOwned + Serialize>(mut value: Value) -> Result<T, Error> {
    whole_numbers_as_integers(&mut value);
    let parsed: T = serde_path_to_error::deserialize(&value).map_err(|e| {
        let path = e.path().to_string();
        let reason = e.into_inner().to_string();
        let (name, reason) = match path.as_str() {
            "." => field_and_reason(&reason),
            _ => (path, reason),
        };
        Error::field(name, reason)
    })?;
    // serde also reads a struct from an array of its fields in order (`[null, null]`); the
    // document says object, so refuse it: wherever the type writes an object, one was sent.
    let written = serde_json::to_value(&parsed).map_err(|e| anyhow::anyhow!(e))?;
    if let Some(path) = array_for_object(&value, &written, String::new()) {
        let name = if path.is_empty() {
            "body".to_owned()
        } else {
            path
        };
        return Err(Error::field(name, "must be an object"));
    }
    // What was read, not what was sent: members the type ignores are not kept, so not refused.
    let mut nul = Vec::new();
    nul_in_text(&written, "", &mut nul);
    if !nul.is_empty() {
        return Err(Error::invalid(nul));
    }
    Ok(parsed)
}

/// The path of the first place where `sent` holds an array and `written` (the parsed value written
/// back) an object.
fn array_for_object(sent: &Value, written: &Value, path: String) -> Option<String> {
    match (sent, written) {
        (Value::Array(_), Value::Object(_)) => Some(path),
        (Value::Array(a), Value::Array(b)) => a
            .iter()
            .zip(b)
            .enumerate()
            .find_map(|(i, (x, y))| array_for_object(x, y, format!("{path}[{i}]"))),
        (Value::Object(a), Value::Object(b)) => a.iter().find_map(|(key, x)| {
            let y = b.get(key)?;
            let next = if path.is_empty() {
                key.clone()
            } else {
                format!("{path}.{key}")
            };
            array_for_object(x, y, next)
        }),
        _ => None,
    }
}

/// Why a text holding U+0000 is refused. PostgreSQL's text cannot hold it, so refusing it everywhere
/// keeps the two databases answering alike; the OpenAPI document says it of every string.
pub const NUL_REASON: &str = "must not contain the NUL character (U+0000)";

/// Whether `key` holds caller-defined JSON, stored as JSON text (where a NUL is an escape) and
/// described by no schema.
fn free_form(key: &str) -> bool {
    matches!(key, "extendedProperties" | "schema")
}

/// Pushes to `found` the path of every string or map key in `value` (a body as read) holding a
/// NUL, outside free-form data.
fn nul_in_text(value: &Value, path: &str, found: &mut Vec<FieldError>) {
    let at = |key: &str| match path {
        "" => key.to_owned(),
        _ => format!("{path}.{key}"),
    };
    match value {
        Value::String(text) if text.contains('\0') => {
            let name = if path.is_empty() { "body" } else { path };
            found.push(nul_error(name));
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                nul_in_text(item, &format!("{path}[{i}]"), found);
            }
        }
        Value::Object(map) => {
            for (key, item) in map {
                if key.contains('\0') {
                    found.push(nul_error(&at(&key.replace('\0', "\\0"))));
                } else if !free_form(key) {
                    nul_in_text(item, &at(key), found);
                }
            }
        }
        _ => {}
    }
}

/// A route's parameter (`appointment_id`) as the document names it (`appointmentId`).
fn camel_case(name: &str) -> String {
    let mut parts = name.split('_');
    let first = parts.next().unwrap_or_default().to_owned();
    parts.fold(first, |mut out, part| {
        let mut chars = part.chars();
        if let Some(c) = chars.next() {
            out.extend(c.to_uppercase());
            out.push_str(chars.as_str());
        }
        out
    })
}

fn nul_error(name: &str) -> FieldError {
    let mut error = FieldError::new(name, NUL_REASON);
    error.code = Some(field_code::FORMAT.to_owned());
    error
}

/// Rewrites every float with a zero fraction that fits an `i64`/`u64` as that integer.
fn whole_numbers_as_integers(value: &mut Value) {
    match value {
        Value::Number(n) if n.is_f64() => {
            let f = n.as_f64().unwrap_or(f64::NAN);
            // Beyond 2^53 a float is not an exact integer any more: leave it to the type to refuse.
            if f.fract() == 0.0 && f.abs() <= 9_007_199_254_740_992.0 {
                #[allow(clippy::cast_possible_truncation)]
                let whole = f as i64;
                *value = Value::from(whole);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(whole_numbers_as_integers),
        // Caller-defined data is stored as sent.
        Value::Object(map) => map
            .iter_mut()
            .filter(|(key, _)| !free_form(key))
            .for_each(|(_, v)| whole_numbers_as_integers(v)),
        _ => {}
    }
}

impl<T: serde::Serialize> axum::response::IntoResponse for Json<T> {
    fn into_response(self) -> axum::response::Response {
        axum::Json(self.0).into_response()
    }
}

/// `axum::extract::Query` with our error shape, refusing a NUL in any parameter.
#[derive(Debug)]
pub struct Query<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for Query<T> {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Error> {
        query_pairs(parts.uri.query())?;
        let axum::extract::Query(value) =
            axum::extract::Query::<T>::from_request_parts(parts, state).await?;
        Ok(Query(value))
    }
}

/// The decoded parameters of a query string, or a 400 naming the first one holding a NUL.
pub fn query_pairs(raw: Option<&str>) -> Result<Vec<(String, String)>, Error> {
    form_urlencoded::parse(raw.unwrap_or_default().as_bytes())
        .map(|(key, value)| {
            if key.contains('\0') || value.contains('\0') {
                Err(Error::invalid(vec![nul_error(&key.replace('\0', "\\0"))]))
            } else {
                Ok((key.into_owned(), value.into_owned()))
            }
        })
        .collect()
}

/// `axum::extract::Path` with our error shape, refusing a NUL in any segment.
#[derive(Debug)]
pub struct Path<T>(pub T);

impl<T: DeserializeOwned + Send, S: Send + Sync> FromRequestParts<S> for Path<T> {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Error> {
        // Unreadable segments are left for `Path` to report.
        if let Ok(raw) = RawPathParams::from_request_parts(parts, state).await {
            if let Some((name, _)) = raw.iter().find(|(_, value)| value.contains('\0')) {
                return Err(Error::invalid(vec![nul_error(&camel_case(name))]));
            }
        }
        let axum::extract::Path(value) =
            axum::extract::Path::<T>::from_request_parts(parts, state).await?;
        Ok(Path(value))
    }
}

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
