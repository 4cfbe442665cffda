//! One appointment as an iCalendar invitation (RFC 5545 / iTIP RFC 5546), attached to notification
//! emails and offered for download by the widget: the same file for both, so a calendar that
//! imported either recognises the next one as an update of the same event (same `UID`, higher
//! `SEQUENCE`).

mod feed;
mod vtimezone;

pub use feed::{calendar_event, staff_feed};

use booking_model::{AppointmentStatus, Company, Location};
use chrono::{DateTime, Datelike, LocalResult, TimeZone, Utc};
use chrono_tz::Tz;

use crate::db::appointments::StoredAppointment;
use crate::Config;

/// How long before the start the calendar's own reminder fires.
const ALARM_BEFORE: &str = "-PT1H";

/// What the file asks of the calendar that receives it (`METHOD`, RFC 5546 §3.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// Add or update the event.
    Request,
    /// Remove it.
    Cancel,
}

impl Method {
    /// `Cancel` for an appointment that was cancelled, declined or deleted; `Request` otherwise.
    pub fn for_appointment(stored: &StoredAppointment) -> Self {
        let gone = matches!(
            stored.appointment.effective_status(),
            AppointmentStatus::Cancelled | AppointmentStatus::Declined
        );
        match stored.deleted || gone {
            true => Method::Cancel,
            false => Method::Request,
        }
    }

    fn text(self) -> &'static str {
        match self {
            Method::Request => "REQUEST",
            Method::Cancel => "CANCEL",
        }
    }
}

/// The host that makes `UID`s globally unique: `--public-url`'s, else a fixed name. Never a request
/// header, which would give the same appointment different UIDs.
pub fn uid_host(config: &Config) -> String {
    config
        .public_url
        .as_deref()
        .map(|url| url.split_once("://").map_or(url, |(_, rest)| rest))
        .and_then(|rest| rest.split(['/', '?', '#']).next())
        .filter(|host| !host.is_empty())
        .unwrap_or("booking-server")
        .to_owned()
}

/// Escapes TEXT values (RFC 5545 §3.3.11).
fn escape(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace(';', "\\;")
        .replace(',', "\\,")
        .replace("\r\n", "\\n")
        .replace('\n', "\\n")
}

/// A parameter value (`CN=`): quoted, without the characters a quoted value can't hold (§3.2).
fn param(text: &str) -> String {
    let clean: String = text
        .chars()
        .filter(|c| *c != '"' && !c.is_control())
        .collect();
    format!("\"{clean}\"")
}

/// Folds a content line at 75 octets (§3.1), never splitting a UTF-8 character.
fn fold(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + 8);
    let mut width = 0;
    for ch in line.chars() {
        let len = ch.len_utf8();
        if width + len > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(ch);
        width += len;
    }
    out.push_str("\r\n");
    out
}

fn zone_of(company: Option<&Company>) -> Tz {
    company
        .and_then(|c| c.time_zone.as_deref())
        .and_then(|z| z.parse().ok())
        .unwrap_or(Tz::UTC)
}

/// `DTSTART`-style property: local time with `TZID`; UTC with `Z` for UTC companies and for a wall
/// time the clocks show twice (the night DST ends), which a reader would resolve to the first one.
fn time_property(name: &str, t: DateTime<Utc>, zone: Tz) -> String {
    let local = t.with_timezone(&zone).naive_local();
    let unambiguous = matches!(zone.from_local_datetime(&local), LocalResult::Single(_));
    match zone != Tz::UTC && unambiguous {
        true => format!(
            "{name};TZID={}:{}",
            zone.name(),
            local.format("%Y%m%dT%H%M%S")
        ),
        false => format!("{name}:{}", t.format("%Y%m%dT%H%M%SZ")),
    }
}

