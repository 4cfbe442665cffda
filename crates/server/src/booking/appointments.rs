//! What the business does through the authenticated Appointments API: insert, update and delete
//! appointments. Each function runs inside the caller's write transaction (`BEGIN IMMEDIATE`), so the
//! availability check and the write are one atomic step, as for the widget's bookings.

use booking_availability::{check_slot, Unavailable};
use booking_model::validate::{validate_answers, validate_appointment, PatternMatcher};
use booking_model::{
    Appointment, AppointmentStatus, AppointmentType, ClientRef, CompanyRef, DateTimeZone,
    HistoryType, HistoryUser, Location, Mode, Price, Resource, ResourceRef, Service, ServiceRef,
    Staff, StaffRef,
};
use chrono::{DateTime, Duration, LocalResult, TimeZone, Utc};
use sqlx::SqliteConnection;

use super::history;
use super::ids;
use super::schedule::{build_query, build_resource_query, Catalog, SlotQuery};
use crate::db::appointments::{self, StoredAppointment};
use crate::db::{business, clients};
use crate::error::{Error, Result};

/// Where history entries written through this API say they came from.
pub const SOURCE: &str = "api";

/// Query options of insert and update.
#[derive(Debug, Clone, Default)]
pub struct WriteOptions {
    /// Language of the history texts written (en, fr, de, es; English otherwise).
    pub lang: String,
    /// Book without checking availability (the reference's `force`); needs a staff member.
    pub force: bool,
}

/// What an appointment occupies.
enum Target<'c> {
    Service(&'c Service),
    Resource {
        resource: &'c Resource,
        units: u32,
    },
    /// A personal appointment: the staff member's own time.
    Personal,
}

/// `{dateTime, timeZone}` → instant; the zone defaults to the company's. A local time that does not
/// exist (skipped by a DST change) is a 400; an ambiguous one takes the earlier instant.
fn to_utc(name: &str, value: &DateTimeZone, catalog: &Catalog) -> Result<DateTime<Utc>> {
    let local = value
        .parse_local()
        .map_err(|reason| Error::field(format!("{name}.dateTime"), reason))?;
    let zone: chrono_tz::Tz = match value.time_zone.as_deref() {
        Some(zone) => zone.parse().map_err(|_| {
            Error::field(
                format!("{name}.timeZone"),
                format!("must be an IANA time zone like Europe/Paris (got {zone:?})"),
            )
        })?,
        None => catalog.zone,
    };
    match zone.from_local_datetime(&local) {
        LocalResult::Single(t) | LocalResult::Ambiguous(t, _) => Ok(t.with_timezone(&Utc)),
        LocalResult::None => Err(Error::field(
            format!("{name}.dateTime"),
            format!(
                "{} does not exist in {} (clocks skip it): choose another time",
                value.date_time,
                zone.name()
            ),
        )),
    }
}

/// An instant as company-local `{dateTime, timeZone}`, the way appointments are stored.
fn company_local(instant: DateTime<Utc>, catalog: &Catalog) -> DateTimeZone {
    DateTimeZone::from_local(
        instant.with_timezone(&catalog.zone).naive_local(),
        Some(catalog.zone.name().to_owned()),
    )
}

fn staff_ref(s: &Staff) -> StaffRef {
    StaffRef {
        id: s.id.clone(),
        first_name: s.first_name.clone(),
        last_name: s.last_name.clone(),
        external_id: s.external_id.clone(),
    }
}

/// The 409 for a time that can't be had, saying why and how to override.
fn not_free(reason: &Unavailable) -> Error {
    Error::Refused {
        reason: booking_model::api::REASON_SLOT_TAKEN,
        message: format!(
            "this time is not free ({reason}); choose another time, or send force=true with a staff id to book anyway"
        ),
    }
}

/// `id` or `externalId` of a reference, whichever is filled.
fn key_of<'a>(id: Option<&'a str>, external_id: Option<&'a str>) -> Option<&'a str> {
    id.filter(|s| !s.trim().is_empty())
        .or(external_id.filter(|s| !s.trim().is_empty()))
}

