//! An email outbox row as the message its reader gets: subject, a text and an HTML part with the
//! same content, and the calendar invitation. Everything shown comes from the row's payload (the
//! appointment as written), the company record (sender, signature) and the links' origin
//! (`--public-url`, see `links`): never from a request.

use booking_model::{Company, Location, SendTo};
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use lettre::message::header::ContentType;
use lettre::message::{Attachment, Mailbox, MultiPart, SinglePart};

use super::plan::{Audience, Kind};
use super::strings::{self, Words};
use super::Payload;
use crate::booking::ics;
use crate::html::escape;

/// What a reader sees.
#[derive(Debug, Clone)]
pub struct Rendered {
    pub subject: String,
    pub text: String,
    pub html: String,
    /// The `.ics` attachment, when the kind carries one.
    pub invite: Option<String>,
}

/// One line of the summary table: a label and its value (and a link for the video).
struct Line {
    label: String,
    value: String,
    href: Option<String>,
}

fn zone_named(name: Option<&str>) -> Option<Tz> {
    name.and_then(|z| z.parse().ok())
}

/// `first last`, trimmed, if any.
fn joined(parts: &[Option<&str>]) -> Option<String> {
    let text = parts
        .iter()
        .flatten()
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    (!text.is_empty()).then_some(text)
}

/// The widget's manage link for `action` (`reschedule` or `cancel`; none: the manage view that
/// offers both), in the booking's language.
pub fn manage_link(
    origin: &str,
    company_id: &str,
    payload: &Payload,
    action: Option<&str>,
) -> String {
    let encode = |s: &str| form_urlencoded::byte_serialize(s.as_bytes()).collect::<String>();
    let action = action.map(|a| format!("&action={a}")).unwrap_or_default();
    format!(
        "{origin}/widget/?company={}&appointment={}{action}&lang={}",
        encode(company_id),
        encode(
            payload
                .appointment
                .encrypted_id
                .as_deref()
                .unwrap_or_default()
        ),
        payload.lang
    )
}

fn address_line(company: Option<&Company>) -> Option<String> {
    let ad = company?.address.as_ref()?;
    joined(&[
        ad.street.as_deref(),
        ad.other_street.as_deref(),
        ad.zip_code.as_deref(),
        ad.city.as_deref(),
        ad.country.as_deref(),
    ])
}

fn scalar(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// The company's zone, and the reader's: the client's (or parent's) own when known, else the
/// company's.
pub fn zones(payload: &Payload, company: Option<&Company>) -> (Tz, Tz) {
    let a = &payload.appointment;
    let company_zone = zone_named(company.and_then(|c| c.time_zone.as_deref()))
        .or_else(|| zone_named(a.start.as_ref().and_then(|s| s.time_zone.as_deref())))
        .unwrap_or(Tz::UTC);
    let client_tz = match a.send_to {
        Some(SendTo::Parent) => a.parent.as_ref().and_then(|p| p.time_zone.as_deref()),
        _ => a.client.as_ref().and_then(|c| c.time_zone.as_deref()),
    };
    let reader_zone = match payload.audience == Audience::Client.as_str() {
        true => zone_named(client_tz).unwrap_or(company_zone),
        false => company_zone,
    };
    (company_zone, reader_zone)
}

/// The name of what was booked: the service's, else the resource's.
pub fn booked_name(payload: &Payload) -> String {
    let a = &payload.appointment;
    a.service
        .as_ref()
        .and_then(|s| s.name.clone())
        .or_else(|| a.resource.as_ref().and_then(|r| r.name.clone()))
        .unwrap_or_default()
}

/// Where a rendered email's links and invitation point.
#[derive(Debug, Clone, Copy)]
pub struct Links<'a> {
    /// The manage links' origin (`--public-url`); `None`: no links.
    pub origin: Option<&'a str>,
    /// The invitation's `UID` host (`booking::ics::uid_host`).
    pub uid_host: &'a str,
}

