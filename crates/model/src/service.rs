//! Services a company sells. Not in the reference: shaped after the wider API, plus the few
//! extensions this project needs (marked "Extension").

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::enums::{AppointmentStatus, Location};
use crate::schedule::{BookingDelay, DayHours};

/// A bookable service, e.g. "Haircut, 30 minutes".
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct Service {
    /// Identifier of the service (max 16 characters).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        feature = "openapi",
        schemars(with = "Option<crate::schema::RecordId>")
    )]
    pub id: Option<String>,
    /// Name in the company's language.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schemars(required, regex(pattern = crate::schema::NON_BLANK), length(max = crate::validate::MAX_NAME_LEN)))]
    pub name: Option<String>,
    /// Length of an appointment, in minutes.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schemars(required, range(min = 1)))]
    pub duration: Option<u32>,
    /// Minutes kept free after each appointment.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub buffer_duration: Option<u32>,
    /// Minutes kept free before each appointment.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub preparation_duration: Option<u32>,
    /// Clients that can book the same slot (group sessions); 1 when absent.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schemars(range(min = 1)))]
    pub capacity: Option<u32>,
    /// Price in the company's currency.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schemars(range(min = 0)))]
    pub price: Option<f64>,
    /// Whether the price is paid online when booking.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub payable: Option<bool>,
    /// Display colour, e.g. `"#3a87ad"`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub color: Option<String>,
    /// Description in the company's language.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Staff members who perform it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub staff: Vec<ServiceStaff>,
    /// Resources each appointment uses.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub resource: Vec<ServiceResource>,
    /// Translations, by language code (`"en"`, `"fr"`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub i18n: BTreeMap<String, I18nText>,
    /// Where it can take place.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub locations: Vec<Location>,
    /// Whether visitors may join a waiting list when it is full.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub waiting_list: Option<bool>,
    /// Maximum number of appointments per day.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schemars(range(min = 1)))]
    pub max_appointments_per_day: Option<u32>,
    /// How far ahead at least a visitor must book (e.g. 2 hours).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_appointment_date: Option<BookingDelay>,
    /// How far ahead at most a visitor may book (e.g. 8 weeks).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_appointment_date: Option<BookingDelay>,
    /// Whether the company's opening hours apply (see [`Service::uses_company_working_hours`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub use_company_working_hours: Option<bool>,
    /// The service's own hours, when not the company's.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub working_hours: Vec<DayHours>,
    /// Identifier in an external system.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schemars(length(max = crate::validate::MAX_TEXT_LEN)))]
    pub external_id: Option<String>,
    /// Extension: bookings start `pending` until the company accepts them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub requires_validation: Option<bool>,
    /// Extension: until how long before the start a visitor may still cancel or reschedule.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cancellation_delay: Option<BookingDelay>,
    /// Extension: minutes between two slot starts; the duration when absent.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schemars(range(min = 1)))]
    pub slot_interval: Option<u32>,
    /// Minutes before the start when the client gets a reminder email, e.g. `[1440, 120]` (at most
    /// 5, each from 1 to 43200, i.e. 30 days). Absent: the company's, else 24 h and 2 h; `[]`: no reminders.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        feature = "openapi",
        schemars(length(max = 5), inner(range(min = 1, max = 43200)))
    )]
    pub reminders: Option<Vec<u32>>,
}

impl Service {
    /// Name and description in `lang` (`"fr"`, `"fr-CA"`; case-insensitive), trying the full tag,
    /// then its primary language, then the base `name` / `description`.
    pub fn localized(&self, lang: &str) -> (&str, Option<&str>) {
        let text = self.translation(lang);
        let name = text
            .and_then(|t| t.name.as_deref())
            .filter(|n| !n.is_empty())
            .or(self.name.as_deref())
            .unwrap_or_default();
        let description = text
            .and_then(|t| t.description.as_deref())
            .filter(|d| !d.is_empty())
            .or(self.description.as_deref());
        (name, description)
    }

