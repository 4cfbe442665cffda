//! Scenario 6: the widget embedded with embed.js on the demo customer pages (another origin): events
//! reach the host page, the iframe grows and shrinks with its content, the popup is a proper modal
//! dialog, and two widgets on one page are told apart.

use anyhow::{ensure, Result};
use booking_e2e::{Harness, HarnessOptions, PARIS};
use fantoccini::key::Key;
use serde_json::Value;

/// The events the host page heard (`window.bookingEvents`, filled by /demo/events.js).
async fn events(h: &Harness) -> Result<Vec<Value>> {
    Ok(h.js("return window.bookingEvents || []")
        .await?
        .as_array()
        .cloned()
        .unwrap_or_default())
}

/// Inside the frame: waits until the document fits its iframe (no vertical scrollbar), i.e. the
/// host resized the iframe to the content; returns the content height.
async fn fits_its_frame(h: &Harness, step: &str) -> Result<f64> {
    let script = "const d = document.documentElement;
        return d.scrollHeight <= innerHeight + 2 ? d.scrollHeight : null;";
    match h.wait_js(script, "the iframe to fit its content").await {
        Ok(height) => Ok(height.as_f64().unwrap_or_default()),
        Err(_) => {
            let seen = h
                .js("return [document.documentElement.scrollHeight, innerHeight]")
                .await?;
            anyhow::bail!("at `{step}` the widget scrolls inside its iframe: [scrollHeight, innerHeight] = {seen}")
        }
    }
}

/// The inline iframe's height on the host page (from inside its frame).
async fn frame_height(h: &Harness) -> Result<f64> {
    h.browser.enter_parent_frame().await?;
    let height = h
        .js("return document.querySelector('#booking iframe').getBoundingClientRect().height")
        .await?;
    h.wait_css("#booking iframe").await?.enter_frame().await?;
    Ok(height.as_f64().unwrap_or_default())
}

async fn inline_booking(h: &Harness) -> Result<()> {
    let slot = h
        .slot_at("haircut", Some("camille"), "09:00", 2, None)
        .await?;
    h.browser.goto(&format!("{}/", h.host_origin)).await?;
    h.wait_js(
        "return (window.bookingEvents || []).some(e => e.type === 'ready' && e.target === 'booking')",
        "the inline widget's ready event",
    )
    .await?;
    h.check("host-page").await?;

    let mut heights = Vec::new();
    h.wait_css("#booking iframe").await?.enter_frame().await?;
    h.wait_css(".bw-choice__name").await?;
    fits_its_frame(h, "services").await?;
    heights.push(("services", frame_height(h).await?));
    h.axe("services").await?;
    h.choose("Haircut & blow-dry").await?;
    h.wait_css(".bw-choice__button--person").await?;
    fits_its_frame(h, "staff").await?;
    heights.push(("staff", frame_height(h).await?));
    h.axe("staff").await?;
    h.choose("Camille Martin").await?;
    h.choose_day(slot.with_timezone(&PARIS).date_naive())
        .await?;
    fits_its_frame(h, "time").await?;
    heights.push(("time", frame_height(h).await?));
    h.check("inline-time").await?;
    h.doc_shot("embed-inline.png").await?;
    h.choose_slot(slot).await?;

    h.form_page(1).await?;
    h.type_into("#bw-field-firstName", "Ada").await?;
    h.type_into("#bw-field-lastName", "Lovelace").await?;
    h.type_into("#bw-field-email", "ada@example.com").await?;
    fits_its_frame(h, "form").await?;
    heights.push(("form", frame_height(h).await?));
    h.check("inline-form").await?;
    h.submit_form().await?;
    h.form_about("Embedded").await?;
    h.submit_form().await?;
    h.form_last().await?;
    h.submit_form().await?;
    h.wait_css("#bw-step-review-title").await?;
    fits_its_frame(h, "review").await?;
    heights.push(("review", frame_height(h).await?));
    h.axe("review").await?;
    let reference = h.confirm_booking().await?;
    fits_its_frame(h, "confirmation").await?;
    heights.push(("confirmation", frame_height(h).await?));
    h.check("inline-confirmation").await?;
    let distinct = {
        let mut all: Vec<i64> = heights.iter().map(|(_, px)| *px as i64).collect();
        all.sort_unstable();
        all.dedup();
        all.len()
    };
    ensure!(
        distinct >= 3,
        "the iframe's height follows the steps (px per step: {heights:?})"
    );

    // The host page heard the booking, with the public properties from data-ep-campaign.
    h.browser.enter_parent_frame().await?;
    let heard = h
        .wait_js(
            "return (window.bookingEvents || []).find(e => e.type === 'bookingSucceeded') || null",
            "the bookingSucceeded event",
        )
        .await?;
    let payload = &heard["detail"]["payload"];
    ensure!(
        payload["reference"] == reference.as_str(),
        "bookingSucceeded carries the appointment {reference}: {payload}"
    );
    ensure!(
        payload["extendedProperties"] == serde_json::json!({"campaign": "website"}),
        "bookingSucceeded carries extendedProperties {{campaign: website}}: {}",
        payload["extendedProperties"]
    );
    ensure!(
        heard["target"] == "booking",
        "the event is dispatched on the widget's container #booking: {}",
        heard["target"]
    );
    let stored = h.stored().await?;
    ensure!(
        stored.len() == 1 && stored[0].doc["extendedProperties"]["public"]["campaign"] == "website",
        "the stored appointment has campaign = website: {:?}",
        stored
            .iter()
            .map(|r| &r.doc["extendedProperties"])
            .collect::<Vec<_>>()
    );

    Ok(())
}

