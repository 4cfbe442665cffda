use super::{is_filled, Errors, Mode, MAX_ID_LEN, MAX_NAME_LEN, MAX_TEXT_LEN};
use crate::api::{field_code, FieldError};
use crate::appointment::Appointment;
use crate::datetime::DateTimeZone;

/// Checks an appointment sent to insert or update against the reference's rules.
///
/// Always: ids ≤ 16 characters, names and emails ≤ 127, notes and external ids ≤ 65535, email
/// syntax, time zone names, `status` and `customStatus` not both, not both `service` and `resource`,
/// `resourceCount` and `iterationCount` ≥ 1, `start` a local date-time without offset,
/// `extendedProperties` ≤ 22 KB of JSON. `end` is only used by personal appointments (the reference:
/// "only required and used for personal appointment"), so only theirs is checked (syntax, after
/// start); elsewhere it is ignored.
///
/// On [`Mode::Insert`] also: `start`; then for a normal appointment `client` (not empty), a
/// `service` or a `resource` (by id or externalId) and, for a resource, `resourceCount`. A personal
/// appointment (`type: "personal"`) instead needs `staff.id` and `end`, as the reference says, and
/// no client, service or resource.
///
/// Start and end are compared only when they name the same zone (or both none): with different
/// zones the order depends on offsets, which the server checks once zones are resolved.
///
/// The filled `form` is not checked here: see [`validate_answers`](super::validate_answers).
pub fn validate_appointment(appointment: &Appointment, mode: Mode) -> Vec<FieldError> {
    let mut errors = Errors::default();
    check_references(&mut errors, appointment);
    check_people(&mut errors, appointment);
    check_target(&mut errors, appointment, mode);
    check_times(&mut errors, appointment, mode);

    errors.max_chars("notes", appointment.notes.as_deref(), MAX_TEXT_LEN);
    if appointment.status.is_some() && appointment.custom_status.is_some() {
        errors.push(
            "customStatus",
            "cannot be sent together with status: send only one of them",
        );
    }
    if appointment.iteration_count == Some(0) {
        errors.push("iterationCount", "must be at least 1 (got 0)");
    }
    errors.json_size(
        "extendedProperties",
        appointment.extended_properties.as_ref(),
    );
    errors.into_vec()
}

/// Lengths of the ids of the service, resource and staff member.
fn check_references(errors: &mut Errors, a: &Appointment) {
    if let Some(service) = &a.service {
        errors.max_chars("service.id", service.id.as_deref(), MAX_ID_LEN);
        errors.max_chars(
            "service.externalId",
            service.external_id.as_deref(),
            MAX_TEXT_LEN,
        );
    }
    if let Some(resource) = &a.resource {
        errors.max_chars("resource.id", resource.id.as_deref(), MAX_ID_LEN);
        errors.max_chars(
            "resource.externalId",
            resource.external_id.as_deref(),
            MAX_TEXT_LEN,
        );
    }
    if let Some(staff) = &a.staff {
        errors.max_chars("staff.id", staff.id.as_deref(), MAX_ID_LEN);
        errors.max_chars(
            "staff.externalId",
            staff.external_id.as_deref(),
            MAX_TEXT_LEN,
        );
    }
}

/// Client and parent: id, names, email, external id, zone.
fn check_people(errors: &mut Errors, a: &Appointment) {
    if let Some(client) = &a.client {
        errors.max_chars("client.id", client.id.as_deref(), MAX_ID_LEN);
        errors.max_chars(
            "client.firstName",
            client.first_name.as_deref(),
            MAX_NAME_LEN,
        );
        errors.max_chars("client.lastName", client.last_name.as_deref(), MAX_NAME_LEN);
        errors.max_chars("client.email", client.email.as_deref(), MAX_NAME_LEN);
        errors.email("client.email", client.email.as_deref());
        errors.max_chars(
            "client.externalId",
            client.external_id.as_deref(),
            MAX_TEXT_LEN,
        );
        errors.time_zone("client.timeZone", client.time_zone.as_deref());
    }
    if let Some(parent) = &a.parent {
        errors.max_chars("parent.id", parent.id.as_deref(), MAX_ID_LEN);
        errors.max_chars(
            "parent.firstName",
            parent.first_name.as_deref(),
            MAX_NAME_LEN,
        );
        errors.max_chars("parent.lastName", parent.last_name.as_deref(), MAX_NAME_LEN);
        errors.max_chars("parent.email", parent.email.as_deref(), MAX_NAME_LEN);
        errors.email("parent.email", parent.email.as_deref());
        errors.max_chars(
            "parent.externalId",
            parent.external_id.as_deref(),
            MAX_TEXT_LEN,
        );
        errors.time_zone("parent.timeZone", parent.time_zone.as_deref());
    }
}