fn resolve_staff<'c>(catalog: &'c Catalog, wanted: Option<&StaffRef>) -> Result<Option<&'c Staff>> {
    let Some(key) = wanted.and_then(|s| key_of(s.id.as_deref(), s.external_id.as_deref())) else {
        return Ok(None);
    };
    catalog.staff_member(key).map(Some).map_err(|_| {
        Error::field(
            "staff.id",
            format!("no staff member `{key}` in this company"),
        )
    })
}

fn resolve_service<'c>(catalog: &'c Catalog, wanted: &ServiceRef) -> Result<Option<&'c Service>> {
    let Some(key) = key_of(wanted.id.as_deref(), wanted.external_id.as_deref()) else {
        return Ok(None);
    };
    catalog
        .service(key)
        .map(Some)
        .map_err(|_| Error::field("service.id", format!("no service `{key}` in this company")))
}

fn resolve_resource<'c>(
    catalog: &'c Catalog,
    wanted: &ResourceRef,
) -> Result<Option<&'c Resource>> {
    let Some(key) = key_of(wanted.id.as_deref(), wanted.external_id.as_deref()) else {
        return Ok(None);
    };
    catalog.resource(key).map(Some).map_err(|_| {
        Error::field(
            "resource.id",
            format!("no resource `{key}` in this company"),
        )
    })
}

/// The stored client for `wanted`: by `id` (which must exist), else matched by externalId or email,
/// else created.
async fn resolve_client(
    conn: &mut SqliteConnection,
    company_id: &str,
    wanted: &ClientRef,
) -> Result<ClientRef> {
    if let Some(id) = wanted.id.as_deref().filter(|s| !s.trim().is_empty()) {
        return clients::get(conn, company_id, id)
            .await?
            .ok_or_else(|| Error::field("client.id", format!("no client `{id}` in this company")));
    }
    appointments::find_or_create_client(conn, company_id, wanted).await
}

fn user_of(a: &Appointment) -> Option<HistoryUser> {
    a.client.as_ref().map(|c| HistoryUser {
        first_name: c.first_name.clone(),
        last_name: c.last_name.clone(),
        email: c.email.clone(),
        user_name: None,
    })
}

/// Minutes an appointment of this target lasts by default.
fn default_minutes(target: &Target<'_>, iterations: Option<u32>) -> Option<u32> {
    match target {
        Target::Service(s) => s.duration,
        Target::Resource { resource, .. } => resource
            .duration
            .map(|d| d.saturating_mul(iterations.unwrap_or(1).max(1))),
        Target::Personal => None,
    }
}

fn price_of(target: &Target<'_>, catalog: &Catalog, iterations: Option<u32>) -> Option<Price> {
    let amount = match target {
        Target::Service(s) => s.price?,
        Target::Resource { resource, units } => {
            resource.price? * f64::from(*units) * f64::from(iterations.unwrap_or(1).max(1))
        }
        Target::Personal => return None,
    };
    catalog
        .company
        .currency
        .map(|currency| Price { amount, currency })
}

/// Everything availability depends on, after merging a request into an appointment.
struct Slot<'c> {
    target: Target<'c>,
    staff: Option<&'c Staff>,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
}