/// Opens the "Book a massage" popup and waits for its widget (the staff step).
async fn open_popup(h: &Harness) -> Result<()> {
    h.browser.goto(&format!("{}/", h.host_origin)).await?;
    h.wait_js(
        "return (window.bookingEvents || []).some(e => e.type === 'ready')",
        "the inline widget's ready event",
    )
    .await?;
    h.click("button.cta[data-booking-popup]").await?;
    h.wait_css("[role=dialog][aria-modal=true]").await?;
    Ok(())
}

async fn popup_dialog(h: &Harness) -> Result<()> {
    open_popup(h).await?;
    ensure!(
        h.focus_is("a.closest('[role=dialog]')").await?,
        "focus moves into the dialog, it is on {}",
        h.focused_html().await
    );
    h.wait_css("[role=dialog] iframe")
        .await?
        .enter_frame()
        .await?;
    h.wait_css(".bw-choice__button--person").await?;
    fits_its_frame(h, "popup").await?;
    h.axe("popup-staff").await?;
    h.browser.enter_parent_frame().await?;
    h.wait_js(
        "return (window.bookingEvents || []).filter(e => e.type === 'ready').length >= 2",
        "the popup widget's ready event",
    )
    .await?;
    h.check("popup").await?;
    h.doc_shot("embed-popup.png").await?;
    h.press(Key::Escape).await?;
    h.wait_js(
        "return !document.querySelector('[role=dialog]')",
        "the dialog to close on Escape",
    )
    .await?;
    ensure!(
        h.focus_is("a.matches('button.cta[data-booking-popup]')")
            .await?,
        "focus returns to the button that opened the popup, it is on {}",
        h.focused_html().await
    );
    h.check("popup-closed").await?;
    Ok(())
}

/// Closing the popup is announced to the page like every other event (`booking:closed`).
async fn popup_close_is_heard(h: &Harness) -> Result<()> {
    open_popup(h).await?;
    h.press(Key::Escape).await?;
    h.wait_js(
        "return !document.querySelector('[role=dialog]')",
        "the dialog to close on Escape",
    )
    .await?;
    let heard: Vec<Value> = events(h).await?;
    let types: Vec<&str> = heard.iter().filter_map(|e| e["type"].as_str()).collect();
    h.check("popup-closed-event").await?;
    ensure!(
        types.contains(&"closed"),
        "the page's document hears booking:closed after Escape; it heard {types:?}"
    );
    Ok(())
}