    fn translation(&self, lang: &str) -> Option<&I18nText> {
        let primary = lang.split(['-', '_']).next().unwrap_or(lang);
        [lang, primary].into_iter().find_map(|wanted| {
            self.i18n
                .iter()
                .find(|(code, _)| code.eq_ignore_ascii_case(wanted))
                .map(|(_, text)| text)
        })
    }

    /// Whether the company's hours apply: `useCompanyWorkingHours`, or, when absent, whether the
    /// service has no hours of its own.
    pub fn uses_company_working_hours(&self) -> bool {
        self.use_company_working_hours
            .unwrap_or(self.working_hours.is_empty())
    }

    /// Minutes between two slot starts: `slotInterval`, else `duration`, else `None`.
    pub fn slot_interval_minutes(&self) -> Option<u32> {
        self.slot_interval.or(self.duration).filter(|m| *m > 0)
    }

    /// Status of a new booking: `pending` when the service requires validation, else `accepted`.
    pub fn initial_status(&self) -> AppointmentStatus {
        if self.requires_validation.unwrap_or(false) {
            AppointmentStatus::Pending
        } else {
            AppointmentStatus::Accepted
        }
    }
}

/// A staff member performing a service (`staff[]`), with an optional specific price.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct ServiceStaff {
    /// Identifier of the staff member.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schemars(required, regex(pattern = crate::schema::NON_BLANK), length(max = crate::validate::MAX_ID_LEN)))]
    pub id: Option<String>,
    /// First name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first_name: Option<String>,
    /// Last name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_name: Option<String>,
    /// Price when performed by this staff member.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schemars(range(min = 0)))]
    pub price: Option<f64>,
    /// Identifier in an external system.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub external_id: Option<String>,
}

/// A resource a service uses (`resource[]`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct ServiceResource {
    /// Identifier of the resource.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schemars(required, regex(pattern = crate::schema::NON_BLANK), length(max = crate::validate::MAX_ID_LEN)))]
    pub id: Option<String>,
    /// Units used per appointment.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schemars(range(min = 1)))]
    pub quantity: Option<u32>,
    /// Name of the resource.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

/// A translation of a service's texts (`i18n.<lang>`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct I18nText {
    /// Translated name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Translated description.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn service() -> Service {
        let text = |name: &str, description: Option<&str>| I18nText {
            name: Some(name.to_owned()),
            description: description.map(str::to_owned),
        };
        Service {
            name: Some("Haircut".into()),
            description: Some("Wash and cut".into()),
            i18n: BTreeMap::from([
                ("fr".to_owned(), text("Coupe", Some("Shampoing et coupe"))),
                ("de".to_owned(), text("Haarschnitt", None)),
            ]),
            ..Service::default()
        }
    }

    #[test]
    fn localized_falls_back_from_region_to_language_to_base() {
        let s = service();
        assert_eq!(s.localized("fr"), ("Coupe", Some("Shampoing et coupe")));
        assert_eq!(s.localized("FR-ca"), ("Coupe", Some("Shampoing et coupe")));
        assert_eq!(s.localized("de"), ("Haarschnitt", Some("Wash and cut")));
        assert_eq!(s.localized("es"), ("Haircut", Some("Wash and cut")));
    }

    #[test]
    fn defaults_of_extensions() {
        let mut s = service();
        assert_eq!(s.initial_status(), AppointmentStatus::Accepted);
        assert!(s.uses_company_working_hours());
        assert_eq!(s.slot_interval_minutes(), None);
        s.duration = Some(30);
        assert_eq!(s.slot_interval_minutes(), Some(30));
        s.slot_interval = Some(15);
        assert_eq!(s.slot_interval_minutes(), Some(15));
        s.requires_validation = Some(true);
        assert_eq!(s.initial_status(), AppointmentStatus::Pending);
    }
}
