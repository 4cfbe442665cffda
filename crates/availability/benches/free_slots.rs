//! `cargo bench -p booking-availability`: the performance budget scenario, timed with
//! `std::time::Instant` (no harness): 31 days × 10 staff × 5,000 existing appointments.

use std::hint::black_box;
use std::time::{Duration as StdDuration, Instant};

use booking_availability::{
    check_slot, free_slots, Busy, DateRange, Query, ResourcePool, ServiceRules, StaffCalendar,
    WeeklyHours,
};
use chrono::{DateTime, Duration, NaiveDate, NaiveTime, TimeZone, Utc, Weekday};

const WARM_UP: usize = 20;
const ITERATIONS: usize = 200;

/// Deterministic pseudo-random numbers (PCG multiplier), so runs are comparable.
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % n
    }
}

fn time(h: u32, m: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(h, m, 0).expect("valid literal time")
}

fn date(m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, m, d).expect("valid literal date")
}

const WEEKDAYS: [Weekday; 5] = [
    Weekday::Mon,
    Weekday::Tue,
    Weekday::Wed,
    Weekday::Thu,
    Weekday::Fri,
];

/// March 2026 (both the New York and the Paris DST switch) shown in New York, company in Paris,
/// with 5,000 appointments spread over `spread` days from Feb 27 (35 = all around the month).
fn scenario(spread: u64) -> Query {
    let mut rng = Lcg(2026);
    let zone = chrono_tz::Europe::Paris;

    let company_hours = WeeklyHours::uniform(&WEEKDAYS, &[(time(8, 0), time(19, 0))])
        .with(Weekday::Sat, [(time(9, 0), time(14, 0))]);
    let staff: Vec<StaffCalendar> = (0..10u32)
        .map(|i| {
            let (h, m) = [(9, 0), (9, 30), (10, 0)][i as usize % 3];
            let mut hours = WeeklyHours::uniform(
                &WEEKDAYS,
                &[
                    (time(h, m), time(12, 30)),
                    (time(13, 30), time(17 + i % 2, 0)),
                ],
            );
            if i % 2 == 0 {
                hours.set(Weekday::Sat, [(time(9, 0), time(13, 0))]);
            }
            let off = date(3, 2 + 3 * i);
            StaffCalendar {
                id: format!("staff-{i}"),
                hours,
                vacations: vec![DateRange::new(off, off + Duration::days(1))],
                offers_service: i != 9,
            }
        })
        .collect();

    let mut rules = ServiceRules::new(30);
    rules.step = Some(15);
    rules.preparation = 5;
    rules.buffer_after = 10;
    rules.max_per_day = Some(12);
    rules.min_notice = Duration::hours(2);
    rules.horizon = Some(Duration::days(90));

    let first = zone
        .with_ymd_and_hms(2026, 2, 27, 0, 0, 0)
        .single()
        .expect("no transition at that midnight")
        .with_timezone(&Utc);
    let busy: Vec<Busy> = (0..5_000)
        .map(|_| {
            let day = rng.below(spread) as i64;
            let minute = 8 * 60 + 5 * rng.below(120) as i64;
            let start = first + Duration::days(day) + Duration::minutes(minute);
            let length = [15, 30, 30, 45, 60, 90][rng.below(6) as usize];
            let staff = rng.below(10);
            let service = rng.below(5);
            let with_room = rng.below(4) == 0;
            Busy {
                staff_id: Some(format!("staff-{staff}")),
                resource_id: with_room.then(|| "room".to_string()),
                resource_units: u32::from(with_room),
                service_id: (rng.below(20) != 0).then(|| format!("svc-{service}")),
                start,
                end: start + Duration::minutes(length),
                blocks: rng.below(10) != 0,
            }
        })
        .collect();

    Query {
        zone,
        output_zone: chrono_tz::America::New_York,
        first_day: date(3, 1),
        last_day: date(3, 31),
        service_id: "svc-0".into(),
        rules,
        company_hours,
        company_vacations: vec![DateRange::day(date(3, 20))],
        staff,
        resource: Some(ResourcePool {
            id: "room".into(),
            count: 4,
            requested: 1,
        }),
        busy,
        now: Utc
            .with_ymd_and_hms(2026, 2, 28, 12, 0, 0)
            .single()
            .expect("valid literal instant"),
    }
}

