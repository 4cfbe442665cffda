//! Google Calendar: the secret iCal address of a staff member's calendar (and its CalDAV view, which
//! holds the same VEVENTs). Google names zones by IANA id with an `X-LIC-LOCATION` VTIMEZONE, writes
//! all-day events as `VALUE=DATE`, UNTIL in UTC, and moved instances as a second VEVENT with the
//! series' UID and a RECURRENCE-ID.

use super::*;

/// A Google feed holding `events`.
fn google(events: &str) -> String {
    crlf(&format!(
        "
BEGIN:VCALENDAR
PRODID:-//Google Inc//Google Calendar 70.9054//EN
VERSION:2.0
CALSCALE:GREGORIAN
METHOD:PUBLISH
X-WR-CALNAME:Camille Martin
X-WR-TIMEZONE:Europe/Paris
BEGIN:VTIMEZONE
TZID:Europe/Paris
X-LIC-LOCATION:Europe/Paris
BEGIN:DAYLIGHT
TZOFFSETFROM:+0100
TZOFFSETTO:+0200
TZNAME:CEST
DTSTART:19700329T020000
RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU
END:DAYLIGHT
BEGIN:STANDARD
TZOFFSETFROM:+0200
TZOFFSETTO:+0100
TZNAME:CET
DTSTART:19701025T030000
RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU
END:STANDARD
END:VTIMEZONE
{}END:VCALENDAR
",
        events.trim_start()
    ))
}

/// Yoga every Monday 09:00–10:00 Paris time since January 2026 (`extra` adds lines to it).
fn weekly_yoga(extra: &str) -> String {
    format!(
        "
BEGIN:VEVENT
DTSTART;TZID=Europe/Paris:20260105T090000
DTEND;TZID=Europe/Paris:20260105T100000
RRULE:FREQ=WEEKLY;BYDAY=MO
{extra}DTSTAMP:20261201T101500Z
UID:4k1n2o3p4q5r6s7t8u9v0w1x2y@google.com
CREATED:20251220T160102Z
DESCRIPTION:Cours de yoga\\, salle 2. Prévenir l'accueil en cas d'absence\\, merci
  de noter que la salle change en avril.
LAST-MODIFIED:20260301T090000Z
LOCATION:
SEQUENCE:2
STATUS:CONFIRMED
SUMMARY:Yoga
TRANSP:OPAQUE
END:VEVENT
"
    )
}

#[test]
fn a_weekly_paris_event_stays_at_nine_local_across_the_end_of_march() {
    let busy = busy(
        &google(&weekly_yoga("")),
        "2026-03-16T00:00:00Z",
        "2026-04-07T00:00:00Z",
    );
    // 09:00 CET is 08:00Z; from Monday 30 March, 09:00 CEST is 07:00Z.
    assert_eq!(
        spans(&busy),
        [
            "2026-03-16T08:00Z/2026-03-16T09:00Z",
            "2026-03-23T08:00Z/2026-03-23T09:00Z",
            "2026-03-30T07:00Z/2026-03-30T08:00Z",
            "2026-04-06T07:00Z/2026-04-06T08:00Z",
        ]
    );
    assert_eq!((busy.events, busy.skipped.len()), (1, 0));
}

#[test]
fn a_weekly_paris_event_stays_at_nine_local_across_the_end_of_october() {
    let busy = busy(
        &google(&weekly_yoga("")),
        "2026-10-12T00:00:00Z",
        "2026-11-03T00:00:00Z",
    );
    assert_eq!(
        spans(&busy),
        [
            "2026-10-12T07:00Z/2026-10-12T08:00Z",
            "2026-10-19T07:00Z/2026-10-19T08:00Z",
            "2026-10-26T08:00Z/2026-10-26T09:00Z",
            "2026-11-02T08:00Z/2026-11-02T09:00Z",
        ]
    );
}

#[test]
fn an_exdate_removes_one_instance() {
    let ics = google(&weekly_yoga("EXDATE;TZID=Europe/Paris:20260323T090000\n"));
    let busy = busy(&ics, "2026-03-16T00:00:00Z", "2026-04-01T00:00:00Z");
    assert_eq!(
        spans(&busy),
        [
            "2026-03-16T08:00Z/2026-03-16T09:00Z",
            "2026-03-30T07:00Z/2026-03-30T08:00Z",
        ]
    );
}

