//! The rules of embed.js, each checked on the demo host page (another origin than the widget's), each
//! failing when its rule is deleted: it connects early and warms popups up (issue 13 §4); the popup
//! traps Tab both ways, locks the page's scroll and closes by its button and by the overlay; the
//! floating button opens it; messages from another origin are ignored; the JS API (`inline`, `on`,
//! `prefill`, `destroy`) does what embed.d.ts says; loading embed.js twice keeps the first.

use anyhow::{bail, ensure, Result};
use booking_e2e::{Harness, DEMO_API};
use fantoccini::actions::{
    InputSource, KeyAction, KeyActions, MouseActions, PointerAction, MOUSE_BUTTON_LEFT,
};
use fantoccini::key::Key;
use fantoccini::Locator;
use serde_json::Value;

const TRIGGER: &str = "button.cta[data-booking-popup]";

async fn host_page(h: &Harness) -> Result<()> {
    h.browser.goto(&format!("{}/", h.host_origin)).await?;
    h.wait_js(
        "return (window.bookingEvents || []).some(e => e.type === 'ready' && e.target === 'booking')",
        "the inline widget's ready event",
    )
    .await?;
    Ok(())
}

/// Moves the mouse over `selector` (a real pointer move: `mouseenter` fires).
async fn hover(h: &Harness, selector: &str) -> Result<()> {
    let element = h.browser.find(Locator::Css(selector)).await?;
    let actions = MouseActions::new("mouse".to_owned()).then(PointerAction::MoveToElement {
        element,
        duration: None,
        x: 0.0,
        y: 0.0,
    });
    h.browser.perform_actions(actions).await?;
    Ok(())
}

/// Presses Tab (or Shift+Tab) wherever focus is, inside a frame too (WebDriver actions).
async fn tab(h: &Harness, backwards: bool) -> Result<()> {
    let (tab, shift): (char, char) = (Key::Tab.into(), Key::Shift.into());
    let mut keys = KeyActions::new("keyboard".to_owned());
    if backwards {
        keys = keys.then(KeyAction::Down { value: shift });
    }
    keys = keys
        .then(KeyAction::Down { value: tab })
        .then(KeyAction::Up { value: tab });
    if backwards {
        keys = keys.then(KeyAction::Up { value: shift });
    }
    h.browser.perform_actions(keys).await?;
    Ok(())
}

/// Where the host page's focus is: `close`, `IFRAME`, another tag inside the dialog, or `outside …`.
const FOCUS: &str = "const a = document.activeElement;
    if (!a || !a.closest('[role=dialog]')) return 'outside ' + (a ? a.outerHTML.slice(0, 80) : 'nothing');
    return a.matches('.bw-embed-close') ? 'close' : a.tagName;";

async fn open_popup(h: &Harness) -> Result<()> {
    h.click(TRIGGER).await?;
    h.wait_css("[role=dialog][aria-modal=true]").await?;
    Ok(())
}

// ---- issue 13 §4: connect early, warm up ----

