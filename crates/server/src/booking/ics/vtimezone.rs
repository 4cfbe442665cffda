//! A zone's `VTIMEZONE` (RFC 5545 §3.6.5) from chrono-tz, which has no transition API: the offset
//! changes are found by stepping through the years around the event and bisecting each change to the
//! second. A regular yearly change ("last Sunday of March at 02:00") becomes one component with an
//! `RRULE`; anything else (a zone that changed its rules inside the window, a fixed-date rule) gets
//! one explicit component per change.

use chrono::{
    DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, Offset, TimeZone, Utc, Weekday,
};
use chrono_tz::{OffsetComponents, OffsetName, Tz};
use std::collections::HashMap;
use std::sync::{Arc, LazyLock, Mutex};

/// The years described exactly: the event's, the one before and the two after.
const WINDOW_YEARS: usize = 4;

/// One offset change of a zone.
#[derive(Debug, Clone, PartialEq)]
struct Change {
    /// First instant of the new offset.
    at: DateTime<Utc>,
    /// Offsets (seconds east of UTC) before and after.
    from: i32,
    to: i32,
    /// Whether the new offset is daylight saving time.
    daylight: bool,
    name: Option<String>,
}

impl Change {
    /// The wall-clock time of the change, read in the offset before it (`DTSTART` of a sub-component).
    fn onset(&self) -> NaiveDateTime {
        self.at.naive_utc() + Duration::seconds(self.from.into())
    }
}

/// The offset in force at `at`: seconds east of UTC, whether it is DST, its abbreviation.
fn offset_at(zone: Tz, at: DateTime<Utc>) -> (i32, bool, Option<String>) {
    let offset = zone.offset_from_utc_datetime(&at.naive_utc());
    (
        offset.fix().local_minus_utc(),
        !offset.dst_offset().is_zero(),
        offset.abbreviation().map(str::to_owned),
    )
}

/// The first instant in `(lo, hi]` whose offset differs from `lo`'s (there is one at `hi`).
fn bisect(zone: Tz, lo: DateTime<Utc>, hi: DateTime<Utc>) -> DateTime<Utc> {
    let before = offset_at(zone, lo).0;
    let (mut lo, mut hi) = (lo.timestamp(), hi.timestamp());
    let at = |seconds| DateTime::from_timestamp(seconds, 0).unwrap_or(DateTime::<Utc>::MIN_UTC);
    while hi - lo > 1 {
        let mid = lo + (hi - lo) / 2;
        match offset_at(zone, at(mid)).0 == before {
            true => lo = mid,
            false => hi = mid,
        }
    }
    at(hi)
}

/// Every offset change in `[from, to)`. Zones change at most a few times a year and never twice within
/// a day, so a daily step finds them all.
fn changes(zone: Tz, from: DateTime<Utc>, to: DateTime<Utc>) -> Vec<Change> {
    let mut found = Vec::new();
    let mut at = from;
    let mut current = offset_at(zone, at).0;
    while at < to {
        let next = at + Duration::days(1);
        let (offset, _, _) = offset_at(zone, next);
        if offset != current {
            let change_at = bisect(zone, at, next);
            let (to_offset, daylight, name) = offset_at(zone, change_at);
            found.push(Change {
                at: change_at,
                from: current,
                to: to_offset,
                daylight,
                name,
            });
            current = offset;
        }
        at = next;
    }
    found
}

/// `+0100` style offset (§3.3.14).
pub(super) fn offset_text(seconds: i32) -> String {
    let sign = if seconds < 0 { '-' } else { '+' };
    let abs = seconds.unsigned_abs();
    let (hours, minutes, rest) = (abs / 3600, abs / 60 % 60, abs % 60);
    match rest {
        0 => format!("{sign}{hours:02}{minutes:02}"),
        _ => format!("{sign}{hours:02}{minutes:02}{rest:02}"),
    }
}

fn local_text(t: NaiveDateTime) -> String {
    t.format("%Y%m%dT%H%M%S").to_string()
}

