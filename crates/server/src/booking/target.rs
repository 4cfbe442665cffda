//! The records a booking occupies, resolved in the company's catalogue: the server side of
//! `booking_model::BookingTarget`.

use booking_model::{
    AppointmentStatus, AppointmentType, BookingTarget, Location, Price, Resource, Service,
};

use super::catalog::Catalog;
use crate::error::{Error, Result};

/// A service, units of a resource on its own, or a staff member's personal time.
#[derive(Debug, Clone, Copy)]
pub enum Target<'c> {
    Service(&'c Service),
    Resource { resource: &'c Resource, units: u32 },
    Personal,
}

/// The request fields a target is named by, for errors (`serviceId` in the widget, `service.id` in
/// the Appointments API).
#[derive(Debug, Clone, Copy)]
pub struct TargetFields {
    pub service: &'static str,
    pub resource: &'static str,
}

impl<'c> Target<'c> {
    /// Looks `wanted` up in the catalogue; a 400 naming the field when it isn't there or when more
    /// units are asked than the resource has.
    pub fn resolve(
        catalog: &'c Catalog,
        wanted: &BookingTarget,
        fields: TargetFields,
    ) -> Result<Self> {
        match wanted {
            BookingTarget::Service { id } => {
                catalog.service(id).map(Target::Service).map_err(|_| {
                    Error::rule(fields.service, format!("no service `{id}` in this company"))
                })
            }
            BookingTarget::Resource { id, units } => {
                let resource = catalog.resource(id).map_err(|_| {
                    Error::rule(
                        fields.resource,
                        format!("no resource `{id}` in this company"),
                    )
                })?;
                let count = resource.count.unwrap_or(1);
                if *units < 1 || *units > count {
                    return Err(Error::rule(
                        "resourceCount",
                        format!("this resource has {count} unit(s) (got {units})"),
                    ));
                }
                Ok(Target::Resource {
                    resource,
                    units: *units,
                })
            }
            BookingTarget::Personal => Ok(Target::Personal),
        }
    }

    /// The service, when it is one (its cancellation and waiting-list rules apply).
    pub fn service(self) -> Option<&'c Service> {
        match self {
            Target::Service(s) => Some(s),
            _ => None,
        }
    }

    /// Whose form the answers are checked against (`""` for personal time: the default form).
    pub fn form_object_id(self) -> &'c str {
        match self {
            Target::Service(s) => s.id.as_deref().unwrap_or_default(),
            Target::Resource { resource, .. } => resource.id.as_deref().unwrap_or_default(),
            Target::Personal => "",
        }
    }

    /// Minutes one booking lasts: the service's duration, or the resource's period times
    /// `iterations` (the reference's `iterationCount`, resources only). `None` for personal time.
    pub fn minutes(self, iterations: Option<u32>) -> Option<u32> {
        match self {
            Target::Service(s) => s.duration,
            Target::Resource { resource, .. } => resource
                .duration
                .map(|d| d.saturating_mul(iterations.unwrap_or(1).max(1))),
            Target::Personal => None,
        }
    }

    /// The price: the service's, or the resource's per unit and period times units and iterations.
    pub fn price(self, catalog: &Catalog, iterations: Option<u32>) -> Option<Price> {
        let amount = match self {
            Target::Service(s) => s.price?,
            Target::Resource { resource, units } => {
                resource.price? * f64::from(units) * f64::from(iterations.unwrap_or(1).max(1))
            }
            Target::Personal => return None,
        };
        catalog
            .company
            .currency
            .map(|currency| Price { amount, currency })
    }

    /// Units of a resource the booking holds while it runs (what availability counts).
    pub fn resource_units(self) -> u32 {
        match self {
            Target::Service(s) => s.resource.first().map_or(0, |r| r.quantity.unwrap_or(1)),
            Target::Resource { units, .. } => units,
            Target::Personal => 0,
        }
    }

    /// The status of a new booking when none is asked for.
    pub fn initial_status(self) -> AppointmentStatus {
        self.service()
            .map_or(AppointmentStatus::Accepted, Service::initial_status)
    }

    /// Where it takes place when nobody said.
    pub fn default_location(self) -> Location {
        self.service()
            .and_then(|s| s.locations.first().copied())
            .unwrap_or_default()
    }

    /// `appointmentType`.
    pub fn appointment_type(self) -> AppointmentType {
        match self {
            Target::Personal => AppointmentType::Personal,
            _ => AppointmentType::Normal,
        }
    }

    /// Whether a full slot may take the booking onto its waiting list.
    pub fn has_waiting_list(self) -> bool {
        self.service().is_some_and(|s| s.waiting_list == Some(true))
    }
}
