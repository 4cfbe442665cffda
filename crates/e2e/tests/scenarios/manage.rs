//! Scenario 5: the confirmation's links — reschedule to another day, then cancel; the admin API's
//! history records both.

use anyhow::{ensure, Context, Result};
use booking_e2e::{Harness, HarnessOptions, PARIS};
use chrono::{Duration, Utc};
use reqwest::Method;
use serde_json::json;

use super::start_of;

async fn reschedule_then_cancel(h: &Harness) -> Result<()> {
    // Far enough ahead for the haircut's 24-hour cancellation delay.
    let slot = h
        .slot_at("haircut", Some("camille"), "09:00", 2, None)
        .await?;
    let day = slot.with_timezone(&PARIS).date_naive();
    super::book_prefilled_haircut(h, slot, "Will move it").await?;
    h.check("booked").await?;
    let reschedule = h
        .wait_css(".bw-link--reschedule")
        .await?
        .attr("href")
        .await?
        .unwrap_or_default();
    let cancel = h
        .wait_css(".bw-link--cancel")
        .await?
        .attr("href")
        .await?
        .unwrap_or_default();
    ensure!(
        reschedule.contains("action=reschedule") && cancel.contains("action=cancel"),
        "the confirmation links to reschedule and cancel: {reschedule} / {cancel}"
    );
    let id = h.stored().await?[0].doc["id"]
        .as_str()
        .unwrap_or_default()
        .to_owned();

    // Reschedule: the link opens the times; pick 10:30 on a later day, confirm.
    h.click(".bw-link--reschedule").await?;
    h.wait_text(".bw-step__title", "Choose a new date and time")
        .await?;
    let later = h
        .slot_at("haircut", Some("camille"), "10:30", 2, day.succ_opt())
        .await?;
    h.choose_day(later.with_timezone(&PARIS).date_naive())
        .await?;
    h.check("reschedule-times").await?;
    h.choose_slot(later).await?;
    h.wait_text(".bw-step__title", "Move your appointment to this time?")
        .await?;
    h.check("reschedule-confirm").await?;
    h.click(".bw-submit").await?;
    h.wait_text(".bw-step__title", "Your appointment has been moved")
        .await?;
    h.check("rescheduled").await?;
    let (_, moved) = h
        .admin(Method::GET, &format!("appointments/{id}"), None)
        .await?;
    ensure!(
        start_of(&moved)? == later,
        "the admin API has the new time {later}: {}",
        moved["start"]
    );

    // Cancel: the other link asks first, then cancels.
    h.browser.goto(&cancel).await?;
    h.wait_text(".bw-step__title", "Cancel this appointment?")
        .await?;
    h.check("cancel-confirm").await?;
    h.click(".bw-submit").await?;
    h.wait_text(".bw-step__title", "Your appointment has been cancelled")
        .await?;
    h.check("cancelled").await?;

    let (status, got) = h
        .admin(Method::GET, &format!("appointments/{id}"), None)
        .await?;
    ensure!(status == 200, "admin GET answered {status}: {got}");
    ensure!(
        got["status"] == "cancelled",
        "the admin API says cancelled: {}",
        got["status"]
    );
    let kinds: Vec<&str> = got["history"]
        .as_array()
        .map(|h| h.iter().filter_map(|e| e["type"].as_str()).collect())
        .unwrap_or_default();
    ensure!(
        kinds.contains(&"created")
            && kinds.contains(&"rescheduled")
            && kinds.contains(&"cancelled"),
        "history has created, rescheduled and cancelled entries: {}",
        got["history"]
    );
    ensure!(
        kinds.iter().position(|k| *k == "rescheduled")
            < kinds.iter().position(|k| *k == "cancelled"),
        "rescheduled comes before cancelled: {kinds:?}"
    );

    // The old link now says so.
    h.browser.goto(&reschedule).await?;
    h.wait_text(".bw-step__title", "This appointment is cancelled")
        .await?;
    h.check("link-after-cancel").await?;
    Ok(())
}

#[tokio::test]
async fn reschedule_and_cancel_through_the_confirmation_links() {
    let h = Harness::start_with(
        "manage",
        HarnessOptions {
            time_zone: Some("Europe/Paris".to_owned()),
            ..HarnessOptions::default()
        },
    )
    .await
    .expect("harness");
    let outcome = reschedule_then_cancel(&h).await;
    h.finish(outcome).await;
}

/// The server's refusals of a change, in the visitor's words: inside the haircut's 24-hour
/// cancellation delay, and once the appointment is over.
async fn refusals_in_the_visitors_words(h: &Harness) -> Result<()> {
    let now = Utc::now();
    let cases = [
        (
            now + Duration::hours(3),
            "It is too late to change this appointment online. Please contact us.",
            "refused-too-late",
        ),
        (
            now - Duration::hours(2),
            "This appointment is over and can no longer be changed.",
            "refused-over",
        ),
    ];
    for (start, expected, step) in cases {
        // In UTC: a Paris wall time would be ambiguous or missing around a clock change.
        let at = start.format("%Y-%m-%dT%H:%M:00").to_string();
        let (status, made) = h
            .admin(
                Method::POST,
                "appointments?force=true",
                Some(&json!({
                    "client": {"firstName": "Late", "lastName": "Visitor", "email": "late@example.com"},
                    "service": {"id": "haircut"},
                    "staff": {"id": "camille"},
                    "start": {"dateTime": at, "timeZone": "UTC"},
                })),
            )
            .await?;
        ensure!(status == 201, "the admin API booked it: {status} {made}");
        let encrypted = made["encryptedId"]
            .as_str()
            .context("the appointment's encryptedId")?;
        h.browser
            .goto(&h.widget_url(&format!(
                "company=demo&lang=en&appointment={encrypted}&action=cancel"
            )))
            .await?;
        h.wait_text(".bw-step__title", "Cancel this appointment?")
            .await?;
        h.click(".bw-submit").await?;
        h.wait_text(".bw-error__message", expected).await?;
        h.check(step).await?;
        let id = made["id"].as_str().context("the appointment's id")?;
        let (status, kept) = h
            .admin(Method::GET, &format!("appointments/{id}"), None)
            .await?;
        ensure!(status == 200, "admin GET answered {status}: {kept}");
        ensure!(
            kept["status"] == made["status"] && kept["status"] != "cancelled",
            "a refused cancel leaves it as it was: {} (was {})",
            kept["status"],
            made["status"]
        );
    }
    Ok(())
}

#[tokio::test]
async fn a_refused_change_says_why_in_the_visitors_language() {
    let h = Harness::start_with(
        "manage-refused",
        HarnessOptions {
            time_zone: Some("Europe/Paris".to_owned()),
            ..HarnessOptions::default()
        },
    )
    .await
    .expect("harness");
    let outcome = refusals_in_the_visitors_words(&h).await;
    h.finish(outcome).await;
}
