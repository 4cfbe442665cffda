//! The one error type of the server and its single JSON shape
//! (`{"error":{"code":400,"message":"...","fields":[{"name":"...","reason":"..."}]}}`).

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use booking_model::{field_code, ErrorBody, ErrorDetail, FieldError};

/// `name: reason` of a single field, or how many fields are invalid.
fn summary(fields: &[FieldError]) -> String {
    match fields {
        [one] => format!("{}: {}", one.name, one.reason),
        many => format!("{} fields are invalid", many.len()),
    }
}

/// Everything a handler can fail with. Each variant maps to one HTTP status.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Bad input: the fields named say what to fix.
    #[error("{message}")]
    BadRequest {
        message: String,
        fields: Vec<FieldError>,
    },
    /// Input the OpenAPI document allows that breaks a rule it can only state in words: an order
    /// between fields or parameters, a reference to a record that does not exist, answers that do
    /// not fit the service's form, ids that must be unique. A 400 means the input breaks the
    /// document itself.
    #[error("{message}")]
    Unprocessable {
        message: String,
        fields: Vec<FieldError>,
    },
    /// Missing or invalid credentials.
    #[error("authentication required: {0}")]
    Unauthorized(String),
    /// The thing does not exist (or belongs to another company: we don't leak which).
    #[error("{0}")]
    NotFound(String),
    /// The request conflicts with the current state (e.g. the id is taken).
    #[error("{0}")]
    Conflict(String),
    /// A 409 the client acts on, with a machine-readable `reason` (`booking_model::api::REASON_*`).
    #[error("{message}")]
    Refused {
        reason: &'static str,
        message: String,
    },
    /// A sync token that is unknown or expired: the client must re-sync fully.
    #[error("{0}")]
    Gone(String),
    /// Too many requests; retry after the given number of seconds.
    #[error("too many requests, retry in {0} s")]
    TooManyRequests(u64),
    /// The server can't serve yet (e.g. its database is unreachable); retry later.
    #[error("{0}")]
    Unavailable(String),
    /// A database failure: logged in full, reported to the client without details.
    #[error("database error: {0}")]
    Database(sqlx::Error),
    /// Any other unexpected failure.
    #[error("internal error: {0}")]
    Internal(#[from] anyhow::Error),
}

impl From<sqlx::Error> for Error {
    /// A database too busy to answer now (a writer waited past the write lock's timeout, no
    /// connection came free) is a 503 to retry; any other database error a 500.
    ///
    /// Text with a NUL character, which PostgreSQL refuses, is a 400: the model's validators name
    /// the field for every field they check; this answers for the rest (an id in a path).
    fn from(e: sqlx::Error) -> Self {
        if crate::db::is_busy(&e) {
            tracing::warn!(error = %e, "database busy");
            return Error::Unavailable("the database is busy: retry in a moment".to_owned());
        }
        if crate::db::is_nul_in_text(&e) {
            return Error::BadRequest {
                message: "text must not contain the NUL character (U+0000)".to_owned(),
                fields: Vec::new(),
            };
        }
        Error::Database(e)
    }
}

impl Error {
    /// A 400 about one field.
    pub fn field(name: impl Into<String>, reason: impl Into<String>) -> Self {
        let (name, reason) = (name.into(), reason.into());
        Error::BadRequest {
            message: format!("{name}: {reason}"),
            fields: vec![FieldError::new(name, reason)],
        }
    }

    /// A 400 listing every invalid field (from the model's validation); a 422 when each of them
    /// only breaks a rule between fields ([`field_code::ORDER`]).
    pub fn invalid(fields: Vec<FieldError>) -> Self {
        let message = summary(&fields);
        let only_rules = fields
            .iter()
            .all(|f| f.code.as_deref() == Some(field_code::ORDER));
        match only_rules && !fields.is_empty() {
            true => Error::Unprocessable { message, fields },
            false => Error::BadRequest { message, fields },
        }
    }