/// The popup's dialog must show the whole widget without a scrollbar of its own.
async fn popup_without_scrollbar(h: &Harness) -> Result<()> {
    open_popup(h).await?;
    h.wait_css("[role=dialog] iframe")
        .await?
        .enter_frame()
        .await?;
    h.wait_css(".bw-choice__button--person").await?;
    fits_its_frame(h, "popup").await?;
    h.browser.enter_parent_frame().await?;
    let sizes = h
        .wait_js(
            "const d = document.querySelector('[role=dialog]');
             const f = d.querySelector('iframe');
             const ready = getComputedStyle(f).height === f.style.height;
             return ready ? [d.scrollHeight, d.clientHeight, [...d.children].map(c => c.tagName + ' ' + c.getBoundingClientRect().top + '–' + c.getBoundingClientRect().bottom)] : null;",
            "the popup's iframe to settle",
        )
        .await?;
    h.check("popup-scrollbar").await?;
    ensure!(
        sizes[0].as_f64() <= sizes[1].as_f64(),
        "the popup dialog scrolls: scrollHeight {} > clientHeight {}; children (top–bottom): {}",
        sizes[0],
        sizes[1],
        sizes[2]
    );
    Ok(())
}

async fn two_widgets(h: &Harness) -> Result<()> {
    h.browser
        .goto(&format!("{}/demo/two.html", h.host_origin))
        .await?;
    let ready = h
        .wait_js(
            "const r = (window.bookingEvents || []).filter(e => e.type === 'ready');
             return new Set(r.map(e => e.detail.widget)).size >= 2 ? r.map(e => [e.target, e.detail.widget]) : null;",
            "a ready event from each of the two widgets",
        )
        .await?;
    let pairs = ready.as_array().cloned().unwrap_or_default();
    let widget_of = |target: &str| {
        pairs
            .iter()
            .filter(|p| p[0] == target)
            .map(|p| p[1].clone())
            .collect::<Vec<_>>()
    };
    let (hair, yoga) = (widget_of("hair"), widget_of("yoga"));
    ensure!(
        hair.len() == 1 && yoga.len() == 1 && hair[0] != yoga[0],
        "one ready per iframe, each with its own detail.widget: {ready}"
    );
    // Each iframe shows its own preset service (the staff step) in its language.
    for (frame, heading) in [
        ("#hair iframe", "Choose who"),
        ("#yoga iframe", "Choisissez"),
    ] {
        h.wait_css(frame).await?.enter_frame().await?;
        h.wait_text(".bw-step__title", heading).await?;
        h.axe(frame).await?;
        h.browser.enter_parent_frame().await?;
    }
    h.check("two-widgets").await?;
    Ok(())
}

#[tokio::test]
async fn embedded_inline_booking_on_the_demo_page() {
    let h = Harness::start_with(
        "embed",
        HarnessOptions {
            time_zone: Some("Europe/Paris".to_owned()),
            ..HarnessOptions::default()
        },
    )
    .await
    .expect("harness");
    let outcome = inline_booking(&h).await;
    h.finish(outcome).await;
}

#[tokio::test]
async fn popup_is_a_modal_dialog_that_gives_focus_back() {
    let h = Harness::start("embed-popup", 1280, &[])
        .await
        .expect("harness");
    let outcome = popup_dialog(&h).await;
    h.finish(outcome).await;
}

#[tokio::test]
async fn popup_close_is_heard_by_the_host_page() {
    let h = Harness::start("embed-popup-closed", 1280, &[])
        .await
        .expect("harness");
    let outcome = popup_close_is_heard(&h).await;
    h.finish(outcome).await;
}

#[tokio::test]
async fn popup_shows_the_widget_without_a_scrollbar() {
    let h = Harness::start("embed-popup-scrollbar", 1280, &[])
        .await
        .expect("harness");
    let outcome = popup_without_scrollbar(&h).await;
    h.finish(outcome).await;
}

#[tokio::test]
async fn two_widgets_on_one_page_have_their_own_events() {
    let h = Harness::start("embed-two", 1280, &[])
        .await
        .expect("harness");
    let outcome = two_widgets(&h).await;
    h.finish(outcome).await;
}

