//! End-to-end scenarios: a visitor uses the real release widget, embedded in the demo host page, against
//! the real server and database. The scenarios live in `scenarios/` (one module per theme); every
//! step is checked with axe-core and screenshotted under `target/e2e/screenshots/`.
//!
//! Switches: `BOOKING_E2E_DOCS=1` refreshes `docs/screenshots/`; `BOOKING_E2E_STRICT_AXE=1` waives no
//! known accessibility bug (`booking_e2e::KNOWN_AXE_BUGS`). Scenarios marked `#[ignore = "bug: …"]`
//! fail on a reported bug: run them with `-- --include-ignored`.

mod scenarios;

use anyhow::{ensure, Result};
use booking_e2e::Harness;
use fantoccini::Locator;

/// Switches into the iframe matching `selector` (on the host page).
async fn enter_widget(h: &Harness, selector: &str) -> Result<()> {
    let frame = h.wait_css(selector).await?;
    frame.enter_frame().await?;
    Ok(())
}

async fn services_on_the_demo_page(h: &Harness) -> Result<()> {
    h.browser.goto(&format!("{}/", h.host_origin)).await?;
    enter_widget(h, "#booking iframe").await?;
    h.wait_css(".bw-choice__name").await?;
    let names = h.js("return [...document.querySelectorAll('.bw-choice__name')].map(e => e.textContent.trim())").await?;
    ensure!(
        names
            .as_array()
            .is_some_and(|n| n.iter().any(|v| v == "Haircut & blow-dry")),
        "services shown: {names}"
    );
    h.axe("services").await?;
    h.browser.enter_parent_frame().await?;
    let iframe_src = h
        .browser
        .find(Locator::Css("#booking iframe"))
        .await?
        .attr("src")
        .await?
        .unwrap_or_default();
    ensure!(
        iframe_src.starts_with(&format!("{}/widget/", h.widget_origin)),
        "the widget comes from the other origin: {iframe_src}"
    );
    h.shot("services").await?;
    Ok(())
}

#[tokio::test]
async fn demo_page_shows_the_services_from_another_origin() {
    let h = Harness::start("demo-services", 1280, &[])
        .await
        .expect("harness");
    let outcome = services_on_the_demo_page(&h).await;
    h.finish(outcome).await;
}
