//! Calendar sync (issue #17): busy time read from a staff member's calendar, given as iCalendar
//! text (a CalDAV calendar's events or a published ICS feed) by [`read_busy`], a pure function;
//! [`sync`] fetches connected calendars into the database's busy-time cache, [`credentials`]
//! seals their passwords. Writing bookings out comes later.

mod busy;
/// The server's secret key and the CalDAV passwords sealed with it.
pub mod credentials;
mod document;
mod event;
mod recurrence;
/// Fetching connected calendars into the busy-time cache, in the background and before bookings.
pub mod sync;
mod times;
mod windows_zones;
/// Bookings written out to CalDAV calendars (an outbox channel).
pub mod write;
mod zones;

#[cfg(test)]
mod tests;

use chrono::{DateTime, Utc};
use chrono_tz::Tz;

pub use busy::read_busy;
pub use recurrence::{MAX_IN_WINDOW, MAX_SCANNED, MAX_SCANNED_PER_DOCUMENT};

/// What [`read_busy`] is asked.
#[derive(Debug, Clone, Copy)]
pub struct BusyQuery<'a> {
    /// The company zone: floating times and all-day dates are in it, and `TZID`s nothing
    /// resolves fall back to it.
    pub zone: Tz,
    /// Start of the window (inclusive).
    pub from: DateTime<Utc>,
    /// End of the window (exclusive).
    pub to: DateTime<Utc>,
    /// The host of our own events' UIDs (`booking::ics::uid_host`): events with a UID ending in
    /// `@` + this host are skipped, their time is already busy as appointments.
    pub own_uid_host: &'a str,
}

/// Busy from `start` (inclusive) to `end` (exclusive).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct BusyInterval {
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
}

/// The busy time of one document, and what reading it found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BusyTime {
    /// Intervals overlapping the window, sorted, merged where they overlap or touch; not clipped.
    pub intervals: Vec<BusyInterval>,
    /// VEVENT and VFREEBUSY components read (free, cancelled and our own included).
    pub events: usize,
    /// Of those, our own events (skipped).
    pub own_events: usize,
    /// Components that could not be read, with the reason; the rest of the document still counts.
    pub skipped: Vec<SkippedEvent>,
    /// Recurring events whose expansion stopped at a cap ([`MAX_SCANNED`],
    /// [`MAX_SCANNED_PER_DOCUMENT`], [`MAX_IN_WINDOW`]).
    pub truncated_series: usize,
    /// `TZID`s no zone matched; their times were read in the company zone.
    pub unknown_zones: Vec<String>,
}

/// A component [`read_busy`] skipped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SkippedEvent {
    pub uid: Option<String>,
    /// What failed, naming the property (`DTSTART: "2026-13-01" is not a DATE or DATE-TIME`).
    pub reason: String,
}

/// Why a whole document could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReadError {
    #[error("not an iCalendar document: {0}")]
    NotICalendar(String),
    #[error("the window is empty: from {from} is not before to {to}")]
    EmptyWindow {
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    },
}