/// Direct mount: no iframe, the widget's wasm runs in the host page (another origin than the widget's
/// server), styles stay scoped, and a booking step works.
async fn direct_mount(h: &Harness) -> Result<()> {
    h.browser
        .goto(&format!("{}/demo/mount.html", h.host_origin))
        .await?;
    h.wait_css("#mounted .bw-root .bw-choice__name").await?;
    let frames = h
        .js("return document.querySelectorAll('iframe').length")
        .await?;
    ensure!(frames == 0, "direct mount uses no iframe, saw {frames}");
    let names = h
        .js("return [...document.querySelectorAll('#mounted .bw-choice__name')].map(e => e.textContent.trim())")
        .await?;
    ensure!(
        names
            .as_array()
            .is_some_and(|n| n.iter().any(|v| v == "Haircut & blow-dry")),
        "services from the widget's server: {names}"
    );
    let accent = h
        .js("return getComputedStyle(document.querySelector('#mounted .bw-root')).getPropertyValue('--bw-color-primary').trim()")
        .await?;
    ensure!(
        accent == "#a61e4d",
        "data-primary-color reaches the widget: {accent}"
    );
    let header = h
        .js("return getComputedStyle(document.querySelector('header')).backgroundColor")
        .await?;
    ensure!(
        header == "rgb(43, 38, 34)",
        "the host page's own styles are untouched: {header}"
    );
    h.check("mounted-services").await?;
    h.browser
        .find(fantoccini::Locator::Css("#mounted .bw-choice__button"))
        .await?
        .click()
        .await?;
    h.wait_css("#mounted .bw-step__title").await?;
    h.wait_text("#mounted", "Any available").await?;
    h.check("mounted-staff").await?;
    Ok(())
}

#[tokio::test]
async fn direct_mount_runs_the_widget_inside_the_host_page() {
    let h = Harness::start("embed-direct-mount", 1280, &[])
        .await
        .expect("harness");
    let outcome = direct_mount(&h).await;
    h.finish(outcome).await;
}

/// The customer's page URL carries `?email=…&firstname=…&zip=…&utm_campaign=…`: embed.js forwards them,
/// and the embedded form is prefilled by `externalId` (the hidden `campaign` item too, which is
/// submitted with the booking).
async fn host_query_prefills(h: &Harness) -> Result<()> {
    let slot = h
        .slot_at("haircut", Some("camille"), "09:00", 2, None)
        .await?;
    h.browser
        .goto(&format!(
            "{}/?email=grace%40example.com&firstname=Grace&lastname=Hopper&zip=75011&utm_campaign=newsletter",
            h.host_origin
        ))
        .await?;
    let src = h
        .wait_js(
            "const f = document.querySelector('#booking iframe'); return f ? f.src : null",
            "the inline iframe",
        )
        .await?;
    ensure!(
        src.as_str()
            .is_some_and(|s| s.contains("email=grace%40example.com")
                && s.contains("utm_campaign=newsletter")),
        "host query parameters reach the widget URL: {src}"
    );
    h.wait_css("#booking iframe").await?.enter_frame().await?;
    h.choose("Haircut & blow-dry").await?;
    h.choose("Camille Martin").await?;
    h.choose_day(slot.with_timezone(&PARIS).date_naive())
        .await?;
    h.choose_slot(slot).await?;
    h.form_page(1).await?;
    for (field, expected) in [
        ("#bw-field-firstName", "Grace"),
        ("#bw-field-lastName", "Hopper"),
        ("#bw-field-email", "grace@example.com"),
    ] {
        let value = h.value_of(field).await?;
        ensure!(
            value == expected,
            "{field} is prefilled from the host page: {value:?}"
        );
    }
    h.check("host-query-prefilled").await?;
    h.submit_form().await?;
    h.form_about("From the newsletter").await?;
    h.submit_form().await?;
    let zip = h.value_of("#bw-field-zip").await?;
    ensure!(
        zip == "75011",
        "the postcode (externalId zip) is prefilled: {zip:?}"
    );
    h.form_last().await?;
    h.submit_form().await?;
    h.wait_css("#bw-step-review-title").await?;
    h.confirm_booking().await?;
    let stored = h.stored().await?;
    ensure!(
        stored.len() == 1,
        "one booking stored, saw {}",
        stored.len()
    );
    let campaign = booking_e2e::form_answer(&stored[0].doc, "campaign");
    ensure!(
        campaign.as_ref().and_then(|v| v.as_str()) == Some("newsletter"),
        "the hidden campaign item (externalId utm_campaign) was submitted: {campaign:?}"
    );
    Ok(())
}

#[tokio::test]
async fn host_page_query_parameters_prefill_the_embedded_form() {
    let h = Harness::start("embed-host-prefill", 1280, &[])
        .await
        .expect("harness");
    let outcome = host_query_prefills(&h).await;
    h.finish(outcome).await;
}
