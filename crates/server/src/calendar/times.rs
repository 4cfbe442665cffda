//! iCalendar time values (RFC 5545 §3.3): DATE, DATE-TIME (UTC, with `TZID`, floating), DURATION
//! and PERIOD, as instants in the zone their nominal arithmetic (days, wall times) happens in.

use chrono::{DateTime, Days, Duration, NaiveDate, NaiveDateTime, NaiveTime, TimeZone};
use chrono_tz::Tz;
use icalendar::parser::Property;

use super::zones::Zones;

/// A DATE or DATE-TIME value resolved to an instant. `at`'s zone is the one a recurrence repeats
/// the wall time in: UTC for `Z` times, the `TZID`'s zone, the company zone for floating times and
/// dates.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Moment {
    pub(super) at: DateTime<Tz>,
    /// A DATE (all day): it starts at the zone's midnight.
    pub(super) date: bool,
}

/// A length: nominal days (same wall time N days later, RFC 5545 §3.3.6) plus exact seconds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub(super) struct Span {
    pub(super) days: i64,
    pub(super) seconds: i64,
}

impl Span {
    /// The end of an interval starting at `start`, or `None` past chrono's range.
    pub(super) fn end_from(self, start: DateTime<Tz>) -> Option<DateTime<Tz>> {
        let zone = start.timezone();
        let local = start.naive_local();
        let shifted = match self.days >= 0 {
            true => local.checked_add_days(Days::new(self.days.unsigned_abs()))?,
            false => local.checked_sub_days(Days::new(self.days.unsigned_abs()))?,
        };
        let wall = match self.days {
            0 => start,
            _ => local_instant(shifted, zone)?,
        };
        wall.checked_add_signed(Duration::try_seconds(self.seconds)?)
    }

    /// An upper bound of the span's exact length (a nominal day is at most 25 hours in any zone
    /// chrono-tz knows, bar the date line moves that skip a whole day; 48 h covers those).
    pub(super) fn max_length(self) -> Duration {
        Duration::try_hours(self.days.saturating_mul(48))
            .and_then(|days| days.checked_add(&Duration::try_seconds(self.seconds)?))
            .unwrap_or(Duration::MAX)
    }
}

/// The instant a wall time names in `zone`: the first of two when the clocks go back; in the gap
/// when they go forward, the wall time read with the offset before the gap (RFC 5545 §3.3.5), so
/// 02:30 on a spring-forward night is 03:30.
pub(super) fn local_instant(wall: NaiveDateTime, zone: Tz) -> Option<DateTime<Tz>> {
    if let Some(at) = zone.from_local_datetime(&wall).earliest() {
        return Some(at);
    }
    let before = wall.checked_sub_signed(Duration::hours(3))?;
    let offset = zone.offset_from_local_datetime(&before).earliest()?;
    let utc = wall.checked_sub_signed(Duration::seconds(offset_seconds(offset).into()))?;
    Some(zone.from_utc_datetime(&utc))
}

fn offset_seconds(offset: <Tz as TimeZone>::Offset) -> i32 {
    use chrono::Offset;
    offset.fix().local_minus_utc()
}

/// A DATE or DATE-TIME value as written, before a zone makes it an instant.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Written {
    /// `YYYYMMDD`.
    Date(NaiveDate),
    /// `YYYYMMDDTHHMMSS`: a wall time (in a `TZID`'s zone, or floating).
    Wall(NaiveDateTime),
    /// `YYYYMMDDTHHMMSSZ`.
    Utc(NaiveDateTime),
}

/// Reads `YYYYMMDD`, `YYYYMMDDTHHMMSS` or `YYYYMMDDTHHMMSSZ`.
pub(super) fn written(text: &str) -> Result<Written, String> {
    let text = text.trim();
    let bad = || format!("{text:?} is not a DATE or DATE-TIME");
    if !text.is_ascii() {
        return Err(bad());
    }
    let wall =
        |digits: &str| NaiveDateTime::parse_from_str(digits, "%Y%m%dT%H%M%S").map_err(|_| bad());
    match text.len() {
        8 => NaiveDate::parse_from_str(text, "%Y%m%d")
            .map(Written::Date)
            .map_err(|_| bad()),
        15 => wall(text).map(Written::Wall),
        16 if text.ends_with(['Z', 'z']) => wall(&text[..15]).map(Written::Utc),
        _ => Err(bad()),
    }
}

