//! The Appointment resource, field for field as the reference names it.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::datetime::DateTimeZone;
use crate::enums::{
    AppointmentStatus, AppointmentType, Currency, Location, MeetingProvider, SendTo,
};
use crate::form::Form;
use crate::history::HistoryEntry;
use crate::refs::{
    ClientRef, CompanyRef, CustomStatus, ParentRef, ResourceRef, ServiceRef, ServiceResourceRef,
    StaffRef,
};

/// An entry of a company's appointment list.
///
/// Every field is optional because the same type carries full responses, `fields=`-filtered
/// responses, inserts and partial updates; absent fields are not written. Which fields an insert
/// needs is checked by [`validate_appointment`](crate::validate::validate_appointment).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", schemars(transform = crate::schema::appointment_deleted))]
pub struct Appointment {
    /// Identifier of the appointment (read-only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Reference code shown to the client; `get` accepts it in place of the id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    /// The company.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub company: Option<CompanyRef>,
    /// The service booked; only for a service appointment.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub service: Option<ServiceRef>,
    /// The resource booked; only for a resource appointment.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resource: Option<ResourceRef>,
    /// Number of units of the resource booked (insert/update; at least 1).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schemars(range(min = 1)))]
    pub resource_count: Option<u32>,
    /// The staff member; required for a personal appointment.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub staff: Option<StaffRef>,
    /// The person the appointment is for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client: Option<ClientRef>,
    /// For an appointment taken for someone else, the person who took it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parent: Option<ParentRef>,
    /// Start, as local time in a zone (the company's when `timeZone` is absent).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start: Option<DateTimeZone>,
    /// End; only sent by clients for a personal appointment (otherwise the service duration decides).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end: Option<DateTimeZone>,
    /// Creation time (read-only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub created: Option<DateTimeZone>,
    /// The filled booking form.
    ///
    /// The reference only says "the filled form of the event"; this project reads it as the same
    /// shape as the form definition ([`Form`]) with `value` / `values` set on each item.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub form: Option<Form>,
    /// Native status; cannot be sent together with `customStatus`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<AppointmentStatus>,
    /// Company-defined status; cannot be sent together with `status`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub custom_status: Option<CustomStatus>,
    /// Notes (max 65535 characters).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schemars(length(max = crate::validate::MAX_TEXT_LEN)))]
    pub notes: Option<String>,
    /// Log of changes (read-only).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub history: Vec<HistoryEntry>,
    /// `normal` (with a client) or `personal`.
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub appointment_type: Option<AppointmentType>,
    /// Whether the appointment has been paid. The reference writes the string `"true"`: both that
    /// and a JSON boolean are read; the string form is written.
    #[serde(
        default,
        with = "crate::serde_helpers::option_bool_string",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(
        feature = "openapi",
        schemars(schema_with = "crate::schema::lenient_bool")
    )]
    pub paid: Option<bool>,
    /// If true, the client is put on the waiting list. Read from `"true"`/`"false"` or a boolean;
    /// written as the string the reference uses.
    #[serde(
        default,
        with = "crate::serde_helpers::option_bool_string",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(
        feature = "openapi",
        schemars(schema_with = "crate::schema::lenient_bool")
    )]
    pub add_to_waiting_list: Option<bool>,
    /// Resource mode only: number of iterations (insert/update only). The reference types it as a
    /// string; a number or a numeric string is read, a number is written.
    #[serde(
        default,
        with = "crate::serde_helpers::option_number_or_string",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(
        feature = "openapi",
        schemars(schema_with = "crate::schema::lenient_count")
    )]
    pub iteration_count: Option<u32>,
    /// For an appointment for someone else: who receives emails and text messages.
    #[serde(rename = "sendto", skip_serializing_if = "Option::is_none")]
    pub send_to: Option<SendTo>,
    /// Resources used by a service-resource appointment.
    #[serde(
        rename = "service-resource",
        default,
        skip_serializing_if = "Vec::is_empty"
    )]
    pub service_resource: Vec<ServiceResourceRef>,
    /// Whether the appointment is a meta event.
    #[serde(rename = "meta-event", skip_serializing_if = "Option::is_none")]
    pub meta_event: Option<bool>,
    /// Ids of the copies of this event in synchronized calendars and CRMs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub synchronization: Option<Synchronization>,
    /// Link to the reschedule page; only while the appointment's end is in the future.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reschedule_link: Option<RescheduleLink>,
    /// Where the booking came from (free text, e.g. the widget's `source` URL parameter).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// Video conference link and provider.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub online_meeting: Option<OnlineMeeting>,
    /// Encrypted identifier, safe to put in links sent to the client (read-only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub encrypted_id: Option<String>,
    /// Price, only when the service has one (read-only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub price: Option<Price>,
    /// Where it takes place; `companyAddress` when absent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
    /// The place, when `location` is `custom` (read-only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location_custom: Option<String>,
    /// Caller-defined properties (max 22 KB serialized).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub extended_properties: Option<ExtendedProperties>,
}

