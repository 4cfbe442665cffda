//! From wall-clock times in a zone to instants (Unix seconds), across DST transitions.
//!
//! The single rule: a wall-clock time `L` on a day maps to **the first instant whose local time
//! is at or after `L`** (`min { u : local(u) >= L }`). That gives:
//! - an ordinary time: its only instant;
//! - a repeated time (fall-back): its *first* occurrence, before the clocks go back;
//! - a skipped time (spring-forward gap): the instant the gap ends, i.e. the transition
//!   (Paris 2026-03-29 02:30 → 03:00 CEST).
//!
//! The mapping is monotone, so a working interval `[a, b)` becomes the instant interval
//! `[map(a), map(b))`, which contains exactly the real time between those walls. Slots are then
//! stepped in real (UTC) time inside it, so a gap yields only real instants and a repeated hour
//! is walked once per real instant: nothing duplicated, nothing missing.

use chrono::{DateTime, MappedLocalTime, NaiveDate, NaiveDateTime, NaiveTime, Offset, TimeZone};
use chrono_tz::Tz;

use crate::hours::{DaySecs, DAY_SECS};

/// Seconds in a 24-hour day.
const DAY: i64 = 86_400;

/// Half-width of the bracket searched for the end of a gap. Every UTC offset ever used lies well
/// within ±26 hours, so `target ∓ SEARCH` read as UTC is surely before/after the wall time.
const SEARCH: i64 = 26 * 3600;

/// The offset (local − UTC, in seconds) in effect at `instant`.
pub(crate) fn offset_at(tz: Tz, instant: i64) -> Option<i64> {
    let utc = DateTime::from_timestamp(instant, 0)?.naive_utc();
    Some(i64::from(
        tz.offset_from_utc_datetime(&utc).fix().local_minus_utc(),
    ))
}

/// `min { u : local(u) >= local }` (see the module docs); `None` only out of chrono's range.
pub(crate) fn first_instant_at_or_after(tz: Tz, local: NaiveDateTime) -> Option<i64> {
    match tz.from_local_datetime(&local) {
        MappedLocalTime::Single(instant) => Some(instant.timestamp()),
        MappedLocalTime::Ambiguous(a, b) => Some(a.timestamp().min(b.timestamp())),
        MappedLocalTime::None => {
            // In a gap: chrono-tz has no transition API, so binary-search the instant at which
            // local time jumps past `local`. Invariant: local(lo) < target <= local(hi).
            let target = local.and_utc().timestamp();
            let (mut lo, mut hi) = (target - SEARCH, target + SEARCH);
            while hi - lo > 1 {
                let mid = lo + (hi - lo) / 2;
                if mid + offset_at(tz, mid)? >= target {
                    hi = mid;
                } else {
                    lo = mid;
                }
            }
            Some(hi)
        }
    }
}

/// The first instant of `date` in `tz` (its midnight, or the end of a gap spanning midnight).
pub(crate) fn day_start(tz: Tz, date: NaiveDate) -> Option<i64> {
    first_instant_at_or_after(tz, date.and_time(NaiveTime::MIN))
}

/// The local date of `instant`, consistent with [`day_start`]: the `d` with
/// `day_start(d) <= instant < day_start(d + 1)`.
pub(crate) fn date_of(tz: Tz, instant: i64) -> Option<NaiveDate> {
    let date = DateTime::from_timestamp(instant, 0)?
        .with_timezone(&tz)
        .date_naive();
    // Only differs from the plain local date when a transition sits at midnight.
    if instant < day_start(tz, date)? {
        return date.pred_opt();
    }
    let next = date.succ_opt()?;
    if instant >= day_start(tz, next)? {
        return Some(next);
    }
    Some(date)
}

/// One local day in a zone: its instant bounds and a fast path for days without a transition.
#[derive(Clone, Copy, Debug)]
pub(crate) struct LocalDay {
    /// The local date.
    pub date: NaiveDate,
    /// First instant of the day.
    pub start: i64,
    /// First instant of the next day.
    pub end: i64,
    /// The day is 24 h long with one offset throughout, so `map(L) = start + L`. (Two transitions
    /// cancelling out within a single day do not occur in the tz database.)
    uniform: bool,
}

