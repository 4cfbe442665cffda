//! The server's clock. Everything the write path decides by "now" (booking notice, cancellation
//! delay, "appointment over", sync token age, the default list window) reads it here, so tests can
//! set the time instead of depending on today's date.

use std::sync::{Arc, RwLock};

use chrono::{DateTime, Duration, Utc};

/// The system clock, unless a test has set it to a fixed instant. Clones share the setting.
#[derive(Debug, Clone, Default)]
pub struct Clock {
    fixed: Arc<RwLock<Option<DateTime<Utc>>>>,
}

impl Clock {
    /// The system clock.
    pub fn system() -> Self {
        Clock::default()
    }

    /// A clock standing at `at` until it is set or advanced.
    pub fn fixed(at: DateTime<Utc>) -> Self {
        let clock = Clock::default();
        clock.set(at);
        clock
    }

    /// The current instant.
    pub fn now(&self) -> DateTime<Utc> {
        match self.fixed.read() {
            Ok(fixed) => fixed.unwrap_or_else(Utc::now),
            Err(poisoned) => poisoned.into_inner().unwrap_or_else(Utc::now),
        }
    }

    /// Stops the clock at `at`.
    pub fn set(&self, at: DateTime<Utc>) {
        let mut fixed = self.fixed.write().unwrap_or_else(|p| p.into_inner());
        *fixed = Some(at);
    }

    /// Moves a stopped clock on by `by` (a running one is stopped at now + `by`).
    pub fn advance(&self, by: Duration) {
        let next = self.now() + by;
        self.set(next);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_set_clock_stands_still_and_clones_share_it() {
        let at = DateTime::parse_from_rfc3339("2030-03-31T00:30:00Z")
            .expect("instant")
            .with_timezone(&Utc);
        let clock = Clock::fixed(at);
        let shared = clock.clone();
        assert_eq!(shared.now(), at);
        clock.advance(Duration::hours(2));
        assert_eq!(shared.now(), at + Duration::hours(2));
    }
}
