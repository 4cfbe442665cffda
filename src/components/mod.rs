//! Reusable pieces shared by the steps.

/// An error message with a retry button, for `<ErrorBoundary>` fallbacks.
mod error_panel;
/// Placeholder blocks shown while data loads.
mod skeleton;

pub use error_panel::ErrorPanel;
pub use skeleton::SkeletonList;
