//! iCloud and Fastmail over CalDAV (a calendar-query REPORT gives one VCALENDAR per event; they
//! arrive here concatenated), and their free-busy answers. They write full VTIMEZONEs, DURATION
//! instead of DTEND, floating times, RDATE lists, and cancelled instances as overrides.

use super::*;

/// One CalDAV resource as iCloud stores it.
fn icloud(events: &str) -> String {
    crlf(&format!(
        "
BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//Apple Inc.//macOS 15.1//EN
CALSCALE:GREGORIAN
BEGIN:VTIMEZONE
TZID:Europe/Paris
BEGIN:DAYLIGHT
TZOFFSETFROM:+0100
RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU
DTSTART:19810329T020000
TZNAME:UTC+2
TZOFFSETTO:+0200
END:DAYLIGHT
BEGIN:STANDARD
TZOFFSETFROM:+0200
RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU
DTSTART:19961027T030000
TZNAME:UTC+1
TZOFFSETTO:+0100
END:STANDARD
END:VTIMEZONE
{}END:VCALENDAR
",
        events.trim_start()
    ))
}

/// One CalDAV resource as Fastmail (Cyrus) stores it.
fn fastmail(events: &str) -> String {
    crlf(&format!(
        "
BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//Fastmail/2020.5/EN
{}END:VCALENDAR
",
        events.trim_start()
    ))
}

#[test]
fn a_cancelled_override_removes_its_instance() {
    let ics = icloud(
        "
BEGIN:VEVENT
CREATED:20260102T091500Z
DTEND;TZID=Europe/Paris:20260105T100000
DTSTAMP:20261201T101500Z
DTSTART;TZID=Europe/Paris:20260105T090000
LAST-MODIFIED:20260320T081000Z
RRULE:FREQ=WEEKLY
SEQUENCE:0
SUMMARY:Réunion d'équipe
UID:9E0A5B4C-3D2E-4F1A-8B7C-6D5E4F3A2B1C
X-APPLE-TRAVEL-ADVISORY-BEHAVIOR:AUTOMATIC
END:VEVENT
BEGIN:VEVENT
CREATED:20260102T091500Z
DTEND;TZID=Europe/Paris:20260330T100000
DTSTAMP:20261201T101500Z
DTSTART;TZID=Europe/Paris:20260330T090000
LAST-MODIFIED:20260320T081000Z
RECURRENCE-ID;TZID=Europe/Paris:20260330T090000
SEQUENCE:1
STATUS:CANCELLED
SUMMARY:Réunion d'équipe
UID:9E0A5B4C-3D2E-4F1A-8B7C-6D5E4F3A2B1C
END:VEVENT
",
    );
    let busy = busy(&ics, "2026-03-23T00:00:00Z", "2026-04-07T00:00:00Z");
    assert_eq!(
        spans(&busy),
        [
            "2026-03-23T08:00Z/2026-03-23T09:00Z",
            "2026-04-06T07:00Z/2026-04-06T08:00Z",
        ]
    );
}

#[test]
fn rdates_add_instances_in_their_zone() {
    let ics = icloud(
        "
BEGIN:VEVENT
DTSTART;TZID=Europe/Paris:20260413T170000
DTEND;TZID=Europe/Paris:20260413T180000
RDATE;TZID=Europe/Paris:20260420T170000,20260427T170000
DTSTAMP:20261201T101500Z
SUMMARY:Permanence
UID:B3C4D5E6-F7A8-4B9C-8D0E-1F2A3B4C5D6E
END:VEVENT
",
    );
    let busy = busy(&ics, "2026-04-01T00:00:00Z", "2026-05-01T00:00:00Z");
    assert_eq!(
        spans(&busy),
        [
            "2026-04-13T15:00Z/2026-04-13T16:00Z",
            "2026-04-20T15:00Z/2026-04-20T16:00Z",
            "2026-04-27T15:00Z/2026-04-27T16:00Z",
        ]
    );
}

#[test]
fn a_floating_time_is_read_in_the_company_zone() {
    let ics = fastmail(
        "
BEGIN:VEVENT
UID:5f1c9a52-8c1e-4d7e-9a4b-2f6e1d3c7b90
SEQUENCE:0
DTSTAMP:20261201T101500Z
CREATED:20260401T080000Z
DTSTART:20260415T100000
DURATION:PT1H
SUMMARY:Dentiste
END:VEVENT
",
    );
    let paris = busy(&ics, "2026-04-01T00:00:00Z", "2026-05-01T00:00:00Z");
    assert_eq!(spans(&paris), ["2026-04-15T08:00Z/2026-04-15T09:00Z"]);
    let new_york = busy_in(
        &ics,
        Tz::America__New_York,
        "2026-04-01T00:00:00Z",
        "2026-05-01T00:00:00Z",
    );
    assert_eq!(spans(&new_york), ["2026-04-15T14:00Z/2026-04-15T15:00Z"]);
}

#[test]
fn a_duration_gives_the_end() {
    let ics = fastmail(
        "
BEGIN:VEVENT
UID:6a2d0b63-9d2f-4e8f-ab5c-3a7f2e4d8c01
DTSTAMP:20261201T101500Z
DTSTART;TZID=Europe/Paris:20260416T140000
DURATION:PT1H45M
SUMMARY:Contrôle technique
END:VEVENT
",
    );
    let busy = busy(&ics, "2026-04-01T00:00:00Z", "2026-05-01T00:00:00Z");
    assert_eq!(spans(&busy), ["2026-04-16T12:00Z/2026-04-16T13:45Z"]);
}

