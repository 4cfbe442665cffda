//! One appointment as an iCalendar file (RFC 5545), with its time zone, for "add to calendar".

use booking_model::{AppointmentStatus, Company};
use chrono::{DateTime, Offset, Utc};
use chrono_tz::Tz;

use crate::db::appointments::StoredAppointment;

/// Escapes TEXT values (RFC 5545 §3.3.11).
fn escape(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace(';', "\\;")
        .replace(',', "\\,")
        .replace("\r\n", "\\n")
        .replace('\n', "\\n")
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

/// `+0100` style offset.
fn offset_text(seconds: i32) -> String {
    let sign = if seconds < 0 { '-' } else { '+' };
    let minutes = seconds.abs() / 60;
    format!("{sign}{:02}{:02}", minutes / 60, minutes % 60)
}

/// The calendar file for `stored`.
pub fn event(stored: &StoredAppointment, company: Option<&Company>, now: DateTime<Utc>) -> String {
    let a = &stored.appointment;
    let zone: Tz = company
        .and_then(|c| c.time_zone.as_deref())
        .and_then(|z| z.parse().ok())
        .unwrap_or(Tz::UTC);
    let local = |t: DateTime<Utc>| t.with_timezone(&zone).format("%Y%m%dT%H%M%S").to_string();
    // A VTIMEZONE with the offset in force at the start: exact for the event itself, without shipping
    // the zone's full rule history.
    let offset = offset_text(
        stored
            .start
            .with_timezone(&zone)
            .offset()
            .fix()
            .local_minus_utc(),
    );
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
    let location = company
        .and_then(|c| c.address.as_ref())
        .map(|ad| {
            [&ad.street, &ad.zip_code, &ad.city]
                .into_iter()
                .flatten()
                .cloned()
                .collect::<Vec<_>>()
                .join(" ")
        })
        .unwrap_or_default();
    let status = match a.effective_status() {
        AppointmentStatus::Cancelled | AppointmentStatus::Declined => "CANCELLED",
        AppointmentStatus::Pending => "TENTATIVE",
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
    let description = format!(
        "Reference: {}\nWith: {}",
        a.reference.as_deref().unwrap_or(""),
        staff.trim()
    );
    let lines = [
        "BEGIN:VCALENDAR".to_owned(),
        "VERSION:2.0".to_owned(),
        "PRODID:-//booking-widget//booking-server//EN".to_owned(),
        "CALSCALE:GREGORIAN".to_owned(),
        "METHOD:PUBLISH".to_owned(),
        "BEGIN:VTIMEZONE".to_owned(),
        format!("TZID:{}", zone.name()),
        "BEGIN:STANDARD".to_owned(),
        "DTSTART:19700101T000000".to_owned(),
        format!("TZOFFSETFROM:{offset}"),
        format!("TZOFFSETTO:{offset}"),
        "END:STANDARD".to_owned(),
        "END:VTIMEZONE".to_owned(),
        "BEGIN:VEVENT".to_owned(),
        format!(
            "UID:{}@booking-server",
            a.encrypted_id.as_deref().unwrap_or_default()
        ),
        format!("DTSTAMP:{}", now.format("%Y%m%dT%H%M%SZ")),
        format!("DTSTART;TZID={}:{}", zone.name(), local(stored.start)),
        format!("DTEND;TZID={}:{}", zone.name(), local(stored.end)),
        format!("SUMMARY:{}", escape(&summary)),
        format!("LOCATION:{}", escape(&location)),
        format!("DESCRIPTION:{}", escape(&description)),
        format!("STATUS:{status}"),
        "END:VEVENT".to_owned(),
        "END:VCALENDAR".to_owned(),
    ];
    lines.iter().map(|l| fold(l)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_long_lines_and_escapes_text() {
        let long = format!("SUMMARY:{}", "é".repeat(60));
        let folded = fold(&long);
        assert!(folded.split("\r\n").all(|l| l.len() <= 75));
        assert_eq!(folded.replace("\r\n ", ""), format!("{long}\r\n"));
        assert_eq!(escape("a,b;c\\d\ne"), "a\\,b\\;c\\\\d\\ne");
        assert_eq!(offset_text(3600), "+0100");
        assert_eq!(offset_text(-16200), "-0430");
    }
}
