//! Delivery: retries, backoff, giving up, disabling, restarts, leases, order, retention.

use crate::harness::*;

#[tokio::test]
async fn server_errors_are_retried_with_the_same_message_until_success() {
    let dir = Dir::new();
    let app = App::start(&dir.db(), true, fast()).await;
    let hook = Receiver::start().await;
    hook.script("/hook", vec![Reply::status(500), Reply::status(503)]);
    let watch_id = app.watch(json!({"address": hook.url("/hook")})).await;
    app.appointment(30, 14, "retry@example.com").await;

    let hits = hook.wait("/hook", 3).await;
    assert_eq!(hits.len(), 3);
    let ids: Vec<_> = hits.iter().map(|h| h.header("webhook-id")).collect();
    assert!(
        ids.iter().all(|id| *id == ids[0]),
        "a stable webhook-id: {ids:?}"
    );
    assert!(
        hits.iter().all(|h| h.body == hits[0].body),
        "the same body every time"
    );
    assert!(
        hits[1].at - hits[0].at >= Duration::from_millis(70),
        "a backoff between tries"
    );

    let log = app.wait_delivery(&watch_id, "succeeded").await;
    let delivery = &log["items"][0];
    assert_eq!(delivery["attemptCount"], 3);
    let codes: Vec<Value> = delivery["attempts"]
        .as_array()
        .expect("attempts")
        .iter()
        .map(|a| a["statusCode"].clone())
        .collect();
    assert_eq!(codes, [json!(500), json!(503), json!(200)]);
    assert!(delivery["attempts"][0]["nextAttemptAt"].is_string());
    assert_eq!(log["watch"]["failingSince"], Value::Null, "healthy again");
}

#[tokio::test]
async fn retry_after_is_honoured() {
    let dir = Dir::new();
    let app = App::start(&dir.db(), true, fast()).await;
    let hook = Receiver::start().await;
    hook.script("/hook", vec![Reply::status(429).header("retry-after", "2")]);
    app.watch(json!({"address": hook.url("/hook")})).await;
    app.appointment(30, 15, "later@example.com").await;
    let hits = hook.wait("/hook", 2).await;
    let waited = hits[1].at - hits[0].at;
    assert!(
        waited >= Duration::from_millis(1900),
        "waited {waited:?} despite Retry-After: 2"
    );
}

#[tokio::test]
async fn client_errors_are_final_and_timeouts_are_retried() {
    let dir = Dir::new();
    let app = App::start(&dir.db(), true, fast()).await;
    let hook = Receiver::start().await;
    hook.script("/gone", vec![Reply::status(410)]);
    hook.script(
        "/slow",
        vec![Reply::status(200).delay(Duration::from_secs(4))],
    );
    let gone = app.watch(json!({"address": hook.url("/gone")})).await;
    let slow = app.watch(json!({"address": hook.url("/slow")})).await;
    app.appointment(30, 16, "final@example.com").await;

    let log = app.wait_delivery(&gone, "failed").await;
    assert_eq!(log["items"][0]["attemptCount"], 1);
    assert_eq!(log["items"][0]["lastStatusCode"], 410);
    let log = app.wait_delivery(&slow, "succeeded").await;
    let attempts = &log["items"][0]["attempts"];
    assert!(
        attempts[0]["error"]
            .as_str()
            .unwrap_or_default()
            .contains("timed out"),
        "{log:#}"
    );
    assert_eq!(attempts[1]["statusCode"], 200);
    assert_eq!(hook.hits("/gone").len(), 1);
}

#[tokio::test]
async fn a_watch_failing_for_too_long_is_disabled() {
    let dir = Dir::new();
    let settings = Settings {
        disable_after: Duration::from_millis(400),
        ..fast()
    };
    let app = App::start(&dir.db(), true, settings).await;
    let hook = Receiver::start().await;
    hook.script("/down", (0..100).map(|_| Reply::status(502)).collect());
    let watch_id = app.watch(json!({"address": hook.url("/down")})).await;
    app.appointment(30, 17, "down@example.com").await;

    let log = app.wait_delivery(&watch_id, "skipped").await;
    assert_eq!(log["watch"]["status"], "disabled", "{log:#}");
    let reason = log["watch"]["disabledReason"].as_str().unwrap_or_default();
    assert!(reason.contains("disabled automatically"), "{reason}");
    assert!(log["items"][0]["lastError"]
        .as_str()
        .unwrap_or_default()
        .contains("disabled automatically"));
    let (_, watch) = app.get(&format!("/appointments/watch/{watch_id}")).await;
    assert_eq!(watch["status"], "disabled");
    assert!(watch["disabledReason"].is_string());

    // Disabled: new changes are not queued for it.
    app.appointment(30, 18, "down2@example.com").await;
    // The outbox row would have been written with the change: still only the first delivery.
    assert_eq!(
        app.deliveries(&watch_id).await["items"]
            .as_array()
            .map(Vec::len),
        Some(1)
    );
}

