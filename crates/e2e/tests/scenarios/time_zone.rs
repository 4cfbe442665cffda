//! Scenario 3: a visitor whose browser is in New York sees Paris times in New York time, switches the
//! zone to Auckland, books; the stored instant is the Paris slot chosen.

use anyhow::{ensure, Result};
use booking_e2e::{Harness, HarnessOptions, PARIS};
use chrono_tz::{America::New_York, Pacific::Auckland};
use reqwest::Method;

use super::{start_of, PREFILL};

async fn booking_across_zones(h: &Harness) -> Result<()> {
    let slot = h
        .slot_at("haircut", Some("camille"), "09:00", 2, None)
        .await?;
    let in_new_york = slot.with_timezone(&New_York);
    let in_auckland = slot.with_timezone(&Auckland);
    h.browser
        .goto(&h.widget_url(&format!("{PREFILL}&service=haircut&staff=camille")))
        .await?;

    // The browser's zone is New York: the 09:00 Paris slot reads 03:00 (09:00 − 6 h).
    h.wait_css("#bw-step-time-title").await?;
    let browser_zone = h
        .js("return Intl.DateTimeFormat().resolvedOptions().timeZone")
        .await?;
    ensure!(
        browser_zone == "America/New_York",
        "Chromium runs in New York (TZ), got {browser_zone}"
    );
    let zone = h.text_of(".bw-zone__name").await?;
    ensure!(
        zone == "America/New York",
        "the widget starts in the browser's zone, shows {zone:?}"
    );
    h.choose_day(in_new_york.date_naive()).await?;
    let (_, label) = h.slot_button(slot).await?;
    let want = in_new_york.format("%H:%M").to_string();
    ensure!(
        slot.with_timezone(&PARIS).format("%H:%M").to_string() == "09:00",
        "the slot is 09:00 in Paris: {slot}"
    );
    ensure!(
        label == want,
        "09:00 in Paris reads {want} in New York, the button says {label:?}"
    );
    h.check("time-new-york").await?;

    // Switch to Auckland: the same instant, relabelled (21:00 in the northern winter).
    h.click(".bw-zone__toggle").await?;
    h.type_into("#bw-zone-search", "Auckland").await?;
    h.wait_css("#bw-zone-select option[value=\"Pacific/Auckland\"]")
        .await?;
    h.check("zone-picker").await?;
    h.wait_css("#bw-zone-select")
        .await?
        .select_by_value("Pacific/Auckland")
        .await?;
    h.wait_text(".bw-zone__name", "Pacific/Auckland").await?;
    h.choose_day(in_auckland.date_naive()).await?;
    let want = in_auckland.format("%H:%M").to_string();
    let (_, label) = h.slot_button(slot).await?;
    ensure!(
        label == want,
        "09:00 in Paris reads {want} in Auckland, the button says {label:?}"
    );
    h.check("time-auckland").await?;
    h.choose_slot(slot).await?;

    h.form_page(1).await?;
    h.submit_form().await?;
    h.form_about("From Auckland").await?;
    h.submit_form().await?;
    h.form_last().await?;
    h.submit_form().await?;
    h.wait_css("#bw-step-review-title").await?;
    let when = h.text_of(".bw-summary__when").await?;
    ensure!(
        when.contains(&want),
        "the review gives the time in Auckland ({want}): {when:?}"
    );
    h.check("review-auckland").await?;
    h.confirm_booking().await?;
    let venue = h.text_of(".bw-summary__company-time").await?;
    ensure!(
        venue.contains("09:00") && venue.contains("Europe/Paris"),
        "the confirmation adds the venue's time, 09:00 in Paris: {venue:?}"
    );
    h.check("confirmation-auckland").await?;

    // The same instant everywhere: database, admin API (09:00 in Paris).
    let rows = h.stored().await?;
    ensure!(
        rows.len() == 1,
        "one appointment stored, found {}",
        rows.len()
    );
    let id = rows[0].doc["id"].as_str().unwrap_or_default().to_owned();
    let (status, got) = h
        .admin(Method::GET, &format!("appointments/{id}"), None)
        .await?;
    ensure!(status == 200, "admin GET answered {status}: {got}");
    let start = start_of(&got)?;
    ensure!(
        start == slot,
        "the admin API's start {} is the instant chosen ({slot})",
        got["start"]
    );
    let paris = start.with_timezone(&PARIS).format("%H:%M").to_string();
    ensure!(
        paris == "09:00",
        "the stored start is 09:00 in Paris, got {paris}"
    );
    Ok(())
}

#[tokio::test]
async fn time_zones_relabel_the_same_instant() {
    let h = Harness::start_with(
        "time-zone",
        HarnessOptions {
            time_zone: Some("America/New_York".to_owned()),
            // 24-hour times, so labels read 03:00 and 21:00.
            locale: Some("en-GB".to_owned()),
            ..HarnessOptions::default()
        },
    )
    .await
    .expect("harness");
    let outcome = booking_across_zones(&h).await;
    h.finish(outcome).await;
}
