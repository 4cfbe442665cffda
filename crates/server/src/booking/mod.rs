//! Booking rules shared by the public widget routes and the Appointments API: turning stored records
//! into slot-engine queries, generating identifiers, checking form patterns. No HTTP types here.

/// Localized history entries.
pub mod history;
/// Appointments as iCalendar files.
pub mod ics;
/// Random identifiers: appointment ids, references, encrypted ids.
pub mod ids;
/// `PatternMatcher` on the `regex` crate, for form validation.
pub mod pattern;
/// Company, service and staff records → a slot-engine `Query`.
pub mod schedule;
/// What visitors do through the widget: book, reschedule, cancel.
pub mod visitor;
