//! Scenario 2: the same booking as scenario 1 with the keyboard only — Tab, arrows, Enter and Space
//! sent to whatever has focus; nothing is clicked.

use anyhow::{ensure, Context, Result};
use booking_e2e::{Harness, HarnessOptions, PARIS};
use chrono::NaiveDate;
use fantoccini::key::Key;
use serde_json::json;

use super::{assert_prefilled_booking, PREFILL};

/// Moves the calendar's keyboard cursor from the focused day to `day` with the arrow keys, checking
/// that focus follows each press.
async fn arrow_to_day(h: &Harness, day: NaiveDate) -> Result<()> {
    for _ in 0..70 {
        let focused = h
            .js("return document.activeElement.dataset.day || null")
            .await?;
        let Some(current) = focused.as_str() else {
            anyhow::bail!("focus left the calendar: {}", h.focused_html().await);
        };
        let current: NaiveDate = current.parse().context("data-day")?;
        let gap = (day - current).num_days();
        let key = match gap {
            0 => return Ok(()),
            7.. => (Key::Down, 7),
            1..=6 => (Key::Right, 1),
            -6..=-1 => (Key::Left, -1),
            _ => (Key::Up, -7),
        };
        h.press(key.0).await?;
        let next = current + chrono::Duration::days(key.1);
        h.wait_js(
            &format!("return document.activeElement.dataset.day === '{next}'"),
            &format!("focus on {next} after an arrow key"),
        )
        .await?;
    }
    anyhow::bail!("the arrow keys never reached {day}")
}

async fn keyboard_booking(h: &Harness) -> Result<()> {
    let slot = h
        .slot_at("haircut", Some("camille"), "09:00", 2, None)
        .await?;
    let day = slot.with_timezone(&PARIS).date_naive();
    h.browser.goto(&h.widget_url(PREFILL)).await?;

    // Services: Tab from the top of the page to the haircut, Enter.
    h.wait_css(".bw-choice__name").await?;
    h.tab_until("a.matches('.bw-choice__button') && a.textContent.includes('Haircut')")
        .await?;
    h.check("services-focused").await?;
    h.press(Key::Enter).await?;

    // Staff: the heading takes focus; Tab to Camille, Space.
    h.wait_css(".bw-choice__button--person").await?;
    h.wait_js(
        "return document.activeElement.id === 'bw-step-staff-title'",
        "focus on the staff step's heading",
    )
    .await?;
    h.tab_until("a.matches('.bw-choice__button') && a.textContent.includes('Camille')")
        .await?;
    h.check("staff-focused").await?;
    h.press(Key::Space).await?;

    // Time: Tab into the calendar (one day holds the tab stop), arrows to the day, Enter.
    h.wait_js(
        "return document.activeElement.id === 'bw-step-time-title'",
        "focus on the time step's heading",
    )
    .await?;
    h.wait_calendar().await?;
    h.tab_until("a.matches('.bw-day__button')").await?;
    arrow_to_day(h, day).await?;
    h.press(Key::Enter).await?;
    h.wait_css(&format!(".bw-day__button--selected[data-day=\"{day}\"]"))
        .await?;
    let (selector, _) = h.slot_button(slot).await?;
    h.tab_until(&format!("a.matches({})", json!(selector)))
        .await?;
    h.check("time-focused").await?;
    h.press(Key::Enter).await?;

    // Form page 1: Tab to the phone, type it, Enter submits.
    h.form_page(1).await?;
    h.tab_until("a.id === 'bw-field-phone'").await?;
    h.keys("+33612345678").await?;
    h.check("form-contact").await?;
    h.press(Key::Enter).await?;

    // Page 2: Space on "yes", arrows in the select, typing in the note, Enter on "Next".
    h.form_page(2).await?;
    h.tab_until("a.id === 'bw-field-firstVisit-0'").await?;
    h.press(Key::Space).await?;
    h.tab_until("a.id === 'bw-field-heardFrom'").await?;
    h.press(Key::Down).await?;
    h.press(Key::Down).await?;
    let heard = h.value_of("#bw-field-heardFrom").await?;
    ensure!(
        heard == "instagram",
        "two ArrowDowns pick Instagram, got {heard:?}"
    );
    h.tab_until("a.id === 'bw-field-notes'").await?;
    h.keys("Window seat, please").await?;
    h.check("form-about").await?;
    h.tab_until("a.type === 'submit'").await?;
    h.press(Key::Enter).await?;

    // Page 3: arrows in the rating, Space on the policy, Enter on "Review".
    h.form_page(3).await?;
    h.tab_until("a.id === 'bw-field-satisfaction-0'").await?;
    for _ in 0..3 {
        h.press(Key::Right).await?;
    }
    ensure!(
        h.focus_is("a.id === 'bw-field-satisfaction-3' && a.checked")
            .await?,
        "three ArrowRights check the 4th point of the rating; focus is on {}",
        h.focused_html().await
    );
    h.tab_until("a.id === 'bw-field-consent-0'").await?;
    h.press(Key::Space).await?;
    h.check("form-last").await?;
    h.tab_until("a.type === 'submit'").await?;
    h.press(Key::Enter).await?;

    // Review: Tab to "Confirm booking", Enter.
    h.wait_css("#bw-step-review-title").await?;
    h.tab_until("a.matches('.bw-submit')").await?;
    h.check("review-focused").await?;
    h.press(Key::Enter).await?;

    h.wait_css("#bw-step-done-title").await?;
    h.wait_js(
        "return document.activeElement.id === 'bw-step-done-title'",
        "focus on the confirmation's heading",
    )
    .await?;
    h.check("confirmation").await?;
    let reference = h.text_of(".bw-summary__reference").await?;
    let row = assert_prefilled_booking(h, &reference, slot).await?;
    for (id, want) in [
        ("phone", json!("+33612345678")),
        ("firstVisit", json!(["yes"])),
        ("heardFrom", json!(["instagram"])),
        ("notes", json!("Window seat, please")),
        ("satisfaction", json!("4")),
        ("consent", json!(["agree"])),
    ] {
        let got = booking_e2e::form_answer(&row.doc, id);
        ensure!(
            got.as_ref() == Some(&want),
            "answer {id} = {want} stored, got {got:?}"
        );
    }
    Ok(())
}

#[tokio::test]
async fn keyboard_only_booking() {
    let h = Harness::start_with(
        "booking-keyboard",
        HarnessOptions {
            time_zone: Some("Europe/Paris".to_owned()),
            ..HarnessOptions::default()
        },
    )
    .await
    .expect("harness");
    let outcome = keyboard_booking(&h).await;
    h.finish(outcome).await;
}