/// Checks the slot with the engine (or, for a personal appointment, against the staff member's
/// other appointments), leaving out `ignore_id`. Returns the staff member who takes it (the one
/// asked for, else the first free one) and whether it goes on the waiting list.
async fn ensure_free<'c>(
    conn: &mut SqliteConnection,
    catalog: &'c Catalog,
    slot: &Slot<'c>,
    iterations: Option<u32>,
    wants_waiting_list: bool,
    ignore_id: Option<&str>,
    now: DateTime<Utc>,
) -> Result<(Option<&'c Staff>, bool)> {
    let company_id = catalog.company.id.as_deref().unwrap_or_default();
    match &slot.target {
        Target::Personal => {
            let staff_id = slot.staff.and_then(|s| s.id.as_deref()).unwrap_or_default();
            let overlaps = appointments::staff_overlaps(
                conn, company_id, staff_id, slot.start, slot.end, ignore_id,
            )
            .await?;
            if overlaps > 0 {
                return Err(Error::Conflict(format!(
                    "staff member `{staff_id}` already has {overlaps} appointment(s) at this time; \
                     send force=true to add the personal appointment anyway"
                )));
            }
            Ok((slot.staff, false))
        }
        Target::Service(service) => {
            let day = slot.start.with_timezone(&catalog.zone).date_naive();
            let staff_id = slot.staff.and_then(|s| s.id.as_deref());
            let request = SlotQuery {
                service,
                staff_id,
                first_day: day,
                last_day: day,
                output_zone: catalog.zone,
                widget_only: false,
            };
            let (from, to) = request.busy_window();
            let busy = appointments::busy_between(conn, company_id, from, to, ignore_id).await?;
            let query = build_query(catalog, &request, busy, now)?;
            match check_slot(&query, slot.start, staff_id) {
                Ok(chosen) => Ok((catalog.staff_member(&chosen).ok(), false)),
                Err(Unavailable::Full)
                    if wants_waiting_list && service.waiting_list == Some(true) =>
                {
                    Ok((slot.staff, true))
                }
                Err(reason) => Err(not_free(&reason)),
            }
        }
        Target::Resource { resource, units } => {
            let span = (slot.start, slot.end);
            let times = iterations.unwrap_or(1);
            match resource_free(conn, catalog, resource, *units, times, span, now, ignore_id)
                .await?
            {
                Ok(()) => Ok((slot.staff, false)),
                Err(reason) => Err(not_free(&reason)),
            }
        }
    }
}

fn invalid_if_any(errors: Vec<booking_model::FieldError>) -> Result<()> {
    match errors.is_empty() {
        true => Ok(()),
        false => Err(Error::invalid(errors)),
    }
}

/// Checks the filled form against the definition that applies to the target.
async fn check_form(
    conn: &mut SqliteConnection,
    company_id: &str,
    target: &Target<'_>,
    form: Option<&booking_model::Form>,
    matcher: &(dyn PatternMatcher + Sync),
) -> Result<()> {
    let Some(answers) = form else {
        return Ok(());
    };
    let object_id = match target {
        Target::Service(s) => s.id.as_deref().unwrap_or_default(),
        Target::Resource { resource, .. } => resource.id.as_deref().unwrap_or_default(),
        Target::Personal => "",
    };
    let definition = business::form_for_service(&mut *conn, company_id, object_id).await?;
    invalid_if_any(validate_answers(&definition, answers, matcher))
}

/// The instants of the request: `end` defaults to start + the target's duration; for a service or
/// resource a different `end` needs `force`.
fn times(
    input: &Appointment,
    catalog: &Catalog,
    target: &Target<'_>,
    force: bool,
    fallback_minutes: Option<i64>,
) -> Result<(DateTime<Utc>, Option<DateTime<Utc>>)> {
    let start = match &input.start {
        Some(start) => to_utc("start", start, catalog)?,
        None => return Err(Error::field("start", "is required")),
    };
    let end = input
        .end
        .as_ref()
        .map(|end| to_utc("end", end, catalog))
        .transpose()?;
    if let Some(end) = end {
        if end <= start {
            return Err(Error::field(
                "end.dateTime",
                "must be after start (compare them in the same time zone)",
            ));
        }
    }
    let minutes = default_minutes(target, input.iteration_count)
        .map(i64::from)
        .or(fallback_minutes);
    if let (Some(end), Some(minutes), false) = (end, minutes, force) {
        if !matches!(target, Target::Personal) && end != start + Duration::minutes(minutes) {
            return Err(Error::field(
                "end.dateTime",
                format!(
                    "must be start + {minutes} minutes (the duration booked), or leave end out; \
                     send force=true to book another length"
                ),
            ));
        }
    }
    Ok((start, end.or(minutes.map(|m| start + Duration::minutes(m)))))
}

