//! A staff member's connected calendars (issue #17): what the business sends to connect one
//! (`POST .../staff/{staffId}/calendarConnections`) and what the server shows of it. Extension of
//! the reference, which only names the synchronization ids of other products.
//!
//! Two kinds: `caldav` (a CalDAV calendar collection, with HTTP Basic credentials) and `ics` (a
//! published iCalendar address, read-only). The password is write-only: no answer carries it.

use serde::{Deserialize, Serialize};

use crate::api::{field_code, FieldError};
use crate::validate::is_valid_url;

/// Longest accepted URL, in characters.
pub const MAX_URL_LEN: usize = 2048;
/// Longest accepted username or password, in characters.
pub const MAX_CREDENTIAL_LEN: usize = 1024;

/// The kinds of connection, as `type` spells them.
pub const KINDS: [&str; 2] = ["caldav", "ics"];

/// A connection as sent to create it.
///
/// ```
/// # use booking_model::{validate_calendar_connection, NewCalendarConnection};
/// let ics: NewCalendarConnection =
///     serde_json::from_str(r#"{"type": "ics", "url": "https://example.com/cal.ics"}"#).unwrap();
/// assert!(validate_calendar_connection(&ics).is_empty());
/// let caldav: NewCalendarConnection =
///     serde_json::from_str(r#"{"type": "caldav", "url": "https://dav.example.com/u/cal/"}"#).unwrap();
/// assert_eq!(validate_calendar_connection(&caldav)[0].name, "username");
/// ```
#[derive(Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NewCalendarConnection {
    /// `caldav` or `ics`.
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// The calendar collection (`caldav`) or the published `.ics` address (`ics`); `http` or `https`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// `caldav` only: the HTTP Basic user.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
    /// `caldav` only: the HTTP Basic password (an app password for iCloud, Google, Fastmail).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub password: Option<String>,
}

/// The password never reaches a log line, not even in debug output.
impl std::fmt::Debug for NewCalendarConnection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewCalendarConnection")
            .field("kind", &self.kind)
            .field("url", &self.url)
            .field("username", &self.username)
            .field("password", &self.password.as_ref().map(|_| "***"))
            .finish()
    }
}

/// Every problem of a connection request at once, each naming its field: `type` one of
/// [`KINDS`], `url` an absolute `http(s)` URL, `username` and `password` required for `caldav` and
/// refused for `ics`. Whether the URL's host may be called is the server's check.
pub fn validate_calendar_connection(new: &NewCalendarConnection) -> Vec<FieldError> {
    let mut errors = Vec::new();
    let kind = new.kind.as_deref().map(str::trim);
    match kind {
        None | Some("") => errors.push(
            FieldError::new("type", "is required: `caldav` or `ics`")
                .with_code(field_code::REQUIRED),
        ),
        Some(k) if !KINDS.contains(&k) => errors.push(FieldError::new(
            "type",
            format!("must be `caldav` or `ics` (got {k:?})"),
        )),
        Some(_) => {}
    }
    match new.url.as_deref().map(str::trim) {
        None | Some("") => errors.push(
            FieldError::new(
                "url",
                "is required: the calendar's http:// or https:// address",
            )
            .with_code(field_code::REQUIRED),
        ),
        Some(url) if url.chars().count() > MAX_URL_LEN => errors.push(FieldError::new(
            "url",
            format!("must be at most {MAX_URL_LEN} characters"),
        )),
        Some(url) if !is_valid_url(url) => errors.push(FieldError::new(
            "url",
            format!("must be an absolute http:// or https:// URL (got {url:?})"),
        )),
        Some(_) => {}
    }
    let credentials = [
        ("username", new.username.as_deref()),
        ("password", new.password.as_deref()),
    ];
    for (name, value) in credentials {
        match (kind, value) {
            (Some("caldav"), None) => errors.push(
                FieldError::new(name, "is required for a caldav connection")
                    .with_code(field_code::REQUIRED),
            ),
            (Some("caldav"), Some(v)) if v.trim().is_empty() => errors
                .push(FieldError::new(name, "must not be blank").with_code(field_code::REQUIRED)),
            (Some("caldav"), Some(v)) if v.chars().count() > MAX_CREDENTIAL_LEN => {
                errors.push(FieldError::new(
                    name,
                    format!("must be at most {MAX_CREDENTIAL_LEN} characters"),
                ))
            }
            (Some("ics"), Some(_)) => errors.push(FieldError::new(
                name,
                "is only for caldav connections: an ics address is read without credentials",
            )),
            _ => {}
        }
    }
    errors
}

/// A stored connection as the API shows it (never with its password).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct CalendarConnection {
    /// Identifier, generated by the server.
    pub id: String,
    /// The staff member whose free time this calendar blocks.
    pub staff_id: String,
    /// `caldav` or `ics`.
    #[serde(rename = "type")]
    #[cfg_attr(feature = "openapi", schemars(with = "CalendarKind"))]
    pub kind: String,
    /// The address as sent.
    pub url: String,
    /// `caldav`: the user (the password is never shown).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
    /// When the connection was made (UTC, RFC 3339).
    pub created_at: String,
    /// How its last fetches went.
    pub status: CalendarConnectionStatus,
}

