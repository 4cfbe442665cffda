//! Reusable pieces shared by the steps.

/// An error message with a retry button, for `<ErrorBoundary>` fallbacks.
mod error_panel;
/// The live region that announces loading, errors and success.
mod live_region;
/// Placeholder blocks shown while data loads.
mod skeleton;
/// Step titles that take focus, and the back button.
mod step_heading;
/// The searchable time zone selector.
mod zone_picker;

pub use error_panel::{describe, ErrorNotice, ErrorPanel};
pub use live_region::{use_announcer, Announcer, LiveRegion};
pub use skeleton::SkeletonList;
pub use step_heading::{BackButton, StepHeading};
pub use zone_picker::ZonePicker;
