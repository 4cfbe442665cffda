//! JSON Schemas for what the Rust types alone do not say: the lenient wire forms of
//! [`serde_helpers`](crate::serde_helpers), and the text formats that parsing and validation accept
//! (local date-times, dates, times, record ids, IANA zones).
//!
//! Each pattern here accepts exactly what the matching parser accepts (or a subset of it where a
//! regular expression cannot follow the parser, e.g. 29 February), so a value the schema allows is
//! never refused for its form. The derives use them through `#[schemars(with = "...")]` /
//! `schema_with`.

use std::borrow::Cow;

use schemars::{json_schema, JsonSchema, Schema, SchemaGenerator};

/// A day of any month that exists in every year: 01–28, 29–30 except in February, 31 in long months.
const DATE: &str = "[0-9]{4}-(?:(?:0[1-9]|1[0-2])-(?:0[1-9]|1[0-9]|2[0-8])|(?:0[13-9]|1[0-2])-(?:29|30)|(?:0[13578]|1[02])-31)";
/// `HH:mm`.
const HOUR_MINUTE: &str = "(?:[01][0-9]|2[0-3]):[0-5][0-9]";

/// The kinds of email a company can word itself (`Company.emailTemplates[].kind`).
pub fn email_kind(_: &mut SchemaGenerator) -> Schema {
    json_schema!({
        "type": "string",
        "enum": ["confirmation", "requestReceived", "accepted", "declined", "rescheduled",
                 "cancelled", "waitingList", "promoted", "reminder", "businessNew",
                 "businessChanged", "businessCancelled"]
    })
}

/// The emails' languages (`Company.emailTemplates[].lang`): the widget's seven.
pub fn email_lang(_: &mut SchemaGenerator) -> Schema {
    json_schema!({"type": "string", "enum": crate::LANGS})
}

/// `Option<bool>` read by [`option_bool_string`](crate::serde_helpers::option_bool_string): a
/// boolean or the string `"true"`/`"false"` in any ASCII case (written as the string).
pub fn lenient_bool(_: &mut SchemaGenerator) -> Schema {
    json_schema!({
        "type": ["boolean", "string", "null"],
        "pattern": "^(?:[tT][rR][uU][eE]|[fF][aA][lL][sS][eE])$",
        "description": "A boolean, or the string \"true\"/\"false\" (the reference's spelling, written back)."
    })
}

/// A count of at least 1 read by
/// [`option_number_or_string`](crate::serde_helpers::option_number_or_string): an integer or a
/// string holding one (written as a number).
pub fn lenient_count(_: &mut SchemaGenerator) -> Schema {
    json_schema!({
        "type": ["integer", "string", "null"],
        "minimum": 1,
        "maximum": u32::MAX,
        // 1 to 999,999,999: a regular expression cannot stop at u32::MAX exactly.
        "pattern": "^[ \t\r\n]*\\+?0*[1-9][0-9]{0,8}[ \t\r\n]*$",
        "description": "An integer of at least 1, or a string holding one (the reference's type)."
    })
}

