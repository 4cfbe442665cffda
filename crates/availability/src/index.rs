//! Busy intervals indexed once per query, so each candidate slot costs a few binary searches
//! instead of a scan of every appointment.
//!
//! All times are Unix seconds. A busy entry occupies its *footprint*: `[start − preparation,
//! end + buffer_after)` for an appointment (it has a `service_id`), `[start, end)` for plain
//! blocked time (see the crate docs for why).

use std::collections::HashMap;

use chrono::{DateTime, Utc};

use crate::query::Query;

/// Same-service appointments of one staff member starting at the same instant: a group session
/// a new client may join.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Group {
    /// Appointment start (not footprint start).
    pub start: i64,
    /// Footprint start.
    fstart: i64,
    /// Latest footprint end among the members.
    fend: i64,
    /// Clients already in it.
    pub count: u32,
    /// Whether it already holds units of the query's resource (a joiner then needs none).
    pub holds_resource: bool,
}

/// One candidate staff member's busy time.
#[derive(Debug, Default)]
pub(crate) struct StaffBusy {
    /// Footprints that can never be joined (other services, blocked time): merged, so they are
    /// disjoint and sorted by start *and* end.
    blocked: Vec<(i64, i64)>,
    /// Appointments of the service being booked, one entry per start, sorted by start.
    groups: Vec<Group>,
    /// `prefix_end[i]` = max footprint end of `groups[..=i]`.
    prefix_end: Vec<i64>,
}

/// Outcome of checking a candidate against one staff member's busy time.
pub(crate) enum Fit<'a> {
    /// Something overlaps the candidate's footprint.
    Conflict,
    /// Free; joins this group when `Some`.
    Free(Option<&'a Group>),
}

impl StaffBusy {
    fn build(mut blocked: Vec<(i64, i64)>, mut members: Vec<Group>) -> Self {
        blocked.sort_unstable();
        let mut merged: Vec<(i64, i64)> = Vec::with_capacity(blocked.len());
        for (start, end) in blocked {
            match merged.last_mut() {
                Some(last) if start <= last.1 => last.1 = last.1.max(end),
                _ => merged.push((start, end)),
            }
        }

        members.sort_unstable_by_key(|g| g.start);
        let mut groups: Vec<Group> = Vec::with_capacity(members.len());
        for member in members {
            match groups.last_mut() {
                Some(last) if last.start == member.start => {
                    last.fend = last.fend.max(member.fend);
                    last.count = last.count.saturating_add(member.count);
                    last.holds_resource |= member.holds_resource;
                }
                _ => groups.push(member),
            }
        }
        let prefix_end = groups
            .iter()
            .scan(i64::MIN, |max, g| {
                *max = (*max).max(g.fend);
                Some(*max)
            })
            .collect();

        Self {
            blocked: merged,
            groups,
            prefix_end,
        }
    }

    /// Checks a candidate starting at `start` whose footprint is `[from, to)`.
    pub(crate) fn fit(&self, start: i64, from: i64, to: i64) -> Fit<'_> {
        // Merged blocks are disjoint, so ends are sorted too: the first one ending after `from`
        // is the only one that can overlap without starting after `to`.
        let i = self.blocked.partition_point(|&(_, end)| end <= from);
        if self.blocked.get(i).is_some_and(|&(begin, _)| begin < to) {
            return Fit::Conflict;
        }

        // Same-service sessions starting earlier overlap iff one of their footprints reaches past
        // `from`; those starting later overlap iff the next one's footprint begins before `to`
        // (footprint starts are ordered like starts, since all share the same preparation).
        let j = self.groups.partition_point(|g| g.start < start);
        if j > 0 && self.prefix_end[j - 1] > from {
            return Fit::Conflict;
        }
        let (joined, next) = match self.groups.get(j) {
            Some(g) if g.start == start => (Some(g), j + 1),
            _ => (None, j),
        };
        if self.groups.get(next).is_some_and(|g| g.fstart < to) {
            return Fit::Conflict;
        }
        Fit::Free(joined)
    }

    /// Sessions of the service (distinct starts) starting in `[from, to)`.
    pub(crate) fn sessions_between(&self, from: i64, to: i64) -> u32 {
        let a = self.groups.partition_point(|g| g.start < from);
        let b = self.groups.partition_point(|g| g.start < to);
        u32::try_from(b.saturating_sub(a)).unwrap_or(u32::MAX)
    }
}

/// One busy entry holding units of the query's resource.
#[derive(Clone, Copy, Debug)]
struct ResourceRow<'a> {
    /// Footprint start.
    start: i64,
    /// Footprint end.
    end: i64,
    units: u32,
    /// `(staff, service)` of an appointment: with `start`, identifies its group session.
    session: Option<(&'a str, &'a str)>,
}

/// Usage of the query's resource over time, as a step function.
#[derive(Debug, Default)]
pub(crate) struct ResourceUsage {
    /// `(t, units)`: from `t` until the next entry, `units` are in use; sorted, distinct `t`.
    levels: Vec<(i64, u64)>,
}