#[test]
fn a_recurrence_id_moves_its_instance() {
    let moved = "
BEGIN:VEVENT
DTSTART;TZID=Europe/Paris:20260324T140000
DTEND;TZID=Europe/Paris:20260324T150000
DTSTAMP:20261201T101500Z
UID:4k1n2o3p4q5r6s7t8u9v0w1x2y@google.com
RECURRENCE-ID;TZID=Europe/Paris:20260323T090000
CREATED:20251220T160102Z
LAST-MODIFIED:20260318T071244Z
SEQUENCE:3
STATUS:CONFIRMED
SUMMARY:Yoga (déplacé au mardi)
TRANSP:OPAQUE
END:VEVENT
";
    let ics = google(&(weekly_yoga("") + moved));
    let busy = busy(&ics, "2026-03-16T00:00:00Z", "2026-04-01T00:00:00Z");
    assert_eq!(
        spans(&busy),
        [
            "2026-03-16T08:00Z/2026-03-16T09:00Z",
            "2026-03-24T13:00Z/2026-03-24T14:00Z",
            "2026-03-30T07:00Z/2026-03-30T08:00Z",
        ]
    );
    assert_eq!(busy.events, 2);
}

#[test]
fn an_all_day_event_is_busy_from_midnight_to_midnight_in_the_company_zone() {
    let ics = google(
        "
BEGIN:VEVENT
DTSTART;VALUE=DATE:20260328
DTEND;VALUE=DATE:20260330
DTSTAMP:20261201T101500Z
UID:0a1b2c3d4e5f6g7h8i9j0k1l2m@google.com
CREATED:20260201T120000Z
LAST-MODIFIED:20260201T120000Z
SEQUENCE:0
STATUS:CONFIRMED
SUMMARY:Week-end à Lyon
TRANSP:OPAQUE
END:VEVENT
",
    );
    // Paris midnight on the 28th (CET) to Paris midnight on the 30th (CEST): 47 hours.
    let paris = busy(&ics, "2026-03-01T00:00:00Z", "2026-04-01T00:00:00Z");
    assert_eq!(spans(&paris), ["2026-03-27T23:00Z/2026-03-29T22:00Z"]);
    let new_york = busy_in(
        &ics,
        Tz::America__New_York,
        "2026-03-01T00:00:00Z",
        "2026-04-01T00:00:00Z",
    );
    assert_eq!(spans(&new_york), ["2026-03-28T04:00Z/2026-03-30T04:00Z"]);
}

#[test]
fn an_all_day_event_without_an_end_lasts_one_day() {
    let ics = google(
        "
BEGIN:VEVENT
DTSTART;VALUE=DATE:20260410
DTSTAMP:20261201T101500Z
UID:1a1b2c3d4e5f6g7h8i9j0k1l2m@google.com
SUMMARY:Formation
TRANSP:OPAQUE
END:VEVENT
",
    );
    let busy = busy(&ics, "2026-04-01T00:00:00Z", "2026-05-01T00:00:00Z");
    assert_eq!(spans(&busy), ["2026-04-09T22:00Z/2026-04-10T22:00Z"]);
}

#[test]
fn a_transparent_event_is_not_busy() {
    let ics = google(
        "
BEGIN:VEVENT
DTSTART;TZID=Europe/Paris:20260415T120000
DTEND;TZID=Europe/Paris:20260415T130000
DTSTAMP:20261201T101500Z
UID:2a1b2c3d4e5f6g7h8i9j0k1l2m@google.com
SUMMARY:Déjeuner (disponible)
STATUS:CONFIRMED
TRANSP:TRANSPARENT
END:VEVENT
",
    );
    let busy = busy(&ics, "2026-04-01T00:00:00Z", "2026-05-01T00:00:00Z");
    assert_eq!(spans(&busy), Vec::<String>::new());
    assert_eq!(busy.events, 1, "read, and free");
}