/// Renders `payload` (an outbox row of company `company_id`) for its reader. `now` stamps the
/// invitation.
pub fn render(
    payload: &Payload,
    company_id: &str,
    company: Option<&Company>,
    targets: Links<'_>,
    now: DateTime<Utc>,
) -> Rendered {
    let origin = targets.origin;
    let kind = Kind::parse(&payload.kind).unwrap_or(Kind::Confirmation);
    let words = strings::words(&payload.lang);
    let a = &payload.appointment;
    let (company_zone, reader_zone) = zones(payload, company);
    let when = |t: DateTime<Utc>, zone: Tz| {
        format!(
            "{} ({})",
            words.date_time(t.with_timezone(&zone).naive_local()),
            zone.name()
        )
    };
    let company_name = company
        .and_then(|c| c.name.clone())
        .or_else(|| a.company.as_ref().and_then(|c| c.name.clone()))
        .unwrap_or_default();
    let service = booked_name(payload);
    let client = a
        .client
        .as_ref()
        .and_then(|c| {
            joined(&[c.first_name.as_deref(), c.last_name.as_deref()]).or(c.email.clone())
        })
        .unwrap_or_default();
    let reference = a.reference.clone().unwrap_or_default();
    let date = words.date_time(payload.start.with_timezone(&reader_zone).naive_local());
    let reader = payload.name.clone().unwrap_or_default();
    let values = [
        ("name", reader.as_str()),
        ("service", service.as_str()),
        ("date", date.as_str()),
        ("company", company_name.as_str()),
        ("client", client.as_str()),
        ("reference", reference.as_str()),
    ];
    let key = kind.as_str();
    // The company's own wording first (checked when it was saved), else the catalogue's.
    let custom = company.and_then(|c| {
        c.email_templates
            .iter()
            .find(|t| t.kind == key && t.lang == words.lang)
    });
    let subject = match custom.and_then(|t| t.subject.as_deref()) {
        Some(text) => strings::fill(text, &values),
        None => words.text(&format!("{key}.subject"), &values),
    };
    let intro_key = match (kind, payload.by_client) {
        (Kind::Cancelled, true) => "cancelled.introByClient".to_owned(),
        _ => format!("{key}.intro"),
    };
    let intro = match custom.and_then(|t| t.intro.as_deref()) {
        Some(text) => strings::fill(text, &values),
        None => words.text(&intro_key, &values),
    };
    // No default closing: the catalogue's words end with the summary, links and sign-off.
    let closing = custom
        .and_then(|t| t.closing.as_deref())
        .map(|text| strings::fill(text, &values))
        .filter(|text| !text.trim().is_empty());
    let greeting = match &payload.name {
        Some(name) => words.text("greeting", &[("name", name)]),
        None => words.raw("greetingAnonymous").to_owned(),
    };

    let mut lines = Vec::new();
    let mut line = |label: &str, value: String, href: Option<String>| {
        if !value.trim().is_empty() {
            lines.push(Line {
                label: label.to_owned(),
                value,
                href,
            });
        }
    };
    line(words.raw("label.service"), service.clone(), None);
    let staff = a
        .staff
        .as_ref()
        .and_then(|s| joined(&[s.first_name.as_deref(), s.last_name.as_deref()]));
    line(words.raw("label.staff"), staff.unwrap_or_default(), None);
    line(
        words.raw("label.when"),
        when(payload.start, reader_zone),
        None,
    );
    if reader_zone != company_zone {
        line(
            &words.text("label.whenCompany", &values),
            when(payload.start, company_zone),
            None,
        );
    }
    if let (Kind::Rescheduled | Kind::BusinessChanged, Some(previous)) =
        (kind, payload.previous_start)
    {
        line(
            words.raw("label.previous"),
            when(previous, reader_zone),
            None,
        );
    }
    match a.effective_location() {
        Location::Videoconference => {
            let link = a.online_meeting.as_ref().and_then(|m| m.video_link.clone());
            line(
                words.raw("label.video"),
                link.clone().unwrap_or_default(),
                link,
            );
        }
        Location::Phone => line(
            words.raw("label.location"),
            words.raw("label.phone").to_owned(),
            None,
        ),
        Location::Custom => line(
            words.raw("label.location"),
            a.location_custom.clone().unwrap_or_default(),
            None,
        ),
        _ => line(
            words.raw("label.location"),
            address_line(company).unwrap_or_default(),
            None,
        ),
    }
    if let Some(price) = &a.price {
        line(
            words.raw("label.price"),
            format!("{:.2} {}", price.amount, price.currency.as_str()),
            None,
        );
    }
    line(words.raw("label.reference"), reference.clone(), None);
    if kind.to_business() {
        let contact = a.client.as_ref().map(|c| {
            joined(&[
                Some(client.as_str()),
                c.email.as_deref().filter(|e| *e != client),
                c.phone.as_deref().or(c.mobile_phone.as_deref()),
            ])
            .unwrap_or_default()
        });
        line(words.raw("label.client"), contact.unwrap_or_default(), None);
        if a.add_to_waiting_list == Some(true) {
            line(words.raw("label.waitingList"), "✓".to_owned(), None);
        }
    }
    // Only the public properties: the private ones are never shown outside the business's API.
    if let Some(public) = a
        .extended_properties
        .as_ref()
        .and_then(|e| e.public.as_ref())
    {
        for (name, value) in public {
            line(name, scalar(value), None);
        }
    }

    let links = match (origin, kind.offers_links() && !kind.to_business()) {
        (Some(origin), true) if a.encrypted_id.is_some() => vec![
            (
                words.raw("action.reschedule"),
                manage_link(origin, company_id, payload, Some("reschedule")),
            ),
            (
                words.raw("action.cancel"),
                manage_link(origin, company_id, payload, Some("cancel")),
            ),
        ],
        _ => Vec::new(),
    };
    let invite = kind.carries_invite().then(|| {
        let stored = payload.stored(company_id);
        let method = ics::Method::for_appointment(&stored);
        ics::invite_in(&stored, company, method, targets.uid_host, now, words.lang)
    });
    let signature = signature(company, &company_name);

    let mut text = format!("{greeting}\n\n{intro}\n\n");
    for l in &lines {
        text.push_str(&format!("{}: {}\n", l.label, l.value));
    }
    for (label, href) in &links {
        text.push_str(&format!("\n{label}: {href}"));
    }
    if !links.is_empty() {
        text.push('\n');
    }
    if invite.is_some() {
        text.push_str(&format!("\n{}\n", words.raw("invite")));
    }
    if let Some(closing) = &closing {
        text.push_str(&format!("\n{closing}\n"));
    }
    text.push_str(&format!(
        "\n{}\n{}\n",
        words.raw("signoff"),
        signature.join("\n")
    ));

    let html = html(&HtmlParts {
        lang: words,
        greeting: &greeting,
        intro: &intro,
        lines: &lines,
        links: &links,
        invite: invite.is_some(),
        closing: closing.as_deref(),
        signature: &signature,
    });
    Rendered {
        subject,
        text,
        html,
        invite,
    }
}

