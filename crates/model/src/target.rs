//! What a booking occupies, named the same way by the widget and the server.

use crate::api::PublicBookingRequest;

/// What a booking occupies: a service (performed by staff, maybe holding a resource), units of a
/// resource booked on its own, or a staff member's personal time.
///
/// ```
/// use booking_model::BookingTarget;
///
/// let room = BookingTarget::from_ids(None, Some("room-1"), Some(2)).unwrap();
/// assert_eq!(room.query_param(), Some(("resourceId", "room-1")));
/// assert_eq!(room.units(), 2);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BookingTarget {
    /// A service, by id or externalId.
    Service {
        /// The service's id.
        id: String,
    },
    /// Units of a resource on its own (no staff), by id or externalId.
    Resource {
        /// The resource's id.
        id: String,
        /// Units held (at least 1).
        units: u32,
    },
    /// A staff member's own time (the Appointments API's personal appointments).
    Personal,
}

impl BookingTarget {
    /// From a widget request's `serviceId` / `resourceId` / `resourceCount`: a service when one is
    /// named (empty ids count as absent), else the resource, with 1 unit by default.
    pub fn from_ids(
        service_id: Option<&str>,
        resource_id: Option<&str>,
        units: Option<u32>,
    ) -> Option<Self> {
        let filled = |id: Option<&str>| id.filter(|s| !s.is_empty()).map(str::to_owned);
        match (filled(service_id), filled(resource_id)) {
            (Some(id), _) => Some(BookingTarget::Service { id }),
            (None, Some(id)) => Some(BookingTarget::Resource {
                id,
                units: units.unwrap_or(1),
            }),
            (None, None) => None,
        }
    }

    /// The id of the service or resource (`None` for personal time).
    pub fn id(&self) -> Option<&str> {
        match self {
            BookingTarget::Service { id } | BookingTarget::Resource { id, .. } => Some(id),
            BookingTarget::Personal => None,
        }
    }

    /// The widget routes' query parameter naming it (`serviceId=` / `resourceId=`) and its value.
    pub fn query_param(&self) -> Option<(&'static str, &str)> {
        match self {
            BookingTarget::Service { id } => Some(("serviceId", id)),
            BookingTarget::Resource { id, .. } => Some(("resourceId", id)),
            BookingTarget::Personal => None,
        }
    }

    /// Units of a resource held (1 for anything else).
    pub fn units(&self) -> u32 {
        match self {
            BookingTarget::Resource { units, .. } => *units,
            _ => 1,
        }
    }
}

impl PublicBookingRequest {
    /// What the request books, from `serviceId` / `resourceId` / `resourceCount`.
    pub fn target(&self) -> Option<BookingTarget> {
        BookingTarget::from_ids(
            self.service_id.as_deref(),
            self.resource_id.as_deref(),
            self.resource_count,
        )
    }
}