#[test]
fn a_cancelled_event_is_not_busy() {
    let ics = google(
        "
BEGIN:VEVENT
DTSTART:20260415T100000Z
DTEND:20260415T110000Z
DTSTAMP:20261201T101500Z
UID:3a1b2c3d4e5f6g7h8i9j0k1l2m@google.com
SUMMARY:Rendez-vous banque
STATUS:CANCELLED
TRANSP:OPAQUE
END:VEVENT
",
    );
    let busy = busy(&ics, "2026-04-01T00:00:00Z", "2026-05-01T00:00:00Z");
    assert_eq!(spans(&busy), Vec::<String>::new());
    assert_eq!(busy.events, 1);
}

#[test]
fn a_utc_event_is_read_as_utc() {
    let ics = google(
        "
BEGIN:VEVENT
DTSTART:20260415T100000Z
DTEND:20260415T113000Z
DTSTAMP:20261201T101500Z
UID:5a1b2c3d4e5f6g7h8i9j0k1l2m@google.com
SUMMARY:Visio fournisseur
TRANSP:OPAQUE
END:VEVENT
",
    );
    let busy = busy(&ics, "2026-04-01T00:00:00Z", "2026-05-01T00:00:00Z");
    assert_eq!(spans(&busy), ["2026-04-15T10:00Z/2026-04-15T11:30Z"]);
}

#[test]
fn a_rule_with_count_stops_after_count_instances() {
    let ics = google(
        "
BEGIN:VEVENT
DTSTART;TZID=Europe/Paris:20260504T100000
DTEND;TZID=Europe/Paris:20260504T103000
RRULE:FREQ=DAILY;COUNT=3
DTSTAMP:20261201T101500Z
UID:6a1b2c3d4e5f6g7h8i9j0k1l2m@google.com
SUMMARY:Kiné
TRANSP:OPAQUE
END:VEVENT
",
    );
    let busy = busy(&ics, "2026-05-01T00:00:00Z", "2026-06-01T00:00:00Z");
    assert_eq!(
        spans(&busy),
        [
            "2026-05-04T08:00Z/2026-05-04T08:30Z",
            "2026-05-05T08:00Z/2026-05-05T08:30Z",
            "2026-05-06T08:00Z/2026-05-06T08:30Z",
        ]
    );
}

#[test]
fn a_rule_with_until_in_utc_stops_at_until() {
    let ics = google(
        "
BEGIN:VEVENT
DTSTART;TZID=Europe/Paris:20260428T100000
DTEND;TZID=Europe/Paris:20260428T110000
RRULE:FREQ=WEEKLY;WKST=MO;UNTIL=20260519T215959Z;BYDAY=TU
DTSTAMP:20261201T101500Z
UID:7a1b2c3d4e5f6g7h8i9j0k1l2m@google.com
SUMMARY:Cours d'anglais
TRANSP:OPAQUE
END:VEVENT
",
    );
    let busy = busy(&ics, "2026-04-01T00:00:00Z", "2026-07-01T00:00:00Z");
    assert_eq!(
        spans(&busy),
        [
            "2026-04-28T08:00Z/2026-04-28T09:00Z",
            "2026-05-05T08:00Z/2026-05-05T09:00Z",
            "2026-05-12T08:00Z/2026-05-12T09:00Z",
            "2026-05-19T08:00Z/2026-05-19T09:00Z",
        ]
    );
}

#[test]
fn an_all_day_rule_with_a_date_until_includes_that_day_in_the_company_zone() {
    let ics = google(
        "
BEGIN:VEVENT
DTSTART;VALUE=DATE:20260601
DTEND;VALUE=DATE:20260602
RRULE:FREQ=DAILY;UNTIL=20260603
DTSTAMP:20261201T101500Z
UID:8a1b2c3d4e5f6g7h8i9j0k1l2m@google.com
SUMMARY:Salon professionnel
TRANSP:OPAQUE
END:VEVENT
",
    );
    // West of UTC, the 3rd starts after 3 June 00:00Z: UNTIL is that whole day, in the zone.
    let busy = busy_in(
        &ics,
        Tz::America__New_York,
        "2026-05-01T00:00:00Z",
        "2026-07-01T00:00:00Z",
    );
    assert_eq!(spans(&busy), ["2026-06-01T04:00Z/2026-06-04T04:00Z"]);
}