/// Inserts an appointment (`POST appointments`).
pub async fn insert(
    conn: &mut SqliteConnection,
    company_id: &str,
    input: Appointment,
    options: &WriteOptions,
    matcher: &(dyn PatternMatcher + Sync),
    now: DateTime<Utc>,
) -> Result<StoredAppointment> {
    invalid_if_any(validate_appointment(&input, Mode::Insert))?;
    let catalog = business::catalog(conn, company_id).await?;
    let staff = resolve_staff(&catalog, input.staff.as_ref())?;
    let target = if input.is_personal() {
        Target::Personal
    } else if let Some(service) = input
        .service
        .as_ref()
        .map(|s| resolve_service(&catalog, s))
        .transpose()?
        .flatten()
    {
        Target::Service(service)
    } else {
        let resource = input
            .resource
            .as_ref()
            .map(|r| resolve_resource(&catalog, r))
            .transpose()?
            .flatten()
            .ok_or_else(|| {
                Error::field("service", "is required: send service.id or resource.id")
            })?;
        let units = input.resource_count.unwrap_or(1);
        target_units_fit(resource, units)?;
        Target::Resource { resource, units }
    };
    if options.force && staff.is_none() {
        return Err(Error::field(
            "staff.id",
            "is required with force=true: say whose calendar takes the appointment",
        ));
    }
    let (start, end) = times(&input, &catalog, &target, options.force, None)?;
    let end = end.ok_or_else(|| Error::field("end", "is required"))?;
    let status = input.status.unwrap_or(match &target {
        Target::Service(s) => s.initial_status(),
        _ => AppointmentStatus::Accepted,
    });
    let slot = Slot {
        target,
        staff,
        start,
        end,
    };
    let wants_waiting_list = input.add_to_waiting_list == Some(true);
    let (staff, waiting) = if options.force || !status.blocks_slot() {
        (slot.staff, false)
    } else {
        ensure_free(
            conn,
            &catalog,
            &slot,
            input.iteration_count,
            wants_waiting_list,
            None,
            now,
        )
        .await?
    };
    check_form(conn, company_id, &slot.target, input.form.as_ref(), matcher).await?;
    let client = match (&slot.target, &input.client) {
        (_, Some(wanted)) => Some(resolve_client(conn, company_id, wanted).await?),
        (Target::Personal, None) => None,
        (_, None) => return Err(Error::field("client", "is required")),
    };

    let mut a = Appointment {
        id: Some(ids::record_id()),
        encrypted_id: Some(ids::encrypted_id()),
        company: Some(CompanyRef {
            id: catalog.company.id.clone(),
            name: catalog.company.name.clone(),
        }),
        client,
        status: input.custom_status.is_none().then_some(status),
        custom_status: input
            .custom_status
            .clone()
            .map(|c| booking_model::CustomStatus { name: None, ..c }),
        created: Some(company_local(now, &catalog)),
        appointment_type: Some(match slot.target {
            Target::Personal => AppointmentType::Personal,
            _ => AppointmentType::Normal,
        }),
        add_to_waiting_list: waiting.then_some(true),
        ..input
    };
    a.reference = None;
    a.reschedule_link = None;
    a.location_custom = None;
    a.history = Vec::new();
    apply_target(&mut a, &slot.target, &catalog);
    a.staff = staff.map(staff_ref);
    a.start = Some(company_local(start, &catalog));
    a.end = Some(company_local(end, &catalog));
    if a.location.is_none() {
        a.location = Some(match &slot.target {
            Target::Service(s) => s.locations.first().copied().unwrap_or_default(),
            _ => Location::default(),
        });
    }
    a.history.push(history::entry(
        HistoryType::Created,
        &options.lang,
        SOURCE,
        user_of(&a),
        now,
        catalog.zone,
    ));
    let mut stored = StoredAppointment {
        company_id: company_id.to_owned(),
        resource_units: resource_units(&slot.target),
        appointment: a,
        start,
        end,
        deleted: false,
    };
    appointments::insert(conn, &mut stored).await?;
    Ok(stored)
}

