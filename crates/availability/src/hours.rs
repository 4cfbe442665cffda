//! Weekly working hours and whole-day date ranges, as an owner configures them:
//! wall-clock times in the company zone, no instants yet (see [`crate::zone`] for that step).

use chrono::{NaiveDate, NaiveTime, Timelike, Weekday};

/// Seconds since local midnight. [`DAY_SECS`] stands for 24:00, the end of the day.
pub(crate) type DaySecs = u32;

/// 24:00 as [`DaySecs`].
pub(crate) const DAY_SECS: DaySecs = 86_400;

/// Half-open wall-clock intervals of one day, sorted, disjoint and non-touching.
pub(crate) type DayIntervals = Vec<(DaySecs, DaySecs)>;

/// Working hours for each weekday: wall-clock intervals in the company zone.
///
/// Each weekday holds a list of half-open intervals `[start, end)`; a lunch break is simply two
/// intervals (`09:00–12:00`, `13:00–17:00`). An `end` of `00:00` means midnight at the *end* of
/// the day (24:00), so `(00:00, 00:00)` is the whole day. Intervals that are empty or inverted
/// (`start >= end`, other than that 24:00 case) are dropped: an interval never crosses midnight,
/// an overnight shift is two intervals on two weekdays.
///
/// [`WeeklyHours::set`] normalises its input (sorted, overlapping or touching intervals merged),
/// so callers may pass database rows in any order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct WeeklyHours {
    /// Indexed by [`Weekday::num_days_from_monday`].
    days: [DayIntervals; 7],
}

impl WeeklyHours {
    /// No working hours on any day.
    pub fn new() -> Self {
        Self::default()
    }

    /// Replaces the intervals of `day` (normalised: sorted, merged, empty ones dropped).
    pub fn set(
        &mut self,
        day: Weekday,
        intervals: impl IntoIterator<Item = (NaiveTime, NaiveTime)>,
    ) -> &mut Self {
        let raw: Vec<(DaySecs, DaySecs)> = intervals
            .into_iter()
            .filter_map(|(start, end)| to_secs(start, end))
            .collect();
        self.days[index(day)] = normalise(raw);
        self
    }

    /// Builder form of [`WeeklyHours::set`].
    pub fn with(
        mut self,
        day: Weekday,
        intervals: impl IntoIterator<Item = (NaiveTime, NaiveTime)>,
    ) -> Self {
        self.set(day, intervals);
        self
    }

    /// The same intervals on each of `days`, e.g. Monday to Friday.
    pub fn uniform(days: &[Weekday], intervals: &[(NaiveTime, NaiveTime)]) -> Self {
        let mut hours = Self::new();
        for &day in days {
            hours.set(day, intervals.iter().copied());
        }
        hours
    }

    /// The normalised intervals of `day`; an end of 24:00 is reported as `00:00`.
    pub fn intervals(&self, day: Weekday) -> impl Iterator<Item = (NaiveTime, NaiveTime)> + '_ {
        self.days[index(day)]
            .iter()
            .map(|&(start, end)| (from_secs(start), from_secs(end % DAY_SECS)))
    }

    /// Whether nobody works on `day`.
    pub fn is_closed(&self, day: Weekday) -> bool {
        self.days[index(day)].is_empty()
    }

    /// The intervals of `day` as seconds since midnight.
    pub(crate) fn secs(&self, day: Weekday) -> &[(DaySecs, DaySecs)] {
        &self.days[index(day)]
    }
}

/// Index of a weekday in [`WeeklyHours::days`].
pub(crate) fn index(day: Weekday) -> usize {
    day.num_days_from_monday() as usize
}

/// `(start, end)` as seconds, with an end of 00:00 read as 24:00; `None` when empty.
fn to_secs(start: NaiveTime, end: NaiveTime) -> Option<(DaySecs, DaySecs)> {
    let start = start.num_seconds_from_midnight();
    let end = match end.num_seconds_from_midnight() {
        0 => DAY_SECS,
        end => end,
    };
    (start < end).then_some((start, end))
}

fn from_secs(secs: DaySecs) -> NaiveTime {
    // `secs < DAY_SECS` always holds here, so the fallback is never taken.
    NaiveTime::from_num_seconds_from_midnight_opt(secs, 0).unwrap_or(NaiveTime::MIN)
}

