//! The inputs of one availability question, as the server maps them from its database rows.

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;

use crate::hours::{DateRange, WeeklyHours};
use crate::rules::ServiceRules;

/// One staff member who may take the booking.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StaffCalendar {
    /// The staff member's id, echoed in [`crate::Slot::staff_ids`] and returned by
    /// [`crate::check_slot`].
    pub id: String,
    /// Personal working hours (company-zone wall clock), intersected with the company or
    /// service hours.
    pub hours: WeeklyHours,
    /// Whole days off.
    pub vacations: Vec<DateRange>,
    /// Whether this staff member provides the service; `false` excludes them entirely
    /// (their bookings still count against a shared resource).
    pub offers_service: bool,
}

/// A shared resource the service needs (e.g. a room): at most `count` units in use at any
/// instant, across all staff; each booking of this service uses `requested` units.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResourcePool {
    /// Matched against [`Busy::resource_id`].
    pub id: String,
    /// Units available at any instant.
    pub count: u32,
    /// Units one booking of this service needs (`0` = no constraint).
    pub requested: u32,
}

/// Something already in a calendar: an appointment, or blocked time.
///
/// The interval is half-open, `[start, end)`; one ending at 10:00 does not clash with one
/// starting at 10:00 (unless preparation/buffer apply, see [`crate`]). An entry with
/// `end <= start` is ignored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Busy {
    /// The staff member it occupies; `None` = nobody (then it can only hold a resource).
    pub staff_id: Option<String>,
    /// The resource it holds, if any.
    pub resource_id: Option<String>,
    /// Units of that resource it holds.
    pub resource_units: u32,
    /// The service of an appointment; `None` for blocked time that is not an appointment
    /// (an unavailability, an external calendar event): such an entry gets no
    /// preparation/buffer of its own.
    pub service_id: Option<String>,
    /// Start instant.
    pub start: DateTime<Utc>,
    /// End instant (exclusive).
    pub end: DateTime<Utc>,
    /// `false` for cancelled, declined or deleted entries: they are ignored entirely.
    pub blocks: bool,
}

/// Everything [`crate::free_slots`] and [`crate::check_slot`] need; no I/O happens inside.
#[derive(Clone, Debug)]
pub struct Query {
    /// The company zone: working hours, vacations and daily limits are in this zone.
    pub zone: Tz,
    /// The visitor's zone: `first_day`/`last_day` and [`crate::DaySlots::day`] are in this zone.
    pub output_zone: Tz,
    /// First day shown (inclusive, in `output_zone`).
    pub first_day: NaiveDate,
    /// Last day shown (inclusive, in `output_zone`).
    pub last_day: NaiveDate,
    /// The service being booked, matched against [`Busy::service_id`].
    pub service_id: String,
    /// Its rules.
    pub rules: ServiceRules,
    /// Company opening hours (replaced by [`ServiceRules::hours`] when set).
    pub company_hours: WeeklyHours,
    /// Whole days the company is closed.
    pub company_vacations: Vec<DateRange>,
    /// The candidate staff: one member ("this person") or several ("any staff"); the order is
    /// the preference order of [`crate::check_slot`] and of [`crate::Slot::staff_ids`].
    pub staff: Vec<StaffCalendar>,
    /// A shared resource the service needs, if any.
    pub resource: Option<ResourcePool>,
    /// Existing appointments and blocked times. Entries of other staff and outside the
    /// shown days are fine (the server may pass a coarse window); only the ones that can touch
    /// a candidate slot matter.
    pub busy: Vec<Busy>,
    /// The current instant (notice and horizon are relative to it).
    pub now: DateTime<Utc>,
}