#[test]
fn a_rule_with_a_local_until_stops_at_that_wall_time() {
    let ics = fastmail(
        "
BEGIN:VEVENT
UID:7b3e1c74-ae30-4f90-bc6d-4b803f5e9d12
DTSTAMP:20261201T101500Z
DTSTART:20260601T080000
DURATION:PT30M
RRULE:FREQ=DAILY;UNTIL=20260603T080000
SUMMARY:Footing
END:VEVENT
",
    );
    let busy = busy(&ics, "2026-05-01T00:00:00Z", "2026-07-01T00:00:00Z");
    assert_eq!(
        spans(&busy),
        [
            "2026-06-01T06:00Z/2026-06-01T06:30Z",
            "2026-06-02T06:00Z/2026-06-02T06:30Z",
            "2026-06-03T06:00Z/2026-06-03T06:30Z",
        ]
    );
}

#[test]
fn caldav_resources_arrive_concatenated() {
    let one = icloud(
        "
BEGIN:VEVENT
DTSTART;TZID=Europe/Paris:20260420T090000
DTEND;TZID=Europe/Paris:20260420T093000
DTSTAMP:20261201T101500Z
SUMMARY:Appel
UID:C1C1C1C1-0000-4000-8000-000000000001
END:VEVENT
",
    );
    let two = icloud(
        "
BEGIN:VEVENT
DTSTART;TZID=Europe/Paris:20260421T090000
DTEND;TZID=Europe/Paris:20260421T093000
DTSTAMP:20261201T101500Z
SUMMARY:Appel
UID:C1C1C1C1-0000-4000-8000-000000000002
END:VEVENT
",
    );
    let busy = busy(
        &(one + &two),
        "2026-04-01T00:00:00Z",
        "2026-05-01T00:00:00Z",
    );
    assert_eq!(
        spans(&busy),
        [
            "2026-04-20T07:00Z/2026-04-20T07:30Z",
            "2026-04-21T07:00Z/2026-04-21T07:30Z",
        ]
    );
}

#[test]
fn vfreebusy_busy_periods_count_and_free_ones_do_not() {
    let ics = crlf(
        "
BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//CyrusIMAP.org/Cyrus 3.9.0//EN
METHOD:REPLY
BEGIN:VFREEBUSY
UID:2b9c5e1a-4f0d-4c3b-9e8a-7d6c5b4a3f21
DTSTAMP:20261201T101500Z
DTSTART:20260601T000000Z
DTEND:20260608T000000Z
FREEBUSY;FBTYPE=BUSY:20260601T080000Z/20260601T090000Z,20260602T120000Z/PT30M
FREEBUSY;FBTYPE=BUSY-TENTATIVE:20260603T140000Z/20260603T150000Z
FREEBUSY;FBTYPE=BUSY-UNAVAILABLE:20260604T160000Z/20260604T170000Z
FREEBUSY:20260605T070000Z/20260605T073000Z
FREEBUSY;FBTYPE=FREE:20260605T080000Z/20260605T170000Z
END:VFREEBUSY
END:VCALENDAR
",
    );
    let busy = busy(&ics, "2026-06-01T00:00:00Z", "2026-06-08T00:00:00Z");
    assert_eq!(
        spans(&busy),
        [
            "2026-06-01T08:00Z/2026-06-01T09:00Z",
            "2026-06-02T12:00Z/2026-06-02T12:30Z",
            "2026-06-03T14:00Z/2026-06-03T15:00Z",
            "2026-06-04T16:00Z/2026-06-04T17:00Z",
            "2026-06-05T07:00Z/2026-06-05T07:30Z",
        ]
    );
    assert_eq!(busy.events, 1);
}

#[test]
fn a_thunderbird_tzid_with_a_vendor_prefix_is_its_iana_zone() {
    let ics = crlf(
        "
BEGIN:VCALENDAR
PRODID:-//Mozilla.org/NONSGML Mozilla Calendar V1.1//EN
VERSION:2.0
BEGIN:VEVENT
CREATED:20260401T080000Z
DTSTAMP:20261201T101500Z
UID:3f4a5b6c-7d8e-4f90-a1b2-c3d4e5f60718
SUMMARY:Atelier
DTSTART;TZID=/mozilla.org/20050126_1/Europe/Paris:20260422T150000
DTEND;TZID=/mozilla.org/20050126_1/Europe/Paris:20260422T160000
END:VEVENT
END:VCALENDAR
",
    );
    let busy = busy_in(
        &ics,
        Tz::UTC,
        "2026-04-01T00:00:00Z",
        "2026-05-01T00:00:00Z",
    );
    assert_eq!(spans(&busy), ["2026-04-22T13:00Z/2026-04-22T14:00Z"]);
    assert!(busy.unknown_zones.is_empty());
}

#[test]
fn our_own_events_are_skipped() {
    // What the CalDAV channel writes (booking::ics: UID = company-record@uid host), beside an
    // event whose UID only looks like ours.
    let ics = icloud(
        "
BEGIN:VEVENT
UID:demo-a1b2c3@Book.Example.com
DTSTAMP:20261201T101500Z
SEQUENCE:0
DTSTART;TZID=Europe/Paris:20260423T100000
DTEND;TZID=Europe/Paris:20260423T104500
SUMMARY:Coupe – Ada Lovelace
STATUS:CONFIRMED
END:VEVENT
BEGIN:VEVENT
UID:demo-d4e5f6@book.example.com.attacker.example
DTSTAMP:20261201T101500Z
DTSTART;TZID=Europe/Paris:20260424T100000
DTEND;TZID=Europe/Paris:20260424T110000
SUMMARY:Pas à nous
END:VEVENT
",
    );
    let busy = busy(&ics, "2026-04-01T00:00:00Z", "2026-05-01T00:00:00Z");
    assert_eq!(spans(&busy), ["2026-04-24T08:00Z/2026-04-24T09:00Z"]);
    assert_eq!((busy.events, busy.own_events), (2, 1));
}
