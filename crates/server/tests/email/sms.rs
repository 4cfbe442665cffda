//! Text messages end to end: a company turns them on, a booking's confirmation reaches a local
//! HTTP gateway (form fields, Basic credentials, the manage link of the real server), `silent`,
//! `sendto=parent` and E.164 numbers, and the gateway's faults (5xx retried and delivered once,
//! 400 failed and not retried).

use std::time::{Duration, Instant};

use base64::Engine;
use booking_server::notify;
use reqwest::Method;
use serde_json::{json, Value};

use crate::harness::{EmailServer, DEMO, KEY};
use crate::sms_gateway::Gateway;
use crate::{param, support};

const FROM: &str = "+15005550006";
const ADA: &str = "+33612345678";

/// A server whose text messages go to `gateway` (Twilio's path; credentials in the URL).
async fn server(gateway: &Gateway, format: notify::sms::Format) -> EmailServer {
    let base = gateway.base.replace("http://", "http://AC123:s%3Acret@");
    EmailServer::with_sms(notify::sms::Settings {
        url: Some(format!("{base}/2010-04-01/Accounts/AC123/Messages.json")),
        from: FROM.to_owned(),
        format,
        ..notify::sms::Settings::default()
    })
    .await
}

/// Turns the demo company's text messages on (or off).
async fn sms_notifications(server: &EmailServer, on: bool) -> (u16, Value) {
    let path = format!("{DEMO}?apiKey={KEY}");
    let (status, mut company) = server.call(Method::GET, &path, None).await;
    assert_eq!(status, 200, "{company}");
    company["smsNotifications"] = json!(on);
    server.call(Method::PUT, &path, Some(&company)).await
}

/// The demo widget booking of a haircut with Camille, the client's phone in the form.
fn booking_with_phone(start: &str, phone: &str) -> Value {
    let mut booking = support::demo_booking("haircut", Some("camille"), start, "ada@example.com");
    booking["lang"] = json!("fr");
    booking["form"]["contactFields"]
        .as_array_mut()
        .expect("contact fields")
        .push(json!({"id": "phone", "bind": "crm-phone", "value": phone}));
    booking
}

/// An appointment of the API with `client`, `silent` or not.
async fn api_insert(server: &EmailServer, client: Value, silent: bool, local: &str) -> Value {
    let appointment = json!({
        "client": client,
        "service": {"id": "haircut"},
        "staff": {"id": "hugo"},
        "start": {"dateTime": local, "timeZone": "Europe/Paris"},
    });
    server
        .insert(&appointment, &format!("force=true&silent={silent}"))
        .await
}

/// The appointment's log entries on channel `sms`.
async fn sms_log(server: &EmailServer, id: &str) -> Vec<Value> {
    let log = crate::log_of(server, id).await;
    log.into_iter().filter(|i| i["channel"] == "sms").collect()
}

