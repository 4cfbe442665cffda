//! Bookable resources (rooms, equipment). Not in the reference: shaped after the wider API.

use serde::{Deserialize, Serialize};

use crate::schedule::DayHours;

/// Something booked by units, e.g. "Meeting room", 3 units.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct Resource {
    /// Identifier of the resource (max 16 characters).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        feature = "openapi",
        schemars(with = "Option<crate::schema::RecordId>")
    )]
    pub id: Option<String>,
    /// Name of the resource.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schemars(required, regex(pattern = crate::schema::NON_BLANK), length(max = crate::validate::MAX_NAME_LEN)))]
    pub name: Option<String>,
    /// Length of one booking (one iteration), in minutes.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schemars(required, range(min = 1)))]
    pub duration: Option<u32>,
    /// Units available at the same time.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schemars(range(min = 1)))]
    pub count: Option<u32>,
    /// Price of one unit for one iteration, in the company's currency.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schemars(range(min = 0)))]
    pub price: Option<f64>,
    /// Opening hours; the company's when empty.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub working_hours: Vec<DayHours>,
    /// Identifier in an external system.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schemars(length(max = crate::validate::MAX_TEXT_LEN)))]
    pub external_id: Option<String>,
}
