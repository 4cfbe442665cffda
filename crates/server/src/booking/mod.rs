//! Booking rules shared by the public widget routes and the Appointments API. No HTTP types here.
//!
//! One pipeline serves both: a request names a [`target::Target`] (service, resource units or
//! personal time), [`availability`] checks it against the stored bookings, [`assemble`] writes the
//! appointment's derived fields, and `db::appointments` stores it with its change counter and
//! outbox rows. [`visitor`] and [`appointments`] are the two policy layers on top (which staff the
//! widget shows, `force`, the waiting list, `source`).

/// An appointment as the Appointments API and webhooks show it (one function for both).
pub mod api_view;
/// Inserts, updates and deletes through the authenticated Appointments API.
pub mod appointments;
/// The one place an appointment's derived fields (references, price, times, history) are written.
pub mod assemble;
/// The one availability check, with its busy window, for listings and writes.
pub mod availability;
/// What a company offers, loaded per request and looked up by id or externalId.
pub mod catalog;
/// Matching, updating or creating the client an appointment is for.
pub mod clients;
/// `customStatus`: checked against the company's appointment statuses, named on the way out.
pub mod custom_status;
/// Partial responses: `fields` and `levelDetail`.
pub mod fields;
/// File answers: stored once, referenced from the appointment, linked on read.
pub mod files;
/// Which booking form applies to a service or resource.
pub mod forms;
/// Localized history entries.
pub mod history;
/// Appointments as iCalendar files.
pub mod ics;
/// Random identifiers: appointment ids, references, encrypted ids.
pub mod ids;
/// `PatternMatcher` on the `regex` crate, for form validation.
pub mod pattern;
/// Company, service, staff and resource records → a slot-engine `Query`.
pub mod schedule;
/// Business setup rules and writes (setup API, CLI, demo seeding).
pub mod setup;
/// Sync and page tokens of the appointment list.
pub mod sync;
/// What a booking occupies, resolved in the catalogue.
pub mod target;
/// What visitors do through the widget: book, reschedule, cancel.
pub mod visitor;
/// Promoting the waiting list into freed seats.
pub mod waiting_list;
