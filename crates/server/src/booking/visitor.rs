//! What a visitor does through the widget: book, reschedule, cancel. A thin policy layer over the
//! shared pipeline (target → availability → assemble): only staff shown in the widget, the
//! cancellation delay, the waiting list when the service has one, history by `widget`. Each function
//! runs inside the caller's write transaction, so the availability check and the write are one
//! atomic step.

use booking_availability::Unavailable;
use booking_model::api::{
    REASON_ALREADY_CANCELLED, REASON_OVER, REASON_SLOT_TAKEN, REASON_TOO_LATE,
};
use booking_model::form::{BIND_EMAIL, BIND_FIRST_NAME, BIND_LAST_NAME, BIND_PHONE};
use booking_model::validate::{validate_answers, validate_booking_request, PatternMatcher};
use booking_model::{
    Appointment, AppointmentStatus, ClientRef, ExtendedProperties, Form, HistoryType,
    PublicBookingRequest, Service,
};
use chrono::{DateTime, Duration, Utc};
use std::sync::Arc;

use super::assemble::{self, Author, Placement};
use super::availability::{self, Ask};
use super::catalog::{self, Catalog, Offer};
use super::target::{Target, TargetFields};
use super::{clients, files, forms, waiting_list};
use crate::db::appointments::{self, StoredAppointment};
use crate::db::Conn;
use crate::error::{Error, Result};

/// Where history entries written by visitors say they came from.
const SOURCE: &str = "widget";

/// How the widget's requests name what they book.
const FIELDS: TargetFields = TargetFields {
    service: "serviceId",
    resource: "resourceId",
};

/// The 409 a visitor sees when their slot can't be had; the widget shows `message` as is.
fn slot_taken(reason: &Unavailable) -> Error {
    Error::Refused {
        reason: REASON_SLOT_TAKEN,
        message: format!(
            "Sorry, this time can no longer be booked ({reason}). Please choose another time."
        ),
    }
}

/// The target a stored appointment occupies, looked up again in the catalogue.
fn stored_target<'c>(catalog: &'c Catalog, stored: &StoredAppointment) -> Result<Target<'c>> {
    let wanted = assemble::target_of(&stored.appointment)
        .ok_or_else(|| Error::field("serviceId", "this appointment books nothing"))?;
    Target::resolve(catalog, &wanted, FIELDS)
}

/// What a booking needs that no other booking can change: the request and its form answers checked,
/// the company's catalogue and form, the client wanted. Made on a reader before the write lock is
/// taken, so the writer holds the lock only for what must be atomic: the availability check against
/// stored bookings, the client, the insert.
///
/// A catalogue edit committed between the two steps is seen by the next booking, not this one: the
/// booking is then ordered before the edit, as if it had arrived a moment earlier. Bookings are never
/// read here, so two bookings can't both pass on the same free slot.
pub struct Prepared {
    company_id: String,
    /// The company's catalogue and forms (shared with the process's cache).
    offer: Arc<Offer>,
    definition: Form,
    start: DateTime<Utc>,
    wanted_client: ClientRef,
}

/// Validates the request and form answers with the model's shared rules, against the company's
/// catalogue and form as `conn` (a reader) sees them (through `catalogs`).
pub async fn prepare(
    conn: &mut Conn,
    catalogs: &catalog::Cache,
    company_id: &str,
    request: &PublicBookingRequest,
    matcher: &(dyn PatternMatcher + Sync),
) -> Result<Prepared> {
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
    let offer = catalogs.offer(conn, company_id).await?;
    let catalog = &offer.catalog;
    let target = requested_target(catalog, request)?;
    let definition = forms::choose(&offer.forms, target.form_object_id());
    // Report every invalid field at once, each field once (both checks may name the email).
    let request_errors = errors.len();
    let sms_number = clients::sms_answer_error(&catalog.company, &request.form);
    for error in validate_answers(&definition, &request.form, matcher)
        .into_iter()
        .chain(sms_number)
    {
        if !errors.iter().any(|e| e.name == error.name) {
            errors.push(error);
        }
    }
    if !errors.is_empty() {
        // Answers alone that do not fit the service's form break a rule the document cannot state.
        return Err(match request_errors {
            0 => Error::rules(errors),
            _ => Error::invalid(errors),
        });
    }
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
        return Err(Error::rule(
            "form",
            "needs at least the visitor's email or name",
        ));
    }
    Ok(Prepared {
        company_id: company_id.to_owned(),
        offer: offer.clone(),
        definition,
        start,
        wanted_client,
    })
}

/// The service or resource the request books, in `catalog`.
fn requested_target<'c>(
    catalog: &'c Catalog,
    request: &PublicBookingRequest,
) -> Result<Target<'c>> {
    let wanted = request
        .target()
        .ok_or_else(|| Error::field("serviceId", "is required (or resourceId)"))?;
    Target::resolve(catalog, &wanted, FIELDS)
}