/// Checks `units` of `resource` (booked `iterations` times in a row) from `span.0` against the
/// current bookings, leaving out `ignore_id`. Shared by the API's writes and the visitor's.
#[allow(clippy::too_many_arguments)]
pub(super) async fn resource_free(
    conn: &mut SqliteConnection,
    catalog: &Catalog,
    resource: &Resource,
    units: u32,
    iterations: u32,
    span: (DateTime<Utc>, DateTime<Utc>),
    now: DateTime<Utc>,
    ignore_id: Option<&str>,
) -> Result<std::result::Result<(), Unavailable>> {
    let (start, end) = span;
    let company_id = catalog.company.id.as_deref().unwrap_or_default();
    let day = start.with_timezone(&catalog.zone).date_naive();
    let (from, to) = (start - Duration::days(2), end + Duration::days(2));
    let busy = appointments::busy_between(conn, company_id, from, to, ignore_id).await?;
    let query = build_resource_query(catalog, resource, units, iterations, day, busy, now)?;
    Ok(check_slot(&query, start, None).map(|_| ()))
}

/// A 400 on `resourceCount` when `units` exceed what the resource has.
pub(super) fn target_units_fit(resource: &Resource, units: u32) -> Result<()> {
    let count = resource.count.unwrap_or(1);
    if units > count {
        return Err(Error::field(
            "resourceCount",
            format!("this resource has {count} unit(s) (got {units})"),
        ));
    }
    Ok(())
}

fn resource_units(target: &Target<'_>) -> u32 {
    match target {
        Target::Service(s) => s.resource.first().map_or(0, |r| r.quantity.unwrap_or(1)),
        Target::Resource { units, .. } => *units,
        Target::Personal => 0,
    }
}

/// Sets `service` / `resource` / `resourceCount` / `price` from the target.
fn apply_target(a: &mut Appointment, target: &Target<'_>, catalog: &Catalog) {
    a.price = price_of(target, catalog, a.iteration_count);
    match target {
        Target::Service(s) => {
            a.service = Some(ServiceRef {
                id: s.id.clone(),
                name: s.name.clone(),
                external_id: s.external_id.clone(),
            });
            a.resource = None;
            a.resource_count = None;
            a.service_resource = super::service_resource_refs(s);
        }
        Target::Resource { resource, units } => {
            a.resource = Some(ResourceRef {
                id: resource.id.clone(),
                name: resource.name.clone(),
                external_id: resource.external_id.clone(),
            });
            a.resource_count = Some(*units);
            a.service = None;
        }
        Target::Personal => {
            a.service = None;
            a.resource = None;
            a.resource_count = None;
        }
    }
}

/// The live (not deleted) appointment with this id or reference.
pub async fn find(
    conn: &mut SqliteConnection,
    company_id: &str,
    key: &str,
) -> Result<StoredAppointment> {
    match appointments::find_by_id_or_reference(conn, company_id, key).await? {
        Some(found) if !found.deleted => Ok(found),
        _ => Err(Error::NotFound(format!("appointment `{key}` not found"))),
    }
}

