//! Checks of client input against the reference's limits, returning every problem at once.
//!
//! Each function returns `Vec<FieldError>`; empty means valid. Field names are dotted JSON paths of
//! the request (`client.email`, `form.contactFields[2].value`), so the widget can put each message
//! next to its input and the server can answer with [`ErrorBody::invalid_fields`].
//!
//! [`ErrorBody::invalid_fields`]: crate::api::ErrorBody::invalid_fields

/// Answers of a filled form against its definition.
mod answers;
/// Insert / update of an appointment.
mod appointment;
/// The widget's public booking request.
mod booking;
/// A company's custom appointment status.
mod status;
/// Syntax checks shared by the server and the widget (email, URL, zone name).
mod syntax;

pub use answers::validate_answers;
pub use appointment::validate_appointment;
pub use booking::validate_booking_request;
pub use status::validate_appointment_status;

/// The rules of the validators as JSON Schema, for the server's OpenAPI document.
#[cfg(feature = "openapi")]
pub mod rules {
    pub use super::appointment::rules::{
        insert as appointment_insert, update as appointment_update,
    };
    pub use super::booking::rules as booking_request;
}
pub use syntax::{e164, is_valid_email, is_valid_time_zone, is_valid_url};

use crate::api::{field_code, FieldError};

/// Maximum length of an id (`service.id`, `client.id`, …), in characters.
pub const MAX_ID_LEN: usize = 16;
/// Maximum length of a name or email (`client.firstName`, `client.email`, …), in characters.
pub const MAX_NAME_LEN: usize = 127;
/// Maximum length of `notes` and of external ids, in characters.
pub const MAX_TEXT_LEN: usize = 65_535;
/// Maximum size of `extendedProperties` serialized as JSON, in bytes ("22KB").
pub const MAX_EXTENDED_PROPERTIES_BYTES: usize = 22 * 1024;
/// Maximum decoded size of an uploaded file (a `file` form item), in bytes: 5 MiB.
pub const MAX_FILE_BYTES: usize = 5 * 1024 * 1024;

/// Which operation an appointment is validated for: an insert must be complete, an update may be
/// partial (absent fields keep their value).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Mode {
    /// Creating an appointment: required fields must be present.
    Insert,
    /// Changing an appointment: only the fields present are checked.
    Update,
}

/// A regular-expression engine, supplied by the caller so this crate stays engine-free.
///
/// The server implements it with the `regex` crate, the widget with the browser's `RegExp`. Form
/// patterns should stick to the syntax both share.
pub trait PatternMatcher {
    /// Whether `value` matches `pattern` (already anchored by the caller as `^(?:...)$`);
    /// `Err` with the engine's message when the pattern does not compile.
    fn matches(&self, pattern: &str, value: &str) -> Result<bool, String>;
}

/// Accumulates field errors, with the length checks every validator needs.
#[derive(Debug, Default)]
struct Errors(Vec<FieldError>);

impl Errors {
    fn push(&mut self, name: impl Into<String>, reason: impl Into<String>) {
        self.0.push(FieldError::new(name, reason));
    }

    /// Adds an error with a [`field_code`](crate::api::field_code).
    fn push_code(&mut self, name: impl Into<String>, code: &str, reason: impl Into<String>) {
        self.0.push(FieldError::new(name, reason).with_code(code));
    }

    /// Adds an error with a code and the limit it refers to.
    fn push_limit(
        &mut self,
        name: impl Into<String>,
        code: &str,
        limit: usize,
        reason: impl Into<String>,
    ) {
        let limit = u64::try_from(limit).unwrap_or(u64::MAX);
        self.0.push(
            FieldError::new(name, reason)
                .with_code(code)
                .with_limit(limit),
        );
    }

    /// Adds an error when `value` is longer than `max` characters or holds a NUL character (which
    /// PostgreSQL's text cannot store, so no database of ours accepts it).
    fn max_chars(&mut self, name: &str, value: Option<&str>, max: usize) {
        if let Some(value) = value {
            if value.contains('\0') {
                self.push_code(
                    name,
                    field_code::FORMAT,
                    "must not contain the NUL character (U+0000)",
                );
                return;
            }
            let len = value.chars().count();
            if len > max {
                self.push_limit(
                    name,
                    field_code::TOO_LONG,
                    max,
                    format!("must be at most {max} characters (got {len})"),
                );
            }
        }
    }

    /// Adds an error when `value` is present, not blank and not an email address.
    fn email(&mut self, name: &str, value: Option<&str>) {
        if let Some(value) = value.filter(|v| !v.trim().is_empty()) {
            if !is_valid_email(value) {
                self.push_code(
                    name,
                    field_code::EMAIL,
                    format!("must be an email address like name@example.com (got {value:?})"),
                );
            }
        }
    }

    /// Adds an error when `value` is present and not a known time zone name.
    fn time_zone(&mut self, name: &str, value: Option<&str>) {
        if let Some(value) = value {
            if !is_valid_time_zone(value) {
                self.push_code(
                    name,
                    field_code::TIME_ZONE,
                    format!("must be an IANA time zone like Europe/Paris (got {value:?})"),
                );
            }
        }
    }

    /// Adds an error when `properties` serializes to more than [`MAX_EXTENDED_PROPERTIES_BYTES`].
    fn json_size<T: serde::Serialize>(&mut self, name: &str, properties: Option<&T>) {
        let Some(properties) = properties else {
            return;
        };
        match serde_json::to_vec(properties) {
            Ok(bytes) if bytes.len() > MAX_EXTENDED_PROPERTIES_BYTES => self.push(
                name,
                format!(
                    "must be at most {MAX_EXTENDED_PROPERTIES_BYTES} bytes as JSON (got {}); store less data",
                    bytes.len()
                ),
            ),
            Ok(_) => {}
            Err(err) => self.push(name, format!("cannot be serialized as JSON: {err}")),
        }
    }

    fn into_vec(self) -> Vec<FieldError> {
        self.0
    }
}

/// Whether an optional string holds something other than blanks.
fn is_filled(value: Option<&str>) -> bool {
    value.is_some_and(|v| !v.trim().is_empty())
}
