//! What the business does through the authenticated Appointments API: insert, update and delete
//! appointments. A thin policy layer over the shared pipeline (target → availability → assemble):
//! `force`, any staff member (not only those shown in the widget), the waiting list, partial
//! updates, personal appointments, history by `api`. Each function runs inside the caller's write
//! transaction (`BEGIN IMMEDIATE`), so the availability check and the write are one atomic step, as
//! for the widget's bookings.

use booking_availability::Unavailable;
use booking_model::validate::{validate_answers, validate_appointment, PatternMatcher};
use booking_model::{
    Appointment, AppointmentStatus, AppointmentType, BookingTarget, DateTimeZone, HistoryType,
    Mode, Staff, StaffRef,
};
use chrono::{DateTime, Duration, LocalResult, TimeZone, Utc};

use super::assemble::{self, Author, Placement};
use super::availability::{self, Ask};
use super::catalog::{self, Catalog};
use super::target::{Target, TargetFields};
use super::{clients, files, forms, waiting_list};
use crate::db::appointments::{self, StoredAppointment};
use crate::db::Conn;
use crate::error::{Error, Result};

/// Where history entries written through this API say they came from.
pub const SOURCE: &str = "api";

/// How this API's documents name what they book.
const FIELDS: TargetFields = TargetFields {
    service: "service.id",
    resource: "resource.id",
};

/// Query options of insert and update.
#[derive(Debug, Clone, Default)]
pub struct WriteOptions {
    /// Language of the history texts written (en, fr, de, es; English otherwise).
    pub lang: String,
    /// Book without checking availability (the reference's `force`); needs a staff member.
    pub force: bool,
    /// Send no email for this change (the reference's `silent`).
    pub silent: bool,
    /// Write a personal appointment to the staff member's calendars (the reference's
    /// `personalAppointmentSync`; absent: as stored, else yes).
    pub personal_calendar_sync: Option<bool>,
}

impl WriteOptions {
    fn author<'a>(&'a self, now: DateTime<Utc>, catalog: &'a Catalog) -> Author<'a> {
        Author {
            lang: &self.lang,
            source: SOURCE,
            now,
            silent: self.silent,
            personal_calendar_sync: self.personal_calendar_sync,
            catalog,
        }
    }
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
        LocalResult::None => Err(Error::rule(
            format!("{name}.dateTime"),
            format!(
                "{} does not exist in {} (clocks skip it): choose another time",
                value.date_time,
                zone.name()
            ),
        )),
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
        Error::rule(
            "staff.id",
            format!("no staff member `{key}` in this company"),
        )
    })
}

/// The 409 for a time that can't be had, saying why and how to override.
fn not_free(target: Target<'_>, staff: Option<&Staff>, reason: &Unavailable) -> Error {
    if let Target::Personal = target {
        let id = staff.and_then(|s| s.id.as_deref()).unwrap_or_default();
        return Error::Conflict(format!(
            "staff member `{id}` already has an appointment at this time; \
             send force=true to add the personal appointment anyway"
        ));
    }
    Error::Refused {
        reason: booking_model::api::REASON_SLOT_TAKEN,
        message: format!(
            "this time is not free ({reason}); choose another time, or send force=true with a staff id to book anyway"
        ),
    }
}

/// The service or resource `input` names (by id or externalId), if it names one.
fn named_target(input: &Appointment, units: Option<u32>) -> Option<BookingTarget> {
    let service = input
        .service
        .as_ref()
        .and_then(|s| key_of(s.id.as_deref(), s.external_id.as_deref()));
    let resource = input
        .resource
        .as_ref()
        .and_then(|r| key_of(r.id.as_deref(), r.external_id.as_deref()));
    BookingTarget::from_ids(service, resource, units)
}

fn invalid_if_any(errors: Vec<booking_model::FieldError>) -> Result<()> {
    match errors.is_empty() {
        true => Ok(()),
        false => Err(Error::invalid(errors)),
    }
}

fn require_staff_for_force(options: &WriteOptions, staff: Option<&Staff>) -> Result<()> {
    if options.force && staff.is_none() {
        return Err(Error::rule(
            "staff.id",
            "is required with force=true: say whose calendar takes the appointment",
        ));
    }
    Ok(())
}

