//! Scenario 4: the slot the visitor is about to book is taken through the admin API meanwhile; the
//! visitor is sent back to the times with a message, keeps the answers, picks another and books.

use anyhow::{ensure, Result};
use booking_e2e::{Harness, HarnessOptions, PARIS};
use reqwest::Method;
use serde_json::json;

use super::PREFILL;

async fn slot_taken_meanwhile(h: &Harness) -> Result<()> {
    let slot = h
        .slot_at("haircut", Some("camille"), "09:00", 2, None)
        .await?;
    let day = slot.with_timezone(&PARIS).date_naive();
    h.browser
        .goto(&h.widget_url(&format!("{PREFILL}&service=haircut&staff=camille")))
        .await?;
    h.wait_css("#bw-step-time-title").await?;
    h.choose_day(day).await?;
    h.choose_slot(slot).await?;
    h.form_contact("+33611111111").await?;
    h.submit_form().await?;
    h.form_about("Taken meanwhile?").await?;
    h.submit_form().await?;
    h.form_last().await?;
    h.submit_form().await?;
    h.wait_css("#bw-step-review-title").await?;
    h.check("review-before").await?;

    // Someone at the desk books the same time with the same hairdresser.
    let local = slot
        .with_timezone(&PARIS)
        .format("%Y-%m-%dT%H:%M:%S")
        .to_string();
    let (status, desk) = h
        .admin(
            Method::POST,
            "appointments?force=false",
            Some(&json!({
                "client": {"firstName": "Grace", "lastName": "Hopper", "email": "grace@example.com"},
                "service": {"id": "haircut"},
                "staff": {"id": "camille"},
                "start": {"dateTime": local, "timeZone": "Europe/Paris"}
            })),
        )
        .await?;
    ensure!(
        status == 201,
        "the desk's booking answered {status}: {desk}"
    );

    // The visitor confirms: 409, back to the times with the message.
    h.click(".bw-submit").await?;
    h.wait_css("#bw-step-time-title").await?;
    let notice = h.text_of(".bw-notice[role=alert]").await?;
    ensure!(
        notice.contains("just taken"),
        "the time step explains the slot was taken: {notice:?}"
    );
    h.choose_day(day).await?;
    let still_offered = h
        .js(&format!(
            "return [...document.querySelectorAll('.bw-slot')].some(b => Date.parse(b.dataset.slot) === {})",
            slot.timestamp_millis()
        ))
        .await?;
    ensure!(
        still_offered == false,
        "the taken 09:00 is no longer offered"
    );
    h.check("slot-taken").await?;

    // Another time: straight back to the review, answers kept.
    let other = h
        .slot_at("haircut", Some("camille"), "09:45", 2, Some(day))
        .await?;
    h.choose_day(other.with_timezone(&PARIS).date_naive())
        .await?;
    h.choose_slot(other).await?;
    h.wait_css("#bw-step-review-title").await?;
    let summary = h.text_of(".bw-summary").await?;
    ensure!(
        summary.contains("Taken meanwhile?") && summary.contains("+33611111111"),
        "the answers survived the detour: {summary}"
    );
    h.check("review-after").await?;
    let reference = h.confirm_booking().await?;
    h.check("confirmation").await?;

    let rows = h.stored().await?;
    ensure!(
        rows.len() == 2,
        "two appointments stored, found {}",
        rows.len()
    );
    let mine = rows
        .iter()
        .find(|r| r.doc["reference"] == reference.as_str())
        .ok_or_else(|| anyhow::anyhow!("the visitor's {reference} is stored"))?;
    let want = other
        .with_timezone(&chrono::Utc)
        .format("%Y-%m-%dT%H:%M:%SZ")
        .to_string();
    ensure!(
        mine.start_utc == want,
        "the visitor's appointment is at the second time ({want}), got {}",
        mine.start_utc
    );
    Ok(())
}

#[tokio::test]
async fn slot_taken_meanwhile_sends_the_visitor_back_to_the_times() {
    let h = Harness::start_with(
        "slot-taken",
        HarnessOptions {
            time_zone: Some("Europe/Paris".to_owned()),
            ..HarnessOptions::default()
        },
    )
    .await
    .expect("harness");
    let outcome = slot_taken_meanwhile(&h).await;
    h.finish(outcome).await;
}
