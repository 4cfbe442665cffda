//! Emails end to end: a booking's confirmation, its links and invitation as a real SMTP server
//! receives them, `silent` and `sendto`, and the faults (server down for a while, 550). Text
//! messages through a local HTTP gateway are in `sms.rs`.

mod edges;
mod flows;
mod harness;
mod outbox_claims;
mod sms;
mod sms_gateway;
#[path = "../support/mod.rs"]
mod support;
mod tls;

use std::time::{Duration, Instant};

use harness::{EmailServer, Sink, DEMO, KEY};
use mail_parser::{MessageParser, MimeHeaders};
use reqwest::Method;
use serde_json::json;

/// The query parameter `name` of `url`.
fn param(url: &str, name: &str) -> Option<String> {
    let query = url.split_once('?')?.1;
    form_urlencoded::parse(query.as_bytes())
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
}

/// The first `http…` link in `text` that contains `needle`.
fn link_with(text: &str, needle: &str) -> String {
    text.split_whitespace()
        .find(|w| w.starts_with("http") && w.contains(needle))
        .unwrap_or_else(|| panic!("no link with {needle:?} in:\n{text}"))
        .to_owned()
}

#[tokio::test]
async fn a_widget_booking_emails_client_staff_and_company_and_the_cancel_link_cancels() {
    let sink = Sink::up();
    let server = EmailServer::start(sink.port).await;
    let booked = server.book("ada@example.com", "fr").await;

    let confirmation = sink.wait_for("ada@example.com", "Confirmé").await;
    let mail = MessageParser::default()
        .parse(&confirmation.raw)
        .expect("a parsable message");
    let from = mail.from().and_then(|a| a.first()).expect("From");
    assert_eq!(from.address(), Some("bonjour@atelier-lumiere.example"));
    let reply_to = mail.reply_to().and_then(|a| a.first()).expect("Reply-To");
    assert_eq!(reply_to.address(), Some("bonjour@atelier-lumiere.example"));
    assert!(mail.message_id().is_some_and(|id| id.starts_with("msg_")));
    let text = mail.body_text(0).expect("a text part").into_owned();
    let html = mail.body_html(0).expect("an HTML part").into_owned();
    assert!(text.starts_with("Bonjour Ada Lovelace,"), "{text}");
    let reference = booked["reference"].as_str().expect("reference");
    for part in [&text, &html] {
        assert!(part.contains(reference), "the reference is shown:\n{part}");
        assert!(
            part.contains("America/New_York"),
            "the client's zone:\n{part}"
        );
        assert!(part.contains("Europe/Paris"), "the company's zone:\n{part}");
        assert!(
            part.contains("campaign"),
            "public extendedProperties:\n{part}"
        );
        assert!(part.contains("Camille"), "the staff member:\n{part}");
    }
    assert!(html.contains("<table"), "{html}");

    // The invitation: a real iCalendar document of this appointment.
    let invite = mail
        .attachments()
        .find(|a| a.attachment_name() == Some("invite.ics"))
        .expect("an invite.ics attachment");
    assert_eq!(invite.content_type().map(|c| c.ctype()), Some("text"));
    let ics = String::from_utf8(invite.contents().to_vec()).expect("UTF-8 calendar");
    assert!(ics.starts_with("BEGIN:VCALENDAR"), "{ics}");
    let uid = ics
        .lines()
        .find(|l| l.starts_with("UID:"))
        .expect("a UID")
        .to_owned();
    let host = server.base.trim_start_matches("http://");
    assert!(
        uid.ends_with(&format!("@{host}")),
        "UID at --public-url's host: {uid}"
    );
    assert!(ics.contains("METHOD:REQUEST"), "{ics}");
    assert_eq!(
        invite.content_type().and_then(|c| c.attribute("method")),
        Some("REQUEST"),
        "the part's method repeats the calendar's"
    );
    let encrypted_id = booked["encryptedId"].as_str().expect("encryptedId");

    // The links open the widget's manage mode on this server (`--public-url`), in the booking's
    // language.
    let reschedule = link_with(&text, "action=reschedule");
    let cancel = link_with(&text, "action=cancel");
    for link in [&reschedule, &cancel] {
        assert!(
            link.starts_with(&format!("{}/widget/?", server.base)),
            "{link}"
        );
        assert_eq!(param(link, "company").as_deref(), Some("demo"));
        assert_eq!(param(link, "appointment").as_deref(), Some(encrypted_id));
        assert_eq!(param(link, "lang").as_deref(), Some("fr"));
        assert!(
            html.contains(&link.replace('&', "&amp;")),
            "the HTML has it too"
        );
    }
    // What the widget's manage mode does with the cancel link: it reads the appointment it names,
    // then cancels it.
    let id = param(&cancel, "appointment").expect("appointment");
    let (status, view) = server
        .call(
            Method::GET,
            &format!("{DEMO}/widget/appointments/{id}"),
            None,
        )
        .await;
    assert_eq!(status, 200, "{view}");
    let (status, cancelled) = server
        .call(
            Method::DELETE,
            &format!("{DEMO}/widget/appointments/{id}"),
            None,
        )
        .await;
    assert!(status == 200 || status == 204, "{status} {cancelled}");
    let notice = sink.wait_for("ada@example.com", "Annulé").await;
    let notice_text = MessageParser::default()
        .parse(&notice.raw)
        .and_then(|m| m.body_text(0).map(|t| t.into_owned()))
        .expect("text");
    assert!(
        notice_text.contains("Comme demandé"),
        "cancelled by the client:\n{notice_text}"
    );
    let notice_ics = MessageParser::default()
        .parse(&notice.raw)
        .and_then(|m| {
            m.attachments()
                .find(|a| a.attachment_name() == Some("invite.ics"))
                .map(|a| String::from_utf8_lossy(a.contents()).into_owned())
        })
        .expect("the cancellation carries the invitation");
    assert!(notice_ics.contains("METHOD:CANCEL"), "{notice_ics}");
    assert!(notice_ics.contains(&uid), "the same event: {notice_ics}");
    // Read by a real iCalendar parser: the cancellation supersedes the confirmation (same UID,
    // higher SEQUENCE), carries no alarm, and both describe the booking in its language.
    let (booked_event, cancel_event) = (vevent(&ics), vevent(&notice_ics));
    assert_eq!(
        property(&booked_event, "UID"),
        property(&cancel_event, "UID")
    );
    let sequence = |e: &Event| {
        property(e, "SEQUENCE")
            .parse::<u32>()
            .expect("a SEQUENCE number")
    };
    assert!(
        sequence(&cancel_event) > sequence(&booked_event),
        "{notice_ics}"
    );
    assert!(booked_event.alarms, "the confirmation has a VALARM: {ics}");
    assert!(!cancel_event.alarms, "a CANCEL has no VALARM: {notice_ics}");
    assert_eq!(property(&cancel_event, "STATUS"), "CANCELLED");
    for event in [&booked_event, &cancel_event] {
        let description = property(event, "DESCRIPTION");
        assert!(
            description.starts_with(&format!("Référence: {reference}")),
            "in French: {description}"
        );
        assert!(description.contains("Avec: Camille"), "{description}");
    }
    assert!(
        !notice_text.contains("action=cancel"),
        "no links on a cancelled booking"
    );

    // The business heard of both: the staff member and the company, in the company's language
    // (English when it has none).
    for business in [
        "camille@atelier-lumiere.example",
        "bonjour@atelier-lumiere.example",
    ] {
        sink.wait_for(business, "New booking").await;
        sink.wait_for(business, "Booking cancelled").await;
    }
}