impl LocalDay {
    pub(crate) fn new(tz: Tz, date: NaiveDate) -> Option<Self> {
        let start = day_start(tz, date)?;
        let end = day_start(tz, date.succ_opt()?)?;
        let uniform = end - start == DAY && offset_at(tz, start)? == offset_at(tz, end - 1)?;
        Some(Self {
            date,
            start,
            end,
            uniform,
        })
    }

    /// The instant of wall-clock `secs` (24:00 allowed) on this day, by the module's rule.
    pub(crate) fn instant(&self, tz: Tz, secs: DaySecs) -> Option<i64> {
        if self.uniform {
            return Some(self.start + i64::from(secs));
        }
        if secs >= DAY_SECS {
            return Some(self.end);
        }
        let time = NaiveTime::from_num_seconds_from_midnight_opt(secs, 0)?;
        first_instant_at_or_after(tz, self.date.and_time(time))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeZone, Utc};
    use chrono_tz::{America::New_York, Europe::Paris};

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn utc(y: i32, m: u32, d: u32, h: u32, min: u32) -> i64 {
        Utc.with_ymd_and_hms(y, m, d, h, min, 0)
            .unwrap()
            .timestamp()
    }

    #[test]
    fn ordinary_day_is_uniform() {
        let day = LocalDay::new(Paris, date(2026, 12, 1)).unwrap();
        assert!(day.uniform);
        assert_eq!(day.start, utc(2026, 11, 30, 23, 0));
        assert_eq!(day.end - day.start, DAY);
        assert_eq!(day.instant(Paris, 9 * 3600), Some(utc(2026, 12, 1, 8, 0)));
    }

    #[test]
    fn gap_maps_to_its_end() {
        let day = LocalDay::new(Paris, date(2026, 3, 29)).unwrap();
        assert!(!day.uniform);
        assert_eq!(day.end - day.start, 23 * 3600);
        // 02:30 does not exist: it maps to 03:00 CEST = 01:00Z, like 02:00 and 03:00.
        let at = |h: u32, m: u32| day.instant(Paris, h * 3600 + m * 60);
        assert_eq!(at(2, 30), Some(utc(2026, 3, 29, 1, 0)));
        assert_eq!(at(2, 0), Some(utc(2026, 3, 29, 1, 0)));
        assert_eq!(at(3, 0), Some(utc(2026, 3, 29, 1, 0)));
        assert_eq!(at(1, 59), Some(utc(2026, 3, 29, 0, 59)));
        assert_eq!(at(24, 0), Some(day.end));
    }

    #[test]
    fn repeated_hour_maps_to_first_occurrence() {
        let day = LocalDay::new(New_York, date(2026, 11, 1)).unwrap();
        assert_eq!(day.end - day.start, 25 * 3600);
        // 01:30 happens at 05:30Z (EDT) and again at 06:30Z (EST): the first is used.
        assert_eq!(
            day.instant(New_York, 3600 + 1800),
            Some(utc(2026, 11, 1, 5, 30))
        );
        assert_eq!(
            day.instant(New_York, 2 * 3600),
            Some(utc(2026, 11, 1, 7, 0))
        );
    }

    #[test]
    fn date_of_matches_day_bounds() {
        let day = LocalDay::new(Paris, date(2026, 10, 25)).unwrap();
        assert_eq!(date_of(Paris, day.start), Some(date(2026, 10, 25)));
        assert_eq!(date_of(Paris, day.end - 1), Some(date(2026, 10, 25)));
        assert_eq!(date_of(Paris, day.end), Some(date(2026, 10, 26)));
        assert_eq!(date_of(Paris, day.start - 1), Some(date(2026, 10, 24)));
    }

    #[test]
    fn midnight_gap_starts_day_at_gap_end() {
        // America/Havana springs forward at midnight: 2026-03-08 00:00 → 01:00 CDT.
        let tz = chrono_tz::America::Havana;
        let day = LocalDay::new(tz, date(2026, 3, 8)).unwrap();
        assert_eq!(day.end - day.start, 23 * 3600);
        assert_eq!(day.start, utc(2026, 3, 8, 5, 0));
        assert_eq!(date_of(tz, day.start), Some(date(2026, 3, 8)));
    }
}
