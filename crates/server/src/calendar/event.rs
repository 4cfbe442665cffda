//! One VEVENT read into what busy time needs: when it starts, how long it lasts, whether it blocks,
//! how it repeats, and which instance it replaces.

use chrono::{DateTime, Utc};
use icalendar::parser::{Component, Property};

use super::recurrence::{ExtraDate, Recurrence};
use super::times::{self, Moment, Span};
use super::zones::Zones;

/// A VEVENT, checked.
#[derive(Debug, Clone)]
pub(super) struct Event {
    pub(super) uid: Option<String>,
    /// An override of one instance of a recurring event: the instance it replaces.
    pub(super) recurrence_id: Option<DateTime<Utc>>,
    pub(super) start: Moment,
    pub(super) span: Span,
    /// Opaque and not cancelled: its time is busy.
    pub(super) blocks: bool,
    /// `None` for a single event (and for an override, which is one instance).
    pub(super) recurrence: Option<Recurrence>,
}

/// The event's `UID`, when it has one (for reports of skipped events too).
pub(super) fn uid(component: &Component<'_>) -> Option<String> {
    component
        .find_prop("UID")
        .map(|uid| uid.val.as_str().trim().to_owned())
        .filter(|uid| !uid.is_empty())
}

/// Reads a VEVENT; the error names the property that failed.
pub(super) fn read(component: &Component<'_>, zones: &Zones) -> Result<Event, String> {
    let dtstart = component
        .find_prop("DTSTART")
        .ok_or_else(|| "no DTSTART".to_owned())?;
    let start = times::property_moment(dtstart, zones)?;
    let span = span(component, start, zones)?;
    let recurrence_id = component
        .find_prop("RECURRENCE-ID")
        .map(|id| times::property_moment(id, zones).map(|id| id.at.with_timezone(&Utc)))
        .transpose()?;
    let recurrence = match recurrence_id {
        // An override is the one instance it describes, whatever rule it repeats.
        Some(_) => None,
        None => recurrence(component, start, zones)?,
    };
    Ok(Event {
        uid: uid(component),
        recurrence_id,
        start,
        span,
        blocks: blocks(component),
        recurrence,
    })
}

/// Opaque and not cancelled. Outlook marks "free" events with its own busy status as well as
/// `TRANSP`; either says the time is free.
fn blocks(component: &Component<'_>) -> bool {
    let is = |name: &str, value: &str| {
        component
            .properties
            .iter()
            .any(|p| p.name == name && p.val.as_str().trim().eq_ignore_ascii_case(value))
    };
    !(is("TRANSP", "TRANSPARENT")
        || is("STATUS", "CANCELLED")
        || is("X-MICROSOFT-CDO-BUSYSTATUS", "FREE"))
}

/// DTEND (exclusive), else DURATION, else one day for a date and nothing for a date-time
/// (RFC 5545 §3.6.1).
fn span(component: &Component<'_>, start: Moment, zones: &Zones) -> Result<Span, String> {
    let span = match (
        component.find_prop("DTEND"),
        component.find_prop("DURATION"),
    ) {
        (Some(dtend), _) => {
            let end = times::property_moment(dtend, zones)?;
            match start.date && end.date {
                true => Span {
                    days: (end.at.date_naive() - start.at.date_naive()).num_days(),
                    seconds: 0,
                },
                false => Span {
                    days: 0,
                    seconds: (end.at - start.at).num_seconds(),
                },
            }
        }
        (None, Some(duration)) => times::duration(duration.val.as_str())
            .map_err(|reason| format!("DURATION: {reason}"))?,
        (None, None) => Span {
            days: i64::from(start.date),
            seconds: 0,
        },
    };
    if span.days < 0 || span.seconds < 0 {
        return Err("ends before it starts".into());
    }
    Ok(span)
}

/// RRULE, RDATE and EXDATE, or `None` for a single event.
fn recurrence(
    component: &Component<'_>,
    start: Moment,
    zones: &Zones,
) -> Result<Option<Recurrence>, String> {
    let named = |name: &'static str| component.properties.iter().filter(move |p| p.name == name);
    let rules: Vec<String> = named("RRULE").map(|p| p.val.as_str().to_owned()).collect();
    let mut extra = Vec::new();
    for rdate in named("RDATE") {
        extra.extend(extra_dates(rdate, zones)?);
    }
    if rules.is_empty() && extra.is_empty() {
        return Ok(None);
    }
    let mut excluded = Vec::new();
    for exdate in named("EXDATE") {
        excluded.extend(
            times::property_moments(exdate, zones)?
                .into_iter()
                .map(|m| m.at),
        );
    }
    Recurrence::new(start, &rules, &extra, &excluded).map(Some)
}

/// An RDATE's values: dates, date-times, or periods (`VALUE=PERIOD`).
fn extra_dates(rdate: &Property<'_>, zones: &Zones) -> Result<Vec<ExtraDate>, String> {
    let periods = times::param(rdate, "VALUE").is_some_and(|v| v.eq_ignore_ascii_case("PERIOD"))
        || rdate.val.as_str().contains('/');
    if !periods {
        return Ok(times::property_moments(rdate, zones)?
            .into_iter()
            .map(|m| ExtraDate::At(m.at))
            .collect());
    }
    let tzid = times::param(rdate, "TZID");
    rdate
        .val
        .as_str()
        .split(',')
        .filter(|value| !value.trim().is_empty())
        .map(|value| {
            let (start, end) =
                times::period(value, tzid, zones).map_err(|reason| format!("RDATE: {reason}"))?;
            match end > start {
                true => Ok(ExtraDate::Period(start, end)),
                false => Err(format!("RDATE: {value:?} ends before it starts")),
            }
        })
        .collect()
}
