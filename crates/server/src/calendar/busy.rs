//! Busy time read from one iCalendar document: [`read_busy`].

use std::collections::{BTreeMap, HashSet};

use chrono::{DateTime, Utc};
use icalendar::parser::{unfold, Component};

use super::event::{self, Event};
use super::recurrence;
use super::times;
use super::zones::Zones;
use super::{BusyInterval, BusyQuery, BusyTime, ReadError, SkippedEvent};

/// The busy time of a staff member's calendar (a CalDAV calendar's events, or a published ICS
/// feed) overlapping `[query.from, query.to)`: merged, sorted intervals in UTC, not clipped to the
/// window, with what was read and skipped.
///
/// Counts: opaque VEVENTs (timed, floating, all-day), every instance of their recurrences
/// (RRULE, RDATE, EXDATE; a RECURRENCE-ID override replaces its instance, a cancelled one removes
/// it) and VFREEBUSY busy periods. Not: `TRANSP:TRANSPARENT`, `STATUS:CANCELLED`, FBTYPE=FREE, and
/// our own events (UID `…@{own_uid_host}`, as `booking::ics` writes them).
///
/// A document that is not iCalendar is an error; one event that can't be read is skipped and
/// listed in [`BusyTime::skipped`].
pub fn read_busy(ics: &str, query: &BusyQuery<'_>) -> Result<BusyTime, ReadError> {
    read_within(ics, query, recurrence::MAX_SCANNED_PER_DOCUMENT)
}

/// [`read_busy`] generating at most `budget` instances in all.
pub(super) fn read_within(
    ics: &str,
    query: &BusyQuery<'_>,
    mut budget: usize,
) -> Result<BusyTime, ReadError> {
    if query.from >= query.to {
        return Err(ReadError::EmptyWindow {
            from: query.from,
            to: query.to,
        });
    }
    // Some exporters start the file with a byte-order mark.
    let unfolded = unfold(ics.strip_prefix('\u{feff}').unwrap_or(ics));
    let document = super::document::read(&unfolded)?;
    let vtimezones: Vec<&Component<'_>> = document
        .components
        .iter()
        .filter(|c| c.name.as_str().eq_ignore_ascii_case("VTIMEZONE"))
        .collect();
    let zones = Zones::new(query.zone, &vtimezones);
    let mut busy = BusyTime {
        skipped: document.broken,
        ..BusyTime::default()
    };
    let mut intervals = Vec::new();
    let mut series: BTreeMap<String, Vec<Event>> = BTreeMap::new();
    let mut without_uid = Vec::new();
    for component in &document.components {
        // Names are case-insensitive (RFC 5545 §2).
        let read = match component.name.as_str().to_ascii_uppercase().as_str() {
            "VEVENT" => event::read(component, &zones).map(|event| match event.uid.clone() {
                Some(uid) if is_own(&uid, query.own_uid_host) => busy.own_events += 1,
                Some(uid) => series.entry(uid).or_default().push(event),
                None => without_uid.push(event),
            }),
            "VFREEBUSY" => freebusy(component, &zones).map(|periods| intervals.extend(periods)),
            _ => continue,
        };
        match read {
            Ok(()) => busy.events += 1,
            Err(reason) => busy.skipped.push(SkippedEvent {
                uid: event::uid(component),
                reason,
            }),
        }
    }
    let groups = series
        .into_values()
        .chain(without_uid.into_iter().map(|e| vec![e]));
    for events in groups {
        let truncated = series_busy(&events, query, &mut budget, &mut intervals);
        busy.truncated_series += usize::from(truncated);
    }
    busy.intervals = merged(intervals, query);
    busy.unknown_zones = zones.unknown();
    Ok(busy)
}

/// Our own events, written to the calendar by the CalDAV channel: their time is already busy as
/// appointments.
fn is_own(uid: &str, own_uid_host: &str) -> bool {
    let host = own_uid_host.trim();
    !host.is_empty()
        && uid.len() > host.len()
        && uid
            .get(uid.len() - host.len() - 1..)
            .is_some_and(|tail| tail.eq_ignore_ascii_case(&format!("@{host}")))
}

/// The busy instances of the events sharing one UID: the series (events without RECURRENCE-ID),
/// minus every instance an override replaces, plus the overrides that block. `true` when an
/// expansion hit its cap.
fn series_busy(
    events: &[Event],
    query: &BusyQuery<'_>,
    budget: &mut usize,
    intervals: &mut Vec<BusyInterval>,
) -> bool {
    let replaced: HashSet<DateTime<Utc>> = events.iter().filter_map(|e| e.recurrence_id).collect();
    let mut truncated = false;
    for event in events.iter().filter(|e| e.blocks) {
        let expansion = recurrence::instances(
            event.start,
            event.span,
            event.recurrence.as_ref(),
            (query.from, query.to),
            budget,
        );
        truncated |= expansion.truncated;
        let is_master = event.recurrence_id.is_none();
        intervals.extend(
            expansion
                .instances
                .into_iter()
                .map(|(start, end)| BusyInterval {
                    start: start.with_timezone(&Utc),
                    end: end.with_timezone(&Utc),
                })
                .filter(|i| !(is_master && replaced.contains(&i.start))),
        );
    }
    truncated
}

/// A VFREEBUSY's busy periods (`FREEBUSY`; FBTYPE BUSY, BUSY-UNAVAILABLE, BUSY-TENTATIVE, or
/// none, which means BUSY).
fn freebusy(component: &Component<'_>, zones: &Zones) -> Result<Vec<BusyInterval>, String> {
    let mut periods = Vec::new();
    for property in component.properties.iter().filter(|p| p.name == "FREEBUSY") {
        let kind = times::param(property, "FBTYPE").unwrap_or("BUSY");
        if kind.eq_ignore_ascii_case("FREE") {
            continue;
        }
        for value in property
            .val
            .as_str()
            .split(',')
            .filter(|v| !v.trim().is_empty())
        {
            let (start, end) = times::period(value, times::param(property, "TZID"), zones)
                .map_err(|reason| format!("FREEBUSY: {reason}"))?;
            periods.push(BusyInterval {
                start: start.with_timezone(&Utc),
                end: end.with_timezone(&Utc),
            });
        }
    }
    Ok(periods)
}

/// Intervals overlapping the window, sorted, overlapping and touching ones merged.
fn merged(mut intervals: Vec<BusyInterval>, query: &BusyQuery<'_>) -> Vec<BusyInterval> {
    intervals.retain(|i| i.start < i.end && i.start < query.to && i.end > query.from);
    intervals.sort();
    let mut out: Vec<BusyInterval> = Vec::with_capacity(intervals.len());
    for interval in intervals {
        match out.last_mut() {
            Some(last) if interval.start <= last.end => last.end = last.end.max(interval.end),
            _ => out.push(interval),
        }
    }
    out
}
