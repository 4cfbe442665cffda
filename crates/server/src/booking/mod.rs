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

/// The `service-resource` entries of an appointment for `service`: the resources it holds while it runs
/// (the reference's "appointment for a service-resource"). Their first id is what availability counts.
pub fn service_resource_refs(
    service: &booking_model::Service,
) -> Vec<booking_model::ServiceResourceRef> {
    service
        .resource
        .iter()
        .map(|r| booking_model::ServiceResourceRef {
            id: r.id.clone(),
            name: r.name.clone(),
        })
        .collect()
}
