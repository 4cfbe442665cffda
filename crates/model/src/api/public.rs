//! What the public (unauthenticated) widget endpoints send and receive: views that leave out
//! private data, and the booking request.

use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::appointment::{Appointment, OnlineMeeting, Price, RescheduleLink};
use crate::company::{Address, Company};
use crate::datetime::DateTimeZone;
use crate::enums::{AppointmentStatus, Currency, Location};
use crate::form::Form;
use crate::refs::{ResourceRef, ServiceRef, StaffRef};
use crate::resource::Resource;
use crate::service::Service;
use crate::staff::Staff;

/// A company as visitors see it (no hours, vacations, external ids or extended properties).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct PublicCompany {
    /// Identifier of the company.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// IANA zone.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub time_zone: Option<String>,
    /// Currency of prices.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub currency: Option<Currency>,
    /// Description.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Postal address.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub address: Option<Address>,
    /// Contact email.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// Contact phone.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
}

impl From<&Company> for PublicCompany {
    fn from(company: &Company) -> Self {
        Self {
            id: company.id.clone(),
            name: company.name.clone(),
            time_zone: company.time_zone.clone(),
            currency: company.currency,
            description: company.description.clone(),
            address: company.address.clone(),
            email: company.email.clone(),
            phone: company.phone.clone(),
        }
    }
}

/// A service as visitors see it.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct PublicService {
    /// Identifier of the service.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Name, in the visitor's language when translated.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Description, in the visitor's language when translated.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Length in minutes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub duration: Option<u32>,
    /// Price with its currency.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub price: Option<Price>,
    /// Clients per slot.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub capacity: Option<u32>,
    /// Where it can take place.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub locations: Vec<Location>,
    /// Staff who perform it (see [`PublicStaff`]).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub staff_ids: Vec<String>,
    /// Whether a waiting list is offered when full.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub waiting_list: Option<bool>,
    /// Whether bookings wait for the company's acceptance.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub requires_validation: Option<bool>,
}

impl PublicService {
    /// The visitor's view of `service`, texts in `lang` when given, price in `currency`
    /// (no price without a currency).
    pub fn from_service(service: &Service, currency: Option<Currency>, lang: Option<&str>) -> Self {
        let (name, description) = match lang {
            Some(lang) => {
                let (name, description) = service.localized(lang);
                (Some(name.to_owned()), description.map(str::to_owned))
            }
            None => (service.name.clone(), service.description.clone()),
        };
        Self {
            id: service.id.clone(),
            name,
            description,
            duration: service.duration,
            price: service
                .price
                .zip(currency)
                .map(|(amount, currency)| Price { amount, currency }),
            capacity: service.capacity,
            locations: service.locations.clone(),
            staff_ids: service.staff.iter().filter_map(|s| s.id.clone()).collect(),
            waiting_list: service.waiting_list,
            requires_validation: service.requires_validation,
        }
    }
}

/// A resource booked on its own (a room, a court, equipment) as visitors see it (no hours or
/// external id).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct PublicResource {
    /// Identifier of the resource.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Length of one booking, in minutes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub duration: Option<u32>,
    /// Units that can be booked at the same time.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub count: Option<u32>,
    /// Price of one unit for one booking, with its currency.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub price: Option<Price>,
}

impl PublicResource {
    /// The visitor's view of `resource`, price in `currency` (no price without a currency).
    pub fn from_resource(resource: &Resource, currency: Option<Currency>) -> Self {
        Self {
            id: resource.id.clone(),
            name: resource.name.clone(),
            duration: resource.duration,
            count: resource.count,
            price: resource
                .price
                .zip(currency)
                .map(|(amount, currency)| Price { amount, currency }),
        }
    }
}

/// A staff member as visitors see it (no email, phone, hours or external id).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct PublicStaff {
    /// Identifier of the staff member.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// First name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first_name: Option<String>,
    /// Last name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_name: Option<String>,
    /// Job title.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Description.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Display colour.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub color: Option<String>,
    /// Portrait URL.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub avatar_url: Option<String>,
    /// Services performed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub service_ids: Vec<String>,
}

impl From<&Staff> for PublicStaff {
    fn from(staff: &Staff) -> Self {
        Self {
            id: staff.id.clone(),
            first_name: staff.first_name.clone(),
            last_name: staff.last_name.clone(),
            title: staff.title.clone(),
            description: staff.description.clone(),
            color: staff.color.clone(),
            avatar_url: staff.avatar_url.clone(),
            service_ids: staff.services.iter().filter_map(|s| s.id.clone()).collect(),
        }
    }
}

