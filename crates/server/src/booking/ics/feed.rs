//! A staff member's calendar feed: their appointments as one `VCALENDAR` that calendar apps
//! subscribe to (no `METHOD`: it is published, not sent). Each event keeps the `UID` and `SEQUENCE`
//! of [`super::invite`], so an app that also imported an invitation sees one event.
//!
//! Written for the staff member: the service and the client's name, never the client's email or
//! phone (the feed's URL is a bearer secret that ends up in third-party calendar services).
//! Personal appointments are only busy time: `Busy`, private, nothing else.

use booking_model::{AppointmentStatus, Company};
use chrono::{DateTime, Datelike, Utc};

use super::{escape, fold, location, time_property, uid, vtimezone, zone_of};
use crate::db::appointments::StoredAppointment;

/// The feed of `events` (already limited to the staff member's current appointments), named
/// `name` in the subscribing app; `now` stamps it and picks the years its `VTIMEZONE` describes.
pub fn staff_feed(
    events: &[StoredAppointment],
    company: Option<&Company>,
    name: &str,
    uid_host: &str,
    now: DateTime<Utc>,
) -> String {
    let zone = zone_of(company);
    let mut lines = vec![
        "BEGIN:VCALENDAR".to_owned(),
        "VERSION:2.0".to_owned(),
        "PRODID:-//booking-widget//booking-server//EN".to_owned(),
        "CALSCALE:GREGORIAN".to_owned(),
        format!("X-WR-CALNAME:{}", escape(name)),
        format!("X-WR-TIMEZONE:{}", zone.name()),
    ];
    lines.extend(vtimezone::lines(zone, now.with_timezone(&zone).year()).unwrap_or_default());
    for stored in events {
        lines.extend(event_lines(stored, company, uid_host, now));
    }
    lines.push("END:VCALENDAR".to_owned());
    lines.iter().map(|l| fold(l)).collect()
}

/// One appointment as the event written to the staff member's own CalDAV calendar: the feed's
/// event (same `UID`, `SEQUENCE` and wording: the calendar is the staff member's, private to them)
/// in a `VCALENDAR` of its own, with the `VTIMEZONE` of the event's year.
pub fn calendar_event(
    stored: &StoredAppointment,
    company: Option<&Company>,
    uid_host: &str,
    now: DateTime<Utc>,
) -> String {
    let zone = zone_of(company);
    let mut lines = vec![
        "BEGIN:VCALENDAR".to_owned(),
        "VERSION:2.0".to_owned(),
        "PRODID:-//booking-widget//booking-server//EN".to_owned(),
        "CALSCALE:GREGORIAN".to_owned(),
    ];
    lines.extend(
        vtimezone::lines(zone, stored.start.with_timezone(&zone).year()).unwrap_or_default(),
    );
    lines.extend(event_lines(stored, company, uid_host, now));
    lines.push("END:VCALENDAR".to_owned());
    lines.iter().map(|l| fold(l)).collect()
}

/// One `VEVENT` of the feed (or of a calendar write).
fn event_lines(
    stored: &StoredAppointment,
    company: Option<&Company>,
    uid_host: &str,
    now: DateTime<Utc>,
) -> Vec<String> {
    let zone = zone_of(company);
    let a = &stored.appointment;
    let mut lines = vec![
        "BEGIN:VEVENT".to_owned(),
        uid(stored, uid_host),
        format!("SEQUENCE:{}", a.history.len().saturating_sub(1)),
        format!("DTSTAMP:{}", now.format("%Y%m%dT%H%M%SZ")),
        time_property("DTSTART", stored.start, zone),
        time_property("DTEND", stored.end, zone),
        "TRANSP:OPAQUE".to_owned(),
    ];
    match a.is_personal() {
        true => lines.extend(["SUMMARY:Busy".to_owned(), "CLASS:PRIVATE".to_owned()]),
        false => lines.extend(client_lines(stored, company)),
    }
    lines.push("END:VEVENT".to_owned());
    lines
}

/// What the staff member sees of a client appointment: service and client name, reference, place.
fn client_lines(stored: &StoredAppointment, company: Option<&Company>) -> Vec<String> {
    let a = &stored.appointment;
    let service = a
        .service
        .as_ref()
        .and_then(|s| s.name.as_deref())
        .unwrap_or_default();
    let client = a
        .client
        .as_ref()
        .map(|c| {
            [c.first_name.as_deref(), c.last_name.as_deref()]
                .into_iter()
                .flatten()
                .filter(|part| !part.is_empty())
                .collect::<Vec<_>>()
                .join(" ")
        })
        .unwrap_or_default();
    let summary = match (service.is_empty(), client.is_empty()) {
        (_, true) => service.to_owned(),
        (true, false) => client.clone(),
        (false, false) => format!("{service} — {client}"),
    };
    let status = match a.effective_status() {
        AppointmentStatus::Pending => "TENTATIVE",
        _ => "CONFIRMED",
    };
    let mut description = format!("Reference: {}", a.reference.as_deref().unwrap_or(""));
    if !client.is_empty() {
        description.push_str(&format!("\nClient: {client}"));
    }
    let mut lines = vec![
        format!("SUMMARY:{}", escape(&summary)),
        format!("DESCRIPTION:{}", escape(&description)),
        format!("STATUS:{status}"),
    ];
    let place = location(stored, company);
    if !place.is_empty() {
        lines.push(format!("LOCATION:{}", escape(&place)));
    }
    lines
}
