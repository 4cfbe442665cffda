//! What a visitor does through the widget: book, reschedule, cancel. Each function runs inside the
//! caller's write transaction, so the availability check and the write are one atomic step.

use booking_availability::{check_slot, Unavailable};
use booking_model::api::{
    REASON_ALREADY_CANCELLED, REASON_OVER, REASON_SLOT_TAKEN, REASON_TOO_LATE,
};
use booking_model::form::{BIND_EMAIL, BIND_FIRST_NAME, BIND_LAST_NAME, BIND_PHONE};
use booking_model::validate::{validate_answers, validate_booking_request, PatternMatcher};
use booking_model::{
    Appointment, AppointmentStatus, AppointmentType, ClientRef, CompanyRef, DateTimeZone,
    ExtendedProperties, HistoryType, HistoryUser, Location, Price, PublicBookingRequest, Resource,
    ResourceRef, Service, ServiceRef, StaffRef,
};
use chrono::{DateTime, Duration, Utc};
use sqlx::SqliteConnection;

use super::appointments::{resource_free, target_units_fit};
use super::history;
use super::ids;
use super::schedule::{build_query, Catalog, SlotQuery};
use crate::db::appointments::{self, StoredAppointment};
use crate::db::business;
use crate::error::{Error, Result};

/// Where history entries written by visitors say they came from.
const SOURCE: &str = "widget";

/// The 409 a visitor sees when their slot can't be had; the widget shows `message` as is.
fn slot_taken(reason: &Unavailable) -> Error {
    Error::Refused {
        reason: REASON_SLOT_TAKEN,
        message: format!(
            "Sorry, this time can no longer be booked ({reason}). Please choose another time."
        ),
    }
}

/// A local `{dateTime, timeZone}` in the company's zone, as the reference stores start/end.
fn company_local(instant: DateTime<Utc>, catalog: &Catalog) -> DateTimeZone {
    DateTimeZone::from_local(
        instant.with_timezone(&catalog.zone).naive_local(),
        Some(catalog.zone.name().to_owned()),
    )
}

/// Re-checks `start` for `service` against the current bookings (except `ignore_id`, the appointment
/// being moved) and returns the staff member who takes it.
async fn check(
    conn: &mut SqliteConnection,
    catalog: &Catalog,
    service: &Service,
    staff_id: Option<&str>,
    start: DateTime<Utc>,
    now: DateTime<Utc>,
    ignore_id: Option<&str>,
) -> Result<std::result::Result<String, Unavailable>> {
    let day = start.with_timezone(&catalog.zone).date_naive();
    let request = SlotQuery {
        service,
        staff_id,
        first_day: day,
        last_day: day,
        output_zone: catalog.zone,
        widget_only: true,
    };
    let (from, to) = request.busy_window();
    let company_id = catalog.company.id.as_deref().unwrap_or_default();
    let busy = appointments::busy_between(conn, company_id, from, to, ignore_id).await?;
    let query = build_query(catalog, &request, busy, now)?;
    Ok(check_slot(&query, start, staff_id))
}

/// What a visitor books: a service (performed by staff), or units of a resource on their own.
#[derive(Clone, Copy)]
enum Booked<'c> {
    Service(&'c Service),
    Resource { resource: &'c Resource, units: u32 },
}

impl<'c> Booked<'c> {
    /// The service or resource a booking or stored appointment names.
    fn find(
        catalog: &'c Catalog,
        service_id: Option<&str>,
        resource: Option<(&str, u32)>,
    ) -> Result<Booked<'c>> {
        match (service_id.filter(|s| !s.is_empty()), resource) {
            (Some(id), _) => catalog
                .service(id)
                .map(Booked::Service)
                .map_err(|_| Error::field("serviceId", format!("no service `{id}` here"))),
            (None, Some((id, units))) => {
                let resource = catalog
                    .resource(id)
                    .map_err(|_| Error::field("resourceId", format!("no resource `{id}` here")))?;
                target_units_fit(resource, units)?;
                Ok(Booked::Resource { resource, units })
            }
            (None, None) => Err(Error::field("serviceId", "is required (or resourceId)")),
        }
    }

    /// Whose form the answers are checked against.
    fn object_id(self) -> &'c str {
        match self {
            Booked::Service(s) => s.id.as_deref().unwrap_or_default(),
            Booked::Resource { resource, .. } => resource.id.as_deref().unwrap_or_default(),
        }
    }

    /// Length of one booking.
    fn duration(self) -> Duration {
        let minutes = match self {
            Booked::Service(s) => s.duration,
            Booked::Resource { resource, .. } => resource.duration,
        };
        Duration::minutes(i64::from(minutes.unwrap_or(0)))
    }

    /// The cancellation rules that apply (a resource has none of its own).
    fn service(self) -> Option<&'c Service> {
        match self {
            Booked::Service(s) => Some(s),
            Booked::Resource { .. } => None,
        }
    }
}

