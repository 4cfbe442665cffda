//! `history[]`: the log of changes made to an appointment.

use serde::{Deserialize, Serialize};

use crate::datetime::DateTimeZone;
use crate::string_enum::string_enum;

/// One change in an appointment's history.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct HistoryEntry {
    /// Human-readable description of the change (localized with the `lang` query parameter).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// When the change happened, in the company's time.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<DateTimeZone>,
    /// For an external cancellation, where it came from.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// Kind of change.
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub history_type: Option<HistoryType>,
    /// Who made the change.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user: Option<HistoryUser>,
}

string_enum! {
    /// Kind of change recorded in `history[].type`.
    ///
    /// The reference's value list is empty; these are the changes this project records.
    pub enum HistoryType {
        /// The appointment was booked.
        Created = "created",
        /// Its status changed.
        StatusChanged = "statusChanged",
        /// It moved to another time.
        Rescheduled = "rescheduled",
        /// Other fields changed.
        Edited = "edited",
        /// It was cancelled.
        Cancelled = "cancelled",
        /// It was deleted.
        Deleted = "deleted",
        /// A deleted appointment was restored.
        Restored = "restored",
        /// It left the waiting list for a seat that was freed.
        Promoted = "promoted",
    }
}

/// The person behind a history entry (`history[].user`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct HistoryUser {
    /// First name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first_name: Option<String>,
    /// Last name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_name: Option<String>,
    /// Email address.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// Login name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_name: Option<String>,
}
