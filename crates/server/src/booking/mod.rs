//! Booking rules shared by the public widget routes and the Appointments API: turning stored records
//! into slot-engine queries, generating identifiers, checking form patterns. No HTTP types here.

/// Inserts, updates and deletes through the authenticated Appointments API.
pub mod appointments;
/// Partial responses: `fields` and `levelDetail`.
pub mod fields;
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
/// Business setup rules and writes (setup API, CLI, demo seeding).
pub mod setup;
/// Sync and page tokens of the appointment list.
pub mod sync;
/// What visitors do through the widget: book, reschedule, cancel.
pub mod visitor;
