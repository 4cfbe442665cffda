//! Shared types of the booking API and their validation, used by the server and the widget.
//!
//! The JSON shapes follow the appointments API reference (`/work/shared/spec`) field for field;
//! where the reference is silent (companies, services, staff, resources, forms, the error body)
//! they follow the wider public API of the same product, and extensions are marked as such.
//!
//! This crate does no I/O and compiles for `wasm32-unknown-unknown`. It holds no regular-expression
//! engine: form patterns are checked through [`PatternMatcher`], which each side implements.
//! The `tz` feature validates time-zone names against chrono-tz (the server); without it only their
//! syntax is checked (the widget, which asks the browser). The `openapi` feature derives JSON
//! Schemas of the wire types (schemars) for the server's OpenAPI document.
//!
//! ```
//! use booking_model::{validate_appointment, Appointment, Mode};
//!
//! let json = r#"{"client":{"email":"ada@example.com"},"service":{"id":"s1"},
//!                "start":{"dateTime":"2026-12-01T09:30:00","timeZone":"Europe/Paris"}}"#;
//! let appointment: Appointment = serde_json::from_str(json).unwrap();
//! assert!(validate_appointment(&appointment, Mode::Insert).is_empty());
//! ```
#![warn(missing_docs)]

/// Shapes of the non-appointment endpoints: lists, errors, free slots, the public widget views.
pub mod api;
/// The Appointment resource and its embedded objects.
pub mod appointment;
/// A company's custom appointment statuses (`customStatus`).
pub mod appointment_status;
/// A staff member's connected calendars (CalDAV, published ICS).
pub mod calendar_connection;
/// Companies and addresses.
pub mod company;
/// `{dateTime, timeZone}` local date-times.
pub mod datetime;
/// The appointment's closed value sets (status, type, location, currency, …).
pub mod enums;
/// Booking forms: definitions and filled answers.
pub mod form;
/// Appointment history entries.
pub mod history;
/// References to other records embedded in an appointment.
pub mod refs;
/// Bookable resources.
pub mod resource;
/// Opening hours, closures and booking delays.
pub mod schedule;
/// JSON Schemas of what serde and validation accept where the Rust type alone does not say it
/// (feature `openapi`).
#[cfg(feature = "openapi")]
pub mod schema;
/// Lenient serde adapters for loosely typed fields (`"true"` vs `true`, `"3"` vs `3`).
pub mod serde_helpers;
/// Services.
pub mod service;
/// Staff members.
pub mod staff;
/// The error type of the string enums' `FromStr`, and the macro that declares them.
pub mod string_enum;
/// What a booking occupies: a service, a resource's units, or personal time.
pub mod target;
/// Validation of appointments, booking requests and form answers.
pub mod validate;
/// Watches (webhooks) and their notifications.
pub mod watch;
/// `httpRequestHeader` of a watch, in its map and list forms.
pub mod watch_headers;

/// The schema generator the `openapi` feature derives with, for building documents from these types.
#[cfg(feature = "openapi")]
pub use schemars;

pub use api::{
    field_code, DaySlots, ErrorBody, ErrorDetail, FieldError, FreeSlotsResponse, ListResponse,
    PublicAppointment, PublicBookingRequest, PublicCompany, PublicRescheduleRequest,
    PublicResource, PublicService, PublicStaff,
};
pub use appointment::{
    Appointment, ExtendedProperties, ExternalEventRef, OnlineMeeting, Price, RescheduleLink,
    Synchronization,
};
pub use appointment_status::AppointmentStatusDefinition;
pub use calendar_connection::{
    validate_calendar_connection, CalendarConnection, CalendarConnectionStatus,
    NewCalendarConnection,
};
pub use company::{lang_from_tag, Address, Company, EmailTemplate, LANGS};
pub use datetime::DateTimeZone;
pub use enums::{
    AppointmentStatus, AppointmentType, Currency, LevelDetail, Location, MeetingProvider, SendTo,
};
pub use form::{
    Form, FormItem, FormItemType, FormObject, FormObjectType, FormValue, ValueFormat, ZonedDateTime,
};
pub use history::{HistoryEntry, HistoryType, HistoryUser};
pub use refs::{
    ClientRef, CompanyRef, CustomStatus, ParentRef, ResourceRef, ServiceRef, ServiceResourceRef,
    StaffRef,
};
pub use resource::Resource;
pub use schedule::{BookingDelay, DayHours, DelayUnit, TimeRange, Vacation, Weekday};
pub use service::{I18nText, Service, ServiceResource, ServiceStaff};
pub use staff::{Staff, StaffService};
pub use string_enum::ParseEnumError;
pub use target::BookingTarget;
pub use validate::{
    validate_answers, validate_appointment, validate_appointment_status, validate_booking_request,
    Mode, PatternMatcher,
};
pub use watch::{
    BasicAuth, GrantType, HeaderForm, HttpHeader, HttpRequestHeaders, OAuth2Auth, Signature, Watch,
    WatchEvent, WatchLevel, WatchMethod, WatchNotification, WatchStatus,
};