#[tokio::test]
async fn silent_sends_nothing_and_sendto_parent_writes_to_the_parent() {
    let sink = Sink::up();
    let server = EmailServer::start(sink.port).await;
    let start = server.first_slot("haircut", "hugo").await;
    let local = &start[..19];
    let body = |email: &str| {
        json!({
            "client": {"firstName": "Léo", "lastName": "Petit", "email": email},
            "service": {"id": "haircut"},
            "staff": {"id": "hugo"},
            "start": {"dateTime": local, "timeZone": "Europe/Paris"},
        })
    };
    let quiet = server
        .insert(&body("leo@example.com"), "silent=true&force=true")
        .await;
    let quiet_id = quiet["id"].as_str().expect("id");
    assert!(
        server.emails_of(quiet_id).await.is_empty(),
        "silent: no email planned"
    );

    let mut for_child = body("leo@example.com");
    for_child["sendto"] = json!("parent");
    for_child["parent"] = json!({"firstName": "Rui", "email": "rui@example.com"});
    let booked = server.insert(&for_child, "force=true").await;
    let received = sink.wait_for("rui@example.com", "Confirmed").await;
    assert!(subject_has(&received.raw, "Haircut"));
    let planned = server.emails_of(booked["id"].as_str().expect("id")).await;
    assert!(
        planned.iter().all(|(to, ..)| to != "leo@example.com"),
        "nothing to the client: {planned:?}"
    );
    // A silent delete tells nobody.
    let id = booked["id"].as_str().expect("id");
    let (status, _) = server
        .call(
            Method::DELETE,
            &format!("{DEMO}/appointments/{id}?apiKey={KEY}&silent=true"),
            None,
        )
        .await;
    assert_eq!(status, 204);
    let kinds: Vec<String> = server
        .emails_of(id)
        .await
        .into_iter()
        .map(|r| r.1)
        .collect();
    assert!(!kinds.iter().any(|k| k.contains("ancel")), "{kinds:?}");
}

