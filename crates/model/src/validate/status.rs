use super::{field_code, is_filled, Errors, FieldError, MAX_ID_LEN, MAX_NAME_LEN, MAX_TEXT_LEN};
use crate::appointment_status::AppointmentStatusDefinition;

/// Checks a custom appointment status: `name` required (≤ 127 characters), `id` ≤ 16 characters,
/// `description` ≤ 65535, `color` as `#rrggbb`. The server also checks the id's characters (it is a
/// URL path segment).
pub fn validate_appointment_status(status: &AppointmentStatusDefinition) -> Vec<FieldError> {
    let mut errors = Errors::default();
    errors.max_chars("id", status.id.as_deref(), MAX_ID_LEN);
    if !is_filled(status.name.as_deref()) {
        errors.push_code(
            "name",
            field_code::REQUIRED,
            "is required: the name shown as customStatus.name",
        );
    }
    errors.max_chars("name", status.name.as_deref(), MAX_NAME_LEN);
    errors.max_chars("description", status.description.as_deref(), MAX_TEXT_LEN);
    if let Some(color) = &status.color {
        let hex = color.strip_prefix('#').unwrap_or_default();
        if hex.len() != 6 || !hex.chars().all(|c| c.is_ascii_hexdigit()) {
            errors.push(
                "color",
                format!("must be a colour like #2e7d32 (got {color:?})"),
            );
        }
    }
    errors.into_vec()
}