/// Checks the filled form against the definition that applies to the target; returns the ids of
/// the definition's file items.
async fn check_form(
    conn: &mut Conn,
    company_id: &str,
    target: Target<'_>,
    form: Option<&mut booking_model::Form>,
    previous: Option<&booking_model::Form>,
    matcher: &(dyn PatternMatcher + Sync),
) -> Result<Vec<String>> {
    let Some(answers) = form else {
        return Ok(Vec::new());
    };
    let definition = forms::form_for(&mut *conn, company_id, target.form_object_id()).await?;
    let file_ids = files::file_item_ids(&definition);
    let to_validate = files::keep_unchanged(answers, previous, &file_ids);
    // Answers are checked against the service's form: rules the document cannot state.
    let errors = validate_answers(&definition, &to_validate, matcher);
    if !errors.is_empty() {
        return Err(Error::rules(errors));
    }
    Ok(file_ids)
}

/// Moves the new file answers of `stored` into file storage.
async fn store_files(
    conn: &mut Conn,
    stored: &mut StoredAppointment,
    file_ids: &[String],
    now: DateTime<Utc>,
) -> Result<()> {
    let owner = (
        stored.company_id.clone(),
        stored.appointment.id.clone().unwrap_or_default(),
    );
    match stored.appointment.form.as_mut() {
        Some(form) => files::store(conn, (&owner.0, &owner.1), form, file_ids, now).await,
        None => Ok(()),
    }
}

/// The end of a personal appointment: the one sent (after `start`), else `start + kept`.
fn personal_end(
    sent: Option<&DateTimeZone>,
    start: DateTime<Utc>,
    kept: Option<Duration>,
    catalog: &Catalog,
) -> Result<DateTime<Utc>> {
    let end = match (sent, kept) {
        (Some(end), _) => to_utc("end", end, catalog)?,
        (None, Some(kept)) => start + kept,
        (None, None) => {
            return Err(Error::field(
                "end",
                "is required for a personal appointment",
            ))
        }
    };
    if end <= start {
        return Err(Error::rule(
            "end.dateTime",
            "must be after start (compare them in the same time zone)",
        ));
    }
    Ok(end)
}

/// The end of a booking of `target` from `start`: a personal appointment's own; otherwise the
/// target's length (`end` is only used for personal appointments, so it is ignored), or `kept` when
/// the target has no length of its own.
fn end_of(
    target: Target<'_>,
    (start, sent_end): (DateTime<Utc>, Option<&DateTimeZone>),
    iterations: Option<u32>,
    kept: Option<Duration>,
    catalog: &Catalog,
) -> Result<DateTime<Utc>> {
    if let Target::Personal = target {
        return personal_end(sent_end, start, kept, catalog);
    }
    match (target.minutes(iterations), kept) {
        (Some(minutes), _) if minutes > 0 => Ok(start + Duration::minutes(i64::from(minutes))),
        (_, Some(kept)) => Ok(start + kept),
        _ => Err(Error::Internal(anyhow::anyhow!(
            "what this appointment books has no duration"
        ))),
    }
}

/// Inserts an appointment (`POST appointments`).
pub async fn insert(
    conn: &mut Conn,
    company_id: &str,
    input: Appointment,
    options: &WriteOptions,
    matcher: &(dyn PatternMatcher + Sync),
    now: DateTime<Utc>,
) -> Result<StoredAppointment> {
    invalid_if_any(validate_appointment(&input, Mode::Insert))?;
    let catalog = catalog::load(conn, company_id).await?;
    clients::check_sms_number(&catalog.company, input.client.as_ref())?;
    let staff = resolve_staff(&catalog, input.staff.as_ref())?;
    let wanted = match input.is_personal() {
        true => BookingTarget::Personal,
        false => named_target(&input, input.resource_count).ok_or_else(|| {
            Error::field("service", "is required: send service.id or resource.id")
        })?,
    };
    let target = Target::resolve(&catalog, &wanted, FIELDS)?;
    require_staff_for_force(options, staff)?;
    let start = match &input.start {
        Some(start) => to_utc("start", start, &catalog)?,
        None => return Err(Error::field("start", "is required")),
    };
    let end = end_of(
        target,
        (start, input.end.as_ref()),
        input.iteration_count,
        None,
        &catalog,
    )?;
    let status = input.status.unwrap_or(target.initial_status());
    let wants_waiting_list = input.add_to_waiting_list == Some(true);
    let (staff, waiting) = if options.force || !status.blocks_slot() {
        (staff, false)
    } else {
        let ask = Ask {
            target,
            staff_id: staff.and_then(|s| s.id.as_deref()),
            iterations: input.iteration_count,
            widget_only: false,
            ignore_id: None,
        };
        match availability::check(conn, &catalog, &ask, (start, end), now).await? {
            Ok(chosen) => (
                chosen
                    .and_then(|id| catalog.staff_member(&id).ok())
                    .or(staff),
                false,
            ),
            Err(Unavailable::Full) if wants_waiting_list && target.has_waiting_list() => {
                (staff, true)
            }
            Err(reason) => return Err(not_free(target, staff, &reason)),
        }
    };
    let mut input = input;
    no_calendar_copy(&mut input);
    let file_ids = check_form(conn, company_id, target, input.form.as_mut(), None, matcher).await?;
    let client = match (target, &input.client) {
        (_, Some(wanted)) => Some(clients::resolve(conn, company_id, wanted, None).await?),
        (Target::Personal, None) => None,
        (_, None) => return Err(Error::field("client", "is required")),
    };
    let base = Appointment {
        client,
        status: input.custom_status.is_none().then_some(status),
        custom_status: input
            .custom_status
            .clone()
            .map(|c| booking_model::CustomStatus { name: None, ..c }),
        add_to_waiting_list: waiting.then_some(true),
        location_custom: None,
        ..input
    };
    let placement = Placement {
        target,
        staff,
        start,
        end,
    };
    let author = options.author(now, &catalog);
    let mut stored = assemble::new_appointment(&catalog, base, &placement, &author);
    store_files(conn, &mut stored, &file_ids, now).await?;
    assemble::insert(conn, &mut stored, &author).await?;
    Ok(stored)
}