/// What is booked (service xor resource, resource count) and, on insert, for whom.
fn check_target(errors: &mut Errors, a: &Appointment, mode: Mode) {
    let has_service = a
        .service
        .as_ref()
        .is_some_and(|s| is_filled(s.id.as_deref()) || is_filled(s.external_id.as_deref()));
    let has_resource = a
        .resource
        .as_ref()
        .is_some_and(|r| is_filled(r.id.as_deref()) || is_filled(r.external_id.as_deref()));

    if has_service && has_resource {
        errors.push(
            "resource",
            "cannot be sent together with service: book either a service or a resource",
        );
    }
    match a.resource_count {
        Some(0) => errors.push("resourceCount", "must be at least 1 (got 0)"),
        None if mode == Mode::Insert && has_resource && !has_service => errors.push(
            "resourceCount",
            "is required for a resource booking: send the number of units to book (1 or more)",
        ),
        _ => {}
    }
    if mode != Mode::Insert {
        return;
    }

    if a.is_personal() {
        let has_staff = a.staff.as_ref().is_some_and(|s| is_filled(s.id.as_deref()));
        if !has_staff {
            errors.push("staff.id", "is required for a personal appointment");
        }
        return;
    }
    match &a.client {
        None => errors.push(
            "client",
            "is required: send client.id for a known client, or firstName, lastName and email",
        ),
        Some(c) => {
            let identified = [&c.id, &c.external_id, &c.email, &c.first_name, &c.last_name]
                .into_iter()
                .any(|field| is_filled(field.as_deref()));
            if !identified {
                errors.push(
                    "client",
                    "is empty: send client.id for a known client, or firstName, lastName and email",
                );
            }
        }
    }
    if !has_service && !has_resource {
        errors.push(
            "service",
            "is required: send service.id or service.externalId (or resource.id / resource.externalId to book a resource)",
        );
    }
}

/// `start` and `end`: presence on insert, syntax, zones, order.
fn check_times(errors: &mut Errors, a: &Appointment, mode: Mode) {
    if mode == Mode::Insert {
        if a.start.is_none() {
            errors.push(
                "start",
                "is required: send start.dateTime like 2026-12-01T09:30:00",
            );
        }
        if a.is_personal() && a.end.is_none() {
            errors.push(
                "end",
                "is required for a personal appointment: send end.dateTime like 2026-12-01T10:30:00",
            );
        }
    }
    let start = a
        .start
        .as_ref()
        .and_then(|s| local_time(errors, "start", s));
    let end = match a.is_personal() {
        true => a.end.as_ref().and_then(|e| local_time(errors, "end", e)),
        false => None,
    };
    if let (Some((start, start_zone)), Some((end, end_zone))) = (start, end) {
        if start_zone == end_zone && start >= end {
            errors.push_code(
                "end.dateTime",
                field_code::ORDER,
                format!("must be after start.dateTime (got {end} <= {start})"),
            );
        }
    }
}

/// Parses one `{dateTime, timeZone}`, recording errors under `name`.
fn local_time<'a>(
    errors: &mut Errors,
    name: &str,
    value: &'a DateTimeZone,
) -> Option<(chrono::NaiveDateTime, Option<&'a str>)> {
    errors.time_zone(&format!("{name}.timeZone"), value.time_zone.as_deref());
    match value.parse_local() {
        Ok(local) => Some((local, value.time_zone.as_deref())),
        Err(reason) => {
            errors.push(format!("{name}.dateTime"), reason);
            None
        }
    }
}

/// What [`validate_appointment`] requires beyond the types, as JSON Schema (feature `openapi`):
/// combined with the Appointment schema in the server's OpenAPI document, so the document says
/// which inserts and updates are accepted. Order rules between fields (`end` after `start`) cannot
/// be written in JSON Schema and stay in the description.
#[cfg(feature = "openapi")]
pub mod rules {
    use serde_json::{json, Value};

    use crate::schema::NON_BLANK;

    /// `field` is present and not blank.
    fn filled(field: &str) -> Value {
        json!({"required": [field], "properties": {field: {"type": "string", "pattern": NON_BLANK}}})
    }

    /// A service or resource reference that names something (`id` or `externalId`).
    fn target() -> Value {
        json!({"type": "object", "anyOf": [filled("id"), filled("externalId")]})
    }

    /// Present and not `null` (which reads as absent).
    fn present(fields: &[&str]) -> Value {
        let not_null: serde_json::Map<String, Value> = fields
            .iter()
            .map(|f| ((*f).to_owned(), json!({"not": {"type": "null"}})))
            .collect();
        json!({"required": fields, "properties": not_null})
    }

    /// Not both `service` and `resource` naming something.
    fn one_target() -> Value {
        json!({"not": {"required": ["service", "resource"],
                       "properties": {"service": target(), "resource": target()}}})
    }

    /// Not both `status` and `customStatus`.
    fn one_status() -> Value {
        json!({"not": {"required": ["status", "customStatus"]}})
    }

    /// An insert (`Mode::Insert`): `start`; a personal appointment needs `staff.id` and `end`; a
    /// normal one a client that names someone and a service, or a resource with `resourceCount`.
    pub fn insert() -> Value {
        let names = ["id", "externalId", "email", "firstName", "lastName"].map(filled);
        let client = json!({ "type": "object", "anyOf": names });
        let normal = |with: &str, without: &str, extra: &[&str]| {
            let mut required = vec!["client", with];
            required.extend_from_slice(extra);
            json!({
                "allOf": [present(&required)],
                "properties": {"type": {"enum": ["normal", null]}, "client": client, with: target()},
                "not": {"required": [without], "properties": {without: target()}}
            })
        };
        json!({"allOf": [
            present(&["start"]),
            one_status(),
            one_target(),
            {"anyOf": [
                {"allOf": [present(&["type", "staff", "end"])],
                 "properties": {"type": {"const": "personal"}, "staff": filled("id")}},
                normal("service", "resource", &[]),
                normal("resource", "service", &["resourceCount"]),
            ]},
        ]})
    }

    /// An update (`Mode::Update`): any subset of fields, with the same exclusions as an insert.
    pub fn update() -> Value {
        json!({"allOf": [one_status(), one_target()]})
    }
}
