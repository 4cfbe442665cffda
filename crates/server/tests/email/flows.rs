//! The client messages of status changes as the real SMTP sink receives them: a service that needs
//! validation (request received, then accepted or declined) and a full class (waiting list, then
//! promotion when a seat frees, a silent cancel included).

use booking_server::clock::Clock;
use chrono::{TimeZone, Utc};
use mail_parser::{MessageParser, MimeHeaders};
use reqwest::Method;
use serde_json::{json, Value};

use crate::harness::{EmailServer, Received, Sink, DEMO, KEY};
use crate::{log_of, reminders};

/// Monday 2 June 2031, 08:00 in Paris: the server's clock in these tests.
fn monday_morning() -> Clock {
    Clock::fixed(Utc.with_ymd_and_hms(2031, 6, 2, 6, 0, 0).unwrap())
}

/// An Appointments API body of `service` with `staff` at `local` (Paris) for `email`.
fn appointment(service: &str, staff: &str, local: &str, email: &str) -> Value {
    json!({
        "client": {"firstName": "Ada", "lastName": "Lovelace", "email": email},
        "service": {"id": service},
        "staff": {"id": staff},
        "start": {"dateTime": local, "timeZone": "Europe/Paris"},
    })
}

/// The text part and the `invite.ics` attachment (if any) of a received email.
fn text_and_invite(received: &Received) -> (String, Option<String>) {
    let mail = MessageParser::default()
        .parse(&received.raw)
        .expect("a parsable message");
    let text = mail.body_text(0).expect("a text part").into_owned();
    let invite = mail
        .attachments()
        .find(|a| a.attachment_name() == Some("invite.ics"))
        .map(|a| String::from_utf8_lossy(a.contents()).into_owned());
    (text, invite)
}

/// `PUT appointments/{id}` with `body` and `query`; asserts a 200.
async fn update(server: &EmailServer, id: &str, body: &Value, query: &str) {
    let path = format!("{DEMO}/appointments/{id}?apiKey={KEY}&{query}");
    let (status, answer) = server.call(Method::PUT, &path, Some(body)).await;
    assert_eq!(status, 200, "{answer}");
}

#[tokio::test]
async fn a_request_is_acknowledged_then_accepted_with_the_invite_or_declined_without() {
    let sink = Sink::up();
    let server = EmailServer::with_clock(sink.port, monday_morning()).await;
    // The video consultation needs the business's validation.
    let ask = |local: &str, email: &str| appointment("consult", "hugo", local, email);
    let first = server
        .insert(&ask("2031-06-04T10:00:00", "ada@example.com"), "force=true")
        .await;
    assert_eq!(first["status"], "pending", "{first}");
    let first_id = first["id"].as_str().expect("id").to_owned();
    let received = sink.wait_for("ada@example.com", "Request received").await;
    let (text, invite) = text_and_invite(&received);
    assert!(text.contains("has received your request"), "{text}");
    assert!(invite.is_none(), "no invitation for a request");
    assert!(
        reminders(&log_of(&server, &first_id).await).is_empty(),
        "no reminder while pending"
    );

    // Accepted: the confirmation of the request, with the invitation and the reminders.
    update(&server, &first_id, &json!({"status": "accepted"}), "").await;
    let received = sink.wait_for("ada@example.com", "Accepted").await;
    let (text, invite) = text_and_invite(&received);
    assert!(text.contains("has accepted your request"), "{text}");
    assert!(text.contains("action=cancel"), "the manage links:\n{text}");
    let invite = invite.expect("the invitation comes with the acceptance");
    assert!(invite.contains("METHOD:REQUEST"), "{invite}");
    assert_eq!(
        reminders(&log_of(&server, &first_id).await),
        [
            ("2031-06-03T08:00:00.000Z".to_owned(), "pending".to_owned()),
            ("2031-06-04T06:00:00.000Z".to_owned(), "pending".to_owned()),
        ],
        "24 h and 2 h before 10:00 CEST"
    );

    // Declined: told so, no invitation, no reminder.
    let second = server
        .insert(
            &ask("2031-06-04T11:00:00", "grace@example.com"),
            "force=true",
        )
        .await;
    let second_id = second["id"].as_str().expect("id").to_owned();
    sink.wait_for("grace@example.com", "Request received").await;
    update(&server, &second_id, &json!({"status": "declined"}), "").await;
    let received = sink.wait_for("grace@example.com", "Declined").await;
    let (text, invite) = text_and_invite(&received);
    assert!(text.contains("could not accept your request"), "{text}");
    assert!(invite.is_none(), "no invitation for a declined request");
    assert!(!text.contains("action=cancel"), "no links:\n{text}");
    assert!(reminders(&log_of(&server, &second_id).await).is_empty());
}

#[tokio::test]
async fn a_full_class_takes_waiting_entries_and_a_freed_seat_tells_the_promoted_client() {
    let sink = Sink::up();
    let server = EmailServer::with_clock(sink.port, monday_morning()).await;
    // Thursday's 18:00 yoga class, its 8 seats taken (silently: only the waiting clients matter).
    let class = "2031-06-05T18:00:00";
    let mut seats = Vec::new();
    for n in 0..8 {
        let seat = server
            .insert(
                &appointment("yoga", "lea", class, &format!("y{n}@example.com")),
                "silent=true",
            )
            .await;
        seats.push(seat["id"].as_str().expect("id").to_owned());
    }
    let mut waiting = Vec::new();
    for email in ["w1@example.com", "w2@example.com"] {
        let mut entry = appointment("yoga", "lea", class, email);
        entry["addToWaitingList"] = json!(true);
        let entry = server.insert(&entry, "").await;
        let listed = &entry["addToWaitingList"];
        assert!(listed == "true" || listed == true, "{entry}");
        let received = sink.wait_for(email, "Waiting list").await;
        let (text, invite) = text_and_invite(&received);
        assert!(text.contains("waiting list"), "{text}");
        assert!(invite.is_none(), "no invitation while waiting");
        let id = entry["id"].as_str().expect("id").to_owned();
        assert!(reminders(&log_of(&server, &id).await).is_empty());
        waiting.push(id);
    }

    // The business cancels a seat silently: that client hears nothing, but the first waiting
    // client, whose booking it now is, is told and gets reminders.
    update(
        &server,
        &seats[0],
        &json!({"status": "cancelled"}),
        "silent=true",
    )
    .await;
    let received = sink
        .wait_for("w1@example.com", "Confirmed from the waiting list")
        .await;
    let (text, invite) = text_and_invite(&received);
    assert!(text.contains("A place freed up"), "{text}");
    assert!(text.contains("action=cancel"), "{text}");
    assert!(
        invite.is_some_and(|i| i.contains("METHOD:REQUEST")),
        "the promotion carries the invitation"
    );
    assert_eq!(
        reminders(&log_of(&server, &waiting[0]).await).len(),
        2,
        "the promoted booking is reminded"
    );
    assert!(
        server.emails_of(&seats[0]).await.is_empty(),
        "the silent cancel itself sends nothing"
    );

    // A cancel that is not silent: its client is told, and so is the next one waiting.
    update(&server, &seats[1], &json!({"status": "cancelled"}), "").await;
    sink.wait_for("y1@example.com", "Cancelled").await;
    sink.wait_for("w2@example.com", "Confirmed from the waiting list")
        .await;
}
