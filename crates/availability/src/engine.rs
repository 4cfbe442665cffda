//! [`free_slots`] and [`check_slot`]: one [`Plan`] per query, and one per-candidate evaluation
//! shared by both, so a slot that was offered is exactly a slot that passes the re-check.

use std::collections::HashSet;

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc, Weekday};
use chrono_tz::Tz;

use crate::format::format_rfc3339;
use crate::hours::{any_contains, index, intersect, DayIntervals};
use crate::index::{ceil_secs, floor_secs, BusyIndex, Fit};
use crate::query::Query;
use crate::unavailable::Unavailable;
use crate::zone::{date_of, day_start, LocalDay};

/// A bookable start.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Slot {
    /// Start instant.
    pub start: DateTime<Utc>,
    /// `start + duration` (preparation and buffer are not included).
    pub end: DateTime<Utc>,
    /// Staff members who can take it, in the order of [`Query::staff`].
    pub staff_ids: Vec<String>,
    /// Clients that can still book it: capacity minus the clients already in the group, summed
    /// over `staff_ids` (each staff member runs their own session).
    pub remaining: u32,
}

impl Slot {
    /// The start as RFC 3339 in `zone`, see [`format_rfc3339`].
    pub fn start_rfc3339(&self, zone: Tz) -> String {
        format_rfc3339(self.start, zone)
    }
}

/// The slots of one day of the visitor's calendar.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DaySlots {
    /// The day, in [`Query::output_zone`].
    pub day: NaiveDate,
    /// Its slots by increasing start; empty when nothing is bookable (the day is still listed
    /// so a calendar can show it disabled).
    pub slots: Vec<Slot>,
}

const WEEK: [Weekday; 7] = [
    Weekday::Mon,
    Weekday::Tue,
    Weekday::Wed,
    Weekday::Thu,
    Weekday::Fri,
    Weekday::Sat,
    Weekday::Sun,
];

/// A query digested once: candidate staff, their effective hours, the busy index, and the rules
/// in seconds.
struct Plan<'q> {
    query: &'q Query,
    /// Candidate staff as indices into `query.staff`.
    staff: Vec<usize>,
    /// Per candidate and weekday: staff hours ∩ (service or company) hours.
    hours: Vec<[DayIntervals; 7]>,
    /// Whether the company (or service) is open on each weekday.
    open: [bool; 7],
    /// Candidate staff ids, parallel to `staff`.
    ids: Vec<&'q str>,
    /// Empty until [`Plan::index_busy`].
    index: BusyIndex,
    duration: i64,
    step: i64,
    before: i64,
    after: i64,
    capacity: u32,
    /// First bookable start (`now + notice`), Unix seconds.
    earliest: i64,
    /// Last bookable start (`now + horizon`), Unix seconds.
    latest: i64,
}

fn minutes(m: u32) -> i64 {
    i64::from(m) * 60
}

/// `now + delta` in Unix seconds, rounded with `round`; saturates instead of overflowing.
fn offset_now(now: DateTime<Utc>, delta: Duration, round: fn(DateTime<Utc>) -> i64) -> i64 {
    match now.checked_add_signed(delta) {
        Some(t) => round(t),
        None if delta < Duration::zero() => i64::MIN,
        None => i64::MAX,
    }
}

impl<'q> Plan<'q> {
    /// `only` restricts the candidates to one staff id.
    fn new(query: &'q Query, only: Option<&str>) -> Result<Self, Unavailable> {
        let rules = &query.rules;
        if rules.duration == 0 {
            return Err(Unavailable::InvalidRules);
        }
        let base = rules.hours.as_ref().unwrap_or(&query.company_hours);

        let mut seen = HashSet::new();
        let mut staff = Vec::new();
        let mut ids = Vec::new();
        for (i, member) in query.staff.iter().enumerate() {
            let wanted = only.is_none_or(|id| id == member.id);
            // A duplicated id would make the same calendar count twice; the first one wins.
            if wanted && member.offers_service && seen.insert(member.id.as_str()) {
                staff.push(i);
                ids.push(member.id.as_str());
            }
        }
        if staff.is_empty() {
            return Err(match only {
                Some(_) => Unavailable::UnknownStaff,
                None => Unavailable::NoStaff,
            });
        }

        let hours = staff
            .iter()
            .map(|&i| {
                let own = &query.staff[i].hours;
                std::array::from_fn(|d| intersect(own.secs(WEEK[d]), base.secs(WEEK[d])))
            })
            .collect();
        let before = minutes(rules.preparation);
        let after = minutes(rules.buffer_after);

        Ok(Self {
            query,
            hours,
            open: std::array::from_fn(|d| !base.is_closed(WEEK[d])),
            index: BusyIndex::empty(),
            ids,
            staff,
            duration: minutes(rules.duration),
            step: minutes(rules.effective_step()),
            before,
            after,
            capacity: rules.effective_capacity(),
            earliest: offset_now(query.now, rules.min_notice, ceil_secs),
            latest: rules
                .horizon
                .map_or(i64::MAX, |h| offset_now(query.now, h, floor_secs)),
        })
    }