impl ResourceUsage {
    /// Rows of one group session (same staff, service and start) hold the resource once, so
    /// they are collapsed before counting.
    fn build(mut rows: Vec<ResourceRow<'_>>) -> Self {
        rows.sort_unstable_by(|a, b| (a.start, a.session).cmp(&(b.start, b.session)));
        let mut events: Vec<(i64, i64)> = Vec::with_capacity(rows.len() * 2);
        let mut previous: Option<ResourceRow<'_>> = None;
        let mut flush = |row: ResourceRow<'_>| {
            events.push((row.start, i64::from(row.units)));
            events.push((row.end, -i64::from(row.units)));
        };
        for row in rows {
            previous = match previous {
                Some(prev)
                    if prev.session.is_some()
                        && prev.session == row.session
                        && prev.start == row.start =>
                {
                    Some(ResourceRow {
                        end: prev.end.max(row.end),
                        units: prev.units.max(row.units),
                        ..prev
                    })
                }
                Some(prev) => {
                    flush(prev);
                    Some(row)
                }
                None => Some(row),
            };
        }
        if let Some(prev) = previous {
            flush(prev);
        }

        events.sort_unstable();
        let mut levels: Vec<(i64, u64)> = Vec::with_capacity(events.len());
        let mut level: i64 = 0;
        for (t, delta) in events {
            level += delta;
            let units = u64::try_from(level).unwrap_or(0);
            match levels.last_mut() {
                Some(last) if last.0 == t => last.1 = units,
                _ => levels.push((t, units)),
            }
        }
        Self { levels }
    }

    /// Most units in use at any instant of `[from, to)`.
    pub(crate) fn peak(&self, from: i64, to: i64) -> u64 {
        let i = self.levels.partition_point(|&(t, _)| t <= from);
        let at_from = i.checked_sub(1).map_or(0, |k| self.levels[k].1);
        self.levels[i..]
            .iter()
            .take_while(|&&(t, _)| t < to)
            .fold(at_from, |peak, &(_, units)| peak.max(units))
    }
}

/// The busy time relevant to one query.
#[derive(Debug)]
pub(crate) struct BusyIndex {
    /// Parallel to the candidate staff list.
    pub staff: Vec<StaffBusy>,
    /// Present when the service needs units of a resource.
    pub resource: Option<ResourceUsage>,
}

/// Unix seconds rounded down.
pub(crate) fn floor_secs(t: DateTime<Utc>) -> i64 {
    t.timestamp()
}

/// Unix seconds rounded up, so a busy end at 10:00:00.5 still blocks a 10:00:00 start.
pub(crate) fn ceil_secs(t: DateTime<Utc>) -> i64 {
    t.timestamp() + i64::from(t.timestamp_subsec_nanos() > 0)
}

impl BusyIndex {
    /// An index of nothing, for no staff: a placeholder until the window is known.
    pub(crate) fn empty() -> Self {
        Self {
            staff: Vec::new(),
            resource: None,
        }
    }

