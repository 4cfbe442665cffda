//! The outbox's claim and finish rules that every channel relies on, on the outbox table itself:
//! one message in flight per subject and recipient, and an attempt recorded only by the attempt
//! that holds the row.

use booking_server::db::outbox::{self, AttemptRecord, Finish};
use chrono::{DateTime, TimeZone, Utc};

use crate::harness::EmailServer;

/// A pending message of `channel` about subject `a1` to Ada.
async fn insert(server: &EmailServer, channel: &str, id: &str, occurred_at: &str) {
    sqlx::query(
        "INSERT INTO outbox (id, channel, company_id, recipient, subject_id, kind, payload, \
         occurred_at, time_zone, state, attempts, next_attempt_at, created_at) VALUES \
         ($1, $2, 'demo', 'ada@example.com', 'a1', 'put', '{}', $3, 'Europe/Paris', 'pending', 0, \
         $3, $3)",
    )
    .bind(id)
    .bind(channel)
    .bind(occurred_at)
    .execute(server.db.writer())
    .await
    .expect("insert");
}

fn at(minute: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 10, 24, 9, minute, 0).unwrap()
}

#[tokio::test]
async fn a_change_that_read_its_clock_first_waits_while_a_later_one_is_in_flight() {
    let server = EmailServer::with_mail_dir().await;
    // `late` read its clock after `early` did but committed first, and is already being sent.
    insert(&server, "order-test", "late", "2026-10-24T09:00:02.000Z").await;
    let lease = chrono::Duration::minutes(2);
    let first = outbox::claim(&server.db, "order-test", (at(1), at(1) + lease), "w", 10)
        .await
        .expect("claim");
    assert_eq!(first.len(), 1);
    insert(&server, "order-test", "early", "2026-10-24T09:00:01.000Z").await;
    let beside = outbox::claim(&server.db, "order-test", (at(1), at(1) + lease), "w", 10)
        .await
        .expect("claim");
    assert!(
        beside.is_empty(),
        "sent beside the one in flight, it could land before it: {:?}",
        beside.iter().map(|m| &m.id).collect::<Vec<_>>()
    );
    let mut conn = server.db.writer().acquire().await.expect("conn");
    let done = AttemptRecord {
        started_at: at(1),
        duration_ms: 5,
        status_code: Some(201),
        error: None,
        finish: Finish::Succeeded,
    };
    let ours = outbox::finish(&mut conn, ("late", first[0].attempts), "w", &done, at(1))
        .await
        .expect("finish");
    assert!(ours);
    drop(conn);
    let after = outbox::claim(&server.db, "order-test", (at(1), at(1) + lease), "w", 10)
        .await
        .expect("claim");
    let ids: Vec<&str> = after.iter().map(|m| m.id.as_str()).collect();
    assert_eq!(ids, ["early"], "then it goes");
}

#[tokio::test]
async fn an_attempt_whose_lease_expired_records_nothing_even_under_the_same_owner() {
    let server = EmailServer::with_mail_dir().await;
    insert(&server, "attempt-test", "msg", "2026-10-24T09:00:00.000Z").await;
    let lease = chrono::Duration::seconds(30);
    // One worker loop (one owner name) claims, lets the lease expire, and claims again.
    let stale = outbox::claim(
        &server.db,
        "attempt-test",
        (at(1), at(1) + lease),
        "loop",
        1,
    )
    .await
    .expect("claim");
    outbox::release_expired_leases(&server.db, "attempt-test", at(2))
        .await
        .expect("release");
    let live = outbox::claim(
        &server.db,
        "attempt-test",
        (at(2), at(2) + lease),
        "loop",
        1,
    )
    .await
    .expect("claim");
    assert_eq!((stale.len(), live.len()), (1, 1));
    let retry = AttemptRecord {
        started_at: at(1),
        duration_ms: 5,
        status_code: None,
        error: Some("timeout".into()),
        finish: Finish::Retry {
            next_attempt_at: at(3),
        },
    };
    let mut conn = server.db.writer().acquire().await.expect("conn");
    let ours = outbox::finish(&mut conn, ("msg", stale[0].attempts), "loop", &retry, at(2))
        .await
        .expect("finish");
    assert!(!ours, "the stale attempt lost the row to the live one");
    let (state,): (String,) = sqlx::query_as("SELECT state FROM outbox WHERE id = 'msg'")
        .fetch_one(&mut *conn)
        .await
        .expect("state");
    assert_eq!(
        state, "delivering",
        "set back to pending, the row could be claimed a third time while the live attempt sends"
    );
}
