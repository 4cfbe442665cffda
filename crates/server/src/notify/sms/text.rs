//! A text message's words: one sentence in the booking's language (the company's `sms` template
//! of the kind and language, else `sms.<kind>` in the email catalogues: the company, what was
//! booked and when, in the reader's zone), then the widget's manage link (`--public-url`'s host)
//! while the booking is on.

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
    let a = &payload.appointment;
    let client = a
        .client
        .as_ref()
        .map(|c| {
            [c.first_name.as_deref(), c.last_name.as_deref()]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(" ")
        })
        .unwrap_or_default();
    let reference = a.reference.clone().unwrap_or_default();
    let reader = payload.name.clone().unwrap_or_default();
    let values = [
        ("company", company_name.as_str()),
        ("service", service.as_str()),
        ("date", date.as_str()),
        ("client", client.as_str()),
        ("reference", reference.as_str()),
        ("name", reader.as_str()),
    ];
    // The company's own wording first (checked when it was saved), else the catalogue's.
    let custom = company.and_then(|c| {
        c.email_templates
            .iter()
            .find(|t| t.kind == kind.as_str() && t.lang == words.lang)
            .and_then(|t| t.sms.as_deref())
    });
    let sentence = match custom {
        Some(text) => strings::fill(text, &values),
        None => words.text(&format!("sms.{}", kind.as_str()), &values),
    };
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
        let mut worded = company.clone();
        worded.email_templates = vec![booking_model::EmailTemplate {
            kind: "confirmation".into(),
            lang: "fr".into(),
            sms: Some("À lundi pour {service} ({company}) !".into()),
            ..booking_model::EmailTemplate::default()
        }];
        let custom = super::text(
            &payload(Kind::Confirmation, "fr"),
            "demo",
            Some(&worded),
            Some("https://book.example"),
        );
        assert!(
            custom.starts_with("À lundi pour Coupe (Atelier) ! Modifier ou annuler : https://"),
            "{custom}"
        );
        for lang in strings::LANGS {
            let t = super::text(&payload(Kind::Reminder, lang), "demo", Some(&company), None);
            assert!(
                t.contains("Atelier") && t.contains("Coupe") && !t.contains('{'),
                "{t}"
            );
        }
    }
}