    /// Indexes the busy entries that can meet a candidate starting in `[from_day.start,
    /// to_day.end)` or the sessions of those days.
    fn index_busy(&mut self, from_day: &LocalDay, to_day: &LocalDay) {
        let window = (
            from_day.start - self.before,
            to_day.end + self.duration + self.after,
        );
        self.index = BusyIndex::build(self.query, &self.ids, self.before, self.after, window);
    }

    /// The checks after "is `t` a slot start of this staff member": busy time, group capacity,
    /// daily limit, resource. `sessions` = this staff member's sessions of the service that day.
    /// Returns the clients that can still join.
    fn evaluate(&self, candidate: usize, t: i64, sessions: u32) -> Result<u32, Unavailable> {
        let (from, to) = (t - self.before, t + self.duration + self.after);
        let joined = match self.index.staff[candidate].fit(t, from, to) {
            Fit::Conflict => return Err(Unavailable::Conflict),
            Fit::Free(joined) => joined,
        };
        let taken = joined.map_or(0, |group| group.count);
        if taken >= self.capacity {
            return Err(Unavailable::Full);
        }
        // Joining an existing session does not add a session, so the daily limit cannot refuse it.
        if joined.is_none()
            && self
                .query
                .rules
                .max_per_day
                .is_some_and(|max| sessions >= max)
        {
            return Err(Unavailable::DailyLimit);
        }
        if let (Some(pool), Some(usage)) = (&self.query.resource, &self.index.resource) {
            // A group session already holding the resource shares it with its new client.
            let needs_units = !joined.is_some_and(|group| group.holds_resource);
            if needs_units
                && usage.peak(from, to) + u64::from(pool.requested) > u64::from(pool.count)
            {
                return Err(Unavailable::ResourceUnavailable);
            }
        }
        Ok(self.capacity - taken)
    }

    /// Pushes `(start, candidate, remaining)` for every free slot of one staff member on `day`
    /// with a start in `[lower, upper]`.
    fn day_slots(
        &self,
        candidate: usize,
        day: &LocalDay,
        lower: i64,
        upper: i64,
        out: &mut Vec<(i64, usize, u32)>,
    ) {
        let zone = self.query.zone;
        let member = &self.query.staff[self.staff[candidate]];
        let intervals = &self.hours[candidate][index(day.date.weekday())];
        if intervals.is_empty() || any_contains(&member.vacations, day.date) {
            return;
        }
        let sessions = self.index.staff[candidate].sessions_between(day.start, day.end);
        for &(open, close) in intervals {
            let (Some(a), Some(b)) = (day.instant(zone, open), day.instant(zone, close)) else {
                continue;
            };
            // Keep the grid anchored at the interval start even when notice or the shown range
            // cut into it.
            let mut t = a;
            if t < lower {
                t = a + (lower - a + self.step - 1) / self.step * self.step;
            }
            while t + self.duration <= b && t <= upper {
                if let Ok(remaining) = self.evaluate(candidate, t, sessions) {
                    out.push((t, candidate, remaining));
                }
                t += self.step;
            }
        }
    }

    /// Whether `t` is a slot start of this staff member on `day`, then [`Self::evaluate`].
    fn check_staff(&self, candidate: usize, t: i64, day: &LocalDay) -> Result<u32, Unavailable> {
        let zone = self.query.zone;
        let member = &self.query.staff[self.staff[candidate]];
        if any_contains(&member.vacations, day.date) {
            return Err(Unavailable::StaffUnavailable);
        }
        let on_grid =
            self.hours[candidate][index(day.date.weekday())]
                .iter()
                .any(
                    |&(open, close)| match (day.instant(zone, open), day.instant(zone, close)) {
                        (Some(a), Some(b)) => {
                            a <= t && t + self.duration <= b && (t - a) % self.step == 0
                        }
                        _ => false,
                    },
                );
        if !on_grid {
            return Err(Unavailable::OutsideHours);
        }
        let sessions = self.index.staff[candidate].sessions_between(day.start, day.end);
        self.evaluate(candidate, t, sessions)
    }
}

