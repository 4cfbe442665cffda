//! The one place an appointment's derived fields are written, for widget bookings and the
//! Appointments API alike: ids and reference, the references to what it occupies (service names in
//! the writer's language), `service-resource`, the price (iterations included), staff, start and end
//! in the company's zone, the columns availability counts, and history entries.

use booking_model::{
    Appointment, BookingTarget, CompanyRef, DateTimeZone, HistoryType, HistoryUser, ResourceRef,
    ServiceRef, ServiceResourceRef, Staff, StaffRef,
};
use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use super::catalog::Catalog;
use super::target::Target;
use super::{history, ids};
use crate::db::appointments::{self, StoredAppointment};
use crate::db::Conn;
use crate::error::Result;

/// Where an appointment goes, once availability (or `force`) said it may.
#[derive(Debug, Clone, Copy)]
pub struct Placement<'c> {
    pub target: Target<'c>,
    pub staff: Option<&'c Staff>,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
}

/// Who wrote a change, for its history entry.
#[derive(Debug, Clone, Copy)]
pub struct Author<'a> {
    /// Language of the history text.
    pub lang: &'a str,
    /// `widget` or `api`.
    pub source: &'a str,
    pub now: DateTime<Utc>,
    /// `silent=true`: the change sends no email.
    pub silent: bool,
    /// `personalAppointmentSync`: a personal appointment goes to the staff member's calendars
    /// (`None`: as stored).
    pub personal_calendar_sync: Option<bool>,
    /// The company's catalogue, as this write read it.
    pub catalog: &'a Catalog,
}

impl Author<'_> {
    /// The write as `db::appointments` records (and notifies) it.
    pub fn change(&self) -> crate::db::appointments::Change<'_> {
        crate::db::appointments::Change {
            now: self.now,
            lang: self.lang,
            source: self.source,
            silent: self.silent,
            personal_calendar_sync: self.personal_calendar_sync,
            setup: crate::db::appointments::Setup {
                company: &self.catalog.company,
                services: &self.catalog.services,
                staff: &self.catalog.staff,
            },
        }
    }
}

/// An instant as company-local `{dateTime, timeZone}`, the way appointments are stored.
pub fn company_local(instant: DateTime<Utc>, zone: Tz) -> DateTimeZone {
    DateTimeZone::from_local(
        instant.with_timezone(&zone).naive_local(),
        Some(zone.name().to_owned()),
    )
}

/// The reference to a staff member embedded in an appointment.
pub fn staff_ref(s: &Staff) -> StaffRef {
    StaffRef {
        id: s.id.clone(),
        first_name: s.first_name.clone(),
        last_name: s.last_name.clone(),
        external_id: s.external_id.clone(),
    }
}

/// What a stored appointment occupies, by id (personal time, else its service, else its resource).
pub fn target_of(a: &Appointment) -> Option<BookingTarget> {
    if a.is_personal() {
        return Some(BookingTarget::Personal);
    }
    BookingTarget::from_ids(
        a.service.as_ref().and_then(|s| s.id.as_deref()),
        a.resource.as_ref().and_then(|r| r.id.as_deref()),
        a.resource_count,
    )
}

/// Sets what follows from the target: `service` (named in `lang`) or `resource` and
/// `resourceCount`, `service-resource` (read-only: always the service's), `appointmentType` and the
/// price for `iterationCount`.
pub fn set_target(a: &mut Appointment, catalog: &Catalog, target: Target<'_>, lang: &str) {
    a.price = target.price(catalog, a.iteration_count);
    a.appointment_type = Some(target.appointment_type());
    a.service = None;
    a.resource = None;
    a.resource_count = None;
    a.service_resource = Vec::new();
    match target {
        Target::Service(s) => {
            a.service = Some(ServiceRef {
                id: s.id.clone(),
                name: Some(s.localized(lang).0.to_owned()),
                external_id: s.external_id.clone(),
            });
            a.service_resource = s
                .resource
                .iter()
                .map(|r| ServiceResourceRef {
                    id: r.id.clone(),
                    name: r.name.clone(),
                })
                .collect();
        }
        Target::Resource { resource, units } => {
            a.resource = Some(ResourceRef {
                id: resource.id.clone(),
                name: resource.name.clone(),
                external_id: resource.external_id.clone(),
            });
            a.resource_count = Some(units);
        }
        Target::Personal => {}
    }
}

/// Moves the appointment to `placement`: staff, start and end (company-local in the document, UTC in
/// the columns) and the resource units it holds.
pub fn place(stored: &mut StoredAppointment, catalog: &Catalog, placement: &Placement<'_>) {
    let a = &mut stored.appointment;
    a.staff = placement.staff.map(staff_ref);
    a.start = Some(company_local(placement.start, catalog.zone));
    a.end = Some(company_local(placement.end, catalog.zone));
    stored.start = placement.start;
    stored.end = placement.end;
    stored.resource_units = placement.target.resource_units();
}

/// Appends a history entry of `kind`, by the appointment's client.
pub fn record(a: &mut Appointment, kind: HistoryType, author: &Author<'_>, zone: Tz) {
    let user = a.client.as_ref().map(|c| HistoryUser {
        first_name: c.first_name.clone(),
        last_name: c.last_name.clone(),
        email: c.email.clone(),
        user_name: None,
    });
    a.history.push(history::entry(
        kind,
        author.lang,
        author.source,
        user,
        author.now,
        zone,
    ));
}

/// A new appointment from `base` (the writable fields the caller accepted): fresh ids, the
/// company, `created`, what follows from the placement, a default location and the `created`
/// history entry. Not stored yet: see [`insert`].
pub fn new_appointment(
    catalog: &Catalog,
    base: Appointment,
    placement: &Placement<'_>,
    author: &Author<'_>,
) -> StoredAppointment {
    let mut a = Appointment {
        id: Some(ids::record_id()),
        encrypted_id: Some(ids::encrypted_id()),
        reference: None,
        reschedule_link: None,
        company: Some(CompanyRef {
            id: catalog.company.id.clone(),
            name: catalog.company.name.clone(),
        }),
        created: Some(company_local(author.now, catalog.zone)),
        history: Vec::new(),
        ..base
    };
    a.location
        .get_or_insert(placement.target.default_location());
    set_target(&mut a, catalog, placement.target, author.lang);
    record(&mut a, HistoryType::Created, author, catalog.zone);
    let mut stored = StoredAppointment {
        company_id: catalog.company.id.clone().unwrap_or_default(),
        appointment: a,
        start: placement.start,
        end: placement.end,
        resource_units: 0,
        deleted: false,
    };
    place(&mut stored, catalog, placement);
    stored
}

/// Stores a new appointment, giving it its reference.
pub async fn insert(
    conn: &mut Conn,
    stored: &mut StoredAppointment,
    author: &Author<'_>,
) -> Result<()> {
    appointments::insert(conn, stored, ids::reference, author.change()).await
}