// ------------------------------------------------------------------------------------------------
// Restarts

#[tokio::test]
async fn a_pending_delivery_is_sent_after_a_restart() {
    let dir = Dir::new();
    let hook = Receiver::start().await;
    hook.script("/hook", vec![Reply::status(503).header("retry-after", "1")]);
    let watch_id = {
        let app = App::start(&dir.db(), true, fast()).await;
        let watch_id = app.watch(json!({"address": hook.url("/hook")})).await;
        app.appointment(30, 10, "restart@example.com").await;
        hook.wait("/hook", 1).await;
        watch_id
        // The app stops here, its retry still pending in the database.
    };
    let app = App::start(&dir.db(), true, fast()).await;
    let hits = hook.wait("/hook", 2).await;
    assert_eq!(hits[0].header("webhook-id"), hits[1].header("webhook-id"));
    let log = app.wait_delivery(&watch_id, "succeeded").await;
    assert_eq!(log["items"][0]["attemptCount"], 2);
}

#[tokio::test]
async fn a_delivery_interrupted_by_a_crash_is_taken_again_after_its_lease() {
    let dir = Dir::new();
    let hook = Receiver::start().await;
    // The first request hangs: the server is killed while it waits.
    hook.script(
        "/hook",
        vec![Reply::status(200).delay(Duration::from_secs(30))],
    );
    let settings = Settings {
        request_timeout: Duration::from_secs(20),
        lease: Duration::from_secs(2),
        ..fast()
    };
    let watch_id = {
        let app = App::start(&dir.db(), true, settings.clone()).await;
        let watch_id = app.watch(json!({"address": hook.url("/hook")})).await;
        app.appointment(30, 10, "crash@example.com").await;
        hook.wait("/hook", 1).await;
        watch_id
    };
    let app = App::start(&dir.db(), true, fast()).await;
    let hits = hook.wait("/hook", 2).await;
    assert_eq!(hits[0].header("webhook-id"), hits[1].header("webhook-id"));
    let log = app.wait_delivery(&watch_id, "succeeded").await;
    let attempts = log["items"][0]["attempts"]
        .as_array()
        .expect("attempts")
        .clone();
    assert_eq!(attempts.len(), 2, "{log:#}");
    assert!(attempts[0]["error"]
        .as_str()
        .unwrap_or_default()
        .contains("interrupted"));
    assert_eq!(attempts[1]["statusCode"], 200);
}

#[tokio::test]
async fn an_attempt_is_cut_before_its_lease_ends_so_it_is_never_sent_twice_at_once() {
    let dir = Dir::new();
    let hook = Receiver::start().await;
    // The first answer comes long after the lease has passed; the next at once.
    hook.script(
        "/hook",
        vec![
            Reply::status(200).delay(Duration::from_secs(5)),
            Reply::status(200),
        ],
    );
    // A request limit far above the lease, as `--outbox-lease-ms 6000` with the 10 s default.
    let settings = Settings {
        request_timeout: Duration::from_secs(20),
        lease: Duration::from_secs(1),
        ..fast()
    };
    let app = App::start(&dir.db(), true, settings).await;
    let watch_id = app.watch(json!({"address": hook.url("/hook")})).await;
    app.appointment(30, 10, "lease@example.com").await;
    let log = app.wait_delivery(&watch_id, "succeeded").await;
    let attempts = log["items"][0]["attempts"]
        .as_array()
        .expect("attempts")
        .clone();
    // Uncut, the lease expired under the live attempt: it was logged "interrupted" and the
    // delivery claimed and sent again while the first request still waited for its answer.
    assert_eq!(attempts.len(), 2, "{log:#}");
    assert!(
        attempts[0]["error"]
            .as_str()
            .is_some_and(|e| e.starts_with("timed out")),
        "{log:#}"
    );
    assert_eq!(attempts[1]["statusCode"], 200, "{log:#}");
}