/// The `type` of a connection.
#[cfg(feature = "openapi")]
#[derive(schemars::JsonSchema)]
#[schemars(rename_all = "lowercase")]
#[allow(dead_code)] // schema only
enum CalendarKind {
    Caldav,
    Ics,
}

/// How a connection's fetches went.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct CalendarConnectionStatus {
    /// The last successful fetch (UTC, RFC 3339); its busy time is the one that counts. Absent
    /// before the first.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_sync_at: Option<String>,
    /// The last fetch tried, successful or not.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_attempt_at: Option<String>,
    /// Why the last fetch failed; absent when it succeeded. The busy time of the last success is
    /// still used.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_error: Option<String>,
    /// Events (and free/busy components) read at the last success.
    pub event_count: u64,
    /// Busy intervals stored from it, in the sync horizon.
    pub busy_count: u64,
    /// `caldav`: the last time a booking was written out to this calendar (or removed from it),
    /// successfully or not. Absent before the first.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_write_at: Option<String>,
    /// Why that write failed; absent when it succeeded. A failed write is retried with backoff;
    /// the booking itself is never affected.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_write_error: Option<String>,
}

#[cfg(feature = "openapi")]
mod schema {
    use std::borrow::Cow;

    use schemars::{json_schema, JsonSchema, Schema, SchemaGenerator};

    use super::{NewCalendarConnection, MAX_CREDENTIAL_LEN, MAX_URL_LEN};
    use crate::schema::{NON_BLANK, URL};

    /// One shape per kind, so that the document states what the validator checks.
    impl JsonSchema for NewCalendarConnection {
        fn schema_name() -> Cow<'static, str> {
            "NewCalendarConnection".into()
        }

        fn json_schema(_: &mut SchemaGenerator) -> Schema {
            let url = serde_json::json!({
                "type": "string", "pattern": URL, "minLength": 1, "maxLength": MAX_URL_LEN,
                "description": "An absolute http:// or https:// address; the server must be allowed to call its host (public addresses only unless the server runs with --allow-private-webhooks)."
            });
            let credential = serde_json::json!({
                "type": "string", "pattern": NON_BLANK, "maxLength": MAX_CREDENTIAL_LEN
            });
            json_schema!({
                "description": "A calendar to read busy time from: a CalDAV calendar collection with its credentials, or a published iCalendar (.ics) address.",
                "oneOf": [
                    {
                        "type": "object",
                        "additionalProperties": false,
                        "required": ["type", "url", "username", "password"],
                        "properties": {
                            "type": {"const": "caldav"},
                            "url": url,
                            "username": credential,
                            "password": credential,
                        }
                    },
                    {
                        "type": "object",
                        "additionalProperties": false,
                        "required": ["type", "url"],
                        "properties": {
                            "type": {"const": "ics"},
                            "url": url,
                        }
                    }
                ]
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn new(json: &str) -> NewCalendarConnection {
        serde_json::from_str(json).expect("a request")
    }

    fn fields(json: &str) -> Vec<String> {
        validate_calendar_connection(&new(json))
            .into_iter()
            .map(|f| f.name)
            .collect()
    }

    #[test]
    fn each_problem_names_its_field() {
        assert!(fields(r#"{"type":"ics","url":"https://x.example/a.ics"}"#).is_empty());
        assert!(fields(
            r#"{"type":"caldav","url":"http://dav.example/c/","username":"u","password":"p"}"#
        )
        .is_empty());
        assert_eq!(fields(r#"{"url":"https://x.example"}"#), ["type"]);
        assert_eq!(
            fields(r#"{"type":"google","url":"https://x.example"}"#),
            ["type"]
        );
        assert_eq!(
            fields(r#"{"type":"ics","url":"ftp://x.example/a"}"#),
            ["url"]
        );
        assert_eq!(fields(r#"{"type":"ics"}"#), ["url"]);
        assert_eq!(
            fields(r#"{"type":"caldav","url":"https://x.example","password":"p"}"#),
            ["username"]
        );
        assert_eq!(
            fields(r#"{"type":"caldav","url":"https://x.example","username":"u","password":" "}"#),
            ["password"]
        );
        assert_eq!(
            fields(r#"{"type":"ics","url":"https://x.example","password":"p"}"#),
            ["password"]
        );
    }

    #[test]
    fn debug_hides_the_password() {
        let caldav = new(
            r#"{"type":"caldav","url":"https://x.example","username":"u","password":"hunter2"}"#,
        );
        let shown = format!("{caldav:?}");
        assert!(!shown.contains("hunter2"), "{shown}");
        assert!(shown.contains("***"), "{shown}");
    }

    #[test]
    fn unknown_fields_are_refused() {
        assert!(serde_json::from_str::<NewCalendarConnection>(
            r#"{"type":"ics","url":"https://x.example","color":"red"}"#
        )
        .is_err());
    }
}
