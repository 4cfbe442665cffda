//! Scenario 1: a whole booking with the mouse, the form prefilled from the URL; then what the
//! database, the admin API and the public API hold.

use anyhow::{ensure, Result};
use booking_e2e::{Harness, HarnessOptions, PARIS};
use reqwest::Method;
use serde_json::json;

use super::{assert_prefilled_booking, start_of, PREFILL};

async fn full_booking_by_mouse(h: &Harness) -> Result<()> {
    let slot = h
        .slot_at("haircut", Some("camille"), "09:00", 2, None)
        .await?;
    h.browser.goto(&h.widget_url(PREFILL)).await?;

    h.wait_css(".bw-choice__name").await?;
    h.check("services").await?;
    h.choose("Haircut & blow-dry").await?;

    h.wait_css("#bw-step-staff-title").await?;
    h.wait_css(".bw-choice__button--person").await?;
    h.check("staff").await?;
    h.choose("Camille Martin").await?;

    h.wait_css("#bw-step-time-title").await?;
    h.choose_day(slot.with_timezone(&PARIS).date_naive())
        .await?;
    let (_, label) = h.slot_button(slot).await?;
    h.check("time").await?;
    ensure!(
        label.contains("9:00"),
        "the 09:00 Paris slot reads 9:00 for a visitor in Paris, got {label:?}"
    );
    h.choose_slot(slot).await?;

    h.wait_css("#bw-step-form-title").await?;
    h.form_page(1).await?;
    for (field, want) in [
        ("#bw-field-firstName", "Ada"),
        ("#bw-field-lastName", "Lovelace"),
        ("#bw-field-email", "ada@example.com"),
    ] {
        let got = h.value_of(field).await?;
        ensure!(got == want, "{field} prefilled with {want:?}, got {got:?}");
    }
    h.form_contact("+33612345678").await?;
    h.check("form-contact").await?;
    h.submit_form().await?;
    h.form_about("Window seat, please").await?;
    h.check("form-about").await?;
    h.submit_form().await?;
    h.form_page(3).await?;
    let zip = h.value_of("#bw-field-zip").await?;
    ensure!(zip == "75011", "zip prefilled with 75011, got {zip:?}");
    h.form_last().await?;
    h.check("form-last").await?;
    h.submit_form().await?;

    h.wait_css("#bw-step-review-title").await?;
    let summary = h.text_of(".bw-summary").await?;
    ensure!(
        summary.contains("Haircut & blow-dry")
            && summary.contains("Camille Martin")
            && summary.contains("Window seat, please"),
        "the review lists service, staff and answers: {summary}"
    );
    h.check("review").await?;

    let reference = h.confirm_booking().await?;
    h.check("confirmation").await?;
    let property = h
        .js("return [...document.querySelectorAll('.bw-summary__property')].map(r => [r.querySelector('dt').textContent.trim(), r.querySelector('dd').textContent.trim()])")
        .await?;
    ensure!(
        property == json!([["campaign", "winter"]]),
        "the confirmation shows campaign = winter, got {property}"
    );

    // The database.
    let row = assert_prefilled_booking(h, &reference, slot).await?;
    let id = row.doc["id"].as_str().unwrap_or_default().to_owned();
    let encrypted = row.doc["encryptedId"]
        .as_str()
        .unwrap_or_default()
        .to_owned();

    // The admin API.
    let (status, got) = h
        .admin(Method::GET, &format!("appointments/{id}"), None)
        .await?;
    ensure!(status == 200, "admin GET answered {status}: {got}");
    ensure!(
        got["id"] == id.as_str() && got["reference"] == reference.as_str(),
        "admin GET returns the appointment: {got}"
    );
    ensure!(
        start_of(&got)? == slot,
        "admin start {} is the slot chosen ({slot})",
        got["start"]
    );
    ensure!(
        got["extendedProperties"]["public"]["campaign"] == "winter",
        "admin GET shows the public property: {}",
        got["extendedProperties"]
    );

    // A private property, set by the admin, stays on the admin side.
    let (status, put) = h
        .admin(
            Method::PUT,
            &format!("appointments/{id}"),
            Some(&json!({"extendedProperties": {
                "public": {"campaign": "winter"},
                "private": {"crmDealId": "D-4711"}
            }})),
        )
        .await?;
    ensure!(status == 200, "admin PUT answered {status}: {put}");
    let (_, got) = h
        .admin(Method::GET, &format!("appointments/{id}"), None)
        .await?;
    ensure!(
        got["extendedProperties"]["private"]["crmDealId"] == "D-4711",
        "admin GET shows the private property: {}",
        got["extendedProperties"]
    );
    let (status, public) = h
        .public(
            Method::GET,
            &format!("widget/appointments/{encrypted}"),
            None,
        )
        .await?;
    ensure!(status == 200, "public GET answered {status}: {public}");
    ensure!(
        public["extendedProperties"] == json!({"campaign": "winter"}),
        "the public GET has only the public properties: {}",
        public["extendedProperties"]
    );
    let text = public.to_string();
    ensure!(
        !text.contains("D-4711") && !text.contains("crmDealId") && !text.contains("private"),
        "nothing private in the public answer: {text}"
    );
    Ok(())
}

#[tokio::test]
async fn full_booking_by_mouse_with_url_prefill() {
    let h = Harness::start_with(
        "booking-mouse",
        HarnessOptions {
            time_zone: Some("Europe/Paris".to_owned()),
            ..HarnessOptions::default()
        },
    )
    .await
    .expect("harness");
    let outcome = full_booking_by_mouse(&h).await;
    h.finish(outcome).await;
}
