//! Outlook / Exchange: a published calendar (ICS). Zones are Windows names with the VTIMEZONE rules
//! written from year 1601; UNTIL in UTC; all-day events as `VALUE=DATE` with Microsoft's busy status.

use super::*;

/// A published Outlook calendar holding `events`, with the zone `tzid` (a Paris-like VTIMEZONE).
fn outlook(tzid: &str, events: &str) -> String {
    crlf(&format!(
        "
BEGIN:VCALENDAR
METHOD:PUBLISH
PRODID:Microsoft Exchange Server 2010
VERSION:2.0
X-WR-CALNAME:Calendrier
BEGIN:VTIMEZONE
TZID:{tzid}
BEGIN:STANDARD
DTSTART:16010101T030000
TZOFFSETFROM:+0200
TZOFFSETTO:+0100
RRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=-1SU;BYMONTH=10
END:STANDARD
BEGIN:DAYLIGHT
DTSTART:16010101T020000
TZOFFSETFROM:+0100
TZOFFSETTO:+0200
RRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=-1SU;BYMONTH=3
END:DAYLIGHT
END:VTIMEZONE
{}END:VCALENDAR
",
        events.trim_start()
    ))
}

fn team_meeting(tzid: &str) -> String {
    format!(
        "
BEGIN:VEVENT
DESCRIPTION:\\n
RRULE:FREQ=WEEKLY;UNTIL=20261102T080000Z;INTERVAL=1;BYDAY=MO;WKST=MO
EXDATE;TZID={tzid}:20261012T090000
UID:040000008200E00074C5B7101A82E00800000000D0F7AB6C1E5BDA01000000000000000010000000F3C8AB0B1A4DE94F8F7F8B6D3E9A1C2B
SUMMARY;LANGUAGE=fr-FR:Réunion d'équipe
DTSTART;TZID={tzid}:20260907T090000
DTEND;TZID={tzid}:20260907T093000
CLASS:PUBLIC
PRIORITY:5
DTSTAMP:20261201T101500Z
TRANSP:OPAQUE
STATUS:CONFIRMED
SEQUENCE:0
LOCATION;LANGUAGE=fr-FR:Salle Monet
X-MICROSOFT-CDO-APPT-SEQUENCE:0
X-MICROSOFT-CDO-BUSYSTATUS:BUSY
X-MICROSOFT-CDO-INTENDEDSTATUS:BUSY
X-MICROSOFT-CDO-ALLDAYEVENT:FALSE
X-MICROSOFT-CDO-IMPORTANCE:1
X-MICROSOFT-CDO-INSTTYPE:1
X-MICROSOFT-DONOTFORWARDMEETING:FALSE
X-MICROSOFT-DISALLOW-COUNTER:FALSE
END:VEVENT
"
    )
}

#[test]
fn a_windows_zone_name_is_its_iana_zone() {
    let ics = outlook(
        "Romance Standard Time",
        &team_meeting("Romance Standard Time"),
    );
    // A New York company: the times are Paris ones all the same.
    let busy = busy_in(
        &ics,
        Tz::America__New_York,
        "2026-10-05T00:00:00Z",
        "2026-11-20T00:00:00Z",
    );
    // 12 October is excluded; 2 November 09:00 CET is UNTIL itself (included); the 9th is past it.
    assert_eq!(
        spans(&busy),
        [
            "2026-10-05T07:00Z/2026-10-05T07:30Z",
            "2026-10-19T07:00Z/2026-10-19T07:30Z",
            "2026-10-26T08:00Z/2026-10-26T08:30Z",
            "2026-11-02T08:00Z/2026-11-02T08:30Z",
        ]
    );
    assert!(busy.unknown_zones.is_empty());
}

