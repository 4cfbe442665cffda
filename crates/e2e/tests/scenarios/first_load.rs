//! The widget page's first load (issue 13 §2): the server inlines the first answers into the page and
//! paints the services list, the other first API reads start while the wasm downloads, and the app
//! adopts both (the server sees each read once, the inlined ones never); the services step is on
//! the page before the wasm arrives, in the visitor's language and theme, the app replaces it
//! without any layout shift, and a service clicked before is honoured.

use anyhow::{ensure, Result};
use booking_e2e::{cdp, Harness, DEMO_API};
use serde_json::{json, Value};

/// A slow link (≈ 1 MB/s, 40 ms): the page's own script runs long before the wasm has arrived.
async fn throttle(h: &Harness) -> Result<()> {
    cdp(&h.browser, "Network.enable", json!({})).await?;
    cdp(
        &h.browser,
        "Network.emulateNetworkConditions",
        json!({ "offline": false, "latency": 40, "downloadThroughput": 1_000_000, "uploadThroughput": 1_000_000 }),
    )
    .await?;
    Ok(())
}

/// `[startTime of the first resource whose URL contains needle, responseEnd of the wasm]`.
const TIMES: &str = "const all = performance.getEntriesByType('resource');
    const read = all.find(e => e.name.includes(arguments[0]));
    const wasm = all.find(e => e.name.endsWith('.wasm'));
    return [read ? read.startTime : null, wasm ? wasm.responseEnd : null];";

async fn reads_once(h: &Harness) -> Result<()> {
    throttle(h).await?;
    h.requests.clear();
    h.browser
        .goto(
            &h.widget_url(
                "company=demo&lang=en&service=haircut&staff=camille&timeZone=Europe/Paris",
            ),
        )
        .await?;
    h.wait_calendar().await?;
    h.check("time").await?;
    // The server inlined these into the page (routes/site/early.rs): never asked for.
    for read in ["company", "services?lang=en"] {
        let seen = h.requests.matching(&format!("{DEMO_API}/widget/{read}"));
        ensure!(
            seen.is_empty(),
            "{read} came with the page (inlined, adopted by the app), yet the server saw {seen:?}"
        );
    }
    for read in ["staff?serviceId=haircut", "form?serviceId=haircut&lang=en"] {
        let seen = h.requests.matching(&format!("{DEMO_API}/widget/{read}"));
        ensure!(
            seen.len() == 1,
            "the server saw {read} once (the script's read, adopted by the app), got {seen:?}"
        );
    }
    let slots = h
        .requests
        .matching(&format!("{DEMO_API}/widget/freeSlots?"));
    let first = slots.first().cloned().unwrap_or_default();
    ensure!(
        first.contains("&serviceId=haircut&timeZone=Europe%2FParis&staffId=camille")
            && slots.iter().filter(|s| **s == first).count() == 1,
        "the first slot window was asked for once: {slots:?}"
    );
    let times = h
        .browser
        .execute(TIMES, vec![Value::from("/widget/staff?")])
        .await?;
    let (read, wasm) = (times[0].as_f64(), times[1].as_f64());
    ensure!(
        matches!((read, wasm), (Some(read), Some(wasm)) if read < wasm),
        "the staff read started ({read:?} ms) before the wasm had arrived ({wasm:?} ms)"
    );
    Ok(())
}

#[tokio::test]
async fn the_first_reads_start_before_the_wasm_and_are_made_once() {
    let h = Harness::start("first-load-reads", 1280, &[])
        .await
        .expect("harness");
    let outcome = reads_once(&h).await;
    h.finish(outcome).await;
}

/// What the page shows of the services step: heading text and place, theme, page background.
const STEP: &str = "const h2 = document.querySelector('#bw-step-service-title');
    const root = document.querySelector('.bw-root');
    const box = h2 && h2.getBoundingClientRect();
    return {
      boot: !!document.getElementById('bw-boot'),
      roots: document.querySelectorAll('.bw-root').length,
      title: h2 && h2.textContent,
      place: box && [box.left, box.top, box.width, box.height],
      theme: root && root.dataset.theme,
      lang: document.documentElement.lang,
      page: document.title,
      background: getComputedStyle(document.documentElement).backgroundColor,
      rows: document.querySelectorAll('.bw-skeleton__row').length,
      choices: [...document.querySelectorAll('.bw-choice__button')].map(b => b.textContent),
      first: (b => b && [b.left, b.top, b.width, b.height])(document.querySelector('.bw-choice__button')?.getBoundingClientRect()),
    };";

