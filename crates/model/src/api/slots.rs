use chrono::{DateTime, FixedOffset, NaiveDate, SecondsFormat, TimeZone};
use serde::{Deserialize, Serialize};

use crate::refs::{ServiceRef, StaffRef};

/// Answer of `GET .../widget/freeSlots`: bookable start times, day by day.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct FreeSlotsResponse {
    /// One entry per day of the requested range (days without slots may be left out).
    #[serde(default)]
    pub items: Vec<DaySlots>,
    /// The service the slots are for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub service: Option<ServiceRef>,
    /// The staff member the slots are for, when one was requested.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub staff: Option<StaffRef>,
}

/// Free slots of one day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct DaySlots {
    /// The day, written `yyyy-MM-dd`, in `timeZone`.
    #[cfg_attr(feature = "openapi", schemars(with = "crate::schema::Date"))]
    pub day: NaiveDate,
    /// IANA zone the day and slots are expressed in (the requested one, else the company's).
    pub time_zone: String,
    /// Start instants, RFC 3339 with offset, e.g. `"2026-12-01T09:30:00+01:00"` (see [`format_slot`]).
    ///
    /// Upstream leaves the format unspecified; an offset makes each string a complete instant.
    #[serde(default)]
    pub slots: Vec<String>,
}

impl DaySlots {
    /// Parses every slot as an instant with its offset.
    pub fn parse_slots(&self) -> Result<Vec<DateTime<FixedOffset>>, String> {
        self.slots
            .iter()
            .map(|slot| {
                DateTime::parse_from_rfc3339(slot).map_err(|_| {
                    format!("slot must be RFC 3339 with offset like 2026-12-01T09:30:00+01:00 (got {slot:?})")
                })
            })
            .collect()
    }
}

/// Writes a slot the way [`DaySlots::slots`] holds it: RFC 3339, whole seconds, numeric offset.
pub fn format_slot<Tz: TimeZone>(instant: &DateTime<Tz>) -> String
where
    Tz::Offset: std::fmt::Display,
{
    instant.to_rfc3339_opts(SecondsFormat::Secs, false)
}