/// Books what the visitor asked for: validates the request and form answers with the model's shared
/// rules, re-checks the slot, matches or creates the client, and inserts the appointment.
pub async fn book(
    conn: &mut SqliteConnection,
    company_id: &str,
    request: &PublicBookingRequest,
    matcher: &(dyn PatternMatcher + Sync),
    now: DateTime<Utc>,
) -> Result<StoredAppointment> {
    let mut errors = validate_booking_request(request);
    // Without a service (or resource) or a start there is no form to check the answers against.
    if errors
        .iter()
        .any(|e| matches!(e.name.as_str(), "serviceId" | "resourceId" | "start"))
    {
        return Err(Error::invalid(errors));
    }
    let start = request
        .parse_start()
        .map_err(|reason| Error::field("start", reason))?
        .with_timezone(&Utc);
    let catalog = business::catalog(conn, company_id).await?;
    let resource = request
        .resource_id
        .as_deref()
        .map(|id| (id, request.resource_count.unwrap_or(1)));
    let booked = Booked::find(&catalog, request.service_id.as_deref(), resource)?;
    let definition = business::form_for_service(&mut *conn, company_id, booked.object_id()).await?;
    // Report every invalid field at once, each field once (both checks may name the email).
    for error in validate_answers(&definition, &request.form, matcher) {
        if !errors.iter().any(|e| e.name == error.name) {
            errors.push(error);
        }
    }
    if !errors.is_empty() {
        return Err(Error::invalid(errors));
    }

    let staff_id = request.staff_id.as_deref().filter(|s| !s.is_empty());
    let wants_waiting_list = request.add_to_waiting_list == Some(true);
    let (staff_id, waiting) = match booked {
        Booked::Service(service) => {
            match check(conn, &catalog, service, staff_id, start, now, None).await? {
                Ok(chosen) => (Some(chosen), false),
                Err(Unavailable::Full)
                    if wants_waiting_list && service.waiting_list == Some(true) =>
                {
                    (staff_id.map(str::to_owned), true)
                }
                Err(reason) => return Err(slot_taken(&reason)),
            }
        }
        Booked::Resource { resource, units } => {
            let span = (start, start + booked.duration());
            match resource_free(conn, &catalog, resource, units, 1, span, now, None).await? {
                Ok(()) => (None, false),
                Err(reason) => return Err(slot_taken(&reason)),
            }
        }
    };

    let answers = &request.form;
    let wanted_client = ClientRef {
        first_name: answers.bound_value(BIND_FIRST_NAME).map(str::to_owned),
        last_name: answers.bound_value(BIND_LAST_NAME).map(str::to_owned),
        email: answers.bound_value(BIND_EMAIL).map(str::to_owned),
        phone: answers.bound_value(BIND_PHONE).map(str::to_owned),
        time_zone: request.time_zone.clone(),
        ..ClientRef::default()
    };
    if wanted_client.email.is_none() && wanted_client.last_name.is_none() {
        return Err(Error::field(
            "form",
            "needs at least the visitor's email or name",
        ));
    }
    let client = appointments::find_or_create_client(conn, company_id, &wanted_client).await?;

    let end = start + booked.duration();
    let staff = staff_id
        .as_deref()
        .and_then(|id| catalog.staff_member(id).ok());
    let lang = request.lang.as_deref().unwrap_or("en");
    let location = booked
        .service()
        .and_then(|s| s.locations.first().copied())
        .unwrap_or(Location::CompanyAddress);
    let user = HistoryUser {
        first_name: client.first_name.clone(),
        last_name: client.last_name.clone(),
        email: client.email.clone(),
        user_name: None,
    };
    let appointment = Appointment {
        id: Some(ids::record_id()),
        encrypted_id: Some(ids::encrypted_id()),
        company: Some(CompanyRef {
            id: catalog.company.id.clone(),
            name: catalog.company.name.clone(),
        }),
        service: booked.service().map(|service| ServiceRef {
            id: service.id.clone(),
            name: Some(service.localized(lang).0.to_owned()),
            external_id: service.external_id.clone(),
        }),
        staff: staff.map(|s| StaffRef {
            id: s.id.clone(),
            first_name: s.first_name.clone(),
            last_name: s.last_name.clone(),
            external_id: s.external_id.clone(),
        }),
        client: Some(client),
        start: Some(company_local(start, &catalog)),
        end: Some(company_local(end, &catalog)),
        created: Some(company_local(now, &catalog)),
        form: Some(request.form.clone()),
        status: Some(
            booked
                .service()
                .map_or(AppointmentStatus::Accepted, Service::initial_status),
        ),
        history: vec![history::entry(
            HistoryType::Created,
            lang,
            SOURCE,
            Some(user),
            now,
            catalog.zone,
        )],
        appointment_type: Some(AppointmentType::Normal),
        add_to_waiting_list: waiting.then_some(true),
        source: request.source.clone(),
        price: match booked {
            Booked::Service(service) => service.price,
            Booked::Resource { resource, units } => resource.price.map(|p| p * f64::from(units)),
        }
        .zip(catalog.company.currency)
        .map(|(amount, currency)| Price { amount, currency }),
        location: Some(location),
        service_resource: booked
            .service()
            .map(super::service_resource_refs)
            .unwrap_or_default(),
        resource: match booked {
            Booked::Resource { resource, .. } => Some(ResourceRef {
                id: resource.id.clone(),
                name: resource.name.clone(),
                external_id: resource.external_id.clone(),
            }),
            Booked::Service(_) => None,
        },
        resource_count: match booked {
            Booked::Resource { units, .. } => Some(units),
            Booked::Service(_) => None,
        },
        extended_properties: request
            .extended_properties
            .clone()
            .map(|public| ExtendedProperties {
                private: None,
                public: Some(public),
            }),
        ..Appointment::default()
    };
    let resource_units = match booked {
        Booked::Service(service) => service
            .resource
            .first()
            .map_or(0, |r| r.quantity.unwrap_or(1)),
        Booked::Resource { units, .. } => units,
    };
    let mut stored = StoredAppointment {
        company_id: company_id.to_owned(),
        appointment,
        start,
        end,
        resource_units,
        deleted: false,
    };
    appointments::insert(conn, &mut stored).await?;
    Ok(stored)
}