/// The sum of the page's layout shifts so far (buffered `layout-shift` entries).
const SHIFTS: &str = "const done = arguments[arguments.length - 1];
    let sum = 0;
    const add = list => list.forEach(e => { if (!e.hadRecentInput) sum += e.value; });
    const observer = new PerformanceObserver(list => add(list.getEntries()));
    observer.observe({ type: 'layout-shift', buffered: true });
    add(observer.takeRecords());
    requestAnimationFrame(() => requestAnimationFrame(() => { add(observer.takeRecords()); observer.disconnect(); done(sum); }));";

async fn skeleton_then_app(h: &Harness) -> Result<()> {
    let url = h.widget_url("company=demo&lang=fr&theme=dark");
    // Without its wasm the page is what index.html paints on its own.
    cdp(&h.browser, "Network.enable", json!({})).await?;
    cdp(
        &h.browser,
        "Network.setBlockedURLs",
        json!({ "urls": ["*.wasm"] }),
    )
    .await?;
    h.browser.goto(&url).await?;
    h.wait_css("#bw-boot .bw-choice__name").await?;
    let before = h.js(STEP).await?;
    ensure!(
        before["title"] == "Choisissez une prestation"
            && before["theme"] == "dark"
            && before["lang"] == "fr"
            && before["page"] == "Prendre rendez-vous"
            && before["rows"] == 0
            && before["choices"].as_array().is_some_and(|c| c.len() >= 2),
        "index.html painted the French, dark services step with its services: {before}"
    );
    ensure!(
        before["background"] == "rgb(21, 24, 30)",
        "the page is dark before the wasm arrives: {before}"
    );
    h.check("skeleton").await?;

    cdp(&h.browser, "Network.setBlockedURLs", json!({ "urls": [] })).await?;
    throttle(h).await?;
    h.browser.goto(&url).await?;
    h.wait_js(
        "return !document.getElementById('bw-boot') && !!document.querySelector('.bw-choice__name');",
        "the app's own list",
    )
    .await?;
    let after = h.js(STEP).await?;
    ensure!(
        after["boot"] == false && after["roots"] == 1,
        "the app replaced the skeleton: {after}"
    );
    for key in [
        "title",
        "place",
        "theme",
        "lang",
        "page",
        "background",
        "choices",
        "first",
    ] {
        ensure!(
            before[key] == after[key],
            "{key} did not change when the app mounted: {} → {}",
            before[key],
            after[key]
        );
    }
    let times = h
        .js("const fcp = performance.getEntriesByName('first-contentful-paint')[0];
             const wasm = performance.getEntriesByType('resource').find(e => e.name.endsWith('.wasm'));
             return [fcp ? fcp.startTime : null, wasm ? wasm.responseEnd : null];")
        .await?;
    let (paint, wasm) = (times[0].as_f64(), times[1].as_f64());
    ensure!(
        matches!((paint, wasm), (Some(paint), Some(wasm)) if paint < wasm),
        "the skeleton was painted ({paint:?} ms) before the wasm arrived ({wasm:?} ms)"
    );
    let shift = h.browser.execute_async(SHIFTS, vec![]).await?;
    ensure!(
        shift.as_f64().is_some_and(|s| s < 0.001),
        "no layout shift during the load, got {shift}"
    );
    h.check("services").await?;
    Ok(())
}

#[tokio::test]
async fn the_skeleton_is_painted_first_and_replaced_without_a_shift() {
    let h = Harness::start("first-load-skeleton", 1280, &[])
        .await
        .expect("harness");
    let outcome = skeleton_then_app(&h).await;
    h.finish(outcome).await;
}

/// `[names of the painted services, whether an app is mounted]`.
const PAINTED: &str =
    "return [[...document.querySelectorAll('#bw-boot .bw-choice__name')].map(e => e.textContent),
    document.querySelectorAll('.bw-root').length > 1];";

/// Runs the page's wasm now (the module script trunk wrote failed while the wasm was blocked).
const LOAD_WASM: &str = "const done = arguments[arguments.length - 1];
    const js = document.querySelector('link[rel=modulepreload]').href;
    const wasm = document.querySelector('link[rel=preload][href$=\".wasm\"]').href;
    import(js).then(m => m.default({ module_or_path: wasm })).then(() => done(true), e => done(String(e)));";

