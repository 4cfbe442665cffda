//! The per-service booking rules.

use chrono::Duration;

use crate::hours::WeeklyHours;

/// How a service may be booked. Minutes are whole minutes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServiceRules {
    /// Length of the appointment in minutes. `0` makes the service unbookable.
    pub duration: u32,
    /// Minutes blocked *after* each appointment (clean-up; `bufferDuration`).
    pub buffer_after: u32,
    /// Minutes blocked *before* each appointment (preparation).
    pub preparation: u32,
    /// Clients per slot: above 1 this is a group service, and a booking of this service at the
    /// same start with the same staff member joins the group instead of blocking. `0` is read as 1.
    pub capacity: u32,
    /// At most this many sessions of this service per staff member per company-zone day
    /// (a group session counts once, however many clients joined it).
    pub max_per_day: Option<u32>,
    /// Earliest bookable start is `now + min_notice`.
    pub min_notice: Duration,
    /// Latest bookable start is `now + horizon`; `None` = no limit.
    pub horizon: Option<Duration>,
    /// Minutes between consecutive slot starts; `None` (or `Some(0)`) = [`Self::duration`].
    pub step: Option<u32>,
    /// Service-specific opening hours, replacing the company hours when set.
    pub hours: Option<WeeklyHours>,
}

impl ServiceRules {
    /// A one-client service of `duration` minutes with no buffers, notice, horizon or limits.
    pub fn new(duration: u32) -> Self {
        Self {
            duration,
            buffer_after: 0,
            preparation: 0,
            capacity: 1,
            max_per_day: None,
            min_notice: Duration::zero(),
            horizon: None,
            step: None,
            hours: None,
        }
    }

    /// The slot interval actually used, in minutes.
    pub fn effective_step(&self) -> u32 {
        match self.step {
            Some(step) if step > 0 => step,
            _ => self.duration,
        }
    }

    /// The capacity actually used (`0` is read as 1: a zero-seat service is a configuration slip,
    /// not a request to hide the service).
    pub fn effective_capacity(&self) -> u32 {
        self.capacity.max(1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults() {
        let mut rules = ServiceRules::new(45);
        assert_eq!(rules.effective_step(), 45);
        assert_eq!(rules.effective_capacity(), 1);
        rules.step = Some(0);
        rules.capacity = 0;
        assert_eq!(rules.effective_step(), 45);
        assert_eq!(rules.effective_capacity(), 1);
        rules.step = Some(15);
        assert_eq!(rules.effective_step(), 15);
    }
}