/// Updates an appointment (`PUT appointments/{id}`): fields sent replace the stored ones, the rest is
/// kept. Moving it (time, staff, service, resource) or making it block its slot again re-checks
/// availability without counting itself. Each kind of change adds a history entry.
pub async fn update(
    conn: &mut SqliteConnection,
    company_id: &str,
    key: &str,
    input: Appointment,
    options: &WriteOptions,
    matcher: &(dyn PatternMatcher + Sync),
    now: DateTime<Utc>,
) -> Result<StoredAppointment> {
    invalid_if_any(validate_appointment(&input, Mode::Update))?;
    let mut stored = find(conn, company_id, key).await?;
    let catalog = business::catalog(conn, company_id).await?;
    let before = stored.appointment.clone();

    let staff = match &input.staff {
        Some(_) => resolve_staff(&catalog, input.staff.as_ref())?,
        None => before
            .staff
            .as_ref()
            .and_then(|s| s.id.as_deref())
            .and_then(|id| catalog.staff_member(id).ok()),
    };
    let personal = input
        .appointment_type
        .map_or(before.is_personal(), |t| t == AppointmentType::Personal);
    let sent_service = input
        .service
        .as_ref()
        .map(|s| resolve_service(&catalog, s))
        .transpose()?
        .flatten();
    let sent_resource = input
        .resource
        .as_ref()
        .map(|r| resolve_resource(&catalog, r))
        .transpose()?
        .flatten();
    let target = if personal {
        Target::Personal
    } else if let Some(service) = sent_service {
        Target::Service(service)
    } else if let Some(resource) = sent_resource {
        let units = input.resource_count.or(before.resource_count).unwrap_or(1);
        Target::Resource { resource, units }
    } else if let Some(resource) = before
        .resource
        .as_ref()
        .and_then(|r| r.id.as_deref())
        .and_then(|id| catalog.resource(id).ok())
    {
        let units = input.resource_count.or(before.resource_count).unwrap_or(1);
        Target::Resource { resource, units }
    } else {
        let id = before
            .service
            .as_ref()
            .and_then(|s| s.id.as_deref())
            .unwrap_or_default();
        Target::Service(catalog.service(id).map_err(|_| {
            Error::field(
                "service.id",
                format!("the appointment's service `{id}` no longer exists: send another service"),
            )
        })?)
    };
    if let Target::Resource { resource, units } = &target {
        target_units_fit(resource, *units)?;
    }
    if options.force && staff.is_none() {
        return Err(Error::field(
            "staff.id",
            "is required with force=true: say whose calendar takes the appointment",
        ));
    }
    let target_changed =
        sent_service.is_some() || sent_resource.is_some() || input.resource_count.is_some();
    // Start and end: sent ones win; otherwise the appointment keeps its start and its length (or
    // takes the new target's length when that changed).
    let mut timing = input.clone();
    if timing.start.is_none() {
        timing.start = Some(company_local(stored.start, &catalog));
    }
    if input.iteration_count.is_none() {
        timing.iteration_count = before.iteration_count;
    }
    let kept_minutes = (stored.end - stored.start).num_minutes();
    let fallback = match (&target, target_changed) {
        (Target::Personal, _) | (_, false) => Some(kept_minutes),
        _ => None,
    };
    if !target_changed && input.end.is_none() && !matches!(target, Target::Personal) {
        timing.end = Some(company_local(
            to_utc(
                "start",
                timing.start.as_ref().unwrap_or(&DateTimeZone::default()),
                &catalog,
            )? + Duration::minutes(kept_minutes),
            &catalog,
        ));
    }
    let force_length = options.force || (!target_changed && input.end.is_none());
    let (start, end) = times(&timing, &catalog, &target, force_length, fallback)?;
    let end = end.unwrap_or(start + Duration::minutes(kept_minutes));

    let status = input.status.or(before.status);
    let was_blocking = stored.blocks();
    let mut a = before.clone();
    merge_fields(&mut a, &input);
    if input.status.is_some() {
        a.custom_status = None;
    }
    if let Some(custom) = &input.custom_status {
        a.custom_status = Some(booking_model::CustomStatus {
            id: custom.id.clone(),
            name: None,
        });
        a.status = None;
    } else {
        a.status = status;
    }
    a.appointment_type = Some(match target {
        Target::Personal => AppointmentType::Personal,
        _ => AppointmentType::Normal,
    });
    if let Some(wanted) = &input.client {
        a.client = Some(resolve_client(conn, company_id, wanted).await?);
    }
    let moved = start != stored.start
        || end != stored.end
        || staff.and_then(|s| s.id.as_deref())
            != before.staff.as_ref().and_then(|s| s.id.as_deref())
        || target_changed;
    let now_blocking = a.effective_status().blocks_slot() && a.add_to_waiting_list != Some(true);
    let slot = Slot {
        target,
        staff,
        start,
        end,
    };
    let mut chosen_staff = slot.staff;
    if !options.force && now_blocking && (moved || !was_blocking) {
        let own_id = before.id.clone();
        let (chosen, _) = ensure_free(
            conn,
            &catalog,
            &slot,
            a.iteration_count,
            false,
            own_id.as_deref(),
            now,
        )
        .await?;
        chosen_staff = chosen;
    }
    check_form(conn, company_id, &slot.target, input.form.as_ref(), matcher).await?;
    if target_changed || matches!(slot.target, Target::Personal) {
        apply_target(&mut a, &slot.target, &catalog);
    }
    a.staff = chosen_staff.map(staff_ref);
    a.start = Some(company_local(start, &catalog));
    a.end = Some(company_local(end, &catalog));

    for kind in history_kinds(&before, &a) {
        let user = user_of(&a);
        a.history.push(history::entry(
            kind,
            &options.lang,
            SOURCE,
            user,
            now,
            catalog.zone,
        ));
    }
    stored.resource_units = resource_units(&slot.target);
    stored.appointment = a;
    stored.start = start;
    stored.end = end;
    appointments::update(conn, &stored).await?;
    Ok(stored)
}

