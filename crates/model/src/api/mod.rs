//! Shapes exchanged by the server and the widget beyond the Appointment resource itself.

/// The single error body of every 4xx/5xx response.
mod error;
/// List envelopes.
mod list;
/// The visitor-safe views and the public booking request.
mod public;
/// Free slots.
mod slots;

pub use error::{
    field_code, ErrorBody, ErrorDetail, FieldError, REASON_ALREADY_CANCELLED, REASON_OVER,
    REASON_SLOT_TAKEN, REASON_TOO_LATE,
};
pub use list::ListResponse;
pub use public::{
    PublicAppointment, PublicBookingRequest, PublicCompany, PublicRescheduleRequest,
    PublicResource, PublicService, PublicStaff,
};
pub use slots::{format_slot, DaySlots, FreeSlotsResponse};
