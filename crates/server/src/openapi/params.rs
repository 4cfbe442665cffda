//! Schemas of query and path parameters, each saying exactly what its parser in `routes/` accepts
//! (surrounding spaces and empty values included where the parser ignores them).

use booking_model::schemars::JsonSchema;
use booking_model::{AppointmentStatus, LevelDetail};
use serde_json::{json, Value};

use crate::booking::fields::APPOINTMENT;
use crate::routes::appointments::MAX_MAX_RESULTS;

/// Free text.
pub fn text() -> Value {
    json!({"type": "string"})
}

/// `routes::appointments::flag`: `true`/`false`/`1`/`0` in any case; empty means false.
pub fn flag() -> Value {
    json!({"type": "string", "pattern": "^[ \\t]*(?:[tT][rR][uU][eE]|[fF][aA][lL][sS][eE]|1|0)?[ \\t]*$",
           "description": "true or false (also 1 or 0)."})
}

/// A language tag (`routes::appointments::lang`); empty means the default.
pub fn lang() -> Value {
    json!({"type": "string", "pattern": "^[A-Za-z0-9_-]{0,35}$"})
}

/// `levelDetail`: a [`LevelDetail`], or empty for the operation's default.
pub fn level_detail() -> Value {
    let mut values: Vec<&str> = LevelDetail::VALUES.to_vec();
    values.push("");
    json!({"type": "string", "enum": values})
}

/// `status`: [`AppointmentStatus`] values separated by commas (the parameter may also repeat).
pub fn statuses() -> Value {
    let one = AppointmentStatus::VALUES.join("|");
    json!({"type": "string", "pattern": format!("^ *(?:(?:{one}) *)?(?:, *(?:(?:{one}) *)?)*$")})
}

/// `fields`: names of the Appointment resource separated by commas (sub-selections such as
/// `client(email)` are accepted too; the pattern lists the top-level form only).
pub fn selection() -> Value {
    // Names hold letters and `-` only: nothing to escape.
    let one = APPOINTMENT.names().join("|");
    json!({"type": "string", "pattern": format!("^ *(?:(?:{one})(?:,(?:{one}))*)? *$")})
}

/// An instant: RFC 3339 with offset, a date-time without one (GMT), or a `yyyy-MM-dd` day (its
/// midnight GMT); empty is absent.
pub fn instant() -> Value {
    let local = schema_value::<booking_model::schema::LocalDateTime>();
    json!({"type": "string", "anyOf": [{"format": "date-time"}, {"format": "date"}, local, {"maxLength": 0}]})
}

/// A `yyyy-MM-dd` day.
pub fn day() -> Value {
    schema_value::<booking_model::schema::Date>()
}

/// An IANA zone name.
pub fn time_zone() -> Value {
    schema_value::<booking_model::schema::TimeZone>()
}

/// A count of at least 1.
pub fn count() -> Value {
    json!({"type": "integer", "minimum": 1, "maximum": u32::MAX})
}

/// `maxResults` of the appointment list.
pub fn page_size() -> Value {
    json!({"type": "integer", "minimum": 1, "maximum": MAX_MAX_RESULTS})
}

/// `maxResults` of a watch's delivery log.
pub fn delivery_count() -> Value {
    json!({"type": "integer", "minimum": 1, "maximum": 1000})
}

/// The inline schema of `T` (parameters cannot point into `components` and stay simple).
fn schema_value<T: JsonSchema>() -> Value {
    let mut generator = booking_model::schema::generator();
    let mut value = T::json_schema(&mut generator).to_value();
    if let Some(map) = value.as_object_mut() {
        map.remove("$schema");
    }
    value
}
