//! The invitation read back with a real iCalendar parser (`icalendar`), its times resolved through the
//! file's own VTIMEZONE with a real RRULE expander (`rrule`), never through chrono-tz.

use super::*;
use booking_model::{Appointment, ClientRef, HistoryEntry, HistoryType, ServiceRef};
use chrono::{Duration, NaiveDateTime};
use icalendar::parser::{read_calendar, unfold, Component};
use rrule::RRuleSet;

fn utc(text: &str) -> DateTime<Utc> {
    text.parse().expect("instant")
}

fn company(zone: &str) -> Company {
    Company {
        name: Some("Salon, Paris; 11e".into()),
        email: Some("hello@salon.example".into()),
        time_zone: Some(zone.into()),
        ..Company::default()
    }
}

fn stored(start: DateTime<Utc>, changes: usize) -> StoredAppointment {
    let entry = |kind| HistoryEntry {
        history_type: Some(kind),
        ..HistoryEntry::default()
    };
    let mut history = vec![entry(HistoryType::Created)];
    history.extend((0..changes).map(|_| entry(HistoryType::Rescheduled)));
    StoredAppointment {
        company_id: "demo".into(),
        appointment: Appointment {
            id: Some("a1b2c3".into()),
            reference: Some("K7M-4QX2".into()),
            service: Some(ServiceRef {
                name: Some("Haircut".into()),
                ..ServiceRef::default()
            }),
            client: Some(ClientRef {
                first_name: Some("Ada".into()),
                last_name: Some("Lovelace".into()),
                email: Some("ada@example.com".into()),
                ..ClientRef::default()
            }),
            history,
            ..Appointment::default()
        },
        start,
        end: start + Duration::minutes(45),
        resource_units: 0,
        deleted: false,
    }
}

fn file(zone: &str, start: &str) -> String {
    invite(
        &stored(utc(start), 0),
        Some(&company(zone)),
        Method::Request,
        "book.example.com",
        utc("2026-01-10T08:00:00Z"),
    )
}

fn value<'a>(component: &'a Component, name: &str) -> &'a str {
    component
        .find_prop(name)
        .unwrap_or_else(|| panic!("{name} in {}", component.name.as_str()))
        .val
        .as_str()
}

fn child<'a>(parent: &'a Component<'a>, name: &str) -> Option<&'a Component<'a>> {
    parent.components.iter().find(|c| c.name == name)
}

fn offset_seconds(text: &str) -> i32 {
    let sign = if text.starts_with('-') { -1 } else { 1 };
    let digits: Vec<i32> = text.as_bytes()[1..]
        .chunks(2)
        .map(|d| {
            std::str::from_utf8(d)
                .expect("ascii")
                .parse()
                .expect("digits")
        })
        .collect();
    sign * (digits[0] * 3600 + digits[1] * 60 + digits.get(2).copied().unwrap_or(0))
}

fn local(text: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(text, "%Y%m%dT%H%M%S").expect("local date-time")
}

/// The zone as the file describes it: every onset (UTC) with the offset it starts, in time order.
/// DTSTART and RDATEs are wall times in TZOFFSETFROM; RRULE expands DTSTART (RFC 5545 §3.6.5).
fn onsets(vtimezone: &Component) -> Vec<(DateTime<Utc>, i32)> {
    let mut all = Vec::new();
    for observance in &vtimezone.components {
        assert!(["STANDARD", "DAYLIGHT"].contains(&observance.name.as_str()));
        let from = offset_seconds(value(observance, "TZOFFSETFROM"));
        let to = offset_seconds(value(observance, "TZOFFSETTO"));
        let start = value(observance, "DTSTART");
        let mut walls = vec![local(start)];
        if let Some(rule) = observance.find_prop("RRULE") {
            // Expanded on a UTC axis: the rule is about wall-clock dates, which this keeps intact.
            let set: RRuleSet = format!("DTSTART:{start}Z\nRRULE:{}", rule.val.as_str())
                .parse()
                .expect("RRULE");
            let set = set.before(utc("2040-01-01T00:00:00Z").with_timezone(&rrule::Tz::UTC));
            walls = set.all(200).dates.iter().map(|d| d.naive_utc()).collect();
        }
        for rdate in observance.properties.iter().filter(|p| p.name == "RDATE") {
            walls.extend(rdate.val.as_str().split(',').map(local));
        }
        all.extend(
            walls
                .into_iter()
                .map(|wall| ((wall - Duration::seconds(from.into())).and_utc(), to)),
        );
    }
    all.sort();
    all
}