/// Every bookable slot whose start falls on `first_day..=last_day` in the output zone.
///
/// One [`DaySlots`] per day of the range, in order, including days without slots. An invalid
/// service (duration 0) or no candidate staff gives only empty days. The work is proportional to
/// the days shown (clipped by notice and horizon) times the staff, plus sorting `busy` once.
pub fn free_slots(query: &Query) -> Vec<DaySlots> {
    let mut days: Vec<DaySlots> = query
        .first_day
        .iter_days()
        .take_while(|day| *day <= query.last_day)
        .map(|day| DaySlots {
            day,
            slots: Vec::new(),
        })
        .collect();
    let Ok(mut plan) = Plan::new(query, None) else {
        return days;
    };
    // bounds[i] = first instant of output day i; the extra last entry closes the range.
    let bounds: Option<Vec<i64>> = days
        .iter()
        .map(|d| d.day)
        .chain(query.last_day.succ_opt())
        .map(|day| day_start(query.output_zone, day))
        .collect();
    let Some(bounds) = bounds.filter(|b| b.len() == days.len() + 1) else {
        return days;
    };

    let lower = bounds[0].max(plan.earliest);
    let upper = (bounds[days.len()] - 1).min(plan.latest);
    if lower > upper {
        return days;
    }
    // The company days whose instants meet [lower, upper]: exact, rather than a fixed margin,
    // because zone offsets can differ by up to 26 hours.
    let (Some(first), Some(last)) = (date_of(query.zone, lower), date_of(query.zone, upper)) else {
        return days;
    };
    let (Some(first_day), Some(last_day)) = (
        LocalDay::new(query.zone, first),
        LocalDay::new(query.zone, last),
    ) else {
        return days;
    };
    plan.index_busy(&first_day, &last_day);

    let mut found: Vec<(i64, usize, u32)> = Vec::new();
    let mut current = 0;
    for date in first.iter_days().take_while(|date| *date <= last) {
        if any_contains(&query.company_vacations, date) || !plan.open[index(date.weekday())] {
            continue;
        }
        let Some(day) = LocalDay::new(query.zone, date) else {
            continue;
        };
        found.clear();
        for candidate in 0..plan.staff.len() {
            plan.day_slots(candidate, &day, lower, upper, &mut found);
        }
        // Company days are disjoint and increasing, so sorting each day's slots sorts them all.
        found.sort_unstable();
        for same_start in found.chunk_by(|a, b| a.0 == b.0) {
            let t = same_start[0].0;
            let (Some(start), Some(end)) = (
                DateTime::from_timestamp(t, 0),
                DateTime::from_timestamp(t + plan.duration, 0),
            ) else {
                continue;
            };
            while current + 1 < days.len() && t >= bounds[current + 1] {
                current += 1;
            }
            days[current].slots.push(Slot {
                start,
                end,
                staff_ids: same_start
                    .iter()
                    .map(|&(_, c, _)| query.staff[plan.staff[c]].id.clone())
                    .collect(),
                remaining: same_start
                    .iter()
                    .fold(0u32, |sum, &(_, _, r)| sum.saturating_add(r)),
            });
        }
    }
    days
}

/// Re-checks one start with the same rules as [`free_slots`] (e.g. inside the booking
/// transaction, with fresh `busy` rows), and returns the staff member who takes it: `staff_id`
/// itself, or with `None` the first free one in [`Query::staff`] order.
///
/// `first_day`/`last_day` are ignored: the start decides the day. When nobody can take it, the
/// reason comes from the staff member whose check got furthest (e.g. `Full` rather than
/// `OutsideHours`).
pub fn check_slot(
    query: &Query,
    start: DateTime<Utc>,
    staff_id: Option<&str>,
) -> Result<String, Unavailable> {
    let mut plan = Plan::new(query, staff_id)?;
    if start.timestamp_subsec_nanos() != 0 {
        return Err(Unavailable::OutsideHours);
    }
    let t = start.timestamp();
    if t < plan.earliest {
        return Err(Unavailable::TooSoon);
    }
    if t > plan.latest {
        return Err(Unavailable::TooFar);
    }
    let date = date_of(query.zone, t).ok_or(Unavailable::OutsideHours)?;
    if any_contains(&query.company_vacations, date) || !plan.open[index(date.weekday())] {
        return Err(Unavailable::Closed);
    }
    let day = LocalDay::new(query.zone, date).ok_or(Unavailable::OutsideHours)?;
    plan.index_busy(&day, &day);

    let mut best: Option<Unavailable> = None;
    for candidate in 0..plan.staff.len() {
        match plan.check_staff(candidate, t, &day) {
            Ok(_) => return Ok(query.staff[plan.staff[candidate]].id.clone()),
            Err(reason) => {
                if best.is_none_or(|b| reason.stage() > b.stage()) {
                    best = Some(reason);
                }
            }
        }
    }
    Err(best.unwrap_or(Unavailable::NoStaff))
}

#[cfg(test)]
mod tests;