/// The live (not deleted) appointment with this id or reference.
pub async fn find(conn: &mut Conn, company_id: &str, key: &str) -> Result<StoredAppointment> {
    match appointments::find_by_id_or_reference(conn, company_id, key).await? {
        Some(found) if !found.deleted => Ok(found),
        _ => Err(Error::NotFound(format!("appointment `{key}` not found"))),
    }
}

/// What an updated appointment books: personal time; else the service or resource sent (units from
/// `resourceCount` or kept); else what it booked, with the units sent. Also whether that changed.
fn updated_target<'c>(
    catalog: &'c Catalog,
    input: &Appointment,
    before: &Appointment,
    personal: bool,
) -> Result<(Target<'c>, bool)> {
    let units = input.resource_count.or(before.resource_count);
    let (wanted, sent) = match (personal, named_target(input, units)) {
        (true, _) => (BookingTarget::Personal, false),
        (false, Some(sent)) => (sent, true),
        (false, None) => {
            let kept = match assemble::target_of(before) {
                Some(BookingTarget::Resource { id, .. }) => BookingTarget::Resource {
                    id,
                    units: units.unwrap_or(1),
                },
                Some(BookingTarget::Service { id }) => BookingTarget::Service { id },
                _ => {
                    return Err(Error::field(
                        "service",
                        "is required: send service.id or resource.id",
                    ))
                }
            };
            (kept, input.resource_count.is_some())
        }
    };
    let target = Target::resolve(catalog, &wanted, FIELDS).map_err(|e| match (&wanted, sent) {
        (BookingTarget::Service { id }, false) => Error::rule(
            "service.id",
            format!("the appointment's service `{id}` no longer exists: send another service"),
        ),
        _ => e,
    })?;
    let changed = sent || personal != before.is_personal();
    Ok((target, changed))
}