/// The offset the file gives for the instant `at`.
fn offset_at(onsets: &[(DateTime<Utc>, i32)], at: DateTime<Utc>) -> i32 {
    onsets
        .iter()
        .rev()
        .find(|(onset, _)| *onset <= at)
        .map(|(_, offset)| *offset)
        .unwrap_or_else(|| panic!("no observance covers {at}"))
}

/// A `DTSTART`/`DTEND` read back: `Z` is UTC; with `TZID` the wall time is resolved through the file's
/// VTIMEZONE (the earliest instant that shows it).
fn instant(calendar: &[Component], property: &str) -> DateTime<Utc> {
    let event = calendar
        .iter()
        .find(|c| c.name == "VEVENT")
        .expect("VEVENT");
    let prop = event.find_prop(property).expect("time");
    let text = prop.val.as_str();
    if let Some(utc_text) = text.strip_suffix('Z') {
        return local(utc_text).and_utc();
    }
    let tzid = prop
        .params
        .iter()
        .find(|p| p.key == "TZID")
        .and_then(|p| p.val.as_ref())
        .expect("TZID or Z")
        .as_str();
    let vtimezone = calendar
        .iter()
        .find(|c| c.name == "VTIMEZONE" && value(c, "TZID") == tzid)
        .expect("the VTIMEZONE the time names");
    let onsets = onsets(vtimezone);
    let wall = local(text);
    let mut offsets: Vec<i32> = onsets.iter().map(|(_, o)| *o).collect();
    offsets.sort();
    offsets.dedup();
    offsets
        .iter()
        .map(|o| (wall - Duration::seconds((*o).into())).and_utc())
        .filter(|at| offset_at(&onsets, *at) as i64 == (wall.and_utc() - *at).num_seconds())
        .min()
        .expect("a wall time the zone shows")
}

fn parse(text: &str) -> Vec<Component<'static>> {
    // Leaked so the parsed tree (which borrows it) can be returned; a few KB per test.
    let unfolded: &'static str = Box::leak(unfold(text).into_boxed_str());
    let calendar = read_calendar(unfolded).expect("a valid iCalendar file");
    assert_eq!(
        calendar
            .properties
            .iter()
            .find(|p| p.name == "VERSION")
            .map(|p| p.val.as_str()),
        Some("2.0")
    );
    calendar.components
}

/// Offsets the file gives in winter and summer of the event's year and the next.
fn seasonal_offsets(zone: &str) -> Vec<i32> {
    let calendar = parse(&file(zone, "2026-06-10T08:00:00Z"));
    let vtimezone = calendar
        .iter()
        .find(|c| c.name == "VTIMEZONE")
        .expect("VTIMEZONE");
    assert_eq!(value(vtimezone, "TZID"), zone);
    let onsets = onsets(vtimezone);
    [
        "2026-01-15T12:00:00Z",
        "2026-07-15T12:00:00Z",
        "2027-01-15T12:00:00Z",
        "2027-07-15T12:00:00Z",
    ]
    .into_iter()
    .map(|at| offset_at(&onsets, utc(at)))
    .collect()
}

#[test]
fn vtimezone_rules_give_each_season_its_offset() {
    let (h, m) = (3600, 60);
    assert_eq!(seasonal_offsets("Europe/Paris"), [h, 2 * h, h, 2 * h]);
    assert_eq!(
        seasonal_offsets("America/New_York"),
        [-5 * h, -4 * h, -5 * h, -4 * h]
    );
    assert_eq!(
        seasonal_offsets("Australia/Sydney"),
        [11 * h, 10 * h, 11 * h, 10 * h],
        "southern summer time in January"
    );
    let kolkata = 5 * h + 30 * m;
    assert_eq!(seasonal_offsets("Asia/Kolkata"), [kolkata; 4]);
}

