//! Why [`crate::check_slot`] refused a start.

use std::fmt;

/// Why a start cannot be booked. [`fmt::Display`] gives a sentence for people,
/// [`Unavailable::code`] a stable token for APIs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Unavailable {
    /// The service's rules make it unbookable (duration 0).
    InvalidRules,
    /// Nobody in the query offers the service.
    NoStaff,
    /// The requested staff member is not among the query's staff, or does not offer the service.
    UnknownStaff,
    /// Earlier than `now + min_notice`.
    TooSoon,
    /// Later than `now + horizon`.
    TooFar,
    /// The company is closed that day (vacation, or no opening hours on that weekday).
    Closed,
    /// The staff member is on vacation that day.
    StaffUnavailable,
    /// Not a slot start: outside working hours, running past their end, or off the step grid.
    OutsideHours,
    /// Overlaps another appointment or blocked time (preparation and buffer included).
    Conflict,
    /// The group session is full.
    Full,
    /// The staff member already has the maximum number of sessions of this service that day.
    DailyLimit,
    /// Not enough units of the required resource are free.
    ResourceUnavailable,
}

impl Unavailable {
    /// A stable snake_case token, e.g. `"too_soon"`.
    pub fn code(&self) -> &'static str {
        match self {
            Self::InvalidRules => "invalid_rules",
            Self::NoStaff => "no_staff",
            Self::UnknownStaff => "unknown_staff",
            Self::TooSoon => "too_soon",
            Self::TooFar => "too_far",
            Self::Closed => "closed",
            Self::StaffUnavailable => "staff_unavailable",
            Self::OutsideHours => "outside_hours",
            Self::Conflict => "conflict",
            Self::Full => "full",
            Self::DailyLimit => "daily_limit",
            Self::ResourceUnavailable => "resource_unavailable",
        }
    }

    /// How far a per-staff check got before failing; with "any staff", the reason of the staff
    /// member who came closest is reported, since it is the most informative one.
    pub(crate) fn stage(&self) -> u8 {
        match self {
            Self::InvalidRules | Self::NoStaff | Self::UnknownStaff => 0,
            Self::TooSoon | Self::TooFar | Self::Closed => 0,
            Self::StaffUnavailable => 1,
            Self::OutsideHours => 2,
            Self::Conflict => 3,
            Self::Full => 4,
            Self::DailyLimit => 5,
            Self::ResourceUnavailable => 6,
        }
    }
}

impl fmt::Display for Unavailable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::InvalidRules => "this service cannot be booked (its duration is zero)",
            Self::NoStaff => "nobody offers this service",
            Self::UnknownStaff => "this staff member does not offer this service",
            Self::TooSoon => "this time is too soon to book",
            Self::TooFar => "this time is too far in the future to book",
            Self::Closed => "we are closed on that day",
            Self::StaffUnavailable => "this staff member is away on that day",
            Self::OutsideHours => "this time is not one of the offered slots",
            Self::Conflict => "this time is already taken",
            Self::Full => "this session is full",
            Self::DailyLimit => "no more bookings of this service are possible on that day",
            Self::ResourceUnavailable => "the required room or equipment is not free at this time",
        })
    }
}

impl std::error::Error for Unavailable {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_messages() {
        assert_eq!(Unavailable::TooSoon.code(), "too_soon");
        assert_eq!(Unavailable::Full.to_string(), "this session is full");
        assert!(Unavailable::ResourceUnavailable.stage() > Unavailable::OutsideHours.stage());
    }
}
