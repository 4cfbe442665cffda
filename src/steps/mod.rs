//! The booking flow, one component per step, plus the reschedule / cancel mode.

/// The month grid of the time step.
mod calendar;
/// Step 6: the confirmation, and an appointment's details.
mod confirmation;
/// The inputs of the form step, one per item type.
mod fields;
/// Step 4: the form.
mod form;
/// Reschedule / cancel an existing appointment.
mod manage;
/// Step 1 when the widget books a resource on its own.
mod resource;
/// Step 5: review and book.
mod review;
/// Step 1: choose a service.
mod service;
/// The time step's picker: zone, calendar and slots of a day.
mod slots;
/// Step 2: choose a staff member.
mod staff;
/// Step 3: choose a date and time.
mod time;

pub use calendar::Calendar;
pub use confirmation::{google_calendar_link, AppointmentDetails, ConfirmationStep};
pub use fields::{base64, FormField, FormState};
pub use form::{localize_error, FormPages, FormStep};
pub use manage::ManageAppointment;
pub use resource::ResourceStep;
pub use review::{booking_request, ReviewStep};
pub use service::{ServiceList, ServiceStep};
pub use slots::{slots_by_day, Slot, SlotGroups, TimePicker};
pub use staff::{initials, StaffList, StaffStep};
pub use time::TimeStep;
