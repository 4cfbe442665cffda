use super::{is_filled, Errors, MAX_ID_LEN, MAX_NAME_LEN};
use crate::api::{FieldError, PublicBookingRequest};
use crate::form::{BIND_EMAIL, BIND_FIRST_NAME, BIND_LAST_NAME};

/// Checks the envelope of a widget booking: exactly one of `serviceId` / `resourceId`, ids ≤ 16
/// characters, `resourceCount` ≥ 1, `start` RFC 3339 with offset, the visitor's zone, the contact
/// fields that become the client (names and email ≤ 127 characters, email syntax) and the size of
/// `extendedProperties`.
///
/// The form answers themselves are checked by [`validate_answers`](super::validate_answers)
/// against the form definition, which only the caller has.
pub fn validate_booking_request(request: &PublicBookingRequest) -> Vec<FieldError> {
    let mut errors = Errors::default();
    let has_service = is_filled(request.service_id.as_deref());
    let has_resource = is_filled(request.resource_id.as_deref());
    match (has_service, has_resource) {
        (false, false) => errors.push(
            "serviceId",
            "is required: choose a service (or send resourceId to book a resource)",
        ),
        (true, true) => errors.push(
            "resourceId",
            "cannot be sent together with serviceId: book either a service or a resource",
        ),
        _ => {}
    }
    errors.max_chars("serviceId", request.service_id.as_deref(), MAX_ID_LEN);
    errors.max_chars("resourceId", request.resource_id.as_deref(), MAX_ID_LEN);
    errors.max_chars("staffId", request.staff_id.as_deref(), MAX_ID_LEN);
    if request.resource_count == Some(0) {
        errors.push("resourceCount", "must be at least 1 (got 0)");
    }
    if let Err(reason) = request.parse_start() {
        errors.push("start", reason);
    }
    errors.time_zone("timeZone", request.time_zone.as_deref());
    errors.json_size("extendedProperties", request.extended_properties.as_ref());

    // These items become client.firstName / lastName / email, which the reference limits.
    for (path, item) in request.form.items_with_paths() {
        let bind = item.bind.as_deref();
        if matches!(bind, Some(BIND_FIRST_NAME | BIND_LAST_NAME | BIND_EMAIL)) {
            let name = format!("form.{path}.value");
            errors.max_chars(&name, item.value.as_deref(), MAX_NAME_LEN);
            if bind == Some(BIND_EMAIL) {
                errors.email(&name, item.value.as_deref());
            }
        }
    }
    errors.into_vec()
}

/// What [`validate_booking_request`] requires beyond the types, as JSON Schema (feature
/// `openapi`): exactly one of `serviceId` / `resourceId`, and the limits of the answers that
/// become the client's names and email.
#[cfg(feature = "openapi")]
pub fn rules() -> serde_json::Value {
    use crate::schema::{EMAIL, NON_BLANK};
    use serde_json::json;

    let filled = |field: &str| json!({"required": [field], "properties": {field: {"type": "string", "pattern": NON_BLANK}}});
    let bound = json!({"anyOf": [
        {"properties": {"bind": {"not": {"enum": [BIND_FIRST_NAME, BIND_LAST_NAME, BIND_EMAIL]}}}},
        {"required": ["bind"], "properties": {"bind": {"enum": [BIND_FIRST_NAME, BIND_LAST_NAME]},
            "value": {"maxLength": MAX_NAME_LEN}}},
        {"required": ["bind"], "properties": {"bind": {"const": BIND_EMAIL},
            "value": {"maxLength": MAX_NAME_LEN, "pattern": EMAIL}}},
    ]});
    json!({"allOf": [
        {"oneOf": [filled("serviceId"), filled("resourceId")]},
        {"properties": {"form": {"properties": {
            "contactFields": {"items": bound},
            "additionalFields": {"items": {"items": bound}},
        }}}},
    ]})
}