#[test]
fn zones_get_their_real_observances() {
    let kinds = |zone: &str| -> Vec<String> {
        let calendar = parse(&file(zone, "2026-06-10T08:00:00Z"));
        let vtimezone = calendar.iter().find(|c| c.name == "VTIMEZONE");
        vtimezone.map_or(Vec::new(), |v| {
            v.components
                .iter()
                .map(|c| c.name.as_str().to_owned())
                .collect()
        })
    };
    let mut paris = kinds("Europe/Paris");
    paris.sort();
    assert_eq!(paris, ["DAYLIGHT", "STANDARD"]);
    assert_eq!(kinds("Asia/Kolkata"), ["STANDARD"], "no DST: one STANDARD");
    assert!(kinds("UTC").is_empty(), "UTC: no VTIMEZONE");
    let utc_file = parse(&file("UTC", "2026-06-10T08:00:00Z"));
    assert_eq!(instant(&utc_file, "DTSTART"), utc("2026-06-10T08:00:00Z"));
    assert_eq!(
        value(
            utc_file.iter().find(|c| c.name == "VEVENT").expect("event"),
            "DTSTART"
        ),
        "20260610T080000Z"
    );
}

#[test]
fn paris_dst_weekend_resolves_through_the_files_own_vtimezone() {
    for start in [
        // Spring forward on 2026-03-29: 01:30 CET, 03:30 CEST the same night, 09:00 CEST.
        "2026-03-29T00:30:00Z",
        "2026-03-29T01:30:00Z",
        "2026-03-29T07:00:00Z",
        // Fall back on 2026-10-25: 02:30 happens twice (00:30Z CEST, 01:30Z CET), then 09:00 CET.
        "2026-10-25T00:30:00Z",
        "2026-10-25T01:30:00Z",
        "2026-10-25T08:00:00Z",
        // A date past the window's first year, from the same rules.
        "2027-10-31T08:00:00Z",
    ] {
        let calendar = parse(&file("Europe/Paris", start));
        assert_eq!(instant(&calendar, "DTSTART"), utc(start), "start {start}");
        assert_eq!(
            instant(&calendar, "DTEND"),
            utc(start) + Duration::minutes(45),
            "end of {start}"
        );
    }
    let spring = parse(&file("Europe/Paris", "2026-03-29T07:00:00Z"));
    let event = spring.iter().find(|c| c.name == "VEVENT").expect("event");
    assert_eq!(value(event, "DTSTART"), "20260329T090000");
}

#[test]
fn request_carries_identity_people_and_an_alarm() {
    let calendar = parse(&file("Europe/Paris", "2026-06-10T08:00:00Z"));
    let event = calendar.iter().find(|c| c.name == "VEVENT").expect("event");
    assert_eq!(value(event, "UID"), "demo-a1b2c3@book.example.com");
    assert_eq!(value(event, "SEQUENCE"), "0");
    assert_eq!(value(event, "DTSTAMP"), "20260110T080000Z");
    assert_eq!(value(event, "STATUS"), "CONFIRMED");
    let organizer = event.find_prop("ORGANIZER").expect("organizer");
    assert_eq!(organizer.val.as_str(), "mailto:hello@salon.example");
    let attendee = event.find_prop("ATTENDEE").expect("attendee");
    assert_eq!(attendee.val.as_str(), "mailto:ada@example.com");
    let summary = event.find_prop("SUMMARY").expect("summary").clone();
    assert_eq!(
        summary.val.unescape_text().as_str(),
        "Haircut — Salon, Paris; 11e"
    );
    let alarm = child(event, "VALARM").expect("VALARM");
    assert_eq!(value(alarm, "ACTION"), "DISPLAY");
    assert!(
        value(alarm, "TRIGGER").starts_with("-PT"),
        "before the start"
    );
}

