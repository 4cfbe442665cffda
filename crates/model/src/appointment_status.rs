//! A company's custom appointment statuses: what `customStatus.id` of an appointment names, managed
//! with the appointment-statuses API (`.../companies/{companyId}/appointmentStatuses`).

use serde::{Deserialize, Serialize};

/// One custom status.
///
/// ```
/// # use booking_model::AppointmentStatusDefinition;
/// let s: AppointmentStatusDefinition =
///     serde_json::from_str(r##"{"id": "arrived", "name": "Arrived", "color": "#2e7d32"}"##).unwrap();
/// assert_eq!(s.name.as_deref(), Some("Arrived"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AppointmentStatusDefinition {
    /// Identifier (1–16 letters, digits, `-`, `_`, `.`); generated when absent on create.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        feature = "openapi",
        schemars(with = "Option<crate::schema::RecordId>")
    )]
    pub id: Option<String>,
    /// Name, returned as `customStatus.name` of the appointments that have it (required).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schemars(required, regex(pattern = crate::schema::NON_BLANK), length(max = crate::validate::MAX_NAME_LEN)))]
    pub name: Option<String>,
    /// What the status means, for the company's staff.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schemars(length(max = crate::validate::MAX_TEXT_LEN)))]
    pub description: Option<String>,
    /// Display colour, `#rrggbb`.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schemars(regex(pattern = r"^#[0-9A-Fa-f]{6}$")))]
    pub color: Option<String>,
}