/// Updates an appointment (`PUT appointments/{id}`): fields sent replace the stored ones, the rest is
/// kept. Moving it (time, staff, service, resource, iterations) or making it block its slot again
/// re-checks availability without counting itself; a seat it gives up goes to the waiting list.
/// Each kind of change adds a history entry.
pub async fn update(
    conn: &mut Conn,
    company_id: &str,
    key: &str,
    input: Appointment,
    options: &WriteOptions,
    matcher: &(dyn PatternMatcher + Sync),
    now: DateTime<Utc>,
) -> Result<StoredAppointment> {
    invalid_if_any(validate_appointment(&input, Mode::Update))?;
    let mut stored = find(conn, company_id, key).await?;
    let catalog = catalog::load(conn, company_id).await?;
    clients::check_sms_number(&catalog.company, input.client.as_ref())?;
    let before = stored.appointment.clone();
    let (old_start, old_end) = (stored.start, stored.end);

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
    let (target, target_changed) = updated_target(&catalog, &input, &before, personal)?;
    require_staff_for_force(options, staff)?;

    let mut a = before.clone();
    merge_fields(&mut a, &input);
    // A new target or iteration count brings its own length and price; otherwise the appointment
    // keeps the length it was booked with.
    let length_changed = target_changed || a.iteration_count != before.iteration_count;
    let start = match &input.start {
        Some(start) => to_utc("start", start, &catalog)?,
        None => old_start,
    };
    let kept = Some(old_end - old_start);
    let end = match (target, length_changed) {
        (Target::Personal, _) | (_, true) => end_of(
            target,
            (start, input.end.as_ref()),
            a.iteration_count,
            kept,
            &catalog,
        )?,
        (_, false) => start + (old_end - old_start),
    };

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
        a.status = input.status.or(before.status);
    }
    if let Some(wanted) = &input.client {
        a.client = Some(clients::resolve(conn, company_id, wanted, before.client.as_ref()).await?);
    }
    let was_blocking = stored.blocks();
    let moved = start != old_start
        || end != old_end
        || staff.and_then(|s| s.id.as_deref())
            != before.staff.as_ref().and_then(|s| s.id.as_deref())
        || length_changed;
    let now_blocking = a.effective_status().blocks_slot() && a.add_to_waiting_list != Some(true);
    let mut chosen_staff = staff;
    if !options.force && now_blocking && (moved || !was_blocking) {
        let ask = Ask {
            target,
            staff_id: staff.and_then(|s| s.id.as_deref()),
            iterations: a.iteration_count,
            widget_only: false,
            ignore_id: before.id.as_deref(),
        };
        match availability::check(conn, &catalog, &ask, (start, end), now).await? {
            Ok(chosen) => {
                chosen_staff = chosen
                    .and_then(|id| catalog.staff_member(&id).ok())
                    .or(staff);
            }
            Err(reason) => return Err(not_free(target, staff, &reason)),
        }
    }
    let mut sent_form = input.form.clone();
    let file_ids = check_form(
        conn,
        company_id,
        target,
        sent_form.as_mut(),
        before.form.as_ref(),
        matcher,
    )
    .await?;
    if sent_form.is_some() {
        a.form = sent_form;
    }
    if length_changed || matches!(target, Target::Personal) {
        assemble::set_target(&mut a, &catalog, target, &options.lang);
    }
    a.appointment_type = Some(target.appointment_type());
    stored.appointment = a;
    assemble::place(
        &mut stored,
        &catalog,
        &Placement {
            target,
            staff: chosen_staff,
            start,
            end,
        },
    );
    let author = options.author(now, &catalog);
    for kind in history_kinds(&before, &stored.appointment) {
        assemble::record(&mut stored.appointment, kind, &author, catalog.zone);
    }
    store_files(conn, &mut stored, &file_ids, now).await?;
    appointments::update(conn, &stored, author.change()).await?;
    if was_blocking && (moved || !stored.blocks()) {
        waiting_list::promote(conn, &catalog, (old_start, old_end), &author).await?;
    }
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
    no_calendar_copy(a);
}

/// Drops a client's `synchronization.caldavCalendar` and `personalAppointmentSync`: the server
/// reports them (from `calendar_events`, and the write parameter as stored), never from the document.
fn no_calendar_copy(a: &mut Appointment) {
    if let Some(sync) = a.synchronization.as_mut() {
        sync.caldav_calendar = None;
        sync.personal_appointment_sync = None;
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

/// Soft-deletes an appointment (`DELETE appointments/{id}`): it frees its slot (to the waiting list)
/// and stays stored, marked deleted, so lists with `showDeleted` and incremental sync report it.
pub async fn delete(
    conn: &mut Conn,
    company_id: &str,
    key: &str,
    (lang, silent): (&str, bool),
    now: DateTime<Utc>,
) -> Result<StoredAppointment> {
    let mut stored = find(conn, company_id, key).await?;
    let catalog = catalog::load(conn, company_id).await?;
    let was_blocking = stored.blocks();
    let author = Author {
        lang,
        source: SOURCE,
        now,
        silent,
        // A deleted appointment leaves every calendar, whatever the flag.
        personal_calendar_sync: None,
        catalog: &catalog,
    };
    assemble::record(
        &mut stored.appointment,
        HistoryType::Deleted,
        &author,
        catalog.zone,
    );
    stored.deleted = true;
    appointments::update(conn, &stored, author.change()).await?;
    if was_blocking {
        waiting_list::promote(conn, &catalog, (stored.start, stored.end), &author).await?;
    }
    Ok(stored)
}
