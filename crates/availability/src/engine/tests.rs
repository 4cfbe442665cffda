use super::*;
use crate::{Busy, DateRange, ResourcePool, ServiceRules, StaffCalendar, WeeklyHours};
use chrono::{NaiveTime, TimeZone};
use chrono_tz::America::New_York;
use chrono_tz::Europe::Paris;
use chrono_tz::Pacific::Auckland;

fn t(h: u32, m: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(h, m, 0).unwrap()
}

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

/// A wall time that exists exactly once in `zone`, as an instant.
fn at(zone: Tz, date: NaiveDate, h: u32, m: u32) -> DateTime<Utc> {
    zone.from_local_datetime(&date.and_time(t(h, m)))
        .single()
        .unwrap()
        .with_timezone(&Utc)
}

fn every_day(intervals: &[(NaiveTime, NaiveTime)]) -> WeeklyHours {
    WeeklyHours::uniform(&WEEK, intervals)
}

fn member(id: &str, hours: WeeklyHours) -> StaffCalendar {
    StaffCalendar {
        id: id.to_string(),
        hours,
        vacations: Vec::new(),
        offers_service: true,
    }
}

/// Tuesday 2026-12-01 in Paris, 09:00–17:00 every day, one staff member "ann", 60-minute service.
const DAY: (i32, u32, u32) = (2026, 12, 1);

fn day() -> NaiveDate {
    d(DAY.0, DAY.1, DAY.2)
}

fn query(rules: ServiceRules) -> Query {
    let hours = every_day(&[(t(9, 0), t(17, 0))]);
    Query {
        zone: Paris,
        output_zone: Paris,
        first_day: day(),
        last_day: day(),
        service_id: "svc".into(),
        rules,
        company_hours: hours.clone(),
        company_vacations: Vec::new(),
        staff: vec![member("ann", hours)],
        resource: None,
        busy: Vec::new(),
        now: Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap(),
    }
}

fn appt(staff: &str, service: &str, start: DateTime<Utc>, minutes: i64) -> Busy {
    Busy {
        staff_id: Some(staff.into()),
        resource_id: None,
        resource_units: 0,
        service_id: Some(service.into()),
        start,
        end: start + Duration::minutes(minutes),
        blocks: true,
    }
}

fn with_room(mut busy: Busy, units: u32) -> Busy {
    busy.resource_id = Some("room".into());
    busy.resource_units = units;
    busy
}

/// Paris 2026-12-01 at h:m.
fn paris(h: u32, m: u32) -> DateTime<Utc> {
    at(Paris, day(), h, m)
}

fn all_slots(q: &Query) -> Vec<Slot> {
    free_slots(q).into_iter().flat_map(|d| d.slots).collect()
}

/// Slot starts as "HH:MM" in `zone`.
fn labels_in(q: &Query, zone: Tz) -> Vec<String> {
    all_slots(q)
        .iter()
        .map(|s| s.start.with_timezone(&zone).format("%H:%M").to_string())
        .collect()
}

fn labels(q: &Query) -> Vec<String> {
    labels_in(q, q.zone)
}