/// Books a [`prepare`]d request inside the caller's write transaction: re-checks the slot against
/// the stored bookings, matches or creates the client, and inserts the appointment.
pub async fn book(
    conn: &mut Conn,
    prepared: &Prepared,
    request: &PublicBookingRequest,
    now: DateTime<Utc>,
) -> Result<StoredAppointment> {
    let (catalog, start) = (&prepared.offer.catalog, prepared.start);
    let company_id = prepared.company_id.as_str();
    let target = requested_target(catalog, request)?;
    let staff_id = request.staff_id.as_deref().filter(|s| !s.is_empty());
    let minutes = target.minutes(None).unwrap_or(0);
    let span = (start, start + Duration::minutes(i64::from(minutes)));
    let ask = Ask {
        target,
        staff_id,
        iterations: None,
        widget_only: true,
        ignore_id: None,
    };
    let wants_waiting_list = request.add_to_waiting_list == Some(true);
    let began = std::time::Instant::now();
    let (staff_id, waiting) = match availability::check(conn, catalog, &ask, span, now).await? {
        Ok(chosen) => (chosen, false),
        Err(Unavailable::Full) if wants_waiting_list && target.has_waiting_list() => {
            (staff_id.map(str::to_owned), true)
        }
        Err(reason) => return Err(slot_taken(&reason)),
    };

    let checked = std::time::Instant::now();
    let client = clients::find_or_create(conn, company_id, &prepared.wanted_client).await?;
    let client_found = std::time::Instant::now();

    let base = Appointment {
        client: Some(client),
        form: Some(request.form.clone()),
        status: Some(target.initial_status()),
        add_to_waiting_list: waiting.then_some(true),
        source: request.source.clone(),
        extended_properties: request
            .extended_properties
            .clone()
            .map(|public| ExtendedProperties {
                private: None,
                public: Some(public),
            }),
        ..Appointment::default()
    };
    let placement = Placement {
        target,
        staff: staff_id.and_then(|id| catalog.staff_member(&id).ok()),
        start: span.0,
        end: span.1,
    };
    let author = Author {
        lang: request.lang.as_deref().unwrap_or("en"),
        source: SOURCE,
        now,
        silent: false,
        personal_calendar_sync: None,
        catalog,
    };
    let mut stored = assemble::new_appointment(catalog, base, &placement, &author);
    let owner = (
        company_id,
        stored.appointment.id.clone().unwrap_or_default(),
    );
    if let Some(form) = stored.appointment.form.as_mut() {
        let file_ids = files::file_item_ids(&prepared.definition);
        files::store(conn, (owner.0, &owner.1), form, &file_ids, now).await?;
    }
    let assembled = std::time::Instant::now();
    assemble::insert(conn, &mut stored, &author).await?;
    tracing::debug!(
        check_us = (checked - began).as_micros(),
        client_us = (client_found - checked).as_micros(),
        assemble_us = (assembled - client_found).as_micros(),
        insert_us = assembled.elapsed().as_micros(),
        "booked: inside the lock"
    );
    Ok(stored)
}

/// The appointment behind a visitor's link, if it belongs to `company_id` and isn't deleted.
pub async fn find(
    conn: &mut Conn,
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

/// Moves the appointment to `start` (same service, same length), re-checking availability without
/// counting itself; the seat it leaves goes to the waiting list.
pub async fn reschedule(
    conn: &mut Conn,
    company_id: &str,
    encrypted_id: &str,
    start: DateTime<Utc>,
    staff_id: Option<&str>,
    lang: &str,
    now: DateTime<Utc>,
) -> Result<StoredAppointment> {
    let mut stored = find(conn, company_id, encrypted_id).await?;
    let catalog = catalog::load(conn, company_id).await?;
    let target = stored_target(&catalog, &stored)?;
    ensure_changeable(&stored, target.service(), now)?;
    let staff_id = staff_id
        .or(stored
            .appointment
            .staff
            .as_ref()
            .and_then(|s| s.id.as_deref()))
        .map(str::to_owned);
    let own_id = stored.appointment.id.clone();
    let span = (start, start + (stored.end - stored.start));
    let ask = Ask {
        target,
        staff_id: staff_id.as_deref(),
        iterations: stored.appointment.iteration_count,
        widget_only: true,
        ignore_id: own_id.as_deref(),
    };
    let chosen = match availability::check(conn, &catalog, &ask, span, now).await? {
        Ok(chosen) => chosen,
        Err(reason) => return Err(slot_taken(&reason)),
    };
    let freed = (stored.start, stored.end);
    let was_blocking = stored.blocks();
    let placement = Placement {
        target,
        staff: chosen
            .or(staff_id)
            .and_then(|id| catalog.staff_member(&id).ok()),
        start: span.0,
        end: span.1,
    };
    assemble::place(&mut stored, &catalog, &placement);
    let author = Author {
        lang,
        source: SOURCE,
        now,
        silent: false,
        personal_calendar_sync: None,
        catalog: &catalog,
    };
    assemble::record(
        &mut stored.appointment,
        HistoryType::Rescheduled,
        &author,
        catalog.zone,
    );
    appointments::update(conn, &stored, author.change()).await?;
    if was_blocking {
        waiting_list::promote(conn, &catalog, freed, &author).await?;
    }
    Ok(stored)
}

/// Cancels the appointment (it stays stored, with status `cancelled` and a history entry in
/// `lang`); the seat it leaves goes to the waiting list.
pub async fn cancel(
    conn: &mut Conn,
    company_id: &str,
    encrypted_id: &str,
    lang: &str,
    now: DateTime<Utc>,
) -> Result<StoredAppointment> {
    let mut stored = find(conn, company_id, encrypted_id).await?;
    let catalog = catalog::load(conn, company_id).await?;
    let service = stored
        .appointment
        .service
        .as_ref()
        .and_then(|s| s.id.as_deref())
        .and_then(|id| catalog.service(id).ok());
    ensure_changeable(&stored, service, now)?;
    let was_blocking = stored.blocks();
    let a = &mut stored.appointment;
    a.status = Some(AppointmentStatus::Cancelled);
    a.custom_status = None;
    let author = Author {
        lang,
        source: SOURCE,
        now,
        silent: false,
        personal_calendar_sync: None,
        catalog: &catalog,
    };
    assemble::record(a, HistoryType::Cancelled, &author, catalog.zone);
    appointments::update(conn, &stored, author.change()).await?;
    if was_blocking {
        waiting_list::promote(conn, &catalog, (stored.start, stored.end), &author).await?;
    }
    Ok(stored)
}