/// The company's signature lines: name, address, phone, email.
fn signature(company: Option<&Company>, name: &str) -> Vec<String> {
    let mut out = vec![name.to_owned()];
    out.extend(address_line(company));
    if let Some(c) = company {
        out.extend(c.phone.clone());
        out.extend(c.email.clone());
    }
    out.retain(|l| !l.trim().is_empty());
    out
}

struct HtmlParts<'a> {
    lang: Words,
    greeting: &'a str,
    intro: &'a str,
    lines: &'a [Line],
    links: &'a [(&'a str, String)],
    invite: bool,
    closing: Option<&'a str>,
    signature: &'a [String],
}

fn html(p: &HtmlParts<'_>) -> String {
    let mut rows = String::new();
    for l in p.lines {
        let value = match &l.href {
            Some(href) => format!("<a href=\"{}\">{}</a>", escape(href), escape(&l.value)),
            None => escape(&l.value),
        };
        rows.push_str(&format!(
            "<tr><th style=\"text-align:left;padding:4px 12px 4px 0;color:#555;font-weight:600\">{}</th><td style=\"padding:4px 0\">{value}</td></tr>\n",
            escape(&l.label)
        ));
    }
    let mut actions = String::new();
    for (label, href) in p.links {
        actions.push_str(&format!(
            "<a href=\"{}\" style=\"display:inline-block;margin:0 8px 8px 0;padding:10px 16px;border-radius:6px;background:#1f4e79;color:#fff;text-decoration:none\">{}</a>\n",
            escape(href),
            escape(label)
        ));
    }
    let invite = match p.invite {
        true => format!(
            "<p style=\"color:#555\">{}</p>\n",
            escape(p.lang.raw("invite"))
        ),
        false => String::new(),
    };
    let closing = p
        .closing
        .map(|c| format!("<p>{}</p>\n", escape(c)))
        .unwrap_or_default();
    let signature = p
        .signature
        .iter()
        .map(|l| escape(l))
        .collect::<Vec<_>>()
        .join("<br>");
    format!(
        "<!DOCTYPE html>\n<html lang=\"{lang}\"><head><meta charset=\"utf-8\"></head>\n\
         <body style=\"font-family:system-ui,sans-serif;color:#222;line-height:1.5\">\n\
         <p>{greeting}</p>\n<p>{intro}</p>\n<table role=\"presentation\">\n{rows}</table>\n\
         <p>{actions}</p>\n{invite}{closing}<p>{signoff}<br>{signature}</p>\n</body></html>\n",
        lang = p.lang.lang,
        greeting = escape(p.greeting),
        intro = escape(p.intro),
        signoff = escape(p.lang.raw("signoff")),
    )
}