impl Appointment {
    /// The status to act on: `status`, or `accepted` when absent (e.g. only `customStatus` is set).
    pub fn effective_status(&self) -> AppointmentStatus {
        self.status.unwrap_or(AppointmentStatus::Accepted)
    }

    /// Whether this is a personal appointment (`type` = `personal`); absent means `normal`.
    pub fn is_personal(&self) -> bool {
        self.appointment_type == Some(AppointmentType::Personal)
    }

    /// The location to act on: `location`, or the reference's default `companyAddress`.
    pub fn effective_location(&self) -> Location {
        self.location.unwrap_or_default()
    }
}

/// Ids of an appointment's copies in other systems (`synchronization`).
///
/// The reference's table lists `googleCalendar`, `office365Calendar`, … at the top level, but
/// describes them as the content of `synchronization`; this type nests them there.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct Synchronization {
    /// Google Calendar event.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub google_calendar: Option<ExternalEventRef>,
    /// Office 365 Calendar event.
    #[serde(rename = "office365Calendar", skip_serializing_if = "Option::is_none")]
    pub office365_calendar: Option<ExternalEventRef>,
    /// Windows Live Calendar event.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub windows_live_calendar: Option<ExternalEventRef>,
    /// Salesforce event.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub salesforce: Option<ExternalEventRef>,
    /// The copy this server wrote to the staff member's CalDAV calendar (extension of the
    /// reference): `id` is the event resource's URL (its href). Set by the server once written.
    #[serde(rename = "caldavCalendar", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schemars(extend("readOnly" = true)))]
    pub caldav_calendar: Option<ExternalEventRef>,
    /// A personal appointment's `personalAppointmentSync` (extension of the reference, which
    /// takes it as a write parameter only): whether it goes to the staff member's CalDAV
    /// calendars, as last given (default `true`). Set by the server; a value sent is ignored.
    #[serde(
        rename = "personalAppointmentSync",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schemars(extend("readOnly" = true)))]
    pub personal_appointment_sync: Option<bool>,
}

/// An event in an external calendar or CRM.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct ExternalEventRef {
    /// Id of the event in that system.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
}

/// Link to the page where the client can reschedule (`rescheduleLink`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct RescheduleLink {
    /// Absolute URL of the reschedule page.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

/// Video conference of an appointment (`onlineMeeting`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct OnlineMeeting {
    /// Who hosts the meeting.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub provider: Option<MeetingProvider>,
    /// Web link to join.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub video_link: Option<String>,
}

/// A price: amount in the company's currency.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct Price {
    /// Amount, e.g. `49.5`.
    pub amount: f64,
    /// Currency of the company.
    pub currency: Currency,
}

/// Caller-defined properties (`extendedProperties`), limited to 22 KB serialized.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct ExtendedProperties {
    /// Never shown in the widget.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub private: Option<Map<String, Value>>,
    /// Shown in (and settable from) the widget.
    ///
    /// The reference's description of this field says "Private properties"; that is a copy-paste
    /// slip: it also says they are retrieved in the widget, i.e. public.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub public: Option<Map<String, Value>>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_location_defaults_to_the_company_address() {
        let mut appointment = Appointment::default();
        assert_eq!(appointment.effective_location(), Location::CompanyAddress);
        appointment.location = Some(Location::Phone);
        assert_eq!(appointment.effective_location(), Location::Phone);
    }
}