    /// A 422 about one field: see [`Error::Unprocessable`].
    pub fn rule(name: impl Into<String>, reason: impl Into<String>) -> Self {
        Error::rules(vec![FieldError::new(name, reason)])
    }

    /// A 422 listing every field that breaks a rule: see [`Error::Unprocessable`].
    pub fn rules(fields: Vec<FieldError>) -> Self {
        Error::Unprocessable {
            message: summary(&fields),
            fields,
        }
    }

    fn status(&self) -> StatusCode {
        match self {
            Error::BadRequest { .. } => StatusCode::BAD_REQUEST,
            Error::Unprocessable { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            Error::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            Error::NotFound(_) => StatusCode::NOT_FOUND,
            Error::Conflict(_) | Error::Refused { .. } => StatusCode::CONFLICT,
            Error::Gone(_) => StatusCode::GONE,
            Error::TooManyRequests(_) => StatusCode::TOO_MANY_REQUESTS,
            Error::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            Error::Database(_) | Error::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

impl IntoResponse for Error {
    fn into_response(self) -> Response {
        let status = self.status();
        let retry_after = match self {
            Error::TooManyRequests(secs) => Some(secs),
            _ => None,
        };
        let challenge = matches!(self, Error::Unauthorized(_));
        let reason = match self {
            Error::Refused { reason, .. } => Some(reason.to_owned()),
            _ => None,
        };
        let (message, fields) = match self {
            Error::BadRequest { message, fields } | Error::Unprocessable { message, fields } => {
                (message, fields)
            }
            Error::Database(ref e) => {
                tracing::error!(error = %e, "database error");
                ("internal server error".to_owned(), Vec::new())
            }
            Error::Internal(ref e) => {
                tracing::error!(error = ?e, "internal error");
                ("internal server error".to_owned(), Vec::new())
            }
            other => (other.to_string(), Vec::new()),
        };
        // Errors quote what was sent ("unknown field `…`"): never a NUL back, which the document
        // says no string holds.
        let visible = |text: String| match text.contains('\0') {
            true => text.replace('\0', "\\0"),
            false => text,
        };
        let message = visible(message);
        let fields = fields
            .into_iter()
            .map(|mut f| {
                f.name = visible(f.name);
                f.reason = visible(f.reason);
                f
            })
            .collect();
        let body = ErrorBody {
            error: ErrorDetail {
                code: status.as_u16(),
                message,
                reason,
                fields,
            },
        };
        let mut response = (status, Json(body)).into_response();
        if challenge {
            response.headers_mut().insert(
                axum::http::header::WWW_AUTHENTICATE,
                axum::http::HeaderValue::from_static("Bearer"),
            );
        }
        if let Some(secs) = retry_after {
            response
                .headers_mut()
                .insert(axum::http::header::RETRY_AFTER, secs.into());
        }
        response
    }
}

/// The answer to a request whose handler panicked (`CatchPanicLayer`): the panic is logged, the
/// client gets a 500 in the one JSON shape, and the server goes on serving.
pub fn panic_response(panic: Box<dyn std::any::Any + Send + 'static>) -> Response {
    let message = match (panic.downcast_ref::<&str>(), panic.downcast_ref::<String>()) {
        (Some(text), _) => text,
        (None, Some(text)) => text.as_str(),
        (None, None) => "a panic without a message",
    };
    tracing::error!(panic = %message, "a request handler panicked");
    Error::Internal(anyhow::anyhow!("handler panicked")).into_response()
}

/// The server's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Turns a unique-constraint violation into a client error, so handlers stay one `?` long.
pub trait OnConstraint<T> {
    /// `conflict()` when the database refused the write as a duplicate; other errors pass through.
    fn on_unique_violation(self, conflict: impl FnOnce() -> Error) -> Result<T>;
}

impl<T> OnConstraint<T> for Result<T> {
    fn on_unique_violation(self, conflict: impl FnOnce() -> Error) -> Result<T> {
        match self {
            Err(Error::Database(sqlx::Error::Database(e))) if e.is_unique_violation() => {
                Err(conflict())
            }
            other => other,
        }
    }
}
