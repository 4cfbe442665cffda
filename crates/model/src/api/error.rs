use std::fmt;

use serde::{Deserialize, Serialize};

/// The one error body of the API, for every 4xx and 5xx:
/// `{"error":{"code":400,"message":"...","fields":[{"name":"client.email","reason":"..."}]}}`.
///
/// The reference documents no error shape; this one is this project's choice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct ErrorBody {
    /// The error.
    pub error: ErrorDetail,
}

impl ErrorBody {
    /// An error without field details.
    pub fn new(code: u16, message: impl Into<String>) -> Self {
        Self {
            error: ErrorDetail {
                code,
                message: message.into(),
                reason: None,
                fields: Vec::new(),
            },
        }
    }

    /// A 400 listing the invalid fields (e.g. the output of the `validate` functions).
    pub fn invalid_fields(fields: Vec<FieldError>) -> Self {
        let message = match fields.as_slice() {
            [only] => format!("invalid request: {only}"),
            _ => format!("invalid request: {} fields are invalid", fields.len()),
        };
        Self {
            error: ErrorDetail {
                code: 400,
                message,
                reason: None,
                fields,
            },
        }
    }
}

/// The slot can't be had (taken meanwhile, full, outside the offered times): choose another.
pub const REASON_SLOT_TAKEN: &str = "slotTaken";
/// Too close to the start to change or cancel online (the service's cancellation delay).
pub const REASON_TOO_LATE: &str = "tooLateToChange";
/// The appointment is already cancelled.
pub const REASON_ALREADY_CANCELLED: &str = "alreadyCancelled";
/// The appointment is over.
pub const REASON_OVER: &str = "appointmentOver";

impl ErrorBody {
    /// The machine-readable reason, when the server gave one.
    pub fn reason(&self) -> Option<&str> {
        self.error.reason.as_deref()
    }
}

/// Content of [`ErrorBody`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct ErrorDetail {
    /// The HTTP status code, repeated for clients that only see the body.
    pub code: u16,
    /// What went wrong and what to do about it.
    pub message: String,
    /// A stable, machine-readable reason for the errors a client acts on (409s): one of
    /// [`REASON_SLOT_TAKEN`], [`REASON_TOO_LATE`], [`REASON_ALREADY_CANCELLED`], [`REASON_OVER`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// The invalid fields, for a validation error.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<FieldError>,
}

/// One invalid field: its dotted JSON path (`client.email`, `form.contactFields[2].value`) and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct FieldError {
    /// Dotted JSON path of the field in the request.
    pub name: String,
    /// What is wrong and what to do, e.g. "must be at most 127 characters (got 130)".
    pub reason: String,
    /// A stable, machine-readable kind of problem (one of [`field_code`]) for clients that word it
    /// themselves, in the visitor's language; absent for problems without one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// The limit a [`field_code::TOO_SHORT`], [`field_code::TOO_LONG`] or
    /// [`field_code::FILE_TOO_BIG`] refers to (characters, characters, bytes).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<u64>,
}

/// The values of [`FieldError::code`]. A client must treat a code it does not know as absent and
/// show the `reason`.
pub mod field_code {
    /// No value given for a field that needs one.
    pub const REQUIRED: &str = "required";
    /// Fewer characters than `limit`.
    pub const TOO_SHORT: &str = "tooShort";
    /// More characters than `limit`.
    pub const TOO_LONG: &str = "tooLong";
    /// Does not match the form item's pattern.
    pub const FORMAT: &str = "format";
    /// Not an email address.
    pub const EMAIL: &str = "email";
    /// Not a number.
    pub const NUMBER: &str = "number";
    /// Not a date.
    pub const DATE: &str = "date";
    /// Not an http(s) address.
    pub const WEBSITE: &str = "website";
    /// Not one of the item's options.
    pub const UNKNOWN_OPTION: &str = "unknownOption";
    /// Several choices where one is allowed.
    pub const ONE_CHOICE: &str = "oneChoiceOnly";
    /// A file larger than `limit` bytes.
    pub const FILE_TOO_BIG: &str = "fileTooBig";
    /// Not a base64 data URI.
    pub const FILE_INVALID: &str = "fileInvalid";
    /// Not an IANA time zone name.
    pub const TIME_ZONE: &str = "timeZone";
    /// Out of order with another field (an end before its start); the server answers 422.
    pub const ORDER: &str = "order";
}

impl FieldError {
    /// Builds a field error without a code.
    pub fn new(name: impl Into<String>, reason: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            reason: reason.into(),
            code: None,
            limit: None,
        }
    }

    /// The same error with a [`field_code`].
    pub fn with_code(mut self, code: &str) -> Self {
        self.code = Some(code.to_owned());
        self
    }

    /// The same error with the limit its code refers to.
    pub fn with_limit(mut self, limit: u64) -> Self {
        self.limit = Some(limit);
        self
    }
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.name, self.reason)
    }
}