/// Declares a string type whose schema is a named component with a pattern.
macro_rules! pattern_type {
    ($(#[$meta:meta])* $name:ident, $pattern:expr, $description:literal) => {
        $(#[$meta])*
        pub struct $name;

        impl JsonSchema for $name {
            fn schema_name() -> Cow<'static, str> {
                stringify!($name).into()
            }

            fn json_schema(_: &mut SchemaGenerator) -> Schema {
                json_schema!({
                    "type": "string",
                    "pattern": $pattern,
                    "description": $description,
                })
            }
        }
    };
}

pattern_type!(
    /// `dateTime` of a [`DateTimeZone`](crate::DateTimeZone), as
    /// [`parse_local_date_time`](crate::datetime::parse_local_date_time) reads it.
    LocalDateTime,
    format!("^{DATE}T{HOUR_MINUTE}(?::[0-5][0-9](?:\\.[0-9]{{1,9}})?)?$"),
    "Local date-time without offset, `yyyy-MM-ddTHH:mm[:ss[.fraction]]`; the zone goes in `timeZone`."
);
pattern_type!(
    /// A calendar day, as [`parse_date`](crate::schedule::parse_date) reads it.
    Date,
    format!("^{DATE}$"),
    "A day, `yyyy-MM-dd`."
);
pattern_type!(
    /// A time of day of a [`TimeRange`](crate::TimeRange).
    TimeOfDay,
    format!("^{HOUR_MINUTE}(?::[0-5][0-9])?$"),
    "A time of day, `HH:mm` or `HH:mm:ss`."
);
pattern_type!(
    /// The id of a business record (service, staff, resource, form, client, company): it appears in
    /// URL paths.
    RecordId,
    "^[A-Za-z0-9._-]{0,16}$",
    "Up to 16 letters, digits, `-`, `_` or `.`; on create, empty or absent means one is generated."
);

/// An IANA time-zone name. With the `tz` feature the schema lists every name the server accepts;
/// without it, only the syntax.
pub struct TimeZone;

impl JsonSchema for TimeZone {
    fn schema_name() -> Cow<'static, str> {
        "TimeZone".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        #[cfg(feature = "tz")]
        {
            let names: Vec<&str> = chrono_tz::TZ_VARIANTS.iter().map(|tz| tz.name()).collect();
            json_schema!({
                "type": "string",
                "enum": names,
                "description": "An IANA time zone, e.g. `Europe/Paris`.",
            })
        }
        #[cfg(not(feature = "tz"))]
        json_schema!({
            "type": "string",
            "pattern": "^[^\\s]+$",
            "description": "An IANA time zone, e.g. `Europe/Paris`.",
        })
    }
}

/// Not blank: what the checks that `trim()` before testing emptiness accept.
pub const NON_BLANK: &str = "\\S";

/// An email template text: braces only around a known placeholder.
pub const EMAIL_TEXT: &str = "^(?:[^{}]|\\{(?:service|date|company|client|reference|name)\\})*$";
/// [`is_valid_email`](crate::validate::is_valid_email) (printable ASCII only), or blank, which the
/// checks skip.
pub const EMAIL: &str = "^(?:[ \\t\\r\\n]*|[!-?A-~]+@[!-\\-/-?A-~]+(?:\\.[!-\\-/-?A-~]+)+)$";
/// [`is_valid_url`](crate::validate::is_valid_url) for printable-ASCII URLs with a host name. The
/// credentials hold no `/`, `?`, `#` or `@`, which end the authority (RFC 3986, 3.2).
pub const URL: &str = "^[hH][tT][tT][pP][sS]?://(?:[!-\"$-.0->A-~]*@)?[A-Za-z0-9_-]+(?:\\.[A-Za-z0-9_-]+)*(?::[0-9]{0,5})?(?:[/?#][!-~]*)?$";

/// Lists and sync mark a deleted appointment with `deleted: true`, beside the type's own fields.
pub fn appointment_deleted(schema: &mut Schema) {
    if let Some(properties) = schema
        .get_mut("properties")
        .and_then(serde_json::Value::as_object_mut)
    {
        properties.insert(
            "deleted".to_owned(),
            serde_json::json!({"type": "boolean", "readOnly": true,
                "description": "Only on deleted appointments, in lists with showDeleted and in sync."}),
        );
    }
}

/// The generator of every schema of the server's document: JSON Schema 2020-12 (the dialect of
/// OpenAPI 3.1), components under `#/components/schemas/`, and each `u32` bounded above as serde
/// bounds it.
pub fn generator() -> SchemaGenerator {
    schemars::generate::SchemaSettings::draft2020_12()
        .with(|settings| {
            settings.definitions_path = "/components/schemas".into();
            settings.meta_schema = None;
        })
        .with_transform(schemars::transform::RecursiveTransform(bound_u32))
        .into_generator()
}

fn bound_u32(schema: &mut Schema) {
    if schema.get("format").and_then(serde_json::Value::as_str) == Some("uint32")
        && schema.get("maximum").is_none()
    {
        schema.insert("maximum".to_owned(), u32::MAX.into());
    }
}
