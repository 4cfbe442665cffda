//! A text message's words: one sentence in the booking's language (`sms.<kind>` in the email
//! catalogues: the company, what was booked and when, in the reader's zone), then the widget's
//! manage link (`--public-url`'s host) while the booking is on.

use booking_model::Company;

use crate::notify::plan::Kind;
use crate::notify::render::{self, booked_name};
use crate::notify::{strings, Payload};

/// The text of `payload` (a row of company `company_id`); `origin`: the links' origin, none
/// without `--public-url` (and then no link).
pub fn text(
    payload: &Payload,
    company_id: &str,
    company: Option<&Company>,
    origin: Option<&str>,
) -> String {
    let kind = Kind::parse(&payload.kind).unwrap_or(Kind::Confirmation);
    let words = strings::words(&payload.lang);
    let (_, reader_zone) = render::zones(payload, company);
    let date = words.date_time(payload.start.with_timezone(&reader_zone).naive_local());
    let company_name = company
        .and_then(|c| c.name.clone())
        .or_else(|| {
            payload
                .appointment
                .company
                .as_ref()
                .and_then(|c| c.name.clone())
        })
        .unwrap_or_default();
    let service = booked_name(payload);
    let sentence = words.text(
        &format!("sms.{}", kind.as_str()),
        &[
            ("company", &company_name),
            ("service", &service),
            ("date", &date),
        ],
    );
    let link = match (origin, kind.offers_links()) {
        (Some(origin), true) if payload.appointment.encrypted_id.is_some() => {
            Some(render::manage_link(origin, company_id, payload, None))
        }
        _ => None,
    };
    match link {
        Some(link) => format!("{sentence} {}", words.text("sms.link", &[("link", &link)])),
        None => sentence,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use booking_model::{Appointment, ClientRef, ServiceRef};
    use chrono::{TimeZone, Utc};

    fn payload(kind: Kind, lang: &str) -> Payload {
        let start = Utc.with_ymd_and_hms(2026, 12, 7, 9, 30, 0).unwrap();
        Payload {
            kind: kind.as_str().to_owned(),
            audience: "client".to_owned(),
            lang: lang.to_owned(),
            to: "+33612345678".to_owned(),
            name: None,
            by_client: false,
            appointment: Appointment {
                encrypted_id: Some("e/1".into()),
                service: Some(ServiceRef {
                    name: Some("Coupe".into()),
                    ..ServiceRef::default()
                }),
                client: Some(ClientRef {
                    time_zone: Some("Europe/Paris".into()),
                    ..ClientRef::default()
                }),
                ..Appointment::default()
            },
            start,
            end: start,
            deleted: false,
            previous_start: None,
        }
    }

    #[test]
    fn a_sentence_in_the_bookings_language_then_the_manage_link() {
        let company = Company {
            name: Some("Atelier".into()),
            time_zone: Some("Europe/Paris".into()),
            ..Company::default()
        };
        let text = text(
            &payload(Kind::Confirmation, "fr"),
            "demo",
            Some(&company),
            Some("https://book.example"),
        );
        assert_eq!(
            text,
            "Atelier : Coupe confirmé le lundi 7 décembre 2026 à 10:30. Modifier ou annuler : \
             https://book.example/widget/?company=demo&appointment=e%2F1&lang=fr"
        );
        let cancelled = super::text(
            &payload(Kind::Cancelled, "de"),
            "demo",
            Some(&company),
            Some("https://book.example"),
        );
        assert!(cancelled.ends_with("ist storniert."), "{cancelled}");
        for lang in strings::LANGS {
            let t = super::text(&payload(Kind::Reminder, lang), "demo", Some(&company), None);
            assert!(
                t.contains("Atelier") && t.contains("Coupe") && !t.contains('{'),
                "{t}"
            );
        }
    }
}