async fn warm_up(h: &Harness) -> Result<()> {
    host_page(h).await?;
    let hints = h
        .js("return [...document.querySelectorAll('link[rel=preconnect], link[rel=dns-prefetch]')].map(l => l.rel + ' ' + l.getAttribute('href'))")
        .await?;
    for rel in ["preconnect", "dns-prefetch"] {
        let want = Value::from(format!("{rel} {}", h.widget_origin));
        ensure!(
            hints.as_array().is_some_and(|l| l.contains(&want)),
            "embed.js adds <link rel={rel}> to the widget's origin: {hints}"
        );
    }
    // Once the page is idle, a hidden frame fetches the widget's files.
    h.wait_css("iframe[data-booking-warm]").await?;
    let massage_staff = format!("{DEMO_API}/widget/staff?serviceId=massage");
    ensure!(
        h.requests.matching(&massage_staff).is_empty()
            && h.js("return document.querySelectorAll('.bw-embed-overlay').length")
                .await?
                == 0,
        "nothing of the massage popup exists before its trigger is approached"
    );
    hover(h, TRIGGER).await?;
    let src = h
        .wait_js(
            "const f = document.querySelector('.bw-embed-overlay[hidden] iframe'); return f && f.src",
            "the popup warmed up on hover",
        )
        .await?;
    ensure!(
        src.as_str().is_some_and(|s| s.contains("service=massage")),
        "the warmed popup is the trigger's: {src}"
    );
    // Its widget runs out of sight: it asks for the massage's staff.
    let deadline = tokio::time::Instant::now() + booking_e2e::WAIT;
    while h.requests.matching(&massage_staff).is_empty() {
        if tokio::time::Instant::now() > deadline {
            bail!("the warmed popup's widget never asked for its staff");
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    h.js("document.querySelector('.bw-embed-overlay iframe').dataset.warmed = 'yes'")
        .await?;
    let before_click = h.requests.len();
    open_popup(h).await?;
    let reused = h
        .js("return document.querySelector('[role=dialog] iframe').dataset.warmed")
        .await?;
    ensure!(reused == "yes", "the popup opened the warmed frame");
    h.wait_css("[role=dialog] iframe")
        .await?
        .enter_frame()
        .await?;
    h.wait_css(".bw-choice__button--person").await?;
    h.axe("warmed-popup").await?;
    h.browser.enter_parent_frame().await?;
    let fetched = h.requests.since(before_click, "/widget/");
    ensure!(
        fetched.is_empty(),
        "opening the warmed popup fetched nothing of the widget again: {fetched:?}"
    );
    // Three widget frames on this page (inline, the idle one, the popup): one download of the wasm.
    let wasm = h.requests.downloads("_bg.wasm");
    ensure!(
        wasm == 1,
        "the page's widgets share one download of the wasm, saw {wasm}: {:?}",
        h.requests.since(0, ".wasm")
    );
    h.shot("warmed-popup").await?;
    Ok(())
}

#[tokio::test]
async fn embed_connects_early_and_opens_a_warmed_popup() {
    let h = Harness::start("embed-warm-up", 1280, &[])
        .await
        .expect("harness");
    let outcome = warm_up(&h).await;
    h.finish(outcome).await;
}

// ---- issue 18: the popup's rules ----

/// Tab from the close button until focus comes back to it, never leaving the dialog.
async fn tab_cycle(h: &Harness, backwards: bool) -> Result<()> {
    let mut path = Vec::new();
    for _ in 0..40 {
        tab(h, backwards).await?;
        let at = h.js(FOCUS).await?.as_str().unwrap_or_default().to_owned();
        if at.starts_with("outside") {
            bail!("focus left the dialog (backwards: {backwards}) after {path:?}: {at}");
        }
        let cycled = at == "close" && path.iter().any(|p| p == "IFRAME");
        path.push(at);
        if cycled {
            return Ok(());
        }
    }
    bail!("focus never came back to the close button (backwards: {backwards}): {path:?}")
}

async fn popup_rules(h: &Harness) -> Result<()> {
    host_page(h).await?;
    let overflow = "return [document.documentElement.style.overflow, getComputedStyle(document.documentElement).overflow]";
    let before = h.js(overflow).await?;
    open_popup(h).await?;
    h.wait_css("[role=dialog] iframe")
        .await?
        .enter_frame()
        .await?;
    h.wait_css(".bw-choice__button--person").await?;
    h.browser.enter_parent_frame().await?;
    ensure!(
        h.js(FOCUS).await? == "close",
        "focus starts on the close button"
    );
    let locked = h.js(overflow).await?;
    ensure!(
        locked[1] == "hidden",
        "the page behind the popup does not scroll: {locked}"
    );
    tab_cycle(h, false).await?;
    // Back from the close button: the first sentinel sends focus into the widget, not to the page.
    // (The whole way round backwards is not checked: Chromium sometimes leaves the widget's frame
    // for the page's other frame, which the sentinels cannot see.)
    ensure!(
        h.js(FOCUS).await? == "close",
        "the forward cycle ends on close"
    );
    tab(h, true).await?;
    let at = h
        .js("return document.activeElement === document.querySelector('[role=dialog] iframe')")
        .await?;
    ensure!(
        at == true,
        "Shift+Tab from the close button goes into the widget, focus is on {}",
        h.focused_html().await
    );
    h.check("popup-tab-trap").await?;

    h.click(".bw-embed-close").await?;
    h.wait_js(
        "return !document.querySelector('[role=dialog]')",
        "the close button to close the popup",
    )
    .await?;
    ensure!(
        h.js(overflow).await? == before,
        "closing gives the page its scroll back"
    );
    ensure!(
        h.focus_is(&format!("a.matches('{TRIGGER}')")).await?,
        "focus returns to the trigger, it is on {}",
        h.focused_html().await
    );

    // A click on the overlay, beside the dialog, closes it too.
    open_popup(h).await?;
    let click_beside = MouseActions::new("mouse".to_owned())
        .then(PointerAction::MoveTo {
            duration: None,
            x: 5.0,
            y: 5.0,
        })
        .then(PointerAction::Down {
            button: MOUSE_BUTTON_LEFT,
        })
        .then(PointerAction::Up {
            button: MOUSE_BUTTON_LEFT,
        });
    h.browser.perform_actions(click_beside).await?;
    h.wait_js(
        "return !document.querySelector('[role=dialog]')",
        "a click on the overlay to close the popup",
    )
    .await?;

    // The floating button opens the popup of its own options.
    h.click(".bw-embed-button").await?;
    let src = h
        .wait_js(
            "const f = document.querySelector('[role=dialog] iframe'); return f && f.src",
            "the floating button's popup",
        )
        .await?;
    ensure!(
        src.as_str()
            .is_some_and(|s| s.contains("ep.campaign=floating-button")),
        "the floating button opens its popup: {src}"
    );
    h.check("floating-button-popup").await?;
    Ok(())
}

#[tokio::test]
async fn popup_traps_tab_locks_scroll_and_closes_by_button_and_overlay() {
    let h = Harness::start("embed-popup-rules", 1280, &[])
        .await
        .expect("harness");
    let outcome = popup_rules(&h).await;
    h.finish(outcome).await;
}

// ---- issue 18: the JS API, the origin filter, loading twice ----

async fn api_and_guards(h: &Harness) -> Result<()> {
    host_page(h).await?;
    h.js("const el = document.createElement('div');
          el.id = 'by-api';
          document.querySelector('main').appendChild(el);
          window.heard = [];
          const w = BookingWidget.inline(el, { company: 'demo', lang: 'fr', service: 'yoga' });
          w.on('ready', () => heard.push('instance'));
          BookingWidget.on('ready', (payload, detail) => { if (detail.widget === w.id) heard.push('page'); });
          window.byApi = w;")
        .await?;
    h.wait_js(
        "return heard.includes('instance') && heard.includes('page')",
        "the API widget's ready event, heard by its instance and by the page",
    )
    .await?;
    h.js("byApi.prefill({ email: 'ada@example.com' })").await?;
    let src = h.js("return byApi.iframe.src").await?;
    ensure!(
        src.as_str()
            .is_some_and(|s| s.contains("email=ada%40example.com") && s.contains("lang=fr")),
        "instance.prefill reloads that widget with the value: {src}"
    );
    h.js("BookingWidget.prefill({ firstname: 'Grace' })")
        .await?;
    let srcs = h
        .js("return BookingWidget.instances.map(i => i.iframe.src)")
        .await?;
    ensure!(
        srcs.as_array().is_some_and(|l| l.len() == 2
            && l.iter()
                .all(|s| s.as_str().is_some_and(|s| s.contains("firstname=Grace")))),
        "BookingWidget.prefill reaches every widget: {srcs}"
    );
    h.js("byApi.destroy()").await?;
    let gone = h
        .js("return [document.querySelectorAll('#by-api iframe').length, BookingWidget.instances.includes(byApi)]")
        .await?;
    ensure!(
        gone == serde_json::json!([0, false]),
        "destroy removes the frame and the instance: {gone}"
    );

    // A message shaped like the widget's, sent from the inline frame after it navigated to another
    // origin (a data: URL), must change nothing.
    h.js("window.spoofSeen = false;
          addEventListener('message', e => { if (e.data && e.data.payload && e.data.payload.height === 321) spoofSeen = true; });
          document.querySelector('#booking iframe').src = 'data:text/html,<script>parent.postMessage({source:\"booking-widget\",version:1,type:\"resize\",payload:{height:321}},\"*\")<\\/script>';")
        .await?;
    h.wait_js("return spoofSeen", "the spoofed message to arrive")
        .await?;
    let effect = h
        .js("return [document.querySelector('#booking iframe').style.height, bookingEvents.some(e => e.detail.payload && e.detail.payload.height === 321)]")
        .await?;
    ensure!(
        effect[0] != "321px" && effect[1] == false,
        "a message from another origin is ignored: {effect}"
    );

    // Loading embed.js again keeps the first copy (and its widgets, listeners, hints).
    h.js("BookingWidget.mark = 'first';
          const s = document.createElement('script');
          s.src = BookingWidget.widgetOrigin + '/embed.js';
          s.onload = () => { window.loadedTwice = true; };
          document.head.appendChild(s);")
        .await?;
    h.wait_js("return window.loadedTwice", "embed.js to load again")
        .await?;
    let state = h
        .js("return [BookingWidget.mark, document.querySelectorAll('link[rel=preconnect]').length]")
        .await?;
    ensure!(
        state == serde_json::json!(["first", 1]),
        "the second copy of embed.js did nothing: {state}"
    );
    h.check("embed-api").await?;
    Ok(())
}

#[tokio::test]
async fn embed_api_origin_filter_and_double_load_guard() {
    let h = Harness::start("embed-api-guards", 1280, &[])
        .await
        .expect("harness");
    let outcome = api_and_guards(&h).await;
    h.finish(outcome).await;
}
