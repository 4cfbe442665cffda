//! Bookings written out to the staff member's CalDAV calendars (issue #17), as an outbox channel
//! ([`CHANNEL`]) beside email and SMS: every appointment write plans, in its own transaction
//! ([`enqueue`]), one row per CalDAV connection of the staff member concerned — `put` while the
//! appointment occupies its slot, `delete` once it no longer does (cancelled, declined, deleted,
//! waiting-listed, moved to another staff member) — and the channel's worker ([`worker`]) sends
//! them with preconditions ([`dav`]): `If-None-Match: *` for a new event, `If-Match` with the
//! stored ETag afterwards. Nothing of this runs in a visitor's request: a failing calendar server
//! retries from the outbox with backoff and shows in the connection's status
//! (`lastWriteAt`, `lastWriteError`). ICS connections are read-only: nothing is written to them.
//!
//! The events carry our `UID` (`{company}-{id}@{uid_host}`, as invitations and the staff feed),
//! which the read side skips ([`super::BusyQuery::own_uid_host`]): the appointment already
//! blocks its slot, so its copy in the calendar must not count as busy time a second time.

/// The CalDAV requests of a write: PUT and DELETE with preconditions, GET for a fresh ETag.
pub mod dav;
/// The channel's worker: the event's bytes, the request, the stored href and ETag.
pub mod worker;

use booking_model::{Appointment, ExternalEventRef, Synchronization};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::db::appointments::{Change, StoredAppointment};
use crate::db::calendar_events;
use crate::db::outbox::{self, NewMessage};
use crate::db::Conn;
use crate::error::Result;

/// The outbox channel of calendar writes.
pub const CHANNEL: &str = "caldav";
/// The row kind that writes (creates or replaces) the event.
pub const PUT: &str = "put";
/// The row kind that removes it.
pub const DELETE: &str = "delete";

/// How calendar writes are timed by default: the notification channels' timing, with a week to
/// get through (a calendar down for a day still receives the bookings made meanwhile).
pub fn default_timing() -> crate::notify::delivery::Timing {
    crate::notify::delivery::Timing {
        retry_window: std::time::Duration::from_secs(7 * 24 * 3600),
        ..crate::notify::delivery::Timing::default()
    }
}

/// What a row carries: the appointment as written, to render the event at the first attempt, and
/// the version it is (its `change_seq`, assigned under the write lock, so in commit order).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Payload {
    pub appointment: Appointment,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    /// Rows planned before versions were kept have none (0): older than any since.
    #[serde(default)]
    pub seq: i64,
}

impl Payload {
    /// The appointment as `booking::ics` takes it.
    pub fn stored(&self, company_id: &str) -> StoredAppointment {
        StoredAppointment {
            company_id: company_id.to_owned(),
            appointment: self.appointment.clone(),
            start: self.start,
            end: self.end,
            resource_units: 0,
            deleted: false,
        }
    }
}

/// Shows in each appointment's `synchronization.caldavCalendar.id` the href of its copy in the
/// staff member's CalDAV calendar, once written, and a personal one's `personalAppointmentSync`
/// as last given (default `true`). Kept beside the appointment, not in its document:
/// the copy is written after the appointment, and recording it must not count as a change.
pub async fn show_copies<'a>(
    conn: &mut Conn,
    company_id: &str,
    appointments: impl IntoIterator<Item = &'a mut StoredAppointment>,
) -> Result<()> {
    let mut appointments: Vec<_> = appointments.into_iter().collect();
    let ids: Vec<&str> = appointments
        .iter()
        .filter_map(|s| s.appointment.id.as_deref())
        .collect();
    if ids.is_empty() {
        return Ok(());
    }
    let hrefs = calendar_events::hrefs(conn, company_id, &ids).await?;
    let personal: Vec<&str> = appointments
        .iter()
        .filter(|s| s.appointment.is_personal())
        .filter_map(|s| s.appointment.id.as_deref())
        .collect();
    let flags = calendar_events::personal_sync(conn, company_id, &personal).await?;
    for stored in &mut appointments {
        let a = &mut stored.appointment;
        let copy = a.id.as_ref().and_then(|id| hrefs.get(id));
        let shown_flag = a.is_personal().then(|| {
            a.id.as_ref()
                .and_then(|id| flags.get(id).copied())
                .unwrap_or(true)
        });
        let sync = a.synchronization.get_or_insert_with(Default::default);
        // Only the server says where its copy is: a value sent by a writer is not shown.
        sync.caldav_calendar = copy.map(|href| ExternalEventRef {
            id: Some(href.clone()),
        });
        sync.personal_appointment_sync = shown_flag;
        if *sync == Synchronization::default() {
            a.synchronization = None;
        }
    }
    Ok(())
}