/// The `BYDAY` ordinals that describe `day` in its month: its week (1..=5) and -1 when it is the last.
fn ordinals(day: NaiveDate) -> [Option<i32>; 2] {
    let week = (day.day0() / 7 + 1) as i32;
    let last = (day + Duration::days(7)).month() != day.month();
    [Some(week), last.then_some(-1)]
}

/// The yearly rule all of `group` follow, once in each of the window's `years`: `FREQ=YEARLY;BYMONTH=…;
/// BYDAY=…` on the same weekday and wall-clock time. `None` when they don't.
fn yearly_rule(group: &[&Change], years: usize) -> Option<String> {
    let first = group.first()?.onset();
    let consecutive = group.len() == years
        && group
            .iter()
            .enumerate()
            .all(|(i, c)| c.onset().year() == first.year() + i as i32);
    let same_shape = group.iter().all(|c| {
        let t = c.onset();
        t.month() == first.month() && t.weekday() == first.weekday() && t.time() == first.time()
    });
    if !consecutive || !same_shape {
        return None;
    }
    // Prefer "2nd Sunday" to "last Sunday" when both fit every year.
    let ordinal = ordinals(first.date()).into_iter().flatten().find(|n| {
        group
            .iter()
            .all(|c| ordinals(c.onset().date()).contains(&Some(*n)))
    })?;
    Some(format!(
        "FREQ=YEARLY;BYMONTH={};BYDAY={ordinal}{}",
        first.month(),
        weekday_code(first.weekday())
    ))
}

fn weekday_code(day: Weekday) -> &'static str {
    match day {
        Weekday::Mon => "MO",
        Weekday::Tue => "TU",
        Weekday::Wed => "WE",
        Weekday::Thu => "TH",
        Weekday::Fri => "FR",
        Weekday::Sat => "SA",
        Weekday::Sun => "SU",
    }
}

/// One `STANDARD` / `DAYLIGHT` sub-component.
fn component(
    daylight: bool,
    start: NaiveDateTime,
    (from, to): (i32, i32),
    name: Option<&str>,
    rule: Option<&str>,
) -> Vec<String> {
    let kind = if daylight { "DAYLIGHT" } else { "STANDARD" };
    let mut lines = vec![
        format!("BEGIN:{kind}"),
        format!("DTSTART:{}", local_text(start)),
        format!("TZOFFSETFROM:{}", offset_text(from)),
        format!("TZOFFSETTO:{}", offset_text(to)),
    ];
    lines.extend(rule.map(|r| format!("RRULE:{r}")));
    // Abbreviations like "+0530" are not names; clients show TZNAME, so leave those out.
    lines.extend(
        name.filter(|n| n.chars().any(|c| c.is_ascii_alphabetic()))
            .map(|n| format!("TZNAME:{n}")),
    );
    lines.push(format!("END:{kind}"));
    lines
}

/// Zone-years [`lines`] keeps: far more than the zones and years one business's events use, and
/// a bound on what arbitrary dates could make it hold.
const CACHED: usize = 256;

/// The `VTIMEZONE` for `zone`, exact for every instant from 1 January of the year before `year` to the
/// end of the second year after it (`None` for UTC: times are written with `Z`).
///
/// Remembered per zone and year: finding the changes takes some 1,500 offset lookups, and every
/// invitation and feed of a company asks for the same few.
pub fn lines(zone: Tz, year: i32) -> Option<Vec<String>> {
    type Known = Mutex<HashMap<(Tz, i32), Arc<[String]>>>;
    static CACHE: LazyLock<Known> = LazyLock::new(Known::default);
    if zone == Tz::UTC {
        return None;
    }
    // A poisoned lock only means a thread panicked while holding it; the map is still whole.
    let known = CACHE
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .get(&(zone, year))
        .cloned();
    let found = match known {
        Some(found) => found,
        None => {
            let found: Arc<[String]> = computed(zone, year)?.into();
            let mut cache = CACHE.lock().unwrap_or_else(|e| e.into_inner());
            if cache.len() >= CACHED {
                cache.clear();
            }
            cache.insert((zone, year), found.clone());
            found
        }
    };
    Some(found.to_vec())
}