fn strs(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

#[test]
fn lunch_break_and_slots_fit_inside_intervals() {
    let mut q = query(ServiceRules::new(60));
    let hours = every_day(&[(t(9, 0), t(12, 30)), (t(13, 30), t(17, 0))]);
    q.company_hours = hours.clone();
    q.staff[0].hours = hours;
    assert_eq!(
        labels(&q),
        strs(&["09:00", "10:00", "11:00", "13:30", "14:30", "15:30"])
    );
    let slots = all_slots(&q);
    assert_eq!(slots[0].end - slots[0].start, Duration::minutes(60));
    assert_eq!(slots[0].remaining, 1);
    assert_eq!(slots[0].staff_ids, strs(&["ann"]));
}

#[test]
fn step_15_with_duration_60() {
    let mut rules = ServiceRules::new(60);
    rules.step = Some(15);
    let mut q = query(rules);
    q.company_hours = every_day(&[(t(9, 0), t(11, 0))]);
    assert_eq!(
        labels(&q),
        strs(&["09:00", "09:15", "09:30", "09:45", "10:00"])
    );
}

#[test]
fn staff_hours_intersect_company_hours() {
    let mut q = query(ServiceRules::new(60));
    q.staff[0].hours = every_day(&[(t(7, 0), t(12, 0)), (t(16, 0), t(20, 0))]);
    assert_eq!(labels(&q), strs(&["09:00", "10:00", "11:00", "16:00"]));
}

#[test]
fn service_hours_replace_company_hours() {
    let mut rules = ServiceRules::new(60);
    rules.hours = Some(every_day(&[(t(14, 0), t(16, 0))]));
    let mut q = query(rules);
    q.staff[0].hours = every_day(&[(t(8, 0), t(20, 0))]);
    assert_eq!(labels(&q), strs(&["14:00", "15:00"]));
}

#[test]
fn interval_ending_at_midnight() {
    let mut q = query(ServiceRules::new(60));
    let hours = every_day(&[(t(22, 0), t(0, 0))]);
    q.company_hours = hours.clone();
    q.staff[0].hours = hours;
    assert_eq!(labels(&q), strs(&["22:00", "23:00"]));
}

#[test]
fn vacations_remove_whole_days_which_stay_listed() {
    let mut q = query(ServiceRules::new(60));
    q.last_day = d(2026, 12, 4);
    q.company_vacations = vec![DateRange::day(d(2026, 12, 2))];
    q.staff[0].vacations = vec![DateRange::new(d(2026, 12, 3), d(2026, 12, 3))];
    let days = free_slots(&q);
    let counts: Vec<(NaiveDate, usize)> = days.iter().map(|d| (d.day, d.slots.len())).collect();
    assert_eq!(
        counts,
        vec![
            (d(2026, 12, 1), 8),
            (d(2026, 12, 2), 0),
            (d(2026, 12, 3), 0),
            (d(2026, 12, 4), 8)
        ]
    );
    let start = at(Paris, d(2026, 12, 2), 9, 0);
    assert_eq!(check_slot(&q, start, None), Err(Unavailable::Closed));
    let start = at(Paris, d(2026, 12, 3), 9, 0);
    assert_eq!(
        check_slot(&q, start, None),
        Err(Unavailable::StaffUnavailable)
    );
}

#[test]
fn closed_weekday_and_empty_range() {
    let mut q = query(ServiceRules::new(60));
    q.company_hours = WeeklyHours::uniform(&[Weekday::Mon], &[(t(9, 0), t(17, 0))]);
    assert!(all_slots(&q).is_empty());
    assert_eq!(check_slot(&q, paris(9, 0), None), Err(Unavailable::Closed));
    q.last_day = d(2026, 11, 30);
    assert!(free_slots(&q).is_empty());
}

#[test]
fn invalid_rules_and_no_staff() {
    let mut q = query(ServiceRules::new(0));
    let days = free_slots(&q);
    assert_eq!(days.len(), 1);
    assert!(days[0].slots.is_empty());
    assert_eq!(
        check_slot(&q, paris(9, 0), None),
        Err(Unavailable::InvalidRules)
    );
    q.rules = ServiceRules::new(60);
    q.staff[0].offers_service = false;
    assert!(all_slots(&q).is_empty());
    assert_eq!(check_slot(&q, paris(9, 0), None), Err(Unavailable::NoStaff));
}

fn spring_query(zone: Tz, date: NaiveDate) -> Query {
    let mut rules = ServiceRules::new(30);
    rules.step = Some(30);
    let mut q = query(rules);
    q.zone = zone;
    q.output_zone = zone;
    q.first_day = date;
    q.last_day = date;
    let hours = every_day(&[(t(1, 0), t(4, 0))]);
    q.company_hours = hours.clone();
    q.staff[0].hours = hours;
    q
}

#[test]
fn spring_forward_gap_has_only_real_instants() {
    for (zone, date) in [(Paris, d(2026, 3, 29)), (New_York, d(2026, 3, 8))] {
        let q = spring_query(zone, date);
        // 02:00–03:00 does not exist: the 01:00–04:00 window is two real hours.
        assert_eq!(
            labels(&q),
            strs(&["01:00", "01:30", "03:00", "03:30"]),
            "{zone}"
        );
        let slots = all_slots(&q);
        for pair in slots.windows(2) {
            assert_eq!(pair[1].start - pair[0].start, Duration::minutes(30));
        }
        // An interval starting inside the gap starts when the gap ends.
        let mut q = q;
        q.company_hours = every_day(&[(t(2, 30), t(4, 0))]);
        assert_eq!(labels(&q), strs(&["03:00", "03:30"]), "{zone}");
    }
}

#[test]
fn fall_back_repeated_hour_is_walked_once_in_real_time() {
    for (zone, date) in [(Paris, d(2026, 10, 25)), (New_York, d(2026, 11, 1))] {
        for step in [60, 30, 45] {
            let mut rules = ServiceRules::new(step);
            rules.step = Some(step);
            let mut q = query(rules);
            q.zone = zone;
            q.output_zone = zone;
            q.first_day = date;
            q.last_day = date;
            let hours = every_day(&[(t(0, 0), t(4, 0))]);
            q.company_hours = hours.clone();
            q.staff[0].hours = hours;

            let slots = all_slots(&q);
            let window_start = at(zone, date, 0, 0);
            let window_end = at(zone, date, 4, 0);
            // Four wall hours, five real hours.
            assert_eq!(window_end - window_start, Duration::hours(5));
            let step = i64::from(step);
            assert_eq!(slots.len() as i64, 5 * 60 / step, "{zone} step {step}");
            assert_eq!(slots[0].start, window_start);
            for pair in slots.windows(2) {
                assert_eq!(pair[1].start - pair[0].start, Duration::minutes(step));
            }
            assert!(slots.last().unwrap().end <= window_end);
            if step == 60 {
                // The repeated hour shows twice with two offsets: same label, distinct instants.
                let stamps: Vec<String> = slots.iter().map(|s| s.start_rfc3339(zone)).collect();
                let expected: &[&str] = if zone == Paris {
                    &[
                        "2026-10-25T00:00:00+02:00",
                        "2026-10-25T01:00:00+02:00",
                        "2026-10-25T02:00:00+02:00",
                        "2026-10-25T02:00:00+01:00",
                        "2026-10-25T03:00:00+01:00",
                    ]
                } else {
                    &[
                        "2026-11-01T00:00:00-04:00",
                        "2026-11-01T01:00:00-04:00",
                        "2026-11-01T01:00:00-05:00",
                        "2026-11-01T02:00:00-05:00",
                        "2026-11-01T03:00:00-05:00",
                    ]
                };
                assert_eq!(stamps, strs(expected));
            }
            // Every offered slot passes the re-check, including the second 02:00.
            for slot in &slots {
                assert_eq!(check_slot(&q, slot.start, None), Ok("ann".into()));
            }
        }
    }
}

#[test]
fn days_are_grouped_in_the_output_zone() {
    let mut q = query(ServiceRules::new(60));
    let hours = every_day(&[(t(9, 0), t(19, 0))]);
    q.company_hours = hours.clone();
    q.staff[0].hours = hours;
    q.output_zone = Auckland;
    q.first_day = d(2026, 12, 1);
    q.last_day = d(2026, 12, 2);
    let days = free_slots(&q);
    assert_eq!(days.len(), 2);
    for day in &days {
        for slot in &day.slots {
            assert_eq!(slot.start.with_timezone(&Auckland).date_naive(), day.day);
        }
    }
    let labels = |day: &DaySlots| -> Vec<String> {
        day.slots
            .iter()
            .map(|s| s.start.with_timezone(&Auckland).format("%H:%M").to_string())
            .collect()
    };
    // Auckland Tue 1: Paris Mon 12:00–18:00 (00:00–06:00) and Paris Tue 09:00–11:00 (21–23).
    let expected = strs(&[
        "00:00", "01:00", "02:00", "03:00", "04:00", "05:00", "06:00", "21:00", "22:00", "23:00",
    ]);
    assert_eq!(labels(&days[0]), expected);
    assert_eq!(labels(&days[1]), expected);
    // Paris Tue 09:00 = Auckland Tue 21:00; Paris Tue 18:00 = Auckland Wed 06:00.
    assert_eq!(days[0].slots[7].start, paris(9, 0));
    assert_eq!(days[1].slots[6].start, paris(18, 0));
    assert_eq!(
        days[0].slots[7].start_rfc3339(Auckland),
        "2026-12-01T21:00:00+13:00"
    );
}

#[test]
fn output_zone_far_west_of_company() {
    // Company in Kiritimati (+14), visitor in Pago Pago (−11): 25 hours apart.
    let mut q = query(ServiceRules::new(60));
    q.zone = chrono_tz::Pacific::Kiritimati;
    q.output_zone = chrono_tz::Pacific::Pago_Pago;
    let hours = every_day(&[(t(0, 0), t(2, 0)), (t(22, 0), t(0, 0))]);
    q.company_hours = hours.clone();
    q.staff[0].hours = hours;
    let slots = all_slots(&q);
    // Pago Pago Dec 1 00:00–24:00 = Kiritimati Dec 2 01:00 – Dec 3 01:00.
    assert_eq!(
        labels_in(&q, q.zone),
        strs(&["01:00", "22:00", "23:00", "00:00"])
    );
    for slot in &slots {
        assert_eq!(slot.start.with_timezone(&q.output_zone).date_naive(), day());
    }
}

#[test]
fn appointments_get_preparation_and_buffer_blocked_time_does_not() {
    let mut rules = ServiceRules::new(60);
    rules.step = Some(15);
    rules.preparation = 15;
    rules.buffer_after = 15;
    let mut q = query(rules);
    q.company_hours = every_day(&[(t(9, 0), t(14, 0))]);

    // An appointment 11:00–12:00 occupies 10:45–12:15; a candidate t occupies t−15 … t+75.
    q.busy = vec![appt("ann", "other", paris(11, 0), 60)];
    assert_eq!(
        labels(&q),
        strs(&["09:00", "09:15", "09:30", "12:30", "12:45", "13:00"])
    );
    assert_eq!(
        check_slot(&q, paris(9, 45), None),
        Err(Unavailable::Conflict)
    );
    assert_eq!(
        check_slot(&q, paris(12, 15), None),
        Err(Unavailable::Conflict)
    );

    // Blocked time (no service) 11:00–12:00 stays 11:00–12:00.
    q.busy[0].service_id = None;
    assert_eq!(
        labels(&q),
        strs(&["09:00", "09:15", "09:30", "09:45", "12:15", "12:30", "12:45", "13:00"])
    );
}

#[test]
fn preparation_and_buffer_may_fall_outside_hours() {
    let mut rules = ServiceRules::new(60);
    rules.preparation = 30;
    rules.buffer_after = 30;
    let mut q = query(rules);
    q.company_hours = every_day(&[(t(9, 0), t(11, 0))]);
    assert_eq!(labels(&q), strs(&["09:00", "10:00"]));
}

#[test]
fn non_blocking_and_other_staff_busy_are_ignored() {
    let mut q = query(ServiceRules::new(60));
    q.company_hours = every_day(&[(t(9, 0), t(12, 0))]);
    let mut cancelled = appt("ann", "svc", paris(9, 0), 60);
    cancelled.blocks = false;
    let mut unassigned = appt("ann", "svc", paris(11, 0), 60);
    unassigned.staff_id = None;
    q.busy = vec![cancelled, appt("bob", "svc", paris(10, 0), 60), unassigned];
    assert_eq!(labels(&q), strs(&["09:00", "10:00", "11:00"]));
    // A cancelled appointment does not join a group either.
    assert!(all_slots(&q).iter().all(|s| s.remaining == 1));
}

#[test]
fn busy_with_subsecond_bounds_blocks_conservatively() {
    let mut q = query(ServiceRules::new(60));
    q.company_hours = every_day(&[(t(9, 0), t(12, 0))]);
    let mut busy = appt("ann", "other", paris(9, 0), 60);
    busy.end += Duration::milliseconds(500);
    q.busy = vec![busy];
    assert_eq!(labels(&q), strs(&["11:00"]));
    assert_eq!(
        check_slot(&q, paris(11, 0) + Duration::milliseconds(1), None),
        Err(Unavailable::OutsideHours)
    );
}

#[test]
fn group_capacity_joins_same_service_same_start() {
    let mut rules = ServiceRules::new(60);
    rules.capacity = 3;
    let mut q = query(rules);
    q.company_hours = every_day(&[(t(9, 0), t(12, 0))]);
    q.busy = vec![
        appt("ann", "svc", paris(10, 0), 60),
        appt("ann", "svc", paris(10, 0), 60),
    ];
    let slots = all_slots(&q);
    let remaining: Vec<(String, u32)> = slots
        .iter()
        .map(|s| {
            (
                s.start.with_timezone(&Paris).format("%H:%M").to_string(),
                s.remaining,
            )
        })
        .collect();
    assert_eq!(
        remaining,
        vec![
            ("09:00".into(), 3),
            ("10:00".into(), 1),
            ("11:00".into(), 3)
        ]
    );
    assert_eq!(check_slot(&q, paris(10, 0), None), Ok("ann".into()));

    // Third client: full.
    q.busy.push(appt("ann", "svc", paris(10, 0), 60));
    assert_eq!(labels(&q), strs(&["09:00", "11:00"]));
    assert_eq!(check_slot(&q, paris(10, 0), None), Err(Unavailable::Full));

    // Same service at another start, or another service at the same start: blocks.
    q.busy = vec![appt("ann", "svc", paris(10, 30), 60)];
    assert_eq!(labels(&q), strs(&["09:00"]));
    q.busy = vec![appt("ann", "other", paris(10, 0), 60)];
    assert_eq!(labels(&q), strs(&["09:00", "11:00"]));
    assert_eq!(
        check_slot(&q, paris(10, 0), None),
        Err(Unavailable::Conflict)
    );
}

#[test]
fn single_capacity_same_start_is_full() {
    let mut q = query(ServiceRules::new(60));
    q.busy = vec![appt("ann", "svc", paris(10, 0), 60)];
    assert_eq!(check_slot(&q, paris(10, 0), None), Err(Unavailable::Full));
    assert_eq!(
        check_slot(&q, paris(10, 0), Some("ann")),
        Err(Unavailable::Full)
    );
}

fn room_query(count: u32, requested: u32) -> Query {
    let mut q = query(ServiceRules::new(60));
    q.company_hours = every_day(&[(t(9, 0), t(12, 0))]);
    let hours = q.company_hours.clone();
    q.staff = vec![member("ann", hours.clone())];
    // Carl does not offer the service, but his bookings use the same room.
    let mut carl = member("carl", hours);
    carl.offers_service = false;
    q.staff.push(carl);
    q.resource = Some(ResourcePool {
        id: "room".into(),
        count,
        requested,
    });
    q
}

#[test]
fn resource_count_two_requested_one() {
    let mut q = room_query(2, 1);
    q.busy = vec![with_room(appt("bob", "x", paris(10, 0), 60), 1)];
    assert_eq!(labels(&q), strs(&["09:00", "10:00", "11:00"]));
    q.busy
        .push(with_room(appt("carl", "x", paris(10, 30), 60), 1));
    // 10:00 would make three units in use from 10:30; 11:00 overlaps only Carl's booking.
    assert_eq!(labels(&q), strs(&["09:00", "11:00"]));
    assert_eq!(
        check_slot(&q, paris(10, 0), None),
        Err(Unavailable::ResourceUnavailable)
    );
    // Cancelled bookings and other rooms hold nothing.
    q.busy[1].blocks = false;
    let mut elsewhere = with_room(appt("dan", "x", paris(10, 0), 60), 1);
    elsewhere.resource_id = Some("hall".into());
    q.busy.push(elsewhere);
    assert_eq!(labels(&q), strs(&["09:00", "10:00", "11:00"]));
}

#[test]
fn resource_count_two_requested_two() {
    let mut q = room_query(2, 2);
    assert_eq!(labels(&q), strs(&["09:00", "10:00", "11:00"]));
    q.busy = vec![with_room(appt("bob", "x", paris(10, 0), 60), 1)];
    assert_eq!(labels(&q), strs(&["09:00", "11:00"]));
    // More than the pool holds: never.
    let q = room_query(1, 2);
    assert!(all_slots(&q).is_empty());
    assert_eq!(
        check_slot(&q, paris(9, 0), None),
        Err(Unavailable::ResourceUnavailable)
    );
}

#[test]
fn resource_uses_footprints() {
    let mut q = room_query(1, 1);
    q.rules.buffer_after = 30;
    q.company_hours = every_day(&[(t(9, 0), t(14, 0))]);
    q.staff[0].hours = q.company_hours.clone();
    // Bob's room booking 09:00–10:00 holds the room until 10:30 (clean-up).
    q.busy = vec![with_room(appt("bob", "x", paris(9, 0), 60), 1)];
    let labels = labels(&q);
    assert!(!labels.contains(&"10:00".to_string()));
    assert!(labels.contains(&"11:00".to_string()));
}

#[test]
fn group_session_holds_its_room_once() {
    let mut q = room_query(1, 1);
    q.rules.capacity = 5;
    q.busy = vec![
        with_room(appt("ann", "svc", paris(10, 0), 60), 1),
        with_room(appt("ann", "svc", paris(10, 0), 60), 1),
    ];
    let slots = all_slots(&q);
    let ten = slots.iter().find(|s| s.start == paris(10, 0)).unwrap();
    assert_eq!(ten.remaining, 3);
    // Another staff member's new session would need the room, which the group holds.
    q.staff.push(member("bob", q.company_hours.clone()));
    assert_eq!(
        check_slot(&q, paris(10, 0), Some("bob")),
        Err(Unavailable::ResourceUnavailable)
    );
    assert_eq!(check_slot(&q, paris(10, 0), None), Ok("ann".into()));
}

#[test]
fn max_per_day_counts_sessions_of_the_service() {
    let mut rules = ServiceRules::new(60);
    rules.max_per_day = Some(2);
    let mut q = query(rules);
    q.last_day = d(2026, 12, 2);
    q.busy = vec![
        appt("ann", "svc", paris(9, 0), 60),
        appt("ann", "other", paris(12, 0), 60),
    ];
    let days = free_slots(&q);
    assert_eq!(days[0].slots.len(), 6);
    q.busy.push(appt("ann", "svc", paris(15, 0), 60));
    let days = free_slots(&q);
    assert!(days[0].slots.is_empty());
    assert_eq!(days[1].slots.len(), 8);
    assert_eq!(
        check_slot(&q, paris(10, 0), None),
        Err(Unavailable::DailyLimit)
    );
    // Joining an existing group session does not add a session.
    q.rules.capacity = 2;
    let days = free_slots(&q);
    let starts: Vec<DateTime<Utc>> = days[0].slots.iter().map(|s| s.start).collect();
    assert_eq!(starts, vec![paris(9, 0), paris(15, 0)]);
}

#[test]
fn min_notice_keeps_the_grid() {
    let mut rules = ServiceRules::new(60);
    rules.min_notice = Duration::hours(2);
    let mut q = query(rules);
    q.now = paris(9, 10);
    assert_eq!(
        labels(&q),
        strs(&["12:00", "13:00", "14:00", "15:00", "16:00"])
    );
    assert_eq!(
        check_slot(&q, paris(11, 0), None),
        Err(Unavailable::TooSoon)
    );
    assert_eq!(check_slot(&q, paris(12, 0), None), Ok("ann".into()));
    // Exactly now + notice is allowed, listed and bookable.
    q.now = paris(10, 0);
    assert_eq!(labels(&q)[0], "12:00");
    assert_eq!(check_slot(&q, paris(12, 0), None), Ok("ann".into()));
}

#[test]
fn with_any_staff_the_refusal_names_the_furthest_reason() {
    // Ann is busy at 10:00 (a conflict); Bob is on vacation (not working at all). "Conflict" says
    // more about the time asked, whichever of them is tried first.
    for order in [["ann", "bob"], ["bob", "ann"]] {
        let mut q = query(ServiceRules::new(60));
        q.staff = order
            .iter()
            .map(|name| {
                let mut m = member(name, q.company_hours.clone());
                if *name == "bob" {
                    m.vacations = vec![DateRange::day(day())];
                }
                m
            })
            .collect();
        q.busy = vec![appt("ann", "other", paris(10, 0), 60)];
        assert_eq!(
            check_slot(&q, paris(10, 0), None),
            Err(Unavailable::Conflict),
            "{order:?}"
        );
    }
}

#[test]
fn horizon_cuts_later_days() {
    let mut rules = ServiceRules::new(60);
    rules.horizon = Some(Duration::days(2));
    let mut q = query(rules);
    q.now = paris(12, 0);
    q.last_day = d(2026, 12, 5);
    let counts: Vec<usize> = free_slots(&q).iter().map(|d| d.slots.len()).collect();
    // Day 1 from 12:00, day 2 full, day 3 up to 12:00 inclusive, then nothing.
    assert_eq!(counts, vec![5, 8, 4, 0, 0]);
    let late = at(Paris, d(2026, 12, 3), 13, 0);
    assert_eq!(check_slot(&q, late, None), Err(Unavailable::TooFar));
    let edge = at(Paris, d(2026, 12, 3), 12, 0);
    assert_eq!(check_slot(&q, edge, None), Ok("ann".into()));
}

#[test]
fn staff_not_offering_the_service_is_excluded() {
    let mut q = query(ServiceRules::new(60));
    let mut bob = member("bob", q.company_hours.clone());
    bob.offers_service = false;
    q.staff.push(bob);
    q.busy = vec![appt("ann", "x", paris(9, 0), 60)];
    let slots = all_slots(&q);
    assert!(slots.iter().all(|s| s.staff_ids == strs(&["ann"])));
    assert!(!slots.iter().any(|s| s.start == paris(9, 0)));
    assert_eq!(
        check_slot(&q, paris(10, 0), Some("bob")),
        Err(Unavailable::UnknownStaff)
    );
    assert_eq!(
        check_slot(&q, paris(10, 0), Some("zed")),
        Err(Unavailable::UnknownStaff)
    );
}

#[test]
fn any_staff_is_the_union() {
    let mut q = query(ServiceRules::new(60));
    q.staff = vec![
        member("ann", every_day(&[(t(9, 0), t(12, 0))])),
        member("bob", every_day(&[(t(11, 0), t(15, 0))])),
    ];
    let slots = all_slots(&q);
    let view: Vec<(String, Vec<String>, u32)> = slots
        .iter()
        .map(|s| {
            (
                s.start.with_timezone(&Paris).format("%H:%M").to_string(),
                s.staff_ids.clone(),
                s.remaining,
            )
        })
        .collect();
    assert_eq!(
        view,
        vec![
            ("09:00".into(), strs(&["ann"]), 1),
            ("10:00".into(), strs(&["ann"]), 1),
            ("11:00".into(), strs(&["ann", "bob"]), 2),
            ("12:00".into(), strs(&["bob"]), 1),
            ("13:00".into(), strs(&["bob"]), 1),
            ("14:00".into(), strs(&["bob"]), 1),
        ]
    );
    assert_eq!(check_slot(&q, paris(11, 0), None), Ok("ann".into()));
    assert_eq!(check_slot(&q, paris(14, 0), None), Ok("bob".into()));
    assert_eq!(
        check_slot(&q, paris(14, 0), Some("ann")),
        Err(Unavailable::OutsideHours)
    );
    q.busy = vec![appt("ann", "x", paris(11, 0), 30)];
    assert_eq!(check_slot(&q, paris(11, 0), None), Ok("bob".into()));
    // With nobody free, the reason of the staff member who got furthest.
    q.busy.push(appt("bob", "x", paris(11, 30), 30));
    assert_eq!(
        check_slot(&q, paris(11, 0), None),
        Err(Unavailable::Conflict)
    );
    assert_eq!(
        check_slot(&q, paris(9, 30), None),
        Err(Unavailable::OutsideHours)
    );
}

#[test]
fn grids_are_per_staff_interval() {
    let mut q = query(ServiceRules::new(60));
    q.staff = vec![
        member("ann", every_day(&[(t(9, 0), t(11, 0))])),
        member("bob", every_day(&[(t(9, 30), t(11, 30))])),
    ];
    assert_eq!(labels(&q), strs(&["09:00", "09:30", "10:00", "10:30"]));
    assert_eq!(check_slot(&q, paris(9, 30), None), Ok("bob".into()));
}

/// A small deterministic generator, so the property test needs no dependency.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % n
    }
}

