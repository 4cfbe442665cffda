//! The instances of one event that overlap a window. The `rrule` crate expands RRULE, RDATE and
//! EXDATE in the event's own zone, so a weekly 09:00 `Europe/Paris` event stays at 09:00 local on
//! both sides of a DST change. Expansion is bounded: it stops at the window's end, after
//! [`MAX_SCANNED`] instances of one event (an hourly rule from 1990 never runs away) or
//! [`MAX_SCANNED_PER_DOCUMENT`] in all, and keeps at most [`MAX_IN_WINDOW`] per event; any cap
//! marks the expansion truncated.

use std::collections::HashMap;
use std::str::FromStr;

use chrono::{DateTime, Days, Duration, NaiveTime, Utc};
use chrono_tz::Tz;
use rrule::{RRule, RRuleSet, Unvalidated};

use super::times::{local_instant, written, Moment, Span, Written};

/// Instances generated for one event (before the window included) before it gives up.
pub const MAX_SCANNED: usize = 50_000;
/// Instances generated for all the events of one document (about a second of work).
pub const MAX_SCANNED_PER_DOCUMENT: usize = 500_000;
/// Instances of one event kept inside the window.
pub const MAX_IN_WINDOW: usize = 5_000;

/// How an event repeats: a validated rule set (DTSTART is always an instance), and the ends of
/// RDATE periods, which carry their own length.
#[derive(Debug, Clone)]
pub(super) struct Recurrence {
    set: RRuleSet,
    period_ends: HashMap<i64, DateTime<Tz>>,
    /// The longest period, so instances starting before the window are still looked at.
    longest_period: Duration,
}

/// An extra instance (`RDATE`): a start, or a period with its own end.
#[derive(Debug, Clone, Copy)]
pub(super) enum ExtraDate {
    At(DateTime<Tz>),
    Period(DateTime<Tz>, DateTime<Tz>),
}

impl Recurrence {
    /// The rule set of an event starting at `start`: its RRULE values, RDATEs and EXDATEs.
    pub(super) fn new(
        start: Moment,
        rules: &[String],
        extra: &[ExtraDate],
        excluded: &[DateTime<Tz>],
    ) -> Result<Self, String> {
        let zone: rrule::Tz = start.at.timezone().into();
        let dt_start = start.at.with_timezone(&zone);
        let mut set = RRuleSet::new(dt_start).limit();
        for rule in rules {
            if let Some(rule) = rule_of(rule, start)? {
                set = set.rrule(rule);
            }
        }
        // RFC 5545 §3.8.5.3: DTSTART is the first instance even when the rule doesn't match it.
        set = set.rdate(dt_start);
        let mut period_ends = HashMap::new();
        let mut longest_period = Duration::zero();
        for date in extra {
            let at = match *date {
                ExtraDate::At(at) => at,
                ExtraDate::Period(at, end) => {
                    period_ends.insert(at.timestamp(), end);
                    longest_period = longest_period.max(end - at);
                    at
                }
            };
            set = set.rdate(at.with_timezone(&zone));
        }
        for at in excluded {
            set = set.exdate(at.with_timezone(&zone));
        }
        Ok(Recurrence {
            set,
            period_ends,
            longest_period,
        })
    }
}

/// The instances overlapping a window, and whether a cap cut the expansion short.
#[derive(Debug, Default)]
pub(super) struct Expansion {
    pub(super) instances: Vec<(DateTime<Tz>, DateTime<Tz>)>,
    pub(super) truncated: bool,
}

/// The instances `[start, end)` of an event (`span` long) overlapping `[from, to)`; each instance
/// generated is taken from the document's `budget`.
pub(super) fn instances(
    start: Moment,
    span: Span,
    recurrence: Option<&Recurrence>,
    (from, to): (DateTime<Utc>, DateTime<Utc>),
    budget: &mut usize,
) -> Expansion {
    let zone = start.at.timezone();
    let mut expansion = Expansion::default();
    let overlaps = |s: DateTime<Tz>, e: DateTime<Tz>| s < to && e > from;
    let Some(recurrence) = recurrence else {
        if let Some(end) = span
            .end_from(start.at)
            .filter(|end| overlaps(start.at, *end))
        {
            expansion.instances.push((start.at, end));
        }
        return expansion;
    };
    let lookback = span.max_length().max(recurrence.longest_period);
    let scan_from = from
        .checked_sub_signed(lookback)
        .unwrap_or(DateTime::<Utc>::MIN_UTC);
    let mut previous = None;
    for (scanned, at) in recurrence.set.into_iter().enumerate() {
        if scanned >= MAX_SCANNED || *budget == 0 {
            expansion.truncated = true;
            break;
        }
        *budget -= 1;
        let at = at.with_timezone(&zone);
        // DTSTART is added as an RDATE too: the rule may yield it a second time.
        if previous == Some(at) {
            continue;
        }
        previous = Some(at);
        if at >= to {
            break;
        }
        if at <= scan_from {
            continue;
        }
        let end = match recurrence.period_ends.get(&at.timestamp()) {
            Some(end) => Some(*end),
            None => span.end_from(at),
        };
        if let Some(end) = end.filter(|end| overlaps(at, *end)) {
            if expansion.instances.len() >= MAX_IN_WINDOW {
                expansion.truncated = true;
                break;
            }
            expansion.instances.push((at, end));
        }
    }
    expansion
}

/// One RRULE value, validated against DTSTART. `UNTIL` is read here rather than by the crate,
/// which would read a wall-time UNTIL in the machine's zone: it is in DTSTART's zone (a date
/// means the end of that day), and is handed over in UTC. An UNTIL before DTSTART leaves no
/// rule (DTSTART alone remains).
fn rule_of(text: &str, start: Moment) -> Result<Option<RRule>, String> {
    let bad = |reason: String| format!("RRULE {text:?}: {reason}");
    if !text.is_ascii() {
        return Err(bad("not ASCII".into()));
    }
    let (until, parts): (Vec<&str>, Vec<&str>) = text
        .trim()
        .split(';')
        .filter(|part| !part.is_empty())
        .partition(|part| part.len() >= 6 && part[..6].eq_ignore_ascii_case("UNTIL="));
    let mut rule =
        RRule::<Unvalidated>::from_str(&parts.join(";")).map_err(|e| bad(e.to_string()))?;
    let zone = start.at.timezone();
    if let Some(until) = until.first() {
        let until = match written(&until[6..]).map_err(bad)? {
            Written::Utc(wall) => Some(wall.and_utc()),
            Written::Wall(wall) => local_instant(wall, zone).map(|at| at.with_timezone(&Utc)),
            Written::Date(day) => day
                .checked_add_days(Days::new(1))
                .and_then(|next| local_instant(next.and_time(NaiveTime::MIN), zone))
                .map(|midnight| midnight.with_timezone(&Utc) - Duration::seconds(1)),
        }
        .ok_or_else(|| bad("UNTIL is out of range".into()))?;
        if until < start.at {
            return Ok(None);
        }
        rule = rule.until(until.with_timezone(&rrule::Tz::UTC));
    }
    let dt_start = start.at.with_timezone(&rrule::Tz::from(zone));
    rule.validate(dt_start)
        .map(Some)
        .map_err(|e| bad(e.to_string()))
}
