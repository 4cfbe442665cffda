//! Free-slot engine: pure functions from working hours, service rules and existing bookings to
//! bookable instants. No I/O, no clock (the caller passes `now`), no HTTP or database types.
//!
//! The server maps its rows into a [`Query`] and calls [`free_slots`] to show a calendar, then
//! [`check_slot`] inside the booking transaction; both share one evaluation, so whatever was
//! offered passes the re-check as long as nothing changed in between.
//!
//! # Semantics
//!
//! **Hours and days.** Working hours are wall-clock intervals in the company zone
//! ([`Query::zone`]). For each company day, a staff member's intervals are their own
//! [`WeeklyHours`] ∩ the service hours ([`ServiceRules::hours`]) or else the company hours.
//! Company vacations and staff vacations remove whole company-zone days.
//!
//! **Wall clock to instants (DST).** A wall time maps to the *first instant whose local time is
//! at or after it*: ordinary times map to their instant; a time repeated by a fall-back maps to
//! its first occurrence; a time skipped by a spring-forward maps to the end of the gap. An
//! interval `[a, b)` thus becomes the real-time interval `[map(a), map(b))`, and slot starts are
//! stepped from `map(a)` in real (UTC) time. On the spring-forward day a 01:00–04:00 window holds
//! only real instants (no 02:30); on the fall-back day a 00:00–04:00 window is five real hours
//! and every slot is distinct, increasing and one step apart.
//!
//! **Slot grid.** Starts are `map(a) + k·step` with `start + duration <= map(b)`; only the
//! appointment itself must fit inside the working interval, its preparation and buffer may fall
//! outside (e.g. tidying up after closing), they only have to be free.
//!
//! **Busy time, preparation and buffer.** Each booking occupies a *footprint*:
//! - the candidate: `[start − preparation, start + duration + buffer_after)`;
//! - an existing appointment (a [`Busy`] with a `service_id`):
//!   `[start − preparation, end + buffer_after)`, with the preparation and buffer *of the service
//!   being booked*, standing in for those of the other service, which the query does not carry;
//! - blocked time that is not an appointment (`service_id: None`): `[start, end)` as given.
//!
//! A candidate is refused when its footprint overlaps (half-open) a blocking footprint of the
//! same staff member. So two appointments of a service end up at least `buffer_after +
//! preparation` apart, and the staff member is never booked during an unavailability, not even
//! to prepare. Entries with `blocks: false` (cancelled, declined, deleted) are ignored; entries
//! without a staff member only count for a resource.
//!
//! **Groups.** Existing appointments of the same service, same staff member and same start form
//! a session; a candidate at that start joins it (no conflict) while `capacity` exceeds the
//! clients in it, and [`Slot::remaining`] is the difference. Anything else overlapping blocks,
//! including the same service at another start.
//!
//! **Resource.** With a [`ResourcePool`], the units in use at every instant of the candidate's
//! footprint (footprints computed as above, across all staff) plus `requested` must not exceed
//! `count`. Rows of one group session hold the resource once, and a client joining a session
//! that already holds it needs no further units.
//!
//! **Daily limit.** `max_per_day` counts sessions of this service (distinct starts, so a group
//! counts once) of that staff member starting within the company-zone day; joining an existing
//! session is always within the limit.
//!
//! **Notice and horizon.** A start is bookable when `now + min_notice <= start <= now + horizon`.
//!
//! **Output days.** [`Query::first_day`]..=[`Query::last_day`] are days in the visitor's zone
//! ([`Query::output_zone`]); each slot is listed under the output-zone date of its start, and
//! every day of the range is listed, even without slots. The company days covering that range
//! are derived exactly from its instants (offsets can differ by more than a day's worth).
//!
//! **Any staff.** With several candidate staff, a [`Slot`] lists everyone who can take that
//! start and `remaining` sums their free places; [`check_slot`] picks the first free staff member
//! in [`Query::staff`] order.

#![warn(missing_docs)]

mod engine;
mod format;
mod hours;
mod index;
mod query;
mod rules;
mod unavailable;
mod zone;

pub use engine::{check_slot, free_slots, DaySlots, Slot};
pub use format::format_rfc3339;
pub use hours::{DateRange, WeeklyHours};
pub use query::{Busy, Query, ResourcePool, StaffCalendar};
pub use rules::ServiceRules;
pub use unavailable::Unavailable;