/// The staff member whose calendar should show `stored`, if any: it occupies its slot, and a
/// personal appointment only when the write asked for it (`personalAppointmentSync`).
fn shown_with(stored: &StoredAppointment, personal_sync: bool) -> Option<&str> {
    let shown = stored.blocks() && (personal_sync || !stored.appointment.is_personal());
    let staff = stored.appointment.staff.as_ref()?.id.as_deref()?;
    shown.then_some(staff)
}

/// Plans the calendar writes of an appointment write (inside its transaction, `seq` its
/// `change_seq`): `delete` to the CalDAV connections of the staff member who showed it before when
/// they no longer should, `put` to those of the one who shows it now. `before` is `None` for an
/// insert. Without `synced` (the company has no CalDAV connection) only a personal appointment's
/// `personalAppointmentSync` is kept, for a connection made later.
pub async fn enqueue(
    conn: &mut Conn,
    (before, after): (Option<&StoredAppointment>, &StoredAppointment),
    (seq, synced): (i64, bool),
    change: &Change<'_>,
) -> Result<()> {
    let personal =
        after.appointment.is_personal() || before.is_some_and(|b| b.appointment.is_personal());
    let id = after.appointment.id.as_deref().unwrap_or_default();
    // The flag as last given (read before this write stores its own): it decided what was shown.
    let kept = match personal || change.personal_calendar_sync.is_some() {
        true => calendar_events::personal_sync(conn, &after.company_id, &[id])
            .await?
            .remove(id),
        false => None,
    };
    if let Some(given) = change.personal_calendar_sync.filter(|g| Some(*g) != kept) {
        calendar_events::keep_personal_sync(conn, &after.company_id, id, given).await?;
    }
    let was_sync = kept.unwrap_or(true);
    let now_shown = shown_with(after, change.personal_calendar_sync.unwrap_or(was_sync));
    let was_shown = before.and_then(|b| shown_with(b, was_sync));
    let mut planned: Vec<(&str, &str)> = Vec::new();
    if let Some(old) = was_shown.filter(|old| Some(*old) != now_shown) {
        planned.push((old, DELETE));
    }
    if let Some(staff) = now_shown {
        planned.push((staff, PUT));
    }
    if planned.is_empty() || !synced {
        return Ok(());
    }
    let time_zone = change.setup.company.time_zone.as_deref().unwrap_or("UTC");
    for (staff, kind) in planned {
        for connection in
            calendar_events::caldav_connections(conn, &after.company_id, staff).await?
        {
            let row = Planned {
                connection: &connection,
                kind,
                time_zone,
                now: change.now,
            };
            plan(conn, (after, seq), &row).await?;
        }
    }
    Ok(())
}

/// One calendar write to plan.
struct Planned<'a> {
    connection: &'a str,
    /// [`PUT`] or [`DELETE`].
    kind: &'a str,
    time_zone: &'a str,
    /// When it is due (the change's instant).
    now: DateTime<Utc>,
}