#[test]
fn sequence_counts_changes_and_cancel_drops_the_alarm() {
    let start = utc("2026-06-10T08:00:00Z");
    let now = utc("2026-01-10T08:00:00Z");
    let paris = company("Europe/Paris");
    let sequence = |changes| {
        let text = invite(
            &stored(start, changes),
            Some(&paris),
            Method::Request,
            "h",
            now,
        );
        let calendar = parse(&text);
        let event = calendar.iter().find(|c| c.name == "VEVENT").expect("event");
        value(event, "SEQUENCE").parse::<u32>().expect("number")
    };
    assert!(sequence(0) < sequence(1) && sequence(1) < sequence(2));

    let mut cancelled = stored(start, 1);
    cancelled.appointment.status = Some(AppointmentStatus::Cancelled);
    assert_eq!(Method::for_appointment(&cancelled), Method::Cancel);
    let calendar = parse(&invite(&cancelled, Some(&paris), Method::Cancel, "h", now));
    let method = read_method(&invite(&cancelled, Some(&paris), Method::Cancel, "h", now));
    assert_eq!(method, "CANCEL");
    let event = calendar.iter().find(|c| c.name == "VEVENT").expect("event");
    assert_eq!(value(event, "STATUS"), "CANCELLED");
    assert!(child(event, "VALARM").is_none());

    let mut deleted = stored(start, 0);
    deleted.deleted = true;
    assert_eq!(Method::for_appointment(&deleted), Method::Cancel);
}

fn read_method(text: &str) -> String {
    let unfolded = unfold(text);
    let calendar = read_calendar(&unfolded).expect("valid");
    let method = calendar
        .properties
        .iter()
        .find(|p| p.name == "METHOD")
        .expect("METHOD");
    method.val.as_str().to_owned()
}

#[test]
fn folds_long_lines_and_escapes_text() {
    let long = format!("SUMMARY:{}", "é".repeat(60));
    let folded = fold(&long);
    assert!(folded.split("\r\n").all(|l| l.len() <= 75));
    assert_eq!(folded.replace("\r\n ", ""), format!("{long}\r\n"));
    assert_eq!(escape("a,b;c\\d\ne"), "a\\,b\\;c\\\\d\\ne");
    assert_eq!(param("Ada \"the\" Countess"), "\"Ada the Countess\"");
}

#[test]
fn uid_host_comes_from_the_public_url_only() {
    let mut config = Config::default();
    assert_eq!(uid_host(&config), "booking-server");
    config.public_url = Some("https://book.example.com:8443/base/".into());
    assert_eq!(uid_host(&config), "book.example.com:8443");
}

#[test]
fn a_zone_that_changed_its_rules_gets_explicit_observances() {
    // Mexico City dropped DST after 30 October 2022: no yearly rule fits 2022–2025.
    let calendar = parse(&file("America/Mexico_City", "2023-06-10T15:00:00Z"));
    let vtimezone = calendar
        .iter()
        .find(|c| c.name == "VTIMEZONE")
        .expect("VTIMEZONE");
    assert!(vtimezone
        .components
        .iter()
        .all(|c| c.find_prop("RRULE").is_none()));
    let onsets = onsets(vtimezone);
    let h = 3600;
    assert_eq!(offset_at(&onsets, utc("2022-01-15T12:00:00Z")), -6 * h);
    assert_eq!(offset_at(&onsets, utc("2022-07-15T12:00:00Z")), -5 * h);
    assert_eq!(offset_at(&onsets, utc("2023-07-15T12:00:00Z")), -6 * h);
    assert_eq!(instant(&calendar, "DTSTART"), utc("2023-06-10T15:00:00Z"));
}

#[test]
fn the_description_is_in_the_readers_language() {
    let start = utc("2026-06-10T08:00:00Z");
    let mut online = stored(start, 0);
    online.appointment.location = Some(Location::Videoconference);
    online.appointment.staff = Some(booking_model::StaffRef {
        first_name: Some("Hugo".into()),
        ..booking_model::StaffRef::default()
    });
    online.appointment.online_meeting = Some(booking_model::OnlineMeeting {
        video_link: Some("https://meet.example/r".into()),
        ..booking_model::OnlineMeeting::default()
    });
    let description = |lang: &str| {
        let text = invite_in(
            &online,
            Some(&company("Europe/Paris")),
            Method::Request,
            "h",
            start,
            lang,
        );
        let calendar = parse(&text);
        let event = calendar.iter().find(|c| c.name == "VEVENT").expect("event");
        value(event, "DESCRIPTION").to_owned()
    };
    assert_eq!(
        description("fr"),
        "Référence: K7M-4QX2\nAvec: Hugo\nLien vidéo: https://meet.example/r"
    );
    let english = description("en");
    assert!(english.starts_with("Reference: K7M-4QX2"), "{english}");
    for lang in crate::notify::strings::LANGS
        .into_iter()
        .filter(|l| *l != "en")
    {
        assert_ne!(description(lang), english, "{lang}");
    }
}