#[tokio::test]
async fn a_delivery_is_given_up_when_the_retry_window_is_over() {
    let dir = Dir::new();
    let settings = Settings {
        retry_window: Duration::from_millis(600),
        ..fast()
    };
    let app = App::start(&dir.db(), true, settings).await;
    let hook = Receiver::start().await;
    hook.script("/hook", (0..100).map(|_| Reply::status(503)).collect());
    let watch_id = app.watch(json!({"address": hook.url("/hook")})).await;
    app.appointment(30, 10, "window@example.com").await;
    let log = app.wait_delivery(&watch_id, "failed").await;
    let delivery = &log["items"][0];
    assert!(
        delivery["lastError"]
            .as_str()
            .unwrap_or_default()
            .contains("the retry window is over"),
        "{log:#}"
    );
    let attempts = delivery["attemptCount"].as_i64().expect("attempts");
    assert!((2..10).contains(&attempts), "{attempts} attempts in 600 ms");
    assert_eq!(
        hook.hits("/hook").len(),
        usize::try_from(attempts).unwrap_or(0)
    );
}

#[tokio::test]
async fn finished_deliveries_are_purged_after_the_retention() {
    let dir = Dir::new();
    let hook = Receiver::start().await;
    hook.script(
        "/later",
        vec![Reply::status(503).header("retry-after", "60")],
    );
    let (done, pending) = {
        let app = App::start(&dir.db(), true, fast()).await;
        let done = app.watch(json!({"address": hook.url("/done")})).await;
        let pending = app.watch(json!({"address": hook.url("/later")})).await;
        app.appointment(30, 10, "retention@example.com").await;
        app.wait_delivery(&done, "succeeded").await;
        // Wait until the refused attempt is recorded (pending again, for a minute from now).
        let deadline = Instant::now() + PATIENCE;
        loop {
            let log = app.deliveries(&pending).await;
            if log["items"][0]["attemptCount"] == 1 && log["items"][0]["status"] == "pending" {
                break;
            }
            assert!(Instant::now() < deadline, "{log:#}");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        (done, pending)
    };
    // The worker purges when it starts (then hourly): everything finished before now goes.
    let settings = Settings {
        retention: Duration::from_millis(1),
        ..fast()
    };
    let app = App::start(&dir.db(), true, settings).await;
    let deadline = Instant::now() + PATIENCE;
    while app.deliveries(&done).await["items"] != json!([]) {
        assert!(Instant::now() < deadline, "the finished delivery stays");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let kept = app.deliveries(&pending).await;
    assert_eq!(kept["items"][0]["status"], "pending", "{kept:#}");
}

#[tokio::test]
async fn redirects_are_not_followed() {
    let dir = Dir::new();
    let app = App::start(&dir.db(), true, fast()).await;
    let hook = Receiver::start().await;
    hook.script(
        "/moved",
        vec![Reply::status(302).header("location", &hook.url("/elsewhere"))],
    );
    let watch_id = app.watch(json!({"address": hook.url("/moved")})).await;
    app.appointment(30, 10, "redirect@example.com").await;
    let log = app.wait_delivery(&watch_id, "failed").await;
    assert_eq!(log["items"][0]["lastStatusCode"], 302);
    assert_eq!(log["items"][0]["attemptCount"], 1, "a 3xx is final");
    assert!(
        log["items"][0]["lastError"]
            .as_str()
            .unwrap_or_default()
            .contains("redirects are not followed"),
        "{log:#}"
    );
    assert!(hook.hits("/elsewhere").is_empty());
}

#[tokio::test]
async fn changes_of_one_appointment_are_delivered_in_order() {
    let dir = Dir::new();
    let settings = Settings {
        backoff_base: Duration::from_millis(600),
        ..fast()
    };
    let app = App::start(&dir.db(), true, settings).await;
    let hook = Receiver::start().await;
    hook.script("/hook", vec![Reply::status(503)]);
    app.watch(json!({"address": hook.url("/hook")})).await;
    let created = app.appointment(30, 10, "order@example.com").await;
    let id = created["id"].as_str().expect("id").to_owned();
    // The first try of `created` fails; the update is queued while `created` waits for its retry.
    hook.wait("/hook", 1).await;
    let mut changed = created.clone();
    changed["notes"] = json!("second change");
    let (status, answer) = app
        .call(
            Method::PUT,
            &format!("{DEMO}/appointments/{id}?force=true"),
            Some(&changed),
        )
        .await;
    assert_eq!(status, 200, "{answer}");
    let hits = hook.wait("/hook", 3).await;
    let events: Vec<Value> = hits.iter().map(|h| h.json()["event"].clone()).collect();
    assert_eq!(
        events,
        [json!("created"), json!("created"), json!("updated")],
        "the update waits for the creation to be delivered"
    );
}
