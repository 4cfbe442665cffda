//! `read_busy` on iCalendar text as Google, iCloud / Fastmail and Outlook write it (fixtures
//! written by hand after real exports), one rule per test; then broken input.

mod apple_fastmail;
mod google;
mod outlook;
mod robustness;

use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use super::{read_busy, BusyQuery, BusyTime};

/// Our invitations' UID host in these tests (`booking::ics::uid_host`).
const OWN_HOST: &str = "book.example.com";

fn utc(text: &str) -> DateTime<Utc> {
    text.parse().expect("instant")
}

/// Reads `ics` for a Paris company over `[from, to)`.
fn busy(ics: &str, from: &str, to: &str) -> BusyTime {
    busy_in(ics, Tz::Europe__Paris, from, to)
}

fn busy_in(ics: &str, zone: Tz, from: &str, to: &str) -> BusyTime {
    let query = BusyQuery {
        zone,
        from: utc(from),
        to: utc(to),
        own_uid_host: OWN_HOST,
    };
    read_busy(ics, &query).expect("a readable calendar")
}

/// The intervals as `start/end` in RFC 3339 UTC, to compare with what a reader checks by hand.
fn spans(busy: &BusyTime) -> Vec<String> {
    busy.intervals
        .iter()
        .map(|i| {
            format!(
                "{}/{}",
                i.start.format("%Y-%m-%dT%H:%MZ"),
                i.end.format("%Y-%m-%dT%H:%MZ")
            )
        })
        .collect()
}

/// CRLF line ends, as every server sends them (fixtures are written with `\n`).
fn crlf(text: &str) -> String {
    text.trim_start().replace('\n', "\r\n")
}