/// An invitation's VEVENT as the `icalendar` parser reads it (values unescaped): its properties
/// and whether it has a VALARM.
struct Event {
    properties: Vec<(String, String)>,
    alarms: bool,
}

fn vevent(ics: &str) -> Event {
    let unfolded = icalendar::parser::unfold(ics);
    let calendar = icalendar::parser::read_calendar(&unfolded).expect("a valid iCalendar file");
    let event = calendar
        .components
        .iter()
        .find(|c| c.name == "VEVENT")
        .expect("a VEVENT");
    Event {
        properties: event
            .properties
            .iter()
            .map(|p| (p.name.as_str().to_owned(), p.val.as_str().to_owned()))
            .collect(),
        alarms: event.components.iter().any(|c| c.name == "VALARM"),
    }
}

fn property(event: &Event, name: &str) -> String {
    event
        .properties
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.clone())
        .unwrap_or_else(|| panic!("no {name}"))
}

fn subject_has(raw: &[u8], needle: &str) -> bool {
    harness::subject_of(raw).contains(needle)
}

/// Polls the rows of `id` until `done` holds for them (at most 20 s).
async fn rows_until(
    server: &EmailServer,
    id: &str,
    done: impl Fn(&[(String, String, String, i64, Option<i64>)]) -> bool,
) -> Vec<(String, String, String, i64, Option<i64>)> {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let rows = server.emails_of(id).await;
        if done(&rows) {
            return rows;
        }
        assert!(Instant::now() < deadline, "rows never got there: {rows:?}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn a_server_down_for_a_while_gets_the_email_after_and_550_fails_once() {
    let mut sink = Sink::down();
    let server = EmailServer::start(sink.port).await;
    let booked = server.book("grace@example.com", "en").await;
    let id = booked["id"].as_str().expect("id").to_owned();
    // Refused connections are transient: the row stays pending and is attempted again.
    rows_until(&server, &id, |rows| {
        rows.iter().any(|(to, _, state, attempts, _)| {
            to == "grace@example.com" && state == "pending" && *attempts >= 2
        })
    })
    .await;
    sink.start();
    let received = sink.wait_for("grace@example.com", "Confirmed").await;
    assert_eq!(received.rcpt, ["grace@example.com"]);
    rows_until(&server, &id, |rows| rows.iter().all(|r| r.2 == "succeeded")).await;
    assert_eq!(
        sink.received()
            .iter()
            .filter(|r| r.rcpt == ["grace@example.com"])
            .count(),
        1,
        "delivered once"
    );

    // 550: failed for good, after one attempt, with the server's answer recorded.
    sink.reject(true);
    let (status, _) = server
        .call(
            Method::DELETE,
            &format!(
                "{DEMO}/widget/appointments/{}",
                booked["encryptedId"].as_str().expect("encryptedId")
            ),
            None,
        )
        .await;
    assert!(status == 200 || status == 204);
    let rows = rows_until(&server, &id, |rows| {
        rows.iter().any(|r| r.1 == "cancelled" && r.2 == "failed")
    })
    .await;
    let failed = rows
        .iter()
        .find(|r| r.1 == "cancelled")
        .expect("the cancellation");
    assert_eq!((failed.3, failed.4), (1, Some(550)), "{rows:?}");
    let error: (String,) = sqlx::query_as(
        "SELECT last_error FROM outbox WHERE channel = 'email' AND subject_id = $1 AND kind = 'cancelled'",
    )
    .bind(&id)
    .fetch_one(&server.db)
    .await
    .expect("last error");
    assert!(error.0.contains("550"), "{}", error.0);
    // Not retried: watched for longer than the longest retry wait (the harness's backoff_max,
    // 400 ms, plus its 50 ms poll), so a resend of the failed email would show as a second
    // attempt. A window of absence, not a wait for something to happen.
    let watched = Instant::now() + Duration::from_millis(1_000);
    while Instant::now() < watched {
        let rows = server.emails_of(&id).await;
        let still = rows
            .iter()
            .find(|r| r.1 == "cancelled")
            .expect("the cancellation");
        assert_eq!(
            (still.2.as_str(), still.3),
            ("failed", 1),
            "not retried: {rows:?}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }

    // The appointment's notification log says the same (API key; the appointment is cancelled).
    let items = log_of(&server, &id).await;
    let of = |kind: &str, to: &str| {
        items
            .iter()
            .find(|i| i["kind"] == kind && i["recipient"] == to)
            .unwrap_or_else(|| panic!("no {kind} to {to} in {items:?}"))
    };
    let confirmation = of("confirmation", "grace@example.com");
    assert_eq!(confirmation["channel"], "email");
    assert_eq!(confirmation["audience"], "client");
    assert_eq!(confirmation["status"], "succeeded");
    assert!(
        confirmation["attemptCount"].as_i64() >= Some(2),
        "{confirmation}"
    );
    assert!(confirmation["sentAt"]
        .as_str()
        .is_some_and(|t| t > confirmation["plannedAt"].as_str().unwrap_or("")));
    let cancellation = of("cancelled", "grace@example.com");
    assert_eq!(cancellation["status"], "failed");
    assert_eq!(cancellation["lastStatusCode"], 550);
    assert!(cancellation["lastError"]
        .as_str()
        .is_some_and(|e| e.contains("550")));
    assert_eq!(
        of("businessNew", "camille@atelier-lumiere.example")["audience"],
        "staff"
    );
    let (status, _) = server
        .call(
            Method::GET,
            &format!("{DEMO}/appointments/nope/notifications?apiKey={KEY}"),
            None,
        )
        .await;
    assert_eq!(status, 404);
    let (status, _) = server
        .call(
            Method::GET,
            &format!("{DEMO}/appointments/{id}/notifications"),
            None,
        )
        .await;
    assert_eq!(status, 401);
}

#[tokio::test]
async fn without_smtp_the_demo_mailbox_shows_the_written_emails() {
    let server = EmailServer::with_mail_dir().await;
    let booked = server.book("ada@example.com", "de").await;
    let id = booked["id"].as_str().expect("id").to_owned();
    rows_until(&server, &id, |rows| {
        !rows.is_empty() && rows.iter().all(|r| r.2 == "succeeded")
    })
    .await;
    let files: Vec<_> = std::fs::read_dir(&server.mail_dir)
        .expect("the mail directory")
        .filter_map(|e| e.ok())
        .filter(|e| e.path().extension().is_some_and(|x| x == "eml"))
        .collect();
    assert_eq!(files.len(), 3, "client, staff member, company");

    let (status, _, list) = server.get_text("/demo/mailbox").await;
    assert_eq!(status, 200, "{list}");
    assert!(
        list.contains("Bestätigt: "),
        "the client's confirmation is listed:\n{list}"
    );
    assert!(list.contains("ada@example.com"), "{list}");
    let href = list
        .split("href=\"")
        .filter_map(|s| s.split('"').next())
        .find(|h| h.starts_with("/demo/mailbox/msg_"))
        .expect("a link to a message")
        .to_owned();
    let (status, _, one) = server.get_text(&href).await;
    assert_eq!(status, 200, "{one}");
    assert!(one.contains("invite.ics"), "{one}");
    assert!(one.contains("bonjour@atelier-lumiere.example"), "{one}");
    let (status, headers, html) = server.get_text(&format!("{href}/html")).await;
    assert_eq!(status, 200);
    assert!(html.contains("<table"), "{html}");
    let csp = headers
        .get("content-security-policy")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    assert!(
        csp.starts_with("sandbox"),
        "the HTML part runs nothing: {csp}"
    );
    assert!(!csp.contains("allow-scripts"), "{csp}");
    assert!(
        html.contains("<base target=\"_blank\">"),
        "links open outside the frame"
    );
    for bad in [
        "/demo/mailbox/..%2Ftest",
        "/demo/mailbox/msg_nope",
        "/demo/mailbox/x.eml",
    ] {
        let (status, _, _) = server.get_text(bad).await;
        assert_eq!(status, 404, "{bad}");
    }
    let (_, _, home) = server.get_text("/").await;
    assert!(
        home.contains("href=\"/demo/mailbox\""),
        "the demo page links the mailbox"
    );
}

/// The notification log of an appointment.
async fn log_of(server: &EmailServer, id: &str) -> Vec<serde_json::Value> {
    let (status, log) = server
        .call(
            Method::GET,
            &format!("{DEMO}/appointments/{id}/notifications?apiKey={KEY}"),
            None,
        )
        .await;
    assert_eq!(status, 200, "{log}");
    log["items"].as_array().cloned().unwrap_or_default()
}

/// `(plannedAt, status)` of the reminders in a log.
fn reminders(log: &[serde_json::Value]) -> Vec<(String, String)> {
    log.iter()
        .filter(|i| i["kind"] == "reminder")
        .map(|i| {
            (
                i["plannedAt"].as_str().unwrap_or_default().to_owned(),
                i["status"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect()
}

#[tokio::test]
async fn reminders_fire_once_at_their_instants_across_the_paris_dst_weekend() {
    use booking_server::clock::Clock;
    use chrono::{TimeZone, Utc};
    let sink = Sink::up();
    let clock = Clock::fixed(Utc.with_ymd_and_hms(2026, 10, 18, 8, 0, 0).unwrap());
    let server = EmailServer::with_clock(sink.port, clock.clone()).await;
    // Sunday 25 October 2026, 03:30 in Paris: just after the clocks went back (03:00 CEST → 02:00 CET).
    let id = server.force_adas_haircut("2026-10-25T03:30:00").await;
    // 24 h and 2 h of elapsed time before 02:30Z: Saturday 04:30 CEST and Sunday 02:30 CEST.
    assert_eq!(
        reminders(&log_of(&server, &id).await),
        [
            ("2026-10-24T02:30:00.000Z".to_owned(), "pending".to_owned()),
            ("2026-10-25T00:30:00.000Z".to_owned(), "pending".to_owned()),
        ]
    );
    sink.wait_for("ada@example.com", "Confirmed").await;

    // Moved to 10:00 (09:00Z): re-planned, the old ones dropped.
    let (status, moved) = server
        .call(
            Method::PUT,
            &format!("{DEMO}/appointments/{id}?apiKey={KEY}&force=true"),
            Some(
                &json!({"start": {"dateTime": "2026-10-25T10:00:00", "timeZone": "Europe/Paris"}}),
            ),
        )
        .await;
    assert_eq!(status, 200, "{moved}");
    assert_eq!(
        reminders(&log_of(&server, &id).await),
        [
            ("2026-10-24T02:30:00.000Z".to_owned(), "skipped".to_owned()),
            ("2026-10-24T09:00:00.000Z".to_owned(), "pending".to_owned()),
            ("2026-10-25T00:30:00.000Z".to_owned(), "skipped".to_owned()),
            ("2026-10-25T07:00:00.000Z".to_owned(), "pending".to_owned()),
        ]
    );
    sink.wait_for("ada@example.com", "New time").await;

    // The day before: the 24 h reminder goes out, once.
    clock.set(Utc.with_ymd_and_hms(2026, 10, 24, 9, 0, 1).unwrap());
    let reminder = sink.wait_for("ada@example.com", "Reminder").await;
    let text = MessageParser::default()
        .parse(&reminder.raw)
        .and_then(|m| m.body_text(0).map(|t| t.into_owned()))
        .expect("text");
    assert!(text.contains("10:00"), "the new time, in Paris:\n{text}");
    assert!(text.contains("action=cancel"), "{text}");
    let deadline = Instant::now() + Duration::from_secs(20);
    while !reminders(&log_of(&server, &id).await).contains(&(
        "2026-10-24T09:00:00.000Z".to_owned(),
        "succeeded".to_owned(),
    )) {
        assert!(
            Instant::now() < deadline,
            "the reminder was never recorded as sent"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    // An edit after it was sent plans it no second time.
    let (status, _) = server
        .call(
            Method::PUT,
            &format!("{DEMO}/appointments/{id}?apiKey={KEY}"),
            Some(&json!({"notes": "window seat"})),
        )
        .await;
    assert_eq!(status, 200);
    let planned = reminders(&log_of(&server, &id).await);
    assert_eq!(
        planned
            .iter()
            .filter(|(at, state)| at == "2026-10-24T09:00:00.000Z" && state != "skipped")
            .count(),
        1,
        "{planned:?}"
    );

    // Cancelled: the 2 h reminder is dropped and never sent.
    let (status, _) = server
        .call(
            Method::DELETE,
            &format!("{DEMO}/appointments/{id}?apiKey={KEY}"),
            None,
        )
        .await;
    assert_eq!(status, 204);
    assert!(reminders(&log_of(&server, &id).await)
        .contains(&("2026-10-25T07:00:00.000Z".to_owned(), "skipped".to_owned())));
    sink.wait_for("ada@example.com", "Cancelled").await;
    // Bob's 2 h reminder falls due with Ada's dropped one: once his has arrived and nothing due is
    // left pending, the worker has been through that instant, and Ada's reminder count is final.
    let (status, bob) = server
        .call(
            Method::POST,
            &format!("{DEMO}/appointments?apiKey={KEY}&force=true"),
            Some(&json!({
                "client": {"firstName": "Bob", "email": "bob@example.com"},
                "service": {"id": "haircut"},
                "staff": {"id": "lea"},
                "start": {"dateTime": "2026-10-25T10:00:00", "timeZone": "Europe/Paris"},
            })),
        )
        .await;
    assert_eq!(status, 201, "{bob}");
    sink.wait_for("bob@example.com", "Confirmed").await;
    clock.set(Utc.with_ymd_and_hms(2026, 10, 25, 7, 30, 0).unwrap());
    sink.wait_for("bob@example.com", "Reminder").await;
    drained(&server, "2026-10-25T07:30:00.000Z").await;
    let sent = sink
        .received()
        .iter()
        .filter(|r| {
            r.rcpt == ["ada@example.com"] && harness::subject_of(&r.raw).starts_with("Reminder")
        })
        .count();
    assert_eq!(sent, 1, "one reminder in all");
}

#[tokio::test]
async fn the_company_and_the_service_choose_the_reminders() {
    use booking_server::clock::Clock;
    use chrono::{TimeZone, Utc};
    let sink = Sink::up();
    let clock = Clock::fixed(Utc.with_ymd_and_hms(2026, 11, 2, 8, 0, 0).unwrap());
    let server = EmailServer::with_clock(sink.port, clock).await;
    let company_path = format!("{DEMO}?apiKey={KEY}");
    let (status, mut company) = server.call(Method::GET, &company_path, None).await;
    assert_eq!(status, 200, "{company}");
    company["reminders"] = json!([0, 60]);
    let (status, refused) = server
        .call(Method::PUT, &company_path, Some(&company))
        .await;
    assert_eq!(status, 400, "{refused}");
    assert!(refused.to_string().contains("reminders[0]"), "{refused}");
    company["reminders"] = json!([60]);
    let (status, saved) = server
        .call(Method::PUT, &company_path, Some(&company))
        .await;
    assert_eq!(status, 200, "{saved}");
    let book = |service: &str, local: &str| {
        json!({
            "client": {"firstName": "Ada", "email": "ada@example.com"},
            "service": {"id": service},
            "staff": {"id": "camille"},
            "start": {"dateTime": local, "timeZone": "Europe/Paris"},
        })
    };
    let haircut = server
        .insert(&book("haircut", "2026-11-10T10:00:00"), "force=true")
        .await;
    let planned = reminders(&log_of(&server, haircut["id"].as_str().expect("id")).await);
    assert_eq!(
        planned,
        [("2026-11-10T08:00:00.000Z".to_owned(), "pending".to_owned())],
        "the company's one reminder, an hour before 10:00 CET"
    );
    // The service's own setting wins: none at all.
    let service_path = format!("{DEMO}/services/haircut?apiKey={KEY}");
    let (status, mut service) = server.call(Method::GET, &service_path, None).await;
    assert_eq!(status, 200, "{service}");
    service["reminders"] = json!([]);
    let (status, saved) = server
        .call(Method::PUT, &service_path, Some(&service))
        .await;
    assert_eq!(status, 200, "{saved}");
    let quiet = server
        .insert(&book("haircut", "2026-11-12T10:00:00"), "force=true")
        .await;
    assert!(reminders(&log_of(&server, quiet["id"].as_str().expect("id")).await).is_empty());
}

#[tokio::test]
async fn a_later_reminder_planned_in_the_same_write_never_holds_back_an_earlier_one() {
    use booking_server::db::outbox;
    use chrono::{TimeZone, Utc};
    let server = EmailServer::with_mail_dir().await;
    // Two reminders of one appointment to one client, written in the same millisecond; the later
    // one has the smaller id (ids are random), which used to make the earlier one wait behind it.
    for (id, due) in [
        ("msg_a", "2026-10-25T07:00:00.000Z"),
        ("msg_b", "2026-10-24T09:00:00.000Z"),
    ] {
        sqlx::query(
            "INSERT INTO outbox (id, channel, company_id, recipient, subject_id, kind, payload, \
             occurred_at, time_zone, state, attempts, next_attempt_at, created_at) VALUES \
             ($1, 'ordering-test', 'demo', 'ada@example.com', 'a1/reminder', 'reminder', '{}', $2, \
             'Europe/Paris', 'pending', 0, $3, '2026-10-18T08:00:00.000Z')",
        )
        .bind(id)
        .bind(due)
        .bind(due)
        .execute(server.db.writer())
        .await
        .expect("insert");
    }
    let now = Utc.with_ymd_and_hms(2026, 10, 24, 9, 0, 1).unwrap();
    let lease = now + chrono::Duration::minutes(2);
    let claimed = outbox::claim(&server.db, "ordering-test", (now, lease), "test", 10)
        .await
        .expect("claim");
    let ids: Vec<&str> = claimed.iter().map(|m| m.id.as_str()).collect();
    assert_eq!(ids, ["msg_b"], "the due reminder goes out");
}

#[tokio::test]
async fn a_worker_that_lost_its_lease_leaves_the_body_to_the_one_that_reclaimed_it() {
    use booking_server::db::outbox::{self, AttemptRecord, Finish};
    use chrono::{TimeZone, Utc};
    let server = EmailServer::with_mail_dir().await;
    sqlx::query(
        "INSERT INTO outbox (id, channel, company_id, recipient, subject_id, kind, payload, \
         occurred_at, time_zone, state, attempts, next_attempt_at, created_at) VALUES \
         ('msg_l', 'lease-test', 'demo', 'ada@example.com', 'a1', 'confirmation', '{}', \
         '2026-10-24T09:00:00.000Z', 'Europe/Paris', 'pending', 0, '2026-10-24T09:00:00.000Z', \
         '2026-10-24T09:00:00.000Z')",
    )
    .execute(server.db.writer())
    .await
    .expect("insert");
    let start = Utc.with_ymd_and_hms(2026, 10, 24, 9, 0, 1).unwrap();
    let lease = chrono::Duration::seconds(30);
    let slow = outbox::claim(&server.db, "lease-test", (start, start + lease), "slow", 1)
        .await
        .expect("claim");
    assert_eq!(slow.len(), 1);
    // The slow worker's lease runs out; another worker re-claims the message.
    let later = start + chrono::Duration::minutes(1);
    outbox::release_expired_leases(&server.db, "lease-test", later)
        .await
        .expect("release");
    let fresh = outbox::claim(&server.db, "lease-test", (later, later + lease), "fresh", 1)
        .await
        .expect("claim");
    assert_eq!(fresh.len(), 1, "re-claimed after the lease");
    let record = |at| AttemptRecord {
        started_at: at,
        duration_ms: 5,
        status_code: None,
        error: Some("timeout".into()),
        finish: Finish::Retry {
            next_attempt_at: at + chrono::Duration::minutes(5),
        },
    };
    let body_now = || async {
        sqlx::query_scalar::<_, Option<String>>("SELECT body FROM outbox WHERE id = 'msg_l'")
            .fetch_one(&server.db)
            .await
            .expect("body")
    };
    let mut conn = server.db.writer().acquire().await.expect("conn");
    let (id, attempt) = ("msg_l", slow[0].attempts);
    let saved = outbox::finish_with_body(
        &mut conn,
        (id, attempt),
        "slow",
        (&record(start), Some("stale")),
        later,
    )
    .await
    .expect("finish");
    assert!(!saved, "the slow worker no longer owns the message");
    assert_eq!(body_now().await, None, "nor does it fix the body");
    let attempt = fresh[0].attempts;
    let saved = outbox::finish_with_body(
        &mut conn,
        (id, attempt),
        "fresh",
        (&record(later), Some("fresh")),
        later,
    )
    .await
    .expect("finish");
    assert!(saved);
    assert_eq!(body_now().await.as_deref(), Some("fresh"));
}

#[tokio::test]
async fn a_company_words_its_emails_itself_with_placeholders_checked_when_saved() {
    let sink = Sink::up();
    let server = EmailServer::start(sink.port).await;
    let company_path = format!("{DEMO}?apiKey={KEY}");
    let (status, mut company) = server.call(Method::GET, &company_path, None).await;
    assert_eq!(status, 200, "{company}");
    company["emailTemplates"] =
        json!([{"kind": "confirmation", "lang": "de", "subject": "Bis bald, {nom}!"}]);
    let (status, refused) = server
        .call(Method::PUT, &company_path, Some(&company))
        .await;
    assert_eq!(status, 400, "{refused}");
    assert_eq!(
        refused["error"]["fields"][0]["name"], "emailTemplates[0].subject",
        "{refused}"
    );
    assert!(refused.to_string().contains("{nom}"), "{refused}");
    company["emailTemplates"] =
        json!([{"kind": "confirmation", "lang": "de", "closing": "Parken: {parking}"}]);
    let (status, refused) = server
        .call(Method::PUT, &company_path, Some(&company))
        .await;
    assert_eq!(status, 400, "{refused}");
    assert_eq!(
        refused["error"]["fields"][0]["name"], "emailTemplates[0].closing",
        "{refused}"
    );
    let template = json!({
        "kind": "confirmation", "lang": "de",
        "subject": "Bis bald, {name}: {service} ({reference})",
        "intro": "Wir freuen uns auf Sie bei {company}.",
        "closing": "Parken im Hof, {name}; Ihre Nummer: {reference}."
    });
    company["emailTemplates"] = json!([template, template]);
    let (status, refused) = server
        .call(Method::PUT, &company_path, Some(&company))
        .await;
    assert_eq!(status, 422, "one template per kind and language: {refused}");
    company["emailTemplates"] = json!([template]);
    company["lang"] = json!("xx");
    let (status, refused) = server
        .call(Method::PUT, &company_path, Some(&company))
        .await;
    assert_eq!(status, 400, "{refused}");
    assert_eq!(refused["error"]["fields"][0]["name"], "lang", "{refused}");
    // The business reads its emails in Dutch, the client in the booking's German.
    company["lang"] = json!("nl");
    let (status, saved) = server
        .call(Method::PUT, &company_path, Some(&company))
        .await;
    assert_eq!(status, 200, "{saved}");

    let booked = server.book("ada@example.com", "de").await;
    let reference = booked["reference"].as_str().expect("reference");
    let received = sink
        .wait_for("ada@example.com", "Bis bald, Ada Lovelace: ")
        .await;
    assert!(harness::subject_of(&received.raw).ends_with(&format!("({reference})")));
    let text = MessageParser::default()
        .parse(&received.raw)
        .and_then(|m| m.body_text(0).map(|t| t.into_owned()))
        .expect("text");
    assert!(
        text.contains("Wir freuen uns auf Sie bei Atelier Lumière."),
        "{text}"
    );
    assert!(
        text.contains("Leistung: "),
        "the rest keeps the catalogue's words:\n{text}"
    );
    // The closing paragraph comes before the sign-off, in both parts.
    let closing = format!("Parken im Hof, Ada Lovelace; Ihre Nummer: {reference}.");
    let signoff = text.find("Mit freundlichen").expect("the German sign-off");
    assert!(text.find(&closing).is_some_and(|at| at < signoff), "{text}");
    let html = MessageParser::default()
        .parse(&received.raw)
        .and_then(|m| m.body_html(0).map(|t| t.into_owned()))
        .expect("html");
    assert!(html.contains(&format!("<p>{closing}</p>")), "{html}");
    // Other kinds and languages keep the defaults.
    sink.wait_for("camille@atelier-lumiere.example", "Nieuwe boeking")
        .await;
}

/// Waits until no email due by `now` (the outbox's millisecond text) is left pending or being
/// sent: the worker has dealt with everything due.
async fn drained(server: &EmailServer, now: &str) {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let (left,): (i64,) = sqlx::query_as(
            "SELECT count(*) FROM outbox WHERE channel = 'email' \
             AND state IN ('pending', 'delivering') AND next_attempt_at <= $1",
        )
        .bind(now)
        .fetch_one(&server.db)
        .await
        .expect("due emails");
        if left == 0 {
            return;
        }
        assert!(Instant::now() < deadline, "{left} due emails never sent");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn a_reminder_not_delivered_before_the_start_is_given_up_not_sent_after_it() {
    use booking_server::clock::Clock;
    use chrono::{TimeZone, Utc};
    let mut sink = Sink::down();
    // Five hours before a 10:00 (09:00Z) haircut: only the 2 h reminder (07:00Z) is planned.
    let clock = Clock::fixed(Utc.with_ymd_and_hms(2026, 11, 10, 4, 0, 0).unwrap());
    let server = EmailServer::with_clock(sink.port, clock.clone()).await;
    let id = server.force_adas_haircut("2026-11-10T10:00:00").await;
    assert_eq!(
        reminders(&log_of(&server, &id).await),
        [("2026-11-10T07:00:00.000Z".to_owned(), "pending".to_owned())]
    );
    // The reminder falls due with the SMTP server down: tried once, to be retried after a backoff
    // (the clock stands still until the test moves it).
    clock.set(Utc.with_ymd_and_hms(2026, 11, 10, 7, 0, 1).unwrap());
    let subject = format!("{id}/reminder");
    rows_until(&server, &subject, |rows| {
        !rows.is_empty() && rows.iter().all(|r| r.2 == "pending" && r.3 >= 1)
    })
    .await;
    // A tenth of a second before the start it fails again: its next attempt (at least 120 ms
    // away) would come after the start, so it is given up now, not a day after its instant.
    clock.set(
        Utc.with_ymd_and_hms(2026, 11, 10, 8, 59, 59).unwrap()
            + chrono::Duration::milliseconds(900),
    );
    rows_until(&server, &subject, |rows| {
        !rows.is_empty() && rows.iter().all(|r| r.2 == "failed")
    })
    .await;
    // The server is back a minute after the start, well inside the 24 h retry window counted from
    // the reminder's instant: the confirmation (made five hours ago) still goes out, the reminder
    // does not.
    clock.set(Utc.with_ymd_and_hms(2026, 11, 10, 9, 1, 0).unwrap());
    sink.start();
    sink.wait_for("ada@example.com", "Confirmed").await;
    drained(&server, "2026-11-10T09:01:00.000Z").await;
    let log = log_of(&server, &id).await;
    let reminder = log
        .iter()
        .find(|i| i["kind"] == "reminder")
        .expect("the reminder in the log");
    assert_eq!(reminder["status"], "failed", "{reminder}");
    assert!(
        reminder["lastError"]
            .as_str()
            .is_some_and(|e| e.contains("the appointment starts before")),
        "{reminder}"
    );
    let sent: Vec<String> = sink
        .received()
        .iter()
        .map(|r| harness::subject_of(&r.raw))
        .filter(|s| s.starts_with("Reminder"))
        .collect();
    assert!(sent.is_empty(), "no reminder after the start: {sent:?}");
}