fn millis(d: StdDuration) -> f64 {
    d.as_secs_f64() * 1_000.0
}

/// Median and 95th percentile of `samples` (sorted in place).
fn summary(samples: &mut [StdDuration]) -> (f64, f64) {
    samples.sort_unstable();
    let median = samples[samples.len() / 2];
    let p95 = samples[(samples.len() * 95 / 100).min(samples.len() - 1)];
    (millis(median), millis(p95))
}

/// Times `free_slots` on `query`: (median, p95) in ms.
fn time_free_slots(query: &Query) -> (f64, f64) {
    for _ in 0..WARM_UP {
        black_box(free_slots(black_box(query)));
    }
    let mut samples: Vec<StdDuration> = (0..ITERATIONS)
        .map(|_| {
            let started = Instant::now();
            black_box(free_slots(black_box(query)));
            started.elapsed()
        })
        .collect();
    summary(&mut samples)
}

fn describe(query: &Query) -> Vec<(DateTime<Utc>, Option<String>)> {
    let days = free_slots(query);
    let slots: Vec<_> = days.iter().flat_map(|d| &d.slots).collect();
    let offers: usize = slots.iter().map(|s| s.staff_ids.len()).sum();
    println!(
        "  ({} days, {} staff, {} appointments -> {} slots, {} staff offers)",
        days.len(),
        query.staff.len(),
        query.busy.len(),
        slots.len(),
        offers
    );
    slots
        .iter()
        .map(|s| (s.start, s.staff_ids.last().cloned()))
        .collect()
}

fn main() {
    let query = scenario(35);
    let (median, p95) = time_free_slots(&query);
    println!(
        "free_slots 31d x 10 staff x 5000 appts: median {median:.3} ms, p95 {p95:.3} ms ({ITERATIONS} iterations)"
    );
    let offered = describe(&query);

    // Re-check offered starts, half with "any staff" and half with the listed staff member,
    // the way the server does inside its booking transaction.
    let mut rng = Lcg(7);
    let picks: Vec<_> = (0..WARM_UP + ITERATIONS)
        .map(|i| {
            let (start, staff) = &offered[rng.below(offered.len() as u64) as usize];
            (*start, staff.clone().filter(|_| i % 2 == 0))
        })
        .collect();
    for (start, staff) in &picks[..WARM_UP] {
        let chosen = check_slot(&query, *start, staff.as_deref());
        assert!(chosen.is_ok(), "an offered slot must pass the re-check");
    }
    let mut samples: Vec<StdDuration> = picks[WARM_UP..]
        .iter()
        .map(|(start, staff)| {
            let started = Instant::now();
            let chosen = black_box(check_slot(black_box(&query), *start, staff.as_deref()));
            let elapsed = started.elapsed();
            assert!(chosen.is_ok(), "an offered slot must pass the re-check");
            elapsed
        })
        .collect();
    let (median, p95) = summary(&mut samples);
    println!(
        "check_slot same scenario: median {median:.3} ms, p95 {p95:.3} ms ({ITERATIONS} iterations)"
    );

    // The same 5,000 rows spread over four months: fewer collisions, many more slots to emit.
    let sparse = scenario(120);
    let (median, p95) = time_free_slots(&sparse);
    println!(
        "free_slots 31d x 10 staff, 5000 appts over 120 days: median {median:.3} ms, p95 {p95:.3} ms ({ITERATIONS} iterations)"
    );
    describe(&sparse);
}