/// What the widget posts to book. The client's name, email and phone are read from the form's
/// contact fields (by `bind`), not sent separately.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct PublicBookingRequest {
    /// The service to book (exactly one of `serviceId` / `resourceId`).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schemars(length(max = crate::validate::MAX_ID_LEN)))]
    pub service_id: Option<String>,
    /// The resource to book (exactly one of `serviceId` / `resourceId`).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schemars(length(max = crate::validate::MAX_ID_LEN)))]
    pub resource_id: Option<String>,
    /// Units of the resource (resource bookings; at least 1).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schemars(range(min = 1)))]
    pub resource_count: Option<u32>,
    /// The chosen staff member; `None` means "any available".
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schemars(length(max = crate::validate::MAX_ID_LEN)))]
    pub staff_id: Option<String>,
    /// The chosen slot, RFC 3339 with offset, as received from free slots.
    #[cfg_attr(feature = "openapi", schemars(extend("format" = "date-time")))]
    pub start: String,
    /// The visitor's IANA zone, for confirmations.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        feature = "openapi",
        schemars(with = "Option<crate::schema::TimeZone>")
    )]
    pub time_zone: Option<String>,
    /// The visitor's language, e.g. `"fr"`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lang: Option<String>,
    /// The filled form (the definition's items with `value` / `values` set).
    #[serde(default)]
    pub form: Form,
    /// Join the waiting list when the slot is full.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub add_to_waiting_list: Option<bool>,
    /// Public extended properties (stored as `extendedProperties.public`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub extended_properties: Option<Map<String, Value>>,
    /// Where the visitor came from (the widget's `source` URL parameter).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

impl PublicBookingRequest {
    /// Parses `start` as an instant.
    pub fn parse_start(&self) -> Result<DateTime<FixedOffset>, String> {
        DateTime::parse_from_rfc3339(&self.start).map_err(|_| {
            format!(
                "must be a date-time with offset like 2026-12-01T09:30:00+01:00 (got {:?})",
                self.start
            )
        })
    }
}

/// An appointment as the visitor who booked it may see it (no client data, notes, history,
/// private properties or external ids).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct PublicAppointment {
    /// Identifier.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Reference code.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    /// Encrypted identifier, for links.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub encrypted_id: Option<String>,
    /// Start.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start: Option<DateTimeZone>,
    /// End.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end: Option<DateTimeZone>,
    /// Service (id and name).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub service: Option<ServiceRef>,
    /// Staff member (id and names).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub staff: Option<StaffRef>,
    /// The resource booked on its own (id and name), instead of a service.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resource: Option<ResourceRef>,
    /// Units of that resource.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resource_count: Option<u32>,
    /// Where it takes place.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
    /// The place, when `location` is `custom`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location_custom: Option<String>,
    /// Video conference.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub online_meeting: Option<OnlineMeeting>,
    /// Price.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub price: Option<Price>,
    /// Status.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<AppointmentStatus>,
    /// Reschedule page.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reschedule_link: Option<RescheduleLink>,
    /// The public extended properties only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub extended_properties: Option<Map<String, Value>>,
    /// Whether the visitor is on the waiting list.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub add_to_waiting_list: Option<bool>,
}

impl From<&Appointment> for PublicAppointment {
    fn from(a: &Appointment) -> Self {
        // External ids are "writable only" in the reference: never shown back.
        let service = a.service.as_ref().map(|s| ServiceRef {
            external_id: None,
            ..s.clone()
        });
        let staff = a.staff.as_ref().map(|s| StaffRef {
            external_id: None,
            ..s.clone()
        });
        let resource = a.resource.as_ref().map(|r| ResourceRef {
            external_id: None,
            ..r.clone()
        });
        Self {
            id: a.id.clone(),
            reference: a.reference.clone(),
            encrypted_id: a.encrypted_id.clone(),
            start: a.start.clone(),
            end: a.end.clone(),
            service,
            staff,
            resource,
            resource_count: a.resource_count,
            location: a.location,
            location_custom: a.location_custom.clone(),
            online_meeting: a.online_meeting.clone(),
            price: a.price,
            status: a.status,
            reschedule_link: a.reschedule_link.clone(),
            extended_properties: a
                .extended_properties
                .as_ref()
                .and_then(|p| p.public.clone()),
            add_to_waiting_list: a.add_to_waiting_list,
        }
    }
}

/// Body of `PUT widget/appointments/{encryptedId}`: move the visitor's appointment to a new slot.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct PublicRescheduleRequest {
    /// The new slot, RFC 3339 with offset, as received from free slots.
    #[cfg_attr(feature = "openapi", schemars(extend("format" = "date-time")))]
    pub start: String,
    /// Another staff member; `None` keeps the current one when free, else any free one.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schemars(length(max = crate::validate::MAX_ID_LEN)))]
    pub staff_id: Option<String>,
    /// The visitor's IANA zone, for confirmations.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        feature = "openapi",
        schemars(with = "Option<crate::schema::TimeZone>")
    )]
    pub time_zone: Option<String>,
    /// The visitor's language, for the history entry.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lang: Option<String>,
}