/// The appointment behind a visitor's link, if it belongs to `company_id` and isn't deleted.
pub async fn find(
    conn: &mut SqliteConnection,
    company_id: &str,
    encrypted_id: &str,
) -> Result<StoredAppointment> {
    match appointments::find_by_encrypted_id(conn, encrypted_id).await? {
        Some(found) if found.company_id == company_id && !found.deleted => Ok(found),
        _ => Err(Error::NotFound("appointment not found".to_owned())),
    }
}

/// Refuses changes once the appointment is over, cancelled, or inside the service's cancellation delay.
fn ensure_changeable(
    stored: &StoredAppointment,
    service: Option<&Service>,
    now: DateTime<Utc>,
) -> Result<()> {
    let status = stored.appointment.effective_status();
    if matches!(
        status,
        AppointmentStatus::Cancelled | AppointmentStatus::Declined
    ) {
        return Err(Error::Refused {
            reason: REASON_ALREADY_CANCELLED,
            message: "this appointment is already cancelled".to_owned(),
        });
    }
    if stored.end <= now {
        return Err(Error::Refused {
            reason: REASON_OVER,
            message: "this appointment is over and can no longer be changed".to_owned(),
        });
    }
    let delay = service
        .and_then(|s| s.cancellation_delay)
        .map_or(0, |d| d.as_minutes());
    let deadline =
        stored.start - Duration::minutes(i64::try_from(delay).unwrap_or(i64::MAX / 120_000));
    if now > deadline {
        return Err(Error::Refused {
            reason: REASON_TOO_LATE,
            message: format!(
                "changes are possible until {delay} minutes before the appointment; please contact the company"
            ),
        });
    }
    Ok(())
}