async fn early_click(h: &Harness) -> Result<()> {
    cdp(&h.browser, "Network.enable", json!({})).await?;
    cdp(
        &h.browser,
        "Network.setBlockedURLs",
        json!({ "urls": ["*.wasm"] }),
    )
    .await?;
    h.requests.clear();
    h.browser
        .goto(&h.widget_url("company=demo&lang=en"))
        .await?;
    h.wait_css("#bw-boot .bw-choice__name").await?;
    let painted = h.js(PAINTED).await?;
    ensure!(
        painted[0]
            .as_array()
            .is_some_and(|n| n.iter().any(|n| n == "Haircut & blow-dry"))
            && painted[1] == false,
        "the demo's services are painted while the wasm cannot load: {painted}"
    );
    h.check("painted-services").await?;
    h.choose("Haircut & blow-dry").await?;
    ensure!(
        h.js("return window.__bw_early_choice").await? == "haircut",
        "the click before the wasm was kept"
    );

    cdp(&h.browser, "Network.setBlockedURLs", json!({ "urls": [] })).await?;
    let loaded = h.browser.execute_async(LOAD_WASM, vec![]).await?;
    ensure!(loaded == true, "the wasm ran: {loaded}");
    h.wait_css("#bw-step-staff-title").await?;
    ensure!(
        h.js(
            "return !document.getElementById('bw-boot') && window.__bw_early_choice === undefined"
        )
        .await?
            == true,
        "the app replaced the painted page and took the choice"
    );
    let staff = h
        .requests
        .matching(&format!("{DEMO_API}/widget/staff?serviceId=haircut"));
    ensure!(
        !staff.is_empty(),
        "the app went on with the clicked service"
    );
    h.check("early-choice").await?;
    Ok(())
}

#[tokio::test]
async fn a_service_clicked_before_the_wasm_is_chosen_once_it_mounts() {
    let h = Harness::start("first-load-early-click", 1280, &[])
        .await
        .expect("harness");
    let outcome = early_click(&h).await;
    h.finish(outcome).await;
}

/// The server inlines the first step into the page (routes/site/early.rs): with every API request
/// and the wasm blocked, the services are on the page as it arrives; then, with the API still
/// blocked, the wasm's app mounts on the inlined answers and shows its own list.
async fn inlined_first_step(h: &Harness) -> Result<()> {
    cdp(&h.browser, "Network.enable", json!({})).await?;
    cdp(
        &h.browser,
        "Network.setBlockedURLs",
        json!({ "urls": ["*.wasm", "*/api/*"] }),
    )
    .await?;
    h.requests.clear();
    h.browser
        .goto(&h.widget_url("company=demo&lang=en"))
        .await?;
    h.wait_css("#bw-boot .bw-choice__name").await?;
    let painted = h.js(PAINTED).await?;
    ensure!(
        painted[0]
            .as_array()
            .is_some_and(|n| n.iter().any(|n| n == "Haircut & blow-dry")),
        "the services came with the page: {painted}"
    );
    h.check("inlined").await?;
    cdp(
        &h.browser,
        "Network.setBlockedURLs",
        json!({ "urls": ["*/api/*"] }),
    )
    .await?;
    let loaded = h.browser.execute_async(LOAD_WASM, vec![]).await?;
    ensure!(loaded == true, "the wasm ran: {loaded}");
    h.wait_js(
        "return !document.getElementById('bw-boot') && !!document.querySelector('.bw-choice__name');",
        "the app's own list",
    )
    .await?;
    let api = h.requests.matching(&format!("{DEMO_API}/"));
    ensure!(api.is_empty(), "nothing reached the API: {api:?}");
    cdp(&h.browser, "Network.setBlockedURLs", json!({ "urls": [] })).await?;
    h.choose("Haircut & blow-dry").await?;
    h.wait_css("#bw-step-staff-title").await?;
    h.check("inlined-app").await?;
    Ok(())
}

#[tokio::test]
async fn the_first_step_comes_with_the_page() {
    let h = Harness::start("first-load-inlined", 1280, &[])
        .await
        .expect("harness");
    let outcome = inlined_first_step(&h).await;
    h.finish(outcome).await;
}

/// Direct mount: embed.js runs index.html's boot script for the mount element, so its reads start
/// while the wasm downloads, and the widget in the host page adopts them.
async fn mount_reads_early(h: &Harness) -> Result<()> {
    throttle(h).await?;
    h.requests.clear();
    h.browser
        .goto(&format!("{}/demo/mount.html", h.host_origin))
        .await?;
    h.wait_css("#mounted .bw-choice__name").await?;
    for read in ["company", "services?lang=en"] {
        let seen = h.requests.matching(&format!("{DEMO_API}/widget/{read}"));
        ensure!(
            seen.len() == 1,
            "the server saw {read} once for the mounted widget, got {seen:?}"
        );
    }
    let times = h
        .browser
        .execute(TIMES, vec![Value::from("/widget/services?")])
        .await?;
    let (read, wasm) = (times[0].as_f64(), times[1].as_f64());
    ensure!(
        matches!((read, wasm), (Some(read), Some(wasm)) if read < wasm),
        "the mount's services read started ({read:?} ms) before the wasm had arrived ({wasm:?} ms)"
    );
    h.check("mounted-early").await?;
    Ok(())
}

#[tokio::test]
async fn a_direct_mount_starts_its_reads_before_the_wasm() {
    let h = Harness::start("first-load-mount", 1280, &[])
        .await
        .expect("harness");
    let outcome = mount_reads_early(&h).await;
    h.finish(outcome).await;
}