fn computed(zone: Tz, year: i32) -> Option<Vec<String>> {
    let start_of = |y: i32| {
        NaiveDate::from_ymd_opt(y, 1, 1)
            .and_then(|d| d.and_hms_opt(0, 0, 0))
            .map(|t| t.and_utc())
    };
    let (from, to) = (
        start_of(year - 1)?,
        start_of(year - 1 + WINDOW_YEARS as i32)?,
    );
    let found = changes(zone, from, to);
    let mut lines = vec![
        "BEGIN:VTIMEZONE".to_owned(),
        format!("TZID:{}", zone.name()),
    ];

    // Split into the two directions of a DST zone: (standard→daylight) and (daylight→standard).
    let mut groups: Vec<((i32, i32), Vec<&Change>)> = Vec::new();
    for change in &found {
        match groups
            .iter_mut()
            .find(|(key, _)| *key == (change.from, change.to))
        {
            Some((_, group)) => group.push(change),
            None => groups.push(((change.from, change.to), vec![change])),
        }
    }
    let rules: Option<Vec<String>> = match groups.len() {
        2 => groups
            .iter()
            .map(|(_, g)| yearly_rule(g, WINDOW_YEARS))
            .collect(),
        _ => None,
    };

    match (found.is_empty(), rules) {
        (true, _) => {
            let (offset, _, name) = offset_at(zone, from);
            let local = from.naive_utc() + Duration::seconds(offset.into());
            lines.extend(component(
                false,
                local,
                (offset, offset),
                name.as_deref(),
                None,
            ));
        }
        (false, Some(rules)) => {
            for ((_, group), rule) in groups.iter().zip(&rules) {
                let first = group[0];
                lines.extend(component(
                    first.daylight,
                    first.onset(),
                    (first.from, first.to),
                    first.name.as_deref(),
                    Some(rule),
                ));
            }
        }
        (false, None) => {
            // The offset at the window's start, then each change as it happened.
            let (offset, daylight, name) = offset_at(zone, from);
            let local = from.naive_utc() + Duration::seconds(offset.into());
            lines.extend(component(
                daylight,
                local,
                (offset, offset),
                name.as_deref(),
                None,
            ));
            for change in &found {
                lines.extend(component(
                    change.daylight,
                    change.onset(),
                    (change.from, change.to),
                    change.name.as_deref(),
                    None,
                ));
            }
        }
    }
    lines.push("END:VTIMEZONE".to_owned());
    Some(lines)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(text: &str) -> DateTime<Utc> {
        text.parse().expect("instant")
    }

    #[test]
    fn finds_paris_changes_to_the_second() {
        let found = changes(
            chrono_tz::Europe::Paris,
            utc("2026-01-01T00:00:00Z"),
            utc("2027-01-01T00:00:00Z"),
        );
        let at: Vec<_> = found.iter().map(|c| c.at).collect();
        assert_eq!(
            at,
            [utc("2026-03-29T01:00:00Z"), utc("2026-10-25T01:00:00Z")]
        );
        assert_eq!(
            (found[0].from, found[0].to, found[0].daylight),
            (3600, 7200, true)
        );
        assert_eq!(found[0].onset().to_string(), "2026-03-29 02:00:00");
        assert_eq!(found[1].onset().to_string(), "2026-10-25 03:00:00");
    }

    #[test]
    fn regular_rules_become_rrules() {
        let paris = lines(chrono_tz::Europe::Paris, 2026).expect("vtimezone");
        assert!(paris.contains(&"RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU".to_owned()));
        assert!(paris.contains(&"RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU".to_owned()));
        let new_york = lines(chrono_tz::America::New_York, 2026).expect("vtimezone");
        assert!(new_york.contains(&"RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=2SU".to_owned()));
        assert!(new_york.contains(&"RRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=1SU".to_owned()));
        assert!(lines(Tz::UTC, 2026).is_none());
        assert_eq!(offset_text(3600), "+0100");
        assert_eq!(offset_text(-16200), "-0430");
        assert_eq!(offset_text(-(3600 + 75)), "-010115");
    }
}