/// Moves the appointment to `start` (same service), re-checking availability without counting itself.
pub async fn reschedule(
    conn: &mut SqliteConnection,
    company_id: &str,
    encrypted_id: &str,
    start: DateTime<Utc>,
    staff_id: Option<&str>,
    lang: &str,
    now: DateTime<Utc>,
) -> Result<StoredAppointment> {
    let mut stored = find(conn, company_id, encrypted_id).await?;
    let catalog = business::catalog(conn, company_id).await?;
    let a = &stored.appointment;
    let service_id = a.service.as_ref().and_then(|s| s.id.as_deref());
    let resource = a
        .resource
        .as_ref()
        .and_then(|r| r.id.as_deref())
        .map(|id| (id, a.resource_count.unwrap_or(1)));
    let booked = Booked::find(&catalog, service_id, resource)?;
    ensure_changeable(&stored, booked.service(), now)?;
    let own_id = stored.appointment.id.clone();
    let staff_id = staff_id.or(stored
        .appointment
        .staff
        .as_ref()
        .and_then(|s| s.id.as_deref()));
    let staff_id = staff_id.map(str::to_owned);
    let own_id = own_id.as_deref();
    let end = start + (stored.end - stored.start);
    let chosen = match booked {
        Booked::Service(service) => {
            match check(
                conn,
                &catalog,
                service,
                staff_id.as_deref(),
                start,
                now,
                own_id,
            )
            .await?
            {
                Ok(chosen) => chosen,
                Err(reason) => return Err(slot_taken(&reason)),
            }
        }
        Booked::Resource { resource, units } => {
            let span = (start, end);
            match resource_free(conn, &catalog, resource, units, 1, span, now, own_id).await? {
                Ok(()) => String::new(),
                Err(reason) => return Err(slot_taken(&reason)),
            }
        }
    };
    let a = &mut stored.appointment;
    a.start = Some(company_local(start, &catalog));
    a.end = Some(company_local(end, &catalog));
    if let Ok(member) = catalog.staff_member(&chosen) {
        a.staff = Some(StaffRef {
            id: member.id.clone(),
            first_name: member.first_name.clone(),
            last_name: member.last_name.clone(),
            external_id: member.external_id.clone(),
        });
    }
    let user = visitor(a);
    a.history.push(history::entry(
        HistoryType::Rescheduled,
        lang,
        SOURCE,
        user,
        now,
        catalog.zone,
    ));
    stored.start = start;
    stored.end = end;
    appointments::update(conn, &stored).await?;
    Ok(stored)
}

/// Cancels the appointment (it stays stored, with status `cancelled` and a history entry).
pub async fn cancel(
    conn: &mut SqliteConnection,
    company_id: &str,
    encrypted_id: &str,
    lang: &str,
    now: DateTime<Utc>,
) -> Result<StoredAppointment> {
    let mut stored = find(conn, company_id, encrypted_id).await?;
    let catalog = business::catalog(conn, company_id).await?;
    let service_id = stored
        .appointment
        .service
        .as_ref()
        .and_then(|s| s.id.clone());
    let service = service_id
        .as_deref()
        .and_then(|id| catalog.service(id).ok());
    ensure_changeable(&stored, service, now)?;
    let a = &mut stored.appointment;
    a.status = Some(AppointmentStatus::Cancelled);
    a.custom_status = None;
    let user = visitor(a);
    a.history.push(history::entry(
        HistoryType::Cancelled,
        lang,
        SOURCE,
        user,
        now,
        catalog.zone,
    ));
    appointments::update(conn, &stored).await?;
    Ok(stored)
}

fn visitor(a: &Appointment) -> Option<HistoryUser> {
    a.client.as_ref().map(|c| HistoryUser {
        first_name: c.first_name.clone(),
        last_name: c.last_name.clone(),
        email: c.email.clone(),
        user_name: None,
    })
}
