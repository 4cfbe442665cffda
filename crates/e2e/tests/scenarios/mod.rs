//! The booking scenarios, one module per theme. Every scenario runs on its own server, database and
//! browser; every step is checked with axe-core and screenshotted.

mod booking;
mod email;
mod embed;
mod embed_rules;
mod first_load;
mod gallery;
mod keyboard;
mod manage;
mod taken;
mod time_zone;
mod validation;

use anyhow::{ensure, Context, Result};
use booking_e2e::{form_answer, instant_of, Harness, StoredRow, PARIS};
use chrono::{DateTime, FixedOffset, Utc};
use serde_json::Value;

/// The prefill of scenario 1 (and of the keyboard twin).
pub const PREFILL: &str = "company=demo&lang=en&email=ada@example.com&firstname=Ada&lastname=Lovelace&zip=75011&ep.campaign=winter";

/// Checks what the database holds for the one appointment booked with [`PREFILL`] at `slot`, and
/// returns its row.
pub async fn assert_prefilled_booking(
    h: &Harness,
    reference: &str,
    slot: DateTime<FixedOffset>,
) -> Result<StoredRow> {
    let rows = h.stored().await?;
    ensure!(
        rows.len() == 1,
        "one appointment stored, found {}: {:?}",
        rows.len(),
        rows.iter().map(|r| &r.doc["reference"]).collect::<Vec<_>>()
    );
    let row = rows.into_iter().next().context("one row")?;
    let doc = &row.doc;
    ensure!(
        doc["reference"] == reference,
        "stored reference {} is the one shown ({reference})",
        doc["reference"]
    );
    let start = slot
        .with_timezone(&Utc)
        .format("%Y-%m-%dT%H:%M:%SZ")
        .to_string();
    ensure!(
        row.start_utc == start,
        "stored start {} is the slot chosen ({start})",
        row.start_utc
    );
    ensure!(
        row.staff_id.as_deref() == Some("camille") && doc["service"]["id"] == "haircut",
        "haircut with camille stored, got staff {:?} service {}",
        row.staff_id,
        doc["service"]
    );
    for (id, want) in [
        ("firstName", "Ada"),
        ("lastName", "Lovelace"),
        ("email", "ada@example.com"),
        ("zip", "75011"),
    ] {
        let got = form_answer(doc, id);
        ensure!(
            got == Some(Value::String(want.to_owned())),
            "prefilled answer {id} = {want:?} stored, got {got:?}"
        );
    }
    ensure!(
        doc["extendedProperties"]["public"]["campaign"] == "winter",
        "ep.campaign stored as extendedProperties.public.campaign, got {}",
        doc["extendedProperties"]
    );
    Ok(row)
}

/// The instant of an API `start` object.
pub fn start_of(appointment: &Value) -> Result<DateTime<Utc>> {
    instant_of(&appointment["start"], "Europe/Paris")
}

/// Books the haircut with Camille at `slot` the way a visitor does, from the [`PREFILL`]ed URL: the
/// day and time chosen, the form's pages filled (`about` on the second), reviewed, confirmed.
/// Returns the booking's reference.
pub async fn book_prefilled_haircut(
    h: &Harness,
    slot: DateTime<FixedOffset>,
    about: &str,
) -> Result<String> {
    h.browser
        .goto(&h.widget_url(&format!("{PREFILL}&service=haircut&staff=camille")))
        .await?;
    h.wait_css("#bw-step-time-title").await?;
    h.choose_day(slot.with_timezone(&PARIS).date_naive())
        .await?;
    h.choose_slot(slot).await?;
    h.form_page(1).await?;
    h.submit_form().await?;
    h.form_about(about).await?;
    h.submit_form().await?;
    h.form_last().await?;
    h.submit_form().await?;
    h.wait_css("#bw-step-review-title").await?;
    h.confirm_booking().await
}
