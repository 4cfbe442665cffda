//! Smaller guarantees of the notifications: the mailbox page only in the demo, a silent move, an
//! SMTP 451 retried, and the outbox rows rolled back with a write that fails after queueing them.

use booking_server::clock::Clock;
use booking_server::db::Dialect;
use booking_server::{notify, Config};
use chrono::{TimeZone, Utc};
use reqwest::Method;
use serde_json::json;

use crate::harness::{EmailServer, Sink, DEMO, KEY};
use crate::support::TestServer;
use crate::{log_of, reminders, rows_until};

#[tokio::test]
async fn the_mailbox_page_exists_only_in_the_demo() {
    let (server, _) = TestServer::configured(Clock::system(), |base, dir| Config {
        demo: false,
        public_url: Some(base.to_owned()),
        email: notify::Settings {
            mail_dir: Some(dir.join("mail")),
            ..notify::Settings::default()
        },
        ..Config::default()
    })
    .await;
    for path in [
        "/demo/mailbox",
        "/demo/mailbox/msg_x",
        "/demo/mailbox/msg_x/html",
    ] {
        let response = server
            .client
            .get(format!("{}{path}", server.base))
            .send()
            .await
            .expect("request");
        assert_eq!(response.status().as_u16(), 404, "{path}");
    }
    // The same page answers with --demo (as `without_smtp_the_demo_mailbox_shows_the_written_emails`
    // shows in full): the 404 above is the flag's doing.
    let demo = EmailServer::with_mail_dir().await;
    let (status, _, _) = demo.get_text("/demo/mailbox").await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn a_silent_move_sends_no_new_time_and_drops_the_old_reminders_planning_none() {
    let sink = Sink::up();
    let clock = Clock::fixed(Utc.with_ymd_and_hms(2026, 11, 2, 8, 0, 0).unwrap());
    let server = EmailServer::with_clock(sink.port, clock).await;
    let id = server.force_adas_haircut("2026-11-10T10:00:00").await;
    sink.wait_for("ada@example.com", "Confirmed").await;
    let path = format!("{DEMO}/appointments/{id}?apiKey={KEY}&force=true&silent=true");
    let moved = json!({"start": {"dateTime": "2026-11-12T15:00:00", "timeZone": "Europe/Paris"}});
    let (status, answer) = server.call(Method::PUT, &path, Some(&moved)).await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(
        reminders(&log_of(&server, &id).await),
        [
            ("2026-11-09T09:00:00.000Z".to_owned(), "skipped".to_owned()),
            ("2026-11-10T07:00:00.000Z".to_owned(), "skipped".to_owned()),
        ],
        "the old ones dropped, none planned for the new time"
    );
    let kinds: Vec<String> = server
        .emails_of(&id)
        .await
        .into_iter()
        .map(|r| r.1)
        .collect();
    assert!(
        kinds
            .iter()
            .all(|k| k == "confirmation" || k == "businessNew"),
        "no new-time email planned: {kinds:?}"
    );
}

#[tokio::test]
async fn an_smtp_451_is_retried_then_delivered_once() {
    let sink = Sink::up();
    sink.tempfail(true);
    let server = EmailServer::start(sink.port).await;
    let booked = server.book("grace@example.com", "en").await;
    let id = booked["id"].as_str().expect("id").to_owned();
    let rows = rows_until(&server, &id, |rows| {
        rows.iter().any(|(to, _, state, attempts, code)| {
            to == "grace@example.com" && state == "pending" && *attempts >= 2 && *code == Some(451)
        })
    })
    .await;
    assert!(sink.received().is_empty(), "nothing accepted yet: {rows:?}");
    sink.tempfail(false);
    sink.wait_for("grace@example.com", "Confirmed").await;
    rows_until(&server, &id, |rows| rows.iter().all(|r| r.2 == "succeeded")).await;
    let copies = sink
        .received()
        .iter()
        .filter(|r| r.rcpt == ["grace@example.com"])
        .count();
    assert_eq!(copies, 1, "delivered once");
}

#[tokio::test]
async fn a_write_that_fails_after_queueing_its_emails_leaves_no_outbox_row() {
    let server = EmailServer::with_mail_dir().await;
    // The write queues the client's confirmation, then fails on the staff member's notice: a
    // trigger refuses that row (the way a constraint or a lost connection would fail the write),
    // only once the confirmation is queued, so the test can't pass without a row to roll back.
    let refuse = match server.db.dialect() {
        Dialect::Sqlite => vec![
            "CREATE TRIGGER refuse_notice BEFORE INSERT ON outbox WHEN NEW.kind = 'businessNew' \
             AND EXISTS (SELECT 1 FROM outbox WHERE subject_id = NEW.subject_id \
             AND kind = 'confirmation') \
             BEGIN SELECT RAISE(ABORT, 'refused by the test'); END",
        ],
        // PostgreSQL allows no subquery in a trigger's WHEN: the function checks.
        Dialect::Postgres => vec![
            "CREATE FUNCTION refuse_notice() RETURNS trigger LANGUAGE plpgsql AS \
             $$ BEGIN IF EXISTS (SELECT 1 FROM outbox WHERE subject_id = NEW.subject_id \
             AND kind = 'confirmation') THEN RAISE EXCEPTION 'refused by the test'; END IF; \
             RETURN NEW; END $$",
            "CREATE TRIGGER refuse_notice BEFORE INSERT ON outbox FOR EACH ROW \
             WHEN (NEW.kind = 'businessNew') EXECUTE FUNCTION refuse_notice()",
        ],
    };
    for statement in &refuse {
        sqlx::query(statement)
            .execute(server.db.writer())
            .await
            .expect("trigger");
    }
    let body = |email: &str| {
        json!({
            "client": {"firstName": "Ada", "email": email},
            "service": {"id": "haircut"},
            "staff": {"id": "camille"},
            "start": {"dateTime": "2031-06-04T10:00:00", "timeZone": "Europe/Paris"},
        })
    };
    let path = format!("{DEMO}/appointments?apiKey={KEY}&force=true");
    let (status, answer) = server
        .call(Method::POST, &path, Some(&body("rolled@example.com")))
        .await;
    assert!(status >= 500, "the write failed: {status} {answer}");
    let count = |sql: &'static str| async {
        let (n,): (i64,) = sqlx::query_as(sql)
            .fetch_one(&server.db)
            .await
            .expect("count");
        n
    };
    assert_eq!(
        count("SELECT count(*) FROM outbox WHERE recipient = 'rolled@example.com'").await,
        0,
        "the confirmation queued before the failure went with it"
    );
    assert_eq!(
        count("SELECT count(*) FROM appointments WHERE doc LIKE '%rolled@example.com%'").await,
        0,
        "nor is there an appointment"
    );
    // The trigger is what failed it: without it the same write commits its rows.
    let drop = match server.db.dialect() {
        Dialect::Sqlite => "DROP TRIGGER refuse_notice",
        Dialect::Postgres => "DROP TRIGGER refuse_notice ON outbox",
    };
    sqlx::query(drop)
        .execute(server.db.writer())
        .await
        .expect("drop trigger");
    let (status, answer) = server
        .call(Method::POST, &path, Some(&body("kept@example.com")))
        .await;
    assert_eq!(status, 201, "{answer}");
    assert!(
        count("SELECT count(*) FROM outbox WHERE recipient = 'kept@example.com'").await > 0,
        "queued with the write"
    );
}