#[test]
fn check_slot_agrees_with_free_slots() {
    let mut rng = Lcg(7);
    let mut seen = HashSet::new();
    for round in 0..6 {
        let mut rules = ServiceRules::new(45);
        rules.step = Some(15);
        rules.preparation = [0, 10][round % 2];
        rules.buffer_after = [0, 15, 5][round % 3];
        rules.capacity = [1, 3][round % 2];
        rules.max_per_day = [None, Some(3)][(round / 2) % 2];
        rules.min_notice = Duration::hours(30);
        rules.horizon = Some(Duration::days(5));
        let mut q = query(rules);
        q.first_day = d(2026, 10, 23);
        q.last_day = d(2026, 10, 28);
        q.output_zone = if round % 2 == 0 { New_York } else { Auckland };
        q.now = at(Paris, d(2026, 10, 22), 10, 7);
        q.company_hours = WeeklyHours::uniform(
            &WEEK,
            &[
                (t(0, 0), t(3, 30)),
                (t(8, 0), t(12, 0)),
                (t(13, 0), t(18, 0)),
            ],
        );
        q.company_vacations = vec![DateRange::day(d(2026, 10, 27))];
        q.resource = Some(ResourcePool {
            id: "room".into(),
            count: 2,
            requested: 1,
        });
        let names = ["ann", "bob", "cid", "dee"];
        q.staff = names
            .iter()
            .enumerate()
            .map(|(i, name)| {
                let mut m = member(
                    name,
                    every_day(&[(t(0, 0), t(2, 0)), (t(8 + i as u32, 0), t(17, 45))]),
                );
                m.offers_service = i != 3 || round % 2 == 0;
                if i == 1 {
                    m.vacations = vec![DateRange::day(d(2026, 10, 26))];
                }
                m
            })
            .collect();
        let base = at(Paris, d(2026, 10, 23), 0, 0);
        for _ in 0..120 {
            let start = base + Duration::minutes(15 * rng.next(6 * 96) as i64);
            let staff = names[rng.next(4) as usize];
            let service = ["svc", "svc", "other"][rng.next(3) as usize];
            let mut busy = appt(
                staff,
                service,
                start,
                [30, 45, 60, 90][rng.next(4) as usize],
            );
            if service == "svc" {
                busy.end = busy.start + Duration::minutes(45);
            }
            if rng.next(3) == 0 {
                busy = with_room(busy, 1);
            }
            busy.blocks = rng.next(10) != 0;
            if rng.next(8) == 0 {
                busy.service_id = None;
            }
            q.busy.push(busy);
        }

        let offered: Vec<Slot> = all_slots(&q);
        assert!(!offered.is_empty(), "round {round}");
        for pair in offered.windows(2) {
            assert!(pair[0].start < pair[1].start);
        }
        let mut candidate = base - Duration::days(1);
        while candidate < base + Duration::days(7) {
            let slot = offered.iter().find(|s| s.start == candidate);
            let in_range = {
                let local = candidate.with_timezone(&q.output_zone).date_naive();
                q.first_day <= local && local <= q.last_day
            };
            let any = check_slot(&q, candidate, None);
            if let Err(reason) = any {
                seen.insert(reason);
            }
            match slot {
                Some(slot) => assert_eq!(any.as_ref(), Ok(&slot.staff_ids[0]), "{candidate}"),
                None if in_range => assert!(any.is_err(), "{candidate} should be refused"),
                None => {}
            }
            if in_range {
                for name in names {
                    let one = check_slot(&q, candidate, Some(name));
                    if let Err(reason) = one {
                        seen.insert(reason);
                    }
                    let listed = slot.is_some_and(|s| s.staff_ids.iter().any(|id| id == name));
                    assert_eq!(one.is_ok(), listed, "{candidate} {name} {one:?}");
                }
            }
            candidate += Duration::minutes(15);
        }
    }
    // The scenario exercises every per-slot rule.
    for reason in [
        Unavailable::TooSoon,
        Unavailable::TooFar,
        Unavailable::Closed,
        Unavailable::StaffUnavailable,
        Unavailable::OutsideHours,
        Unavailable::Conflict,
        Unavailable::Full,
        Unavailable::DailyLimit,
        Unavailable::ResourceUnavailable,
        Unavailable::UnknownStaff,
    ] {
        assert!(seen.contains(&reason), "{reason:?} never seen");
    }
}