    /// Indexes `query.busy` for the candidate `staff` ids, with the footprint margins of the
    /// service being booked (`before` = preparation, `after` = buffer, in seconds).
    ///
    /// Only footprints meeting `window` are kept: the caller passes a window containing every
    /// candidate footprint and every day whose sessions are counted, so the rest cannot matter
    /// and need not be sorted (the server may well pass months of bookings).
    pub(crate) fn build(
        query: &Query,
        staff: &[&str],
        before: i64,
        after: i64,
        window: (i64, i64),
    ) -> Self {
        let position: HashMap<&str, usize> =
            staff.iter().enumerate().map(|(i, id)| (*id, i)).collect();
        let pool = query.resource.as_ref().filter(|pool| pool.requested > 0);

        let mut blocked: Vec<Vec<(i64, i64)>> = vec![Vec::new(); staff.len()];
        let mut members: Vec<Vec<Group>> = vec![Vec::new(); staff.len()];
        let mut rows = Vec::new();

        for busy in query.busy.iter().filter(|busy| busy.blocks) {
            let (start, end) = (floor_secs(busy.start), ceil_secs(busy.end));
            if end <= start {
                continue;
            }
            let (fstart, fend) = match busy.service_id {
                Some(_) => (start - before, end + after),
                None => (start, end),
            };
            if fend <= window.0 || fstart >= window.1 {
                continue;
            }
            let holds = pool.is_some_and(|pool| {
                busy.resource_units > 0 && busy.resource_id.as_deref() == Some(pool.id.as_str())
            });
            if holds {
                rows.push(ResourceRow {
                    start: fstart,
                    end: fend,
                    units: busy.resource_units,
                    session: busy.staff_id.as_deref().zip(busy.service_id.as_deref()),
                });
            }

            let Some(&i) = busy.staff_id.as_deref().and_then(|id| position.get(id)) else {
                continue;
            };
            if busy.service_id.as_deref() == Some(query.service_id.as_str()) {
                members[i].push(Group {
                    start,
                    fstart,
                    fend,
                    count: 1,
                    holds_resource: holds,
                });
            } else {
                blocked[i].push((fstart, fend));
            }
        }

        Self {
            staff: blocked
                .into_iter()
                .zip(members)
                .map(|(blocked, members)| StaffBusy::build(blocked, members))
                .collect(),
            resource: pool.map(|_| ResourceUsage::build(rows)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn group(start: i64, end: i64) -> Group {
        Group {
            start,
            fstart: start,
            fend: end,
            count: 1,
            holds_resource: false,
        }
    }

    #[test]
    fn blocked_intervals_merge_and_half_open() {
        let busy = StaffBusy::build(vec![(30, 40), (10, 20), (20, 25)], Vec::new());
        assert_eq!(busy.blocked, vec![(10, 25), (30, 40)]);
        assert!(matches!(busy.fit(0, 0, 10), Fit::Free(None)));
        assert!(matches!(busy.fit(0, 0, 11), Fit::Conflict));
        assert!(matches!(busy.fit(25, 25, 30), Fit::Free(None)));
        assert!(matches!(busy.fit(24, 24, 30), Fit::Conflict));
        assert!(matches!(busy.fit(39, 39, 50), Fit::Conflict));
        assert!(matches!(busy.fit(40, 40, 50), Fit::Free(None)));
    }

    #[test]
    fn groups_join_at_same_start_and_block_elsewhere() {
        let busy = StaffBusy::build(Vec::new(), vec![group(100, 200), group(100, 200)]);
        match busy.fit(100, 100, 200) {
            Fit::Free(Some(g)) => assert_eq!(g.count, 2),
            _ => panic!("should join"),
        }
        assert!(matches!(busy.fit(150, 150, 250), Fit::Conflict));
        assert!(matches!(busy.fit(50, 50, 150), Fit::Conflict));
        assert!(matches!(busy.fit(0, 0, 100), Fit::Free(None)));
        assert!(matches!(busy.fit(200, 200, 300), Fit::Free(None)));
        assert_eq!(busy.sessions_between(0, 101), 1);
        assert_eq!(busy.sessions_between(101, 1000), 0);
    }

    #[test]
    fn members_of_one_session_merge_to_its_longest_footprint() {
        // Two bookings of one group session whose footprints end apart (one with a longer buffer):
        // the session occupies the staff member until the later end.
        let busy = StaffBusy::build(Vec::new(), vec![group(100, 200), group(100, 300)]);
        match busy.fit(100, 100, 300) {
            Fit::Free(Some(g)) => assert_eq!((g.count, g.fend), (2, 300)),
            _ => panic!("should join"),
        }
        assert!(matches!(busy.fit(250, 250, 260), Fit::Conflict));
        assert!(matches!(busy.fit(300, 300, 400), Fit::Free(None)));
    }

    #[test]
    fn sessions_are_counted_from_their_start_half_open() {
        // maxPerDay counts the sessions starting in [day start, next day start).
        let busy = StaffBusy::build(Vec::new(), vec![group(100, 150), group(200, 250)]);
        assert_eq!(busy.sessions_between(100, 200), 1, "starts at `from` count");
        assert_eq!(
            busy.sessions_between(101, 200),
            0,
            "a start at `to` does not"
        );
        assert_eq!(busy.sessions_between(100, 201), 2);
        assert_eq!(busy.sessions_between(0, 100), 0);
    }

    #[test]
    fn long_earlier_group_is_found_through_prefix_max() {
        let busy = StaffBusy::build(Vec::new(), vec![group(0, 1000), group(10, 20)]);
        assert!(matches!(busy.fit(500, 500, 600), Fit::Conflict));
        assert!(matches!(busy.fit(1000, 1000, 1100), Fit::Free(None)));
    }

    #[test]
    fn resource_levels_and_group_collapse() {
        let row = |start, end, session| ResourceRow {
            start,
            end,
            units: 1,
            session,
        };
        let usage = ResourceUsage::build(vec![
            row(0, 100, None),
            row(50, 150, None),
            row(200, 300, Some(("ann", "yoga"))),
            row(200, 300, Some(("ann", "yoga"))),
        ]);
        assert_eq!(usage.peak(0, 50), 1);
        assert_eq!(usage.peak(0, 51), 2);
        assert_eq!(usage.peak(100, 150), 1);
        assert_eq!(usage.peak(150, 200), 0);
        assert_eq!(usage.peak(250, 260), 1);
        assert_eq!(usage.peak(400, 500), 0);
    }

    #[test]
    fn one_session_holds_its_largest_units_until_its_latest_end() {
        let row = |start, end, units, session| ResourceRow {
            start,
            end,
            units,
            session,
        };
        let yoga = Some(("ann", "yoga"));
        let usage = ResourceUsage::build(vec![
            row(200, 300, 1, yoga),
            row(200, 350, 2, yoga),
            // Same staff and service, another start: another session, counted on its own.
            row(320, 400, 1, yoga),
        ]);
        assert_eq!(usage.peak(200, 300), 2, "held once, at the larger units");
        assert_eq!(usage.peak(300, 320), 2, "until the later end");
        assert_eq!(usage.peak(320, 350), 3);
        assert_eq!(usage.peak(350, 400), 1);
    }
}