/// Polls the SMS log of `id` until `done` holds (at most 20 s).
async fn sms_log_until(
    server: &EmailServer,
    id: &str,
    done: impl Fn(&[Value]) -> bool,
) -> Vec<Value> {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let log = sms_log(server, id).await;
        if done(&log) {
            return log;
        }
        assert!(
            Instant::now() < deadline,
            "the SMS log never got there: {log:?}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn a_booking_texts_its_confirmation_through_the_gateway_with_the_manage_link() {
    // Without a gateway a company cannot turn text messages on.
    let plain = EmailServer::with_mail_dir().await;
    let (status, refused) = sms_notifications(&plain, true).await;
    assert_eq!(status, 422, "{refused}");
    assert_eq!(refused["error"]["fields"][0]["name"], "smsNotifications");

    let gateway = Gateway::start().await;
    let server = server(&gateway, notify::sms::Format::Form).await;
    let start = server.first_slot("haircut", "camille").await;
    // Off by default: a French number as people write it is fine, and nothing is texted.
    let (status, quiet) = server
        .call(
            Method::POST,
            &format!("{DEMO}/widget/appointments"),
            Some(&booking_with_phone(&start, "06 12 34 56 78")),
        )
        .await;
    assert_eq!(status, 201, "{quiet}");
    let (status, _) = server
        .call(
            Method::DELETE,
            &format!(
                "{DEMO}/appointments/{}?apiKey={KEY}&silent=true",
                quiet["id"].as_str().expect("id")
            ),
            None,
        )
        .await;
    assert_eq!(status, 204);
    let later = crate::support::plus_minutes(&start[..19], 120);
    let before = api_insert(
        &server,
        json!({"firstName": "Eva", "mobilePhone": "+33633333333"}),
        false,
        &later,
    )
    .await;

    let (status, saved) = sms_notifications(&server, true).await;
    assert_eq!(status, 200, "{saved}");
    assert_eq!(saved["smsNotifications"], true);
    // The company words its French cancellation text itself.
    let mut company = saved;
    company["emailTemplates"] = json!([{
        "kind": "cancelled", "lang": "fr", "sms": "Annulé : {service} chez {company} (réf. {reference})."
    }]);
    let (status, saved) = server
        .call(Method::PUT, &format!("{DEMO}?apiKey={KEY}"), Some(&company))
        .await;
    assert_eq!(status, 200, "{saved}");
    // On: the number must be E.164, and the answer names the form field.
    let (status, refused) = server
        .call(
            Method::POST,
            &format!("{DEMO}/widget/appointments"),
            Some(&booking_with_phone(&start, "06 12 34 56 78")),
        )
        .await;
    assert_eq!(status, 422, "{refused}");
    assert_eq!(
        refused["error"]["fields"][0]["name"], "form.contactFields[3].value",
        "{refused}"
    );
    assert!(refused.to_string().contains("E.164"), "{refused}");
    let (status, booked) = server
        .call(
            Method::POST,
            &format!("{DEMO}/widget/appointments"),
            Some(&booking_with_phone(&start, "+33 6 12 34 56 78")),
        )
        .await;
    assert_eq!(status, 201, "{booked}");
    let id = booked["id"].as_str().expect("id");

    let sent = gateway.wait_for(ADA, 1).await;
    let sms = &sent[0];
    assert_eq!(sms.path, "/2010-04-01/Accounts/AC123/Messages.json");
    assert_eq!(
        sms.content_type.as_deref(),
        Some("application/x-www-form-urlencoded")
    );
    let basic = base64::engine::general_purpose::STANDARD.encode("AC123:s:cret");
    assert_eq!(
        sms.authorization.as_deref(),
        Some(format!("Basic {basic}").as_str())
    );
    assert_eq!(sms.fields["To"], ADA, "E.164, spaces taken out");
    assert_eq!(sms.fields["From"], FROM);
    let body = &sms.fields["Body"];
    assert!(
        body.starts_with("Atelier Lumière : Coupe"),
        "in French: {body}"
    );
    // The link opens the widget's manage mode of this server, for this booking, in French.
    let link = body
        .split_whitespace()
        .find(|w| w.starts_with("http"))
        .unwrap_or_else(|| panic!("no link in {body}"));
    assert!(
        link.starts_with(&format!("{}/widget/?", server.base)),
        "{link}"
    );
    let encrypted_id = booked["encryptedId"].as_str().expect("encryptedId");
    assert_eq!(param(link, "appointment").as_deref(), Some(encrypted_id));
    assert_eq!(param(link, "company").as_deref(), Some("demo"));
    assert_eq!(param(link, "lang").as_deref(), Some("fr"));
    let (status, view) = server
        .call(
            Method::GET,
            &format!(
                "{DEMO}/widget/appointments/{}",
                param(link, "appointment").expect("id")
            ),
            None,
        )
        .await;
    assert_eq!(status, 200, "{view}");
    assert_eq!(view["reference"], booked["reference"]);

    // The log shows the text beside the emails, sent; the reminders are planned by text too.
    let log = sms_log_until(&server, id, |log| {
        log.iter()
            .any(|i| i["kind"] == "confirmation" && i["status"] == "succeeded")
    })
    .await;
    let confirmation = log
        .iter()
        .find(|i| i["kind"] == "confirmation")
        .expect("confirmation");
    assert_eq!(confirmation["recipient"], ADA);
    assert_eq!(confirmation["audience"], "client");
    assert_eq!(sms.idempotency_key.as_deref(), confirmation["id"].as_str());
    assert_eq!(
        log.iter().filter(|i| i["kind"] == "reminder").count(),
        2,
        "{log:?}"
    );

    // The client cancels through the link: a text says so, without a link.
    let (status, _) = server
        .call(
            Method::DELETE,
            &format!("{DEMO}/widget/appointments/{encrypted_id}"),
            None,
        )
        .await;
    assert!(status == 200 || status == 204);
    let cancelled = gateway.wait_for(ADA, 2).await;
    let reference = booked["reference"].as_str().expect("reference");
    let text = &cancelled[1].fields["Body"];
    assert!(
        text.starts_with("Annulé : ")
            && text.ends_with(&format!(" chez Atelier Lumière (réf. {reference}).")),
        "the company's wording: {text}"
    );

    // The API: silent texts nothing, sendto=parent texts nobody (the parent has no phone), and a
    // number that is not E.164 is refused by name.
    let later = crate::support::plus_minutes(&later, 180);
    let silent = api_insert(
        &server,
        json!({"firstName": "Léo", "mobilePhone": "+33611111111"}),
        true,
        &later,
    )
    .await;
    let mut parent = json!({"firstName": "Léo", "mobilePhone": "+33622222222"});
    let (status, for_parent) = server
        .call(
            Method::POST,
            &format!("{DEMO}/appointments?apiKey={KEY}&force=true"),
            Some(&json!({
                "client": parent.clone(),
                "sendto": "parent",
                "parent": {"firstName": "Rui", "email": "rui@example.com"},
                "service": {"id": "haircut"},
                "staff": {"id": "hugo"},
                "start": {"dateTime": crate::support::plus_minutes(&later, 60), "timeZone": "Europe/Paris"},
            })),
        )
        .await;
    assert_eq!(status, 201);
    parent["mobilePhone"] = json!("0612");
    let (status, refused) = server
        .call(
            Method::POST,
            &format!("{DEMO}/appointments?apiKey={KEY}&force=true"),
            Some(&json!({
                "client": parent,
                "service": {"id": "haircut"},
                "staff": {"id": "hugo"},
                "start": {"dateTime": crate::support::plus_minutes(&later, 120), "timeZone": "Europe/Paris"},
            })),
        )
        .await;
    assert_eq!(status, 422, "{refused}");
    assert_eq!(refused["error"]["fields"][0]["name"], "client.mobilePhone");
    assert!(sms_log(&server, silent["id"].as_str().expect("id"))
        .await
        .is_empty());
    // The worker sends only what the outbox holds: no row, no text, whenever it looks.
    assert!(sms_log(&server, for_parent["id"].as_str().expect("id"))
        .await
        .is_empty());
    assert!(gateway.to("+33611111111").is_empty(), "silent");
    assert!(
        gateway.to("+33633333333").is_empty(),
        "booked while SMS was off"
    );
    assert!(sms_log(&server, before["id"].as_str().expect("id"))
        .await
        .is_empty());
    assert!(gateway.to("+33622222222").is_empty(), "sendto=parent");
}

#[tokio::test]
async fn a_gateway_5xx_or_429_is_retried_and_delivered_once_and_a_400_fails_once() {
    let gateway = Gateway::start().await;
    let server = server(&gateway, notify::sms::Format::Json).await;
    let (status, _) = sms_notifications(&server, true).await;
    assert_eq!(status, 200);
    let start = server.first_slot("haircut", "hugo").await;
    let local = &start[..19];
    let (busy, refused, throttled) = ("+14155550100", "+14155550199", "+14155550142");
    gateway.answer(busy, &[503, 500]);
    gateway.answer(refused, &[400]);
    gateway.answer(throttled, &[429]);
    let first = api_insert(
        &server,
        json!({"firstName": "Bo", "mobilePhone": busy}),
        false,
        local,
    )
    .await;
    let later = crate::support::plus_minutes(local, 60);
    let third = api_insert(
        &server,
        json!({"firstName": "Di", "mobilePhone": throttled}),
        false,
        &crate::support::plus_minutes(local, 120),
    )
    .await;
    let second = api_insert(
        &server,
        json!({"firstName": "Cy", "phone": refused}),
        false,
        &later,
    )
    .await;

    let log = sms_log_until(&server, first["id"].as_str().expect("id"), |log| {
        log.iter()
            .any(|i| i["kind"] == "confirmation" && i["status"] == "succeeded")
    })
    .await;
    let delivered = log
        .iter()
        .find(|i| i["kind"] == "confirmation")
        .expect("confirmation");
    assert_eq!(delivered["attemptCount"], 3, "{delivered}");
    let log = sms_log_until(&server, second["id"].as_str().expect("id"), |log| {
        log.iter()
            .any(|i| i["kind"] == "confirmation" && i["status"] == "failed")
    })
    .await;
    let failed = log
        .iter()
        .find(|i| i["kind"] == "confirmation")
        .expect("confirmation");
    assert_eq!(failed["attemptCount"], 1, "{failed}");
    assert_eq!(failed["lastStatusCode"], 400);
    assert!(
        failed["lastError"]
            .as_str()
            .is_some_and(|e| e.contains("400")),
        "{failed}"
    );

    // Both are recorded final (succeeded, failed): neither can be claimed again.
    let answered: Vec<u16> = gateway.to(busy).iter().map(|r| r.answered).collect();
    assert_eq!(answered, [503, 500, 201], "retried, then delivered once");
    let sent = &gateway.to(busy)[2];
    assert_eq!(sent.content_type.as_deref(), Some("application/json"));
    assert_eq!(sent.fields["from"], FROM);
    assert!(sent.fields["body"].contains("Haircut"), "{:?}", sent.fields);
    let keys: Vec<_> = gateway
        .to(busy)
        .iter()
        .map(|r| r.idempotency_key.clone())
        .collect();
    assert!(
        keys.iter().all(|k| k.is_some() && *k == keys[0]),
        "one key for every retry: {keys:?}"
    );
    assert_eq!(gateway.to(refused).len(), 1, "a 400 is not retried");
    // A 429 with `Retry-After: 1` waits that second, not the 150 ms backoff.
    sms_log_until(&server, third["id"].as_str().expect("id"), |log| {
        log.iter()
            .any(|i| i["kind"] == "confirmation" && i["status"] == "succeeded")
    })
    .await;
    let tries = gateway.to(throttled);
    assert_eq!(tries.len(), 2, "{tries:?}");
    let waited = tries[1].at - tries[0].at;
    assert!(
        waited >= Duration::from_millis(950),
        "retried after {waited:?}"
    );
}