/// Adds the outbox row writing version `seq` of `stored` to one connection.
async fn plan(
    conn: &mut Conn,
    (stored, seq): (&StoredAppointment, i64),
    row: &Planned<'_>,
) -> Result<()> {
    let payload = serde_json::to_string(&Payload {
        appointment: stored.appointment.clone(),
        start: stored.start,
        end: stored.end,
        seq,
    })
    .map_err(anyhow::Error::from)?;
    let subject_id = stored.appointment.id.clone().unwrap_or_default();
    let message = NewMessage {
        channel: CHANNEL,
        company_id: &stored.company_id,
        recipient: row.connection,
        subject_id: &subject_id,
        kind: row.kind,
        payload: &payload,
        time_zone: row.time_zone,
    };
    outbox::enqueue_at(conn, &message, row.now).await?;
    Ok(())
}

/// Most appointments a newly connected calendar is given at once.
const BACKFILL_LIMIT: i64 = 2_000;

/// Plans a `put` to a newly connected CalDAV calendar (`connection_id`, of `staff_id`) for each of
/// the staff member's appointments still to come (personal ones as their stored
/// `personalAppointmentSync` says), inside the connection's transaction; returns how many.
pub async fn enqueue_existing(
    conn: &mut Conn,
    (company_id, staff_id, connection_id): (&str, &str, &str),
    time_zone: &str,
    now: DateTime<Utc>,
) -> Result<usize> {
    let upcoming =
        crate::db::appointments::staff_upcoming(conn, company_id, staff_id, now, BACKFILL_LIMIT)
            .await?;
    let row = Planned {
        connection: connection_id,
        kind: PUT,
        time_zone,
        now,
    };
    let personal: Vec<&str> = upcoming
        .iter()
        .filter(|(s, _)| s.appointment.is_personal())
        .filter_map(|(s, _)| s.appointment.id.as_deref())
        .collect();
    let flags = calendar_events::personal_sync(conn, company_id, &personal).await?;
    let sync_of = |s: &StoredAppointment| {
        s.appointment
            .id
            .as_ref()
            .and_then(|id| flags.get(id).copied())
            .unwrap_or(true)
    };
    let mut planned = 0;
    for (stored, seq) in upcoming
        .iter()
        .filter(|(s, _)| shown_with(s, sync_of(s)).is_some())
    {
        plan(conn, (stored, *seq), &row).await?;
        planned += 1;
    }
    Ok(planned)
}

#[cfg(test)]
mod tests {
    use booking_model::{AppointmentStatus, AppointmentType, StaffRef};

    use super::*;

    fn stored(kind: AppointmentType, status: AppointmentStatus) -> StoredAppointment {
        let appointment = Appointment {
            id: Some("a 1/é".to_owned()),
            appointment_type: Some(kind),
            status: Some(status),
            staff: Some(StaffRef {
                id: Some("camille".to_owned()),
                ..StaffRef::default()
            }),
            ..Appointment::default()
        };
        StoredAppointment {
            company_id: "demo".to_owned(),
            appointment,
            start: DateTime::default(),
            end: DateTime::default(),
            resource_units: 0,
            deleted: false,
        }
    }

    #[test]
    fn only_appointments_holding_their_slot_are_shown_and_personal_ones_when_asked() {
        use {AppointmentStatus as S, AppointmentType as T};
        assert_eq!(
            shown_with(&stored(T::Normal, S::Accepted), false),
            Some("camille")
        );
        assert_eq!(shown_with(&stored(T::Normal, S::Cancelled), true), None);
        assert_eq!(
            shown_with(&stored(T::Personal, S::Accepted), true),
            Some("camille")
        );
        assert_eq!(shown_with(&stored(T::Personal, S::Accepted), false), None);
        let mut deleted = stored(T::Normal, S::Accepted);
        deleted.deleted = true;
        assert_eq!(shown_with(&deleted, true), None);
    }

    #[test]
    fn the_resource_name_is_the_uid_before_its_at_made_safe_for_a_url() {
        let name = crate::booking::ics::resource_name(&stored(
            AppointmentType::Normal,
            AppointmentStatus::Accepted,
        ));
        assert_eq!(name, "demo-a%201%2F%C3%A9.ics");
    }
}