/// Copies the writable fields present in `input` onto `a` (ids, times, client, target and status
/// are handled by the caller).
fn merge_fields(a: &mut Appointment, input: &Appointment) {
    macro_rules! take {
        ($($field:ident),+) => {$(
            if input.$field.is_some() {
                a.$field = input.$field.clone();
            }
        )+};
    }
    take!(
        notes,
        paid,
        add_to_waiting_list,
        iteration_count,
        send_to,
        parent,
        synchronization,
        source,
        online_meeting,
        location,
        extended_properties,
        form,
        meta_event
    );
    if !input.service_resource.is_empty() {
        a.service_resource = input.service_resource.clone();
    }
}

/// The history entries a change deserves: a status change (or cancellation), a move, an edit.
fn history_kinds(before: &Appointment, after: &Appointment) -> Vec<HistoryType> {
    let mut kinds = Vec::new();
    if before.status != after.status || before.custom_status != after.custom_status {
        kinds.push(match after.status {
            Some(AppointmentStatus::Cancelled) => HistoryType::Cancelled,
            _ => HistoryType::StatusChanged,
        });
    }
    if before.start != after.start || before.end != after.end || before.staff != after.staff {
        kinds.push(HistoryType::Rescheduled);
    }
    let rest = |a: &Appointment| Appointment {
        status: None,
        custom_status: None,
        start: None,
        end: None,
        staff: None,
        history: Vec::new(),
        ..a.clone()
    };
    if rest(before) != rest(after) {
        kinds.push(HistoryType::Edited);
    }
    kinds
}

/// Soft-deletes an appointment (`DELETE appointments/{id}`): it frees its slot and stays stored,
/// marked deleted, so lists with `showDeleted` and incremental sync report it.
pub async fn delete(
    conn: &mut SqliteConnection,
    company_id: &str,
    key: &str,
    lang: &str,
    now: DateTime<Utc>,
) -> Result<StoredAppointment> {
    let mut stored = find(conn, company_id, key).await?;
    let catalog = business::catalog(conn, company_id).await?;
    let user = user_of(&stored.appointment);
    stored.appointment.history.push(history::entry(
        HistoryType::Deleted,
        lang,
        SOURCE,
        user,
        now,
        catalog.zone,
    ));
    stored.deleted = true;
    appointments::update(conn, &stored).await?;
    Ok(stored)
}