/// A DATE or DATE-TIME value: a date starts at the company zone's midnight; a wall time is in
/// `tzid`'s zone, else floating (the company zone).
pub(super) fn moment(text: &str, tzid: Option<&str>, zones: &Zones) -> Result<Moment, String> {
    let out_of_range = || format!("{:?} is out of range", text.trim());
    match written(text)? {
        Written::Date(day) => Ok(Moment {
            at: local_instant(day.and_time(NaiveTime::MIN), zones.fallback)
                .ok_or_else(out_of_range)?,
            date: true,
        }),
        Written::Wall(wall) => {
            let zone = tzid.map_or(zones.fallback, |tzid| zones.resolve(tzid));
            Ok(Moment {
                at: local_instant(wall, zone).ok_or_else(out_of_range)?,
                date: false,
            })
        }
        Written::Utc(wall) => Ok(Moment {
            at: Tz::UTC.from_utc_datetime(&wall),
            date: false,
        }),
    }
}

/// A property's DATE / DATE-TIME value, with its `TZID`.
pub(super) fn property_moment(property: &Property<'_>, zones: &Zones) -> Result<Moment, String> {
    moment(property.val.as_str(), param(property, "TZID"), zones)
        .map_err(|reason| format!("{}: {reason}", property.name.as_str()))
}

/// Every value of a list property (`EXDATE:a,b`, `RDATE;TZID=…:a,b`).
pub(super) fn property_moments(
    property: &Property<'_>,
    zones: &Zones,
) -> Result<Vec<Moment>, String> {
    let tzid = param(property, "TZID");
    property
        .val
        .as_str()
        .split(',')
        .filter(|value| !value.trim().is_empty())
        .map(|value| {
            moment(value, tzid, zones)
                .map_err(|reason| format!("{}: {reason}", property.name.as_str()))
        })
        .collect()
}

/// A parameter's value, unquoted.
pub(super) fn param<'p>(property: &'p Property<'_>, key: &str) -> Option<&'p str> {
    property
        .params
        .iter()
        .find(|p| p.key.as_str().eq_ignore_ascii_case(key))
        .and_then(|p| p.val.as_ref())
        .map(|val| val.as_str().trim_matches('"'))
}

/// A DURATION value (RFC 5545 §3.3.6): `P1W`, `P2D`, `PT1H30M`, `P1DT12H`, optionally signed.
pub(super) fn duration(text: &str) -> Result<Span, String> {
    let bad = || format!("{text:?} is not a DURATION");
    let trimmed = text.trim();
    let (negative, rest) = match trimmed.as_bytes().first() {
        Some(b'-') => (true, &trimmed[1..]),
        Some(b'+') => (false, &trimmed[1..]),
        _ => (false, trimmed),
    };
    let rest = rest.strip_prefix(['P', 'p']).ok_or_else(bad)?;
    let mut span = Span::default();
    let mut in_time = false;
    let mut number: Option<i64> = None;
    let mut any = false;
    for ch in rest.chars() {
        match ch.to_ascii_uppercase() {
            digit @ '0'..='9' => {
                let value = i64::from(digit as u8 - b'0');
                number = Some(
                    number
                        .unwrap_or(0)
                        .checked_mul(10)
                        .and_then(|n| n.checked_add(value))
                        .filter(|n| *n <= 1_000_000_000)
                        .ok_or_else(bad)?,
                );
            }
            'T' if !in_time && number.is_none() => in_time = true,
            unit => {
                let n = number.take().ok_or_else(bad)?;
                let (days, seconds) = match (unit, in_time) {
                    ('W', false) => (n * 7, 0),
                    ('D', false) => (n, 0),
                    ('H', true) => (0, n * 3600),
                    ('M', true) => (0, n * 60),
                    ('S', true) => (0, n),
                    _ => return Err(bad()),
                };
                span.days = span.days.saturating_add(days);
                span.seconds = span.seconds.saturating_add(seconds);
                any = true;
            }
        }
    }
    if !any || number.is_some() {
        return Err(bad());
    }
    if negative {
        span = Span {
            days: -span.days,
            seconds: -span.seconds,
        };
    }
    Ok(span)
}

/// A PERIOD value (RFC 5545 §3.3.9): `start/end` or `start/duration`, as `[start, end)`.
pub(super) fn period(
    text: &str,
    tzid: Option<&str>,
    zones: &Zones,
) -> Result<(DateTime<Tz>, DateTime<Tz>), String> {
    let (start, rest) = text
        .split_once('/')
        .ok_or_else(|| format!("{text:?} is not a PERIOD (start/end or start/duration)"))?;
    let start = moment(start, tzid, zones)?.at;
    let end = match rest.trim_start().starts_with(['P', 'p', '+', '-']) {
        true => duration(rest)?
            .end_from(start)
            .ok_or_else(|| format!("{text:?}: the end is out of range"))?,
        false => moment(rest, tzid, zones)?.at,
    };
    Ok((start, end))
}
