//! Input that is broken, hostile or merely unusual: never a panic, a document-level error only
//! when nothing is iCalendar, one bad event skipped and reported, expansions bounded.

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use super::super::{windows_zones::WINDOWS_TO_IANA, zones::known_zone, ReadError};
use super::*;

fn calendar(events: &str) -> String {
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

fn event(uid: &str, lines: &str) -> String {
    format!(
        "BEGIN:VEVENT\nUID:{uid}\nDTSTAMP:20261201T101500Z\n{}END:VEVENT\n",
        lines.trim_start()
    )
}

fn read(ics: &str) -> Result<BusyTime, ReadError> {
    let query = BusyQuery {
        zone: Tz::Europe__Paris,
        from: utc("2026-04-01T00:00:00Z"),
        to: utc("2026-05-01T00:00:00Z"),
        own_uid_host: OWN_HOST,
    };
    read_busy(ics, &query)
}

const GOOD: &str = "DTSTART:20260420T080000Z\nDTEND:20260420T090000Z\nSUMMARY:Bon\n";

#[test]
fn a_document_that_is_not_icalendar_is_an_error_naming_what_failed() {
    for text in [
        "",
        "<!DOCTYPE html><html><body>Sign in to continue</body></html>",
        "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Ada\r\nEND:VCARD\r\n",
        "\u{0}\u{1}\u{fffd}BEGIN:",
    ] {
        let error = read(text).expect_err(text);
        assert!(
            matches!(&error, ReadError::NotICalendar(reason) if reason.contains("VCALENDAR")),
            "{text:?}: {error}"
        );
    }
}

#[test]
fn an_empty_window_is_an_error() {
    let query = BusyQuery {
        zone: Tz::UTC,
        from: utc("2026-05-01T00:00:00Z"),
        to: utc("2026-05-01T00:00:00Z"),
        own_uid_host: OWN_HOST,
    };
    let error = read_busy(&calendar(""), &query).expect_err("empty window");
    assert!(matches!(error, ReadError::EmptyWindow { .. }), "{error}");
}

#[test]
fn an_event_with_a_bad_value_is_skipped_and_the_others_count() {
    let ics = calendar(
        &(event(
            "bad-date",
            "DTSTART:2026-04-21 08:00\nDTEND:20260421T090000Z\n",
        ) + &event(
            "bad-rule",
            "DTSTART:20260422T080000Z\nDTEND:20260422T090000Z\nRRULE:FREQ=SOMETIMES\n",
        ) + &event("no-start", "DTEND:20260423T090000Z\n")
            + &event(
                "backwards",
                "DTSTART:20260424T090000Z\nDTEND:20260424T080000Z\n",
            )
            + &event("good", GOOD)),
    );
    let busy = read(&ics).expect("the document is readable");
    assert_eq!(spans(&busy), ["2026-04-20T08:00Z/2026-04-20T09:00Z"]);
    assert_eq!(busy.events, 1);
    let skipped: Vec<(Option<&str>, &str)> = busy
        .skipped
        .iter()
        .map(|s| (s.uid.as_deref(), s.reason.as_str()))
        .collect();
    assert_eq!(skipped.len(), 4, "{skipped:?}");
    assert!(
        skipped[0].0 == Some("bad-date") && skipped[0].1.starts_with("DTSTART"),
        "{skipped:?}"
    );
    assert!(
        skipped[1].0 == Some("bad-rule") && skipped[1].1.starts_with("RRULE"),
        "{skipped:?}"
    );
    assert!(
        skipped[2].1.contains("DTSTART") && skipped[3].1.contains("ends before"),
        "{skipped:?}"
    );
}

#[test]
fn an_event_the_parser_rejects_is_skipped_and_the_others_count() {
    // A line without a colon makes the parser refuse the whole document.
    let ics = calendar(
        &(event(
            "broken",
            "DTSTART:20260421T080000Z\nTHIS LINE IS NOT A PROPERTY\n",
        ) + &event("good", GOOD)),
    );
    let busy = read(&ics).expect("the document is readable");
    assert_eq!(spans(&busy), ["2026-04-20T08:00Z/2026-04-20T09:00Z"]);
    assert_eq!(busy.skipped.len(), 1, "{:?}", busy.skipped);
    assert_eq!(busy.skipped[0].uid.as_deref(), Some("broken"));
    let reason = &busy.skipped[0].reason;
    assert!(reason.starts_with("VEVENT could not be parsed"), "{reason}");
    assert!(reason.contains("THIS LINE IS NOT A PROPERTY"), "{reason}");
}

#[test]
fn an_unbounded_rule_from_long_ago_is_cut_off_and_reported() {
    let ics = calendar(&event(
        "every-minute",
        "DTSTART:20000101T000000Z\nDURATION:PT1M\nRRULE:FREQ=MINUTELY\n",
    ));
    let busy = read(&ics).expect("readable");
    assert_eq!(busy.truncated_series, 1);
    assert!(busy.intervals.is_empty(), "{:?}", spans(&busy));
}

#[test]
fn the_instances_of_a_whole_document_are_capped_too() {
    // Three series of 40 instances, all before the window, on a budget of 100: the third stops.
    let series = |uid: &str| {
        event(
            uid,
            "DTSTART:20260301T000000Z\nDURATION:PT1M\nRRULE:FREQ=HOURLY;COUNT=40\n",
        )
    };
    let ics = calendar(&(series("one") + &series("two") + &series("three")));
    let query = BusyQuery {
        zone: Tz::UTC,
        from: utc("2026-04-01T00:00:00Z"),
        to: utc("2026-05-01T00:00:00Z"),
        own_uid_host: OWN_HOST,
    };
    let busy = super::super::busy::read_within(&ics, &query, 100).expect("readable");
    assert_eq!(busy.truncated_series, 1);
    let busy = super::super::busy::read_within(&ics, &query, 200).expect("readable");
    assert_eq!(busy.truncated_series, 0);
}

#[test]
fn a_rule_with_too_many_instances_in_the_window_is_cut_off_and_reported() {
    let ics = calendar(&event(
        "every-five-minutes",
        "DTSTART:20260401T000000Z\nDURATION:PT1M\nRRULE:FREQ=MINUTELY;INTERVAL=5\n",
    ));
    let busy = read(&ics).expect("readable");
    assert_eq!(busy.truncated_series, 1);
    assert_eq!(busy.intervals.len(), crate::calendar::MAX_IN_WINDOW);
}

#[test]
fn an_instance_that_started_before_the_window_still_counts() {
    // A weekly three-day course: the instance from Tuesday 31 March runs into April.
    let ics = calendar(&event(
        "course",
        "DTSTART;TZID=Europe/Paris:20260303T090000\nDTEND;TZID=Europe/Paris:20260305T180000\nRRULE:FREQ=WEEKLY;COUNT=5\n",
    ));
    let busy = read(&ics).expect("readable");
    assert_eq!(spans(&busy), ["2026-03-31T07:00Z/2026-04-02T16:00Z"]);
}

#[test]
fn overlapping_and_touching_events_are_merged_and_sorted() {
    let ics = calendar(
        &(event("c", "DTSTART:20260420T120000Z\nDTEND:20260420T130000Z\n")
            + &event("b", "DTSTART:20260420T083000Z\nDTEND:20260420T100000Z\n")
            + &event("a", GOOD)
            + &event("d", "DTSTART:20260420T100000Z\nDTEND:20260420T103000Z\n")
            + &event(
                "outside",
                "DTSTART:20260520T100000Z\nDTEND:20260520T103000Z\n",
            )),
    );
    let busy = read(&ics).expect("readable");
    assert_eq!(
        spans(&busy),
        [
            "2026-04-20T08:00Z/2026-04-20T10:30Z",
            "2026-04-20T12:00Z/2026-04-20T13:00Z",
        ]
    );
}

#[test]
fn a_wall_time_in_the_spring_gap_is_read_with_the_offset_before_it() {
    // 02:30 does not exist in Paris on 29 March 2026; RFC 5545 reads it as 02:30 CET.
    let ics = calendar(&event(
        "gap",
        "DTSTART;TZID=Europe/Paris:20260329T023000\nDURATION:PT1H\n",
    ));
    let query = BusyQuery {
        zone: Tz::UTC,
        from: utc("2026-03-28T00:00:00Z"),
        to: utc("2026-03-30T00:00:00Z"),
        own_uid_host: OWN_HOST,
    };
    let busy = read_busy(&ics, &query).expect("readable");
    assert_eq!(spans(&busy), ["2026-03-29T01:30Z/2026-03-29T02:30Z"]);
}

#[test]
fn every_windows_zone_name_maps_to_a_known_zone() {
    for (windows, iana) in WINDOWS_TO_IANA {
        assert!(known_zone(windows).is_some(), "{windows} → {iana}");
    }
}

/// Random damage to a realistic document (bytes cut, duplicated, replaced): every outcome is
/// a value, never a panic.
#[test]
fn damaged_documents_never_panic() {
    let mut ics = calendar(
        &(event(
            "series",
            "DTSTART;TZID=Europe/Paris:20260105T090000\nDTEND;TZID=Europe/Paris:20260105T100000\nRRULE:FREQ=WEEKLY;UNTIL=20261231T000000Z;BYDAY=MO,WE\nEXDATE;TZID=Europe/Paris:20260420T090000\nRDATE;VALUE=PERIOD:20260425T080000Z/PT2H\n",
        ) + &event(
            "series",
            "RECURRENCE-ID;TZID=Europe/Paris:20260422T090000\nDTSTART;TZID=W. Europe Standard Time:20260423T090000\nDURATION:P1DT2H\n",
        ) + &event("all-day", "DTSTART;VALUE=DATE:20260410\nDTEND;VALUE=DATE:20260412\n")),
    );
    ics.push_str(
        "BEGIN:VCALENDAR\r\nBEGIN:VFREEBUSY\r\nFREEBUSY;FBTYPE=BUSY:20260401T080000Z/20260401T090000Z\r\nEND:VFREEBUSY\r\nEND:VCALENDAR\r\n",
    );
    let junk: &[&str] = &[
        "",
        ":",
        ";",
        ",",
        "/",
        "T",
        "Z",
        "-",
        "9",
        "\r\n",
        "\r\n ",
        "é",
        "BEGIN:VEVENT\r\n",
        "END:VEVENT\r\n",
        "P",
        "=",
        "\"",
    ];
    let mut rng = StdRng::seed_from_u64(17);
    let mut outcomes = (0, 0);
    for _ in 0..400 {
        let mut damaged = ics.clone();
        for _ in 0..rng.gen_range(1..4) {
            let at = rng.gen_range(0..damaged.len());
            let at = (0..=at)
                .rev()
                .find(|i| damaged.is_char_boundary(*i))
                .unwrap_or(0);
            let len = rng.gen_range(0..12).min(damaged.len() - at);
            let end = (at + len..=damaged.len())
                .find(|i| damaged.is_char_boundary(*i))
                .unwrap_or(damaged.len());
            damaged.replace_range(at..end, junk[rng.gen_range(0..junk.len())]);
        }
        match read(&damaged) {
            Ok(_) => outcomes.0 += 1,
            Err(_) => outcomes.1 += 1,
        }
    }
    // Most damage stays local to one event.
    assert!(outcomes.0 > outcomes.1, "{outcomes:?}");
}

#[test]
fn a_date_until_on_a_timed_rule_includes_that_whole_day() {
    // Not what RFC 5545 asks (UNTIL should be a date-time here), but written by some clients.
    let ics = calendar(&event(
        "date-until",
        "DTSTART;TZID=Europe/Paris:20260427T100000\nDURATION:PT30M\nRRULE:FREQ=DAILY;UNTIL=20260429\n",
    ));
    let busy = read(&ics).expect("readable");
    assert_eq!(
        spans(&busy),
        [
            "2026-04-27T08:00Z/2026-04-27T08:30Z",
            "2026-04-28T08:00Z/2026-04-28T08:30Z",
            "2026-04-29T08:00Z/2026-04-29T08:30Z",
        ]
    );
}

#[test]
fn an_rdate_period_carries_its_own_length() {
    let ics = calendar(&event(
        "periods",
        "DTSTART:20260406T080000Z\nDTEND:20260406T090000Z\nRDATE;VALUE=PERIOD:20260330T080000Z/PT2H,20260413T080000Z/20260413T083000Z\n",
    ));
    // The period from 30 March runs into the window by its own length, not the event's.
    let query = BusyQuery {
        zone: Tz::UTC,
        from: utc("2026-03-30T09:30:00Z"),
        to: utc("2026-05-01T00:00:00Z"),
        own_uid_host: OWN_HOST,
    };
    let busy = read_busy(&ics, &query).expect("readable");
    assert_eq!(
        spans(&busy),
        [
            "2026-03-30T08:00Z/2026-03-30T10:00Z",
            "2026-04-06T08:00Z/2026-04-06T09:00Z",
            "2026-04-13T08:00Z/2026-04-13T08:30Z",
        ]
    );
}

#[test]
fn an_all_day_series_excludes_a_date() {
    let ics = calendar(&event(
        "market",
        "DTSTART;VALUE=DATE:20260404\nDTEND;VALUE=DATE:20260405\nRRULE:FREQ=WEEKLY;COUNT=3\nEXDATE;VALUE=DATE:20260411\n",
    ));
    let busy = read(&ics).expect("readable");
    assert_eq!(
        spans(&busy),
        [
            "2026-04-03T22:00Z/2026-04-04T22:00Z",
            "2026-04-17T22:00Z/2026-04-18T22:00Z"
        ]
    );
}

#[test]
fn a_rule_that_is_not_ascii_is_skipped_not_a_panic() {
    let ics = calendar(
        &(event(
            "odd",
            "DTSTART:20260421T080000Z\nDURATION:PT1H\nRRULE:FREQ=WEEKLY;BYDAY=éMO\n",
        ) + &event("good", GOOD)),
    );
    let busy = read(&ics).expect("readable");
    assert_eq!(spans(&busy), ["2026-04-20T08:00Z/2026-04-20T09:00Z"]);
    assert_eq!(busy.skipped.len(), 1);
}

#[test]
fn a_truncated_download_keeps_the_events_it_holds_whole() {
    let whole = calendar(&(event("good", GOOD) + &event("cut", GOOD)));
    let cut = &whole[..whole.rfind("DTEND").expect("second event")];
    let busy = read(cut).expect("readable");
    assert_eq!(spans(&busy), ["2026-04-20T08:00Z/2026-04-20T09:00Z"]);
    assert_eq!(busy.events, 1);
    assert_eq!(busy.skipped.len(), 1, "{:?}", busy.skipped);
    assert_eq!(busy.skipped[0].uid.as_deref(), Some("cut"));
}

#[test]
fn hostile_rules_end_and_never_panic() {
    for rule in [
        "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30",
        "FREQ=SECONDLY",
        "FREQ=DAILY;INTERVAL=0",
        "FREQ=DAILY;COUNT=0",
        "FREQ=DAILY;BYHOUR=25",
        "FREQ=MONTHLY;BYSETPOS=-400;BYDAY=MO",
        "FREQ=WEEKLY;UNTIL=99991231T235959Z;BYDAY=MO,TU,WE,TH,FR,SA,SU",
        "FREQ=HOURLY;INTERVAL=65535",
        "",
    ] {
        let ics = calendar(&event(
            "hostile",
            &format!("DTSTART:00010101T000000Z\nDURATION:PT1H\nRRULE:{rule}\n"),
        ));
        let busy = read(&ics).expect("readable");
        assert!(
            busy.intervals.len() <= crate::calendar::MAX_IN_WINDOW,
            "{rule}"
        );
    }
}

#[test]
fn a_byte_order_mark_and_lower_case_names_are_read() {
    let ics = format!("\u{feff}{}", calendar(&event("bom@example.com", GOOD)));
    let got = read(&ics).expect("a calendar behind a byte-order mark");
    assert_eq!(spans(&got), ["2026-04-20T08:00Z/2026-04-20T09:00Z"]);
    let lower = calendar(&event("lower@example.com", GOOD))
        .replace("BEGIN:VEVENT", "begin:vevent")
        .replace("END:VEVENT", "end:vevent");
    let got = read(&lower).expect("lower-case component names");
    assert_eq!(spans(&got), ["2026-04-20T08:00Z/2026-04-20T09:00Z"]);
}

#[test]
fn names_are_matched_whatever_their_case() {
    // RFC 5545 §2: names are case-insensitive; a weekly lower-case event in Paris time.
    let ics = crlf(
        "
begin:vcalendar
version:2.0
prodid:-//tests//lower//EN
begin:vevent
uid:lower@example.com
dtstamp:20260401T000000Z
dtstart;tzid=Europe/Paris:20260504T100000
dtend;tzid=Europe/Paris:20260504T110000
rrule:FREQ=WEEKLY;COUNT=2
end:vevent
end:vcalendar
",
    );
    let found = busy(&ics, "2026-05-01T00:00:00Z", "2026-05-31T00:00:00Z");
    assert_eq!(
        spans(&found),
        [
            "2026-05-04T08:00Z/2026-05-04T09:00Z",
            "2026-05-11T08:00Z/2026-05-11T09:00Z"
        ]
    );
}