/// The sender: the company's address under its name, else `default_from`.
pub fn sender(company: Option<&Company>, default_from: &str) -> Option<Mailbox> {
    let name = company.and_then(|c| c.name.clone());
    let address = company
        .and_then(|c| c.email.as_deref())
        .and_then(|e| e.parse().ok())
        .or_else(|| default_from.parse().ok())?;
    Some(Mailbox::new(name, address))
}

/// The whole message (headers, both parts, the invitation) for the outbox row `id`. Its
/// `Message-ID` is the row's id, so a message sent again after a crash is recognisably the same.
pub fn message(
    id: &str,
    payload: &Payload,
    rendered: &Rendered,
    from: Mailbox,
    reply_to: Option<Mailbox>,
    now: DateTime<Utc>,
) -> Result<lettre::Message, String> {
    let to: Mailbox = Mailbox::new(
        payload.name.clone(),
        payload
            .to
            .parse()
            .map_err(|e| format!("recipient {:?} is not an email address: {e}", payload.to))?,
    );
    let mut builder = lettre::Message::builder()
        .from(from)
        .to(to)
        .subject(&rendered.subject)
        .message_id(Some(format!("<{id}@booking-server>")))
        .date(now.into());
    if let Some(reply_to) = reply_to {
        builder = builder.reply_to(reply_to);
    }
    let alternative = MultiPart::alternative()
        .singlepart(
            SinglePart::builder()
                .header(ContentType::TEXT_PLAIN)
                .body(rendered.text.clone()),
        )
        .singlepart(
            SinglePart::builder()
                .header(ContentType::TEXT_HTML)
                .body(rendered.html.clone()),
        );
    let body = match &rendered.invite {
        None => alternative,
        Some(ics) => {
            // The part's `method` must repeat the calendar's METHOD (RFC 6047 §2.4).
            let method = ics
                .lines()
                .find_map(|l| l.strip_prefix("METHOD:"))
                .map(|m| format!("; method={}", m.trim()))
                .unwrap_or_default();
            let content_type = ContentType::parse(&format!("text/calendar; charset=utf-8{method}"))
                .map_err(|e| format!("invitation content type: {e}"))?;
            MultiPart::mixed().multipart(alternative).singlepart(
                Attachment::new("invite.ics".to_owned()).body(ics.clone(), content_type),
            )
        }
    };
    builder
        .multipart(body)
        .map_err(|e| format!("could not build the message: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::notify::sms;
    use serde_json::json;

    /// A company with every field an email shows.
    fn company() -> Company {
        serde_json::from_value(json!({
            "id": "demo",
            "name": "Atelier Lumière",
            "email": "hello@atelier.example",
            "phone": "+33 1 23 45 67 89",
            "timeZone": "Europe/Paris",
            "address": {"street": "12 rue des Lilas", "zipCode": "75011", "city": "Paris", "country": "FR"},
        }))
        .expect("company")
    }

    /// A row of `kind` in `lang` whose appointment fills every field; `video`: online, else at the
    /// company's address.
    fn payload(kind: Kind, lang: &str, video: bool) -> Payload {
        let audience = match kind.to_business() {
            true => Audience::Staff,
            false => Audience::Client,
        };
        let mut appointment = json!({
            "id": "a1",
            "reference": "K7M-4QX2",
            "encryptedId": "enc-a1",
            "service": {"id": "consult", "name": "Consultation"},
            "staff": {"id": "hugo", "firstName": "Hugo", "lastName": "Martin"},
            "client": {"firstName": "Ada", "lastName": "Lovelace", "email": "ada@example.com",
                "phone": "+33612345678", "timeZone": "America/New_York"},
            "price": {"amount": 55, "currency": "EUR"},
            "extendedProperties": {"public": {"campaign": "spring"}},
        });
        if video {
            appointment["location"] = json!("videoconference");
            appointment["onlineMeeting"] = json!({"videoLink": "https://meet.example/room-42"});
        }
        serde_json::from_value(json!({
            "kind": kind.as_str(),
            "audience": audience.as_str(),
            "lang": lang,
            "to": "ada@example.com",
            "name": "Ada Lovelace",
            "byClient": false,
            "appointment": appointment,
            "start": "2031-06-05T16:00:00Z",
            "end": "2031-06-05T16:30:00Z",
            "deleted": false,
            "previousStart": "2031-06-04T16:00:00Z",
        }))
        .expect("payload")
    }

    fn rendered(kind: Kind, lang: &str, video: bool) -> Rendered {
        render_payload(&payload(kind, lang, video))
    }

    fn render_payload(payload: &Payload) -> Rendered {
        let links = Links {
            origin: Some("https://book.example"),
            uid_host: "book.example",
        };
        let now = "2031-06-02T06:00:00Z".parse().expect("instant");
        render(payload, "demo", Some(&company()), links, now)
    }

    /// A cancellation the client made says so, in every language (`cancelled.introByClient`).
    #[test]
    fn a_cancellation_by_the_client_has_its_own_intro_in_every_language() {
        let by_client = |lang: &str| {
            let mut p = payload(Kind::Cancelled, lang, false);
            p.by_client = true;
            render_payload(&p)
        };
        let english = by_client("en");
        for lang in strings::LANGS {
            let r = by_client(lang);
            let opening = intro(&r.text);
            assert!(!opening.trim().is_empty(), "{lang}\n{}", r.text);
            assert!(
                !r.text.contains('{'),
                "{lang}: a placeholder left\n{}",
                r.text
            );
            let by_business = rendered(Kind::Cancelled, lang, false);
            assert_ne!(
                opening,
                intro(&by_business.text),
                "{lang}: the business's intro"
            );
            if lang != "en" {
                assert_ne!(opening, intro(&english.text), "{lang}: in English");
            }
        }
    }

    /// The opening paragraph of a text part (after the greeting).
    fn intro(text: &str) -> &str {
        text.split("\n\n").nth(1).unwrap_or_default()
    }

    /// Every kind in every language, from the catalogues alone: a key missing from all seven files
    /// (or a placeholder left unfilled) shows here.
    #[test]
    fn every_message_kind_renders_in_every_language_with_every_field() {
        for kind in Kind::ALL {
            let english = rendered(kind, "en", true);
            for lang in strings::LANGS {
                for video in [true, false] {
                    let r = rendered(kind, lang, video);
                    let at = format!("{} in {lang} (video: {video})", kind.as_str());
                    assert!(!r.subject.trim().is_empty(), "{at}: subject");
                    let opening = intro(&r.text);
                    assert!(!opening.trim().is_empty(), "{at}: intro\n{}", r.text);
                    assert!(
                        !r.text.starts_with(',') && !r.text.starts_with('\n'),
                        "{at}: greeting\n{}",
                        r.text
                    );
                    for part in [&r.subject, &r.text, &r.html] {
                        assert!(
                            !part.contains('{') && !part.contains('}'),
                            "{at}: a placeholder left:\n{part}"
                        );
                    }
                    for line in r.text.lines() {
                        assert!(!line.starts_with(':'), "{at}: a label missing: {line:?}");
                    }
                    if lang != "en" {
                        assert_ne!(r.subject, english.subject, "{at}: subject in English");
                        assert_ne!(opening, intro(&english.text), "{at}: intro in English");
                    }
                    for part in [&r.text, &r.html] {
                        assert!(part.contains("55.00 EUR"), "{at}: price\n{part}");
                        assert!(part.contains("K7M-4QX2"), "{at}: reference\n{part}");
                        assert!(part.contains("Hugo Martin"), "{at}: staff\n{part}");
                        assert!(part.contains("campaign"), "{at}: public properties\n{part}");
                        assert!(
                            part.contains("+33 1 23 45 67 89"),
                            "{at}: signature\n{part}"
                        );
                        assert!(part.contains("2031"), "{at}: the date\n{part}");
                        match video {
                            true => assert!(
                                part.contains("https://meet.example/room-42"),
                                "{at}: video link\n{part}"
                            ),
                            false => assert!(
                                part.matches("12 rue des Lilas").count() >= 2,
                                "{at}: the place (and the signature)\n{part}"
                            ),
                        }
                    }
                    // The signature closes the text: sign-off, then the company's lines.
                    let signature = r.text.trim_end().rsplit("\n\n").next().unwrap_or_default();
                    let mut signature = signature.lines();
                    let signoff = signature.next().unwrap_or_default();
                    assert!(!signoff.trim().is_empty(), "{at}: sign-off\n{}", r.text);
                    assert_eq!(
                        signature.next(),
                        Some("Atelier Lumière"),
                        "{at}\n{}",
                        r.text
                    );
                    if kind.offers_links() && !kind.to_business() {
                        assert!(r.text.contains("action=cancel"), "{at}: links\n{}", r.text);
                        let link_line = r
                            .text
                            .lines()
                            .find(|l| l.contains("action=cancel"))
                            .unwrap_or_default();
                        assert!(!link_line.starts_with(':'), "{at}: link label");
                    }
                    assert_eq!(r.invite.is_some(), kind.carries_invite(), "{at}: invite");
                    if !kind.to_business() {
                        let text = sms::text::text(
                            &payload(kind, lang, video),
                            "demo",
                            Some(&company()),
                            Some("https://book.example"),
                        );
                        assert!(
                            text.starts_with(|c: char| !c.is_whitespace())
                                && !text.contains('{')
                                && text.contains("Consultation"),
                            "{at}: text message {text:?}"
                        );
                    }
                }
            }
        }
    }
}