/// Where it takes place: the video link, the custom place, or the company's address.
fn location(stored: &StoredAppointment, company: Option<&Company>) -> String {
    let a = &stored.appointment;
    let address = || {
        company
            .and_then(|c| c.address.as_ref())
            .map(|ad| {
                [&ad.street, &ad.zip_code, &ad.city]
                    .into_iter()
                    .flatten()
                    .cloned()
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .unwrap_or_default()
    };
    match a.effective_location() {
        Location::Videoconference => a
            .online_meeting
            .as_ref()
            .and_then(|m| m.video_link.clone())
            .unwrap_or_default(),
        Location::Custom => a.location_custom.clone().unwrap_or_default(),
        Location::Phone => company
            .and_then(|c| c.phone.clone())
            .map(|p| format!("Phone: {p}"))
            .unwrap_or_default(),
        Location::CompanyAddress => address(),
    }
}

/// `UID`: the appointment's record id at `uid_host`, the same in every file that describes it.
fn uid(stored: &StoredAppointment, uid_host: &str) -> String {
    format!(
        "UID:{}-{}@{uid_host}",
        escape(&stored.company_id),
        escape(stored.appointment.id.as_deref().unwrap_or_default())
    )
}

/// The name of `stored`'s event resource in a CalDAV collection: `{company}-{id}.ics` (the `UID`
/// before its `@`), every byte but letters, digits, `-`, `_` and `.` percent-encoded.
pub fn resource_name(stored: &StoredAppointment) -> String {
    let raw = format!(
        "{}-{}",
        stored.company_id,
        stored.appointment.id.as_deref().unwrap_or_default()
    );
    let mut name = String::with_capacity(raw.len() + 4);
    for byte in raw.bytes() {
        match byte {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'-' | b'_' | b'.' => {
                name.push(char::from(byte))
            }
            other => name.push_str(&format!("%{other:02X}")),
        }
    }
    name.push_str(".ics");
    name
}

/// The invitation for `stored` as the company (`ORGANIZER`) sends it to the client (`ATTENDEE`).
/// `UID` is the appointment's record id at `uid_host` (see [`uid_host`]); `SEQUENCE` counts the
/// changes after creation (its history entries), so each reschedule, edit or cancellation supersedes
/// the previous file; `now` stamps it (`DTSTAMP`). Its words are English: see [`invite_in`].
pub fn invite(
    stored: &StoredAppointment,
    company: Option<&Company>,
    method: Method,
    uid_host: &str,
    now: DateTime<Utc>,
) -> String {
    invite_in(stored, company, method, uid_host, now, "en")
}

/// [`invite`] with its DESCRIPTION's words in `lang` (the emails' catalogues), as an email to a
/// reader of that language carries it.
pub fn invite_in(
    stored: &StoredAppointment,
    company: Option<&Company>,
    method: Method,
    uid_host: &str,
    now: DateTime<Utc>,
    lang: &str,
) -> String {
    let words = crate::notify::strings::words(lang);
    let a = &stored.appointment;
    let zone = zone_of(company);
    let company_name = company.and_then(|c| c.name.clone()).unwrap_or_default();
    let service = a
        .service
        .as_ref()
        .and_then(|s| s.name.clone())
        .unwrap_or_default();
    let summary = match company_name.is_empty() {
        true => service,
        false => format!("{service} — {company_name}"),
    };
    let status = match (method, a.effective_status()) {
        (Method::Cancel, _) | (_, AppointmentStatus::Cancelled | AppointmentStatus::Declined) => {
            "CANCELLED"
        }
        (_, AppointmentStatus::Pending) => "TENTATIVE",
        _ => "CONFIRMED",
    };
    let staff = a
        .staff
        .as_ref()
        .map(|s| {
            format!(
                "{} {}",
                s.first_name.as_deref().unwrap_or(""),
                s.last_name.as_deref().unwrap_or("")
            )
        })
        .unwrap_or_default();
    let place = location(stored, company);
    let mut description = format!(
        "{}: {}",
        words.raw("label.reference"),
        a.reference.as_deref().unwrap_or("")
    );
    if !staff.trim().is_empty() {
        description.push_str(&format!("\n{}: {}", words.raw("label.staff"), staff.trim()));
    }
    if a.effective_location() == Location::Videoconference && !place.is_empty() {
        description.push_str(&format!("\n{}: {place}", words.raw("label.video")));
    }
    let sequence = a.history.len().saturating_sub(1);
    let organizer_email = company
        .and_then(|c| c.email.clone())
        .unwrap_or_else(|| format!("noreply@{uid_host}"));
    let client = a.client.as_ref();
    let client_name = client
        .map(|c| {
            format!(
                "{} {}",
                c.first_name.as_deref().unwrap_or(""),
                c.last_name.as_deref().unwrap_or("")
            )
        })
        .unwrap_or_default();

    let mut lines = vec![
        "BEGIN:VCALENDAR".to_owned(),
        "VERSION:2.0".to_owned(),
        "PRODID:-//booking-widget//booking-server//EN".to_owned(),
        "CALSCALE:GREGORIAN".to_owned(),
        format!("METHOD:{}", method.text()),
    ];
    lines.extend(
        vtimezone::lines(zone, stored.start.with_timezone(&zone).year()).unwrap_or_default(),
    );
    lines.extend([
        "BEGIN:VEVENT".to_owned(),
        uid(stored, uid_host),
        format!("SEQUENCE:{sequence}"),
        format!("DTSTAMP:{}", now.format("%Y%m%dT%H%M%SZ")),
        time_property("DTSTART", stored.start, zone),
        time_property("DTEND", stored.end, zone),
        format!("SUMMARY:{}", escape(&summary)),
        format!("DESCRIPTION:{}", escape(&description)),
        format!("STATUS:{status}"),
        format!(
            "ORGANIZER;CN={}:mailto:{organizer_email}",
            param(&company_name)
        ),
    ]);
    if !place.is_empty() {
        lines.push(format!("LOCATION:{}", escape(&place)));
    }
    if let Some(email) = client.and_then(|c| c.email.as_deref()) {
        lines.push(format!(
            "ATTENDEE;CN={};ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=FALSE:mailto:{email}",
            param(client_name.trim())
        ));
    }
    // RFC 5546 §3.2.5: a CANCEL carries no alarm.
    if method == Method::Request {
        lines.extend([
            "BEGIN:VALARM".to_owned(),
            "ACTION:DISPLAY".to_owned(),
            format!("TRIGGER:{ALARM_BEFORE}"),
            format!("DESCRIPTION:{}", escape(&summary)),
            "END:VALARM".to_owned(),
        ]);
    }
    lines.extend(["END:VEVENT".to_owned(), "END:VCALENDAR".to_owned()]);
    lines.iter().map(|l| fold(l)).collect()
}

#[cfg(test)]
mod tests;