/// Blocked time (no service) of `staff` from `start`, `minutes` long.
fn blocked(staff: &str, start: DateTime<Utc>, minutes: i64) -> Busy {
    Busy {
        service_id: None,
        ..appt(staff, "-", start, minutes)
    }
}

#[test]
fn busy_time_beyond_the_days_shown_still_counts() {
    // The busy index covers the days shown plus the footprints reaching out of them (`index_busy`).
    // 30-minute service, 30 minutes of preparation, a 60-minute buffer after: the first slot's
    // footprint reaches back into the previous day, the last one's into the next.
    let mut rules = ServiceRules::new(30);
    rules.preparation = 30;
    rules.buffer_after = 60;
    let mut q = query(rules);
    let hours = every_day(&[(t(0, 0), t(1, 0)), (t(22, 0), t(0, 0))]);
    q.company_hours = hours.clone();
    q.staff[0].hours = hours;
    assert_eq!(
        labels(&q),
        strs(&["00:00", "00:30", "22:00", "22:30", "23:00", "23:30"])
    );
    let before = at(Paris, d(2026, 11, 30), 23, 40);
    let after = at(Paris, d(2026, 12, 2), 0, 40);
    q.busy = vec![blocked("ann", before, 10), blocked("ann", after, 10)];
    // 00:00 needs 23:30–00:30 clear; 23:30 holds the staff member until 01:00, past 00:40.
    assert_eq!(labels(&q), strs(&["00:30", "22:00", "22:30", "23:00"]));
    assert_eq!(
        check_slot(&q, paris(0, 0), None),
        Err(Unavailable::Conflict)
    );
    assert_eq!(
        check_slot(&q, paris(23, 30), None),
        Err(Unavailable::Conflict)
    );
}

#[test]
fn notice_and_horizon_beyond_the_calendar_saturate() {
    // A notice or horizon too large for a date (`offset_now`) means "no limit" on that side,
    // not a panic, and not the opposite limit.
    let mut rules = ServiceRules::new(60);
    rules.min_notice = Duration::MIN;
    rules.horizon = Some(Duration::MAX);
    let q = query(rules);
    assert_eq!(labels(&q).len(), 8);
    let mut rules = ServiceRules::new(60);
    rules.min_notice = Duration::MAX;
    assert!(labels(&query(rules)).is_empty());
}
