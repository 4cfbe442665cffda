//! The booking flow, one component per step.

/// Step 1: choose a service.
mod service;

pub use service::{ServiceList, ServiceStep};