#[test]
fn a_quoted_windows_zone_name_is_its_iana_zone_too() {
    let ics = outlook(
        "W. Europe Standard Time",
        &team_meeting("\"W. Europe Standard Time\""),
    );
    let busy = busy_in(
        &ics,
        Tz::UTC,
        "2026-10-19T00:00:00Z",
        "2026-10-20T00:00:00Z",
    );
    assert_eq!(spans(&busy), ["2026-10-19T07:00Z/2026-10-19T07:30Z"]);
}

#[test]
fn an_unknown_zone_name_falls_back_to_the_company_zone_and_is_reported() {
    let ics = outlook(
        "Customized Time Zone",
        &team_meeting("Customized Time Zone"),
    );
    let busy = busy_in(
        &ics,
        Tz::UTC,
        "2026-10-19T00:00:00Z",
        "2026-10-20T00:00:00Z",
    );
    assert_eq!(spans(&busy), ["2026-10-19T09:00Z/2026-10-19T09:30Z"]);
    assert_eq!(busy.unknown_zones, ["Customized Time Zone"]);
}

#[test]
fn a_vtimezone_location_names_the_zone_of_an_unknown_tzid() {
    let ics = crlf(
        "
BEGIN:VCALENDAR
PRODID:-//K Desktop Environment//NONSGML KOrganizer 5.24//EN
VERSION:2.0
BEGIN:VTIMEZONE
TZID:Mitteleuropäische Zeit
X-LIC-LOCATION:Europe/Berlin
BEGIN:STANDARD
DTSTART:19701025T030000
TZOFFSETFROM:+0200
TZOFFSETTO:+0100
RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU
END:STANDARD
END:VTIMEZONE
BEGIN:VEVENT
UID:a8f1c2d3-e4b5-4a69-8870-91a2b3c4d5e6
DTSTAMP:20261201T101500Z
DTSTART;TZID=Mitteleuropäische Zeit:20261019T090000
DTEND;TZID=Mitteleuropäische Zeit:20261019T100000
SUMMARY:Inventaire
END:VEVENT
END:VCALENDAR
",
    );
    let busy = busy_in(
        &ics,
        Tz::UTC,
        "2026-10-19T00:00:00Z",
        "2026-10-20T00:00:00Z",
    );
    assert_eq!(spans(&busy), ["2026-10-19T07:00Z/2026-10-19T08:00Z"]);
    assert!(busy.unknown_zones.is_empty(), "{:?}", busy.unknown_zones);
}

#[test]
fn outlook_free_all_day_events_are_not_busy_and_out_of_office_ones_are() {
    let ics = outlook(
        "Romance Standard Time",
        "
BEGIN:VEVENT
UID:040000008200E00074C5B7101A82E00800000000A1B2C3D4E5F6DA01000000000000000010000000AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA
SUMMARY;LANGUAGE=fr-FR:Anniversaire de Léa
DTSTART;VALUE=DATE:20261224
DTEND;VALUE=DATE:20261225
DTSTAMP:20261201T101500Z
TRANSP:TRANSPARENT
X-MICROSOFT-CDO-BUSYSTATUS:FREE
X-MICROSOFT-CDO-ALLDAYEVENT:TRUE
END:VEVENT
BEGIN:VEVENT
UID:040000008200E00074C5B7101A82E00800000000A1B2C3D4E5F6DA01000000000000000010000000BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB
SUMMARY;LANGUAGE=fr-FR:Congés
DTSTART;VALUE=DATE:20261228
DTEND;VALUE=DATE:20261231
DTSTAMP:20261201T101500Z
TRANSP:OPAQUE
X-MICROSOFT-CDO-BUSYSTATUS:OOF
X-MICROSOFT-CDO-ALLDAYEVENT:TRUE
END:VEVENT
",
    );
    let busy = busy(&ics, "2026-12-01T00:00:00Z", "2027-01-01T00:00:00Z");
    assert_eq!(spans(&busy), ["2026-12-27T23:00Z/2026-12-30T23:00Z"]);
    assert_eq!(busy.events, 2);
}