/// Sorts and merges overlapping or touching intervals: `09–12` + `12–13` is one `09–13` shift.
fn normalise(mut raw: Vec<(DaySecs, DaySecs)>) -> DayIntervals {
    raw.sort_unstable();
    let mut out: DayIntervals = Vec::with_capacity(raw.len());
    for (start, end) in raw {
        match out.last_mut() {
            Some(last) if start <= last.1 => last.1 = last.1.max(end),
            _ => out.push((start, end)),
        }
    }
    out
}

/// Intersection of two normalised interval lists (e.g. staff hours ∩ company hours).
pub(crate) fn intersect(a: &[(DaySecs, DaySecs)], b: &[(DaySecs, DaySecs)]) -> DayIntervals {
    let (mut i, mut j) = (0, 0);
    let mut out = Vec::new();
    while i < a.len() && j < b.len() {
        let start = a[i].0.max(b[j].0);
        let end = a[i].1.min(b[j].1);
        if start < end {
            out.push((start, end));
        }
        // Advance whichever ends first: it cannot meet anything further in the other list.
        if a[i].1 <= b[j].1 {
            i += 1;
        } else {
            j += 1;
        }
    }
    out
}

/// An inclusive range of whole days (a vacation or closure), `first..=last`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct DateRange {
    /// First day off.
    pub first: NaiveDate,
    /// Last day off (inclusive).
    pub last: NaiveDate,
}

impl DateRange {
    /// `first..=last`; an inverted range contains no day.
    pub fn new(first: NaiveDate, last: NaiveDate) -> Self {
        Self { first, last }
    }

    /// A single day.
    pub fn day(day: NaiveDate) -> Self {
        Self::new(day, day)
    }

    /// Whether `day` is inside the range.
    pub fn contains(&self, day: NaiveDate) -> bool {
        self.first <= day && day <= self.last
    }
}

/// Whether any range contains `day`.
pub(crate) fn any_contains(ranges: &[DateRange], day: NaiveDate) -> bool {
    ranges.iter().any(|range| range.contains(day))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(h: u32, m: u32) -> NaiveTime {
        NaiveTime::from_hms_opt(h, m, 0).unwrap()
    }

    #[test]
    fn set_sorts_merges_and_drops_empty() {
        let hours = WeeklyHours::new().with(
            Weekday::Mon,
            [
                (t(13, 0), t(17, 0)),
                (t(9, 0), t(12, 0)),
                (t(11, 0), t(12, 30)),
                (t(10, 0), t(10, 0)),
                (t(18, 0), t(17, 0)),
            ],
        );
        let got: Vec<_> = hours.intervals(Weekday::Mon).collect();
        assert_eq!(got, vec![(t(9, 0), t(12, 30)), (t(13, 0), t(17, 0))]);
        assert!(hours.is_closed(Weekday::Tue));
    }

    #[test]
    fn touching_intervals_merge_and_midnight_end_is_24h() {
        let hours =
            WeeklyHours::new().with(Weekday::Fri, [(t(22, 0), t(0, 0)), (t(20, 0), t(22, 0))]);
        assert_eq!(hours.secs(Weekday::Fri), &[(20 * 3600, DAY_SECS)]);
        assert_eq!(
            hours.intervals(Weekday::Fri).collect::<Vec<_>>(),
            vec![(t(20, 0), t(0, 0))]
        );
        let full = WeeklyHours::new().with(Weekday::Sun, [(t(0, 0), t(0, 0))]);
        assert_eq!(full.secs(Weekday::Sun), &[(0, DAY_SECS)]);
    }

    #[test]
    fn intersection_of_lists() {
        let a = [(9 * 3600, 12 * 3600), (13 * 3600, 18 * 3600)];
        let b = [
            (8 * 3600, 10 * 3600),
            (11 * 3600, 14 * 3600),
            (17 * 3600, DAY_SECS),
        ];
        assert_eq!(
            intersect(&a, &b),
            vec![
                (9 * 3600, 10 * 3600),
                (11 * 3600, 12 * 3600),
                (13 * 3600, 14 * 3600),
                (17 * 3600, 18 * 3600)
            ]
        );
        assert!(intersect(&a, &[]).is_empty());
    }

    #[test]
    fn date_range_is_inclusive() {
        let d = |day| NaiveDate::from_ymd_opt(2026, 12, day).unwrap();
        let range = DateRange::new(d(3), d(5));
        assert!(!range.contains(d(2)));
        assert!(range.contains(d(3)) && range.contains(d(5)));
        assert!(!range.contains(d(6)));
        assert!(DateRange::day(d(7)).contains(d(7)));
        assert!(!DateRange::new(d(5), d(3)).contains(d(4)));
    }
}
