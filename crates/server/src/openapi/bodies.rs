//! Request bodies that are a model type plus the rules its validator adds (required fields, one of
//! two fields), and the few answers the route handlers assemble themselves.

use booking_model::form::{BIND_EMAIL, BIND_FIRST_NAME, BIND_LAST_NAME, BIND_PHONE};
use booking_model::schema::{RecordId, NON_BLANK};
use booking_model::schemars::{json_schema, Schema, SchemaGenerator};
use booking_model::validate::rules;
use booking_model::{Appointment, ClientRef, Form, PublicBookingRequest};
use serde_json::{json, Value};

use super::operations::of;

/// `schema` and every rule in `rules`.
fn all_of(schema: Schema, rules: Value) -> Schema {
    json_schema!({"allOf": [schema, rules]})
}

/// `POST appointments`: see `validate_appointment` in `Mode::Insert`.
pub fn appointment_insert(generator: &mut SchemaGenerator) -> Schema {
    all_of(of::<Appointment>(generator), rules::appointment_insert())
}

/// `PUT appointments/{id}`: see `validate_appointment` in `Mode::Update`.
pub fn appointment_update(generator: &mut SchemaGenerator) -> Schema {
    all_of(of::<Appointment>(generator), rules::appointment_update())
}

/// `POST widget/appointments`: see `validate_booking_request`.
pub fn booking_request(generator: &mut SchemaGenerator) -> Schema {
    all_of(
        of::<PublicBookingRequest>(generator),
        rules::booking_request(),
    )
}

/// A form definition (`booking::setup`, `SetupRecord for Form`): a name, and contact fields bound
/// to the client's first name, last name, email and phone. Item ids must also be unique within the
/// form, which JSON Schema cannot say.
pub fn form_definition(generator: &mut SchemaGenerator) -> Schema {
    let bound = |bind: &str| json!({"contains": {"required": ["bind"], "properties": {"bind": {"const": bind}}}});
    let contact_binds = [BIND_FIRST_NAME, BIND_LAST_NAME, BIND_EMAIL, BIND_PHONE].map(bound);
    all_of(
        of::<Form>(generator),
        json!({
            "required": ["name", "contactFields"],
            "properties": {
                "id": generator.subschema_for::<RecordId>(),
                "name": {"type": "string", "pattern": NON_BLANK},
                "contactFields": {"allOf": contact_binds},
            }
        }),
    )
}

/// A client record (`booking::setup::validate_client`): something to recognise them by.
pub fn client_record(generator: &mut SchemaGenerator) -> Schema {
    let filled = |field: &str| json!({"required": [field], "properties": {field: {"type": "string", "pattern": NON_BLANK}}});
    let identified = ["firstName", "lastName", "email", "externalId"].map(filled);
    all_of(
        of::<ClientRef>(generator),
        json!({
            "properties": {"id": generator.subschema_for::<RecordId>()},
            "anyOf": identified,
        }),
    )
}

/// `POST cryptoKeys` (optional body).
pub fn new_crypto_key(_: &mut SchemaGenerator) -> Schema {
    json_schema!({
        "type": "object",
        "additionalProperties": false,
        "properties": {"name": {"type": ["string", "null"], "maxLength": 255}}
    })
}

/// A signing key as `routes::crypto_keys::render` writes it (`secret` only when created or rotated).
pub fn crypto_key(_: &mut SchemaGenerator) -> Schema {
    json_schema!({
        "type": "object",
        "required": ["id", "createdAt"],
        "properties": {
            "id": {"type": "string"}, "name": {"type": "string"}, "secret": {"type": "string"},
            "createdAt": {"type": "string"}, "rotatedAt": {"type": "string"},
            "previousValidUntil": {"type": "string"}
        }
    })
}

/// The list of signing keys.
pub fn crypto_keys(generator: &mut SchemaGenerator) -> Schema {
    let key = crypto_key(generator);
    json_schema!({"type": "object", "required": ["items"], "properties": {"items": {"type": "array", "items": key}}})
}

/// An appointment's notification log as `routes::notifications` writes it.
pub fn notifications(_: &mut SchemaGenerator) -> Schema {
    json_schema!({
        "type": "object",
        "required": ["items"],
        "properties": {"items": {"type": "array", "items": {"type": "object",
            "required": ["id", "kind", "channel", "recipient", "status", "attemptCount", "plannedAt"],
            "properties": {
                "id": {"type": "string"}, "kind": {"type": "string"},
                "channel": {"type": "string"}, "recipient": {"type": "string"},
                "audience": {"type": ["string", "null"]}, "status": {"type": "string"},
                "attemptCount": {"type": "integer"}, "plannedAt": {"type": "string"},
                "nextAttemptAt": {"type": "string"}, "sentAt": {"type": ["string", "null"]},
                "lastStatusCode": {"type": "integer"}, "lastError": {"type": "string"},
                "finishedAt": {"type": "string"}
            }}}}
    })
}

/// A watch's delivery log as `routes::watches::deliveries` writes it.
pub fn deliveries(_: &mut SchemaGenerator) -> Schema {
    json_schema!({
        "type": "object",
        "properties": {"items": {"type": "array", "items": {"type": "object", "properties": {
            "id": {"type": "string"}, "event": {"type": "string"}, "appointmentId": {"type": "string"},
            "status": {"type": "string"}, "attemptCount": {"type": "integer"},
            "createdAt": {"type": "string"}, "nextAttemptAt": {"type": "string"},
            "lastStatusCode": {"type": "integer"}, "lastError": {"type": "string"},
            "finishedAt": {"type": "string"},
            "attempts": {"type": "array", "items": {"type": "object"}}
        }}}}
    })
}
