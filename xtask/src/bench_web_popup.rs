//! The popup part of `cargo xtask bench web` (issue #13 step 4): a host page on another origin
//! (`localhost` for the widget's `127.0.0.1`) with one embed.js popup trigger, loaded cold under the
//! same throttling. Printed: the time from the click to the first frame where the popup shows a
//! service name, in three ways a visitor meets it, and when the widget's wasm was requested relative to
//! the click (negative: before it).
//! - "click at once": clicked as soon as embed.js has bound the trigger, by script (no hover, no
//!   focus): nothing is warm but the connection, what every popup was before embed.js warmed up.
//! - "idle, then click": the page left idle first (embed.js's hidden frame has fetched the files),
//!   clicked by script without hover: the files come from the cache, the widget starts at the
//!   click.
//! - "idle, hover, click": a mouse user: the pointer rests 1 s on the trigger (its popup is built
//!   hidden) before a real click.

use std::time::{Duration, Instant};

use serde_json::{json, Value};

use crate::bench_web::{emulate, median, throttle, Cdp};
use crate::Result;

/// Written into the served copy of `dist/`; loaded from `localhost`, so the widget is cross-origin.
pub const HOST_PAGE: &str = "bench-popup.html";
/// How long the page is left idle before the click in the warm ways (embed.js warms when idle).
const IDLE: Duration = Duration::from_secs(6);
/// How long the pointer rests on the trigger before the click.
const HOVER: Duration = Duration::from_millis(1000);
const TIMEOUT: Duration = Duration::from_secs(90);

/// The host page: one popup trigger at a fixed place, embed.js loaded as the demo pages do (from
/// the other loopback name), and the click's time reported to the bench.
pub fn host_page() -> String {
    "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
     <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
     <title>Popup bench</title>\
     <script>document.addEventListener('click', e => window.__benchVisible && \
     window.__benchVisible(JSON.stringify({ kind: 'click', wall: performance.timeOrigin + e.timeStamp })), true);</script>\
     <script src=\"/demo/load-embed.js\"></script></head>\
     <body><main><h1>Our salon</h1>\
     <button type=\"button\" id=\"trigger\" data-booking-popup data-company=\"demo\" data-lang=\"en\" \
     style=\"position:absolute;left:20px;top:100px;width:200px;height:60px\">Book now</button>\
     </main></body></html>"
        .to_owned()
}

/// Runs in every widget frame (not the host page, not the bare warm-up frame): the moment the first
/// element showing the awaited name intersects the viewport, i.e. is on screen, not in a hidden popup.
const FRAME_PROBE: &str = r#"(() => {
  if (!location.search.includes("company=")) return;
  const name = NAME;
  let sent = false;
  const seen = new WeakSet();
  const io = new IntersectionObserver((entries) => {
    for (const e of entries) {
      if (!e.isIntersecting || sent) continue;
      sent = true;
      window.__benchVisible(JSON.stringify({ kind: "popup", wall: performance.timeOrigin + e.time }));
    }
  });
  const check = () => {
    for (const el of document.querySelectorAll(".bw-choice__name")) {
      if (!seen.has(el) && el.textContent.includes(name)) { seen.add(el); io.observe(el); }
    }
  };
  new MutationObserver(check).observe(document, { childList: true, subtree: true, characterData: true });
})();"#;

#[derive(Clone, Copy, PartialEq)]
enum Way {
    AtOnce,
    IdleThenClick,
    IdleHoverClick,
}

impl Way {
    const ALL: [Way; 3] = [Way::AtOnce, Way::IdleThenClick, Way::IdleHoverClick];

    fn label(self) -> &'static str {
        match self {
            Way::AtOnce => "click at once (no warm-up)",
            Way::IdleThenClick => "idle, then click (files warm)",
            Way::IdleHoverClick => "idle, hover, click (popup warm)",
        }
    }
}

struct Open {
    /// Click → first frame showing the name in the open popup.
    ms: f64,
    /// The first wasm request's time relative to the click (negative: before).
    wasm_ms: f64,
    /// Downloads of the wasm (over the network, not from the cache) by the page and its frames,
    /// finished by the time the name showed.
    wasm_downloads: usize,
}

/// Opens the popup `runs` times each way, cold, and prints the medians.
pub fn run(cdp: &mut Cdp, host_url: &str, name: &str, runs: usize) -> Result<()> {
    eprintln!("xtask: opening the popup of {host_url} {runs} times each way, cold");
    let mut rows = Vec::new();
    for way in Way::ALL {
        let mut opens = Vec::new();
        for _ in 0..runs {
            opens.push(open(cdp, host_url, name, way)?);
        }
        rows.push((way, opens));
    }
    println!(
        "\npopup (embed.js on another origin, cold cache, same throttling): click → first service \
         visible in the popup; median of {runs} runs"
    );
    println!(
        "{:<40} {:>12} {:>22} {:>15}",
        "", "time", "wasm requested", "wasm fetched by then"
    );
    for (way, opens) in rows {
        let m = |f: fn(&Open) -> f64| median(opens.iter().map(f).collect());
        let wasm = m(|o| o.wasm_ms);
        let when = if wasm < 0.0 {
            format!("{:.0} ms before click", -wasm)
        } else {
            format!("{wasm:.0} ms after click")
        };
        println!(
            "{:<40} {:>9.0} ms {:>22} {:>15}",
            way.label(),
            m(|o| o.ms),
            when,
            opens.iter().map(|o| o.wasm_downloads).max().unwrap_or(0)
        );
    }
    Ok(())
}

/// A page session and the widget frames' sessions attached to it.
struct Tab {
    target_id: String,
    session: String,
    frames: Vec<String>,
}

fn open(cdp: &mut Cdp, url: &str, name: &str, way: Way) -> Result<Open> {
    let target = cdp.call(None, "Target.createTarget", json!({ "url": "about:blank" }))?;
    let target_id = target["targetId"].as_str().ok_or("no targetId")?.to_owned();
    let attached = cdp.call(
        None,
        "Target.attachToTarget",
        json!({ "targetId": target_id, "flatten": true }),
    )?;
    let session = attached["sessionId"]
        .as_str()
        .ok_or("no sessionId")?
        .to_owned();
    let mut tab = Tab {
        target_id,
        session,
        frames: Vec::new(),
    };
    let s = Some(tab.session.as_str());
    for method in ["Network.enable", "Page.enable", "Runtime.enable"] {
        cdp.call(s, method, json!({}))?;
    }
    cdp.call(s, "Network.clearBrowserCache", json!({}))?;
    emulate(cdp, s)?;
    cdp.call(s, "Runtime.addBinding", json!({ "name": "__benchVisible" }))?;
    // The widget frames are other processes (another site): each is attached paused, so its
    // throttling and probe are in place before its first script.
    cdp.call(
        s,
        "Target.setAutoAttach",
        json!({ "autoAttach": true, "waitForDebuggerOnStart": true, "flatten": true }),
    )?;
    cdp.call(s, "Page.navigate", json!({ "url": url }))?;

    let probe = FRAME_PROBE.replace("NAME", &Value::from(name).to_string());
    let started = Instant::now();
    let mut click_wall = None;
    let mut visible_wall = None;
    let mut wasm_walls = Vec::new();
    let mut wasm_ids = Vec::new();
    let mut wasm_downloads = 0;
    let mut phase = Phase::Waiting;
    let mut last_poll = Instant::now();
    while visible_wall.is_none() || click_wall.is_none() {
        if started.elapsed() > TIMEOUT {
            return Err(
                format!("the popup of {url} showed no \"{name}\" ({})", way.label()).into(),
            );
        }
        if phase != Phase::Clicked && last_poll.elapsed() > Duration::from_millis(25) {
            last_poll = Instant::now();
            phase = step(cdp, &tab, way, phase, started.elapsed())?;
        }
        let Some(event) = cdp.next_event(Duration::from_millis(20))? else {
            continue;
        };
        let from = event["sessionId"].as_str().unwrap_or_default();
        if from != tab.session && !tab.frames.iter().any(|f| f == from) {
            continue;
        }
        let p = &event["params"];
        match event["method"].as_str().unwrap_or_default() {
            "Target.attachedToTarget" => {
                let child = p["sessionId"].as_str().unwrap_or_default().to_owned();
                let c = Some(child.as_str());
                for method in ["Network.enable", "Page.enable", "Runtime.enable"] {
                    cdp.call(c, method, json!({}))?;
                }
                throttle(cdp, c)?;
                cdp.call(c, "Runtime.addBinding", json!({ "name": "__benchVisible" }))?;
                cdp.call(
                    c,
                    "Page.addScriptToEvaluateOnNewDocument",
                    json!({ "source": probe }),
                )?;
                cdp.call(c, "Runtime.runIfWaitingForDebugger", json!({}))?;
                tab.frames.push(child);
            }
            "Network.requestWillBeSent" => {
                let request_url = p["request"]["url"].as_str().unwrap_or_default();
                if request_url
                    .split('?')
                    .next()
                    .unwrap_or_default()
                    .ends_with(".wasm")
                {
                    wasm_walls.push(p["wallTime"].as_f64().unwrap_or(f64::NAN) * 1000.0);
                    wasm_ids.push(p["requestId"].to_string());
                }
            }
            // Over the network, not from the cache: the whole wasm.
            "Network.loadingFinished"
                if wasm_ids.contains(&p["requestId"].to_string())
                    && p["encodedDataLength"].as_f64().unwrap_or(0.0) > 10_000.0 =>
            {
                wasm_downloads += 1;
            }
            "Runtime.bindingCalled" if p["name"] == "__benchVisible" => {
                let report: Value =
                    serde_json::from_str(p["payload"].as_str().unwrap_or_default())?;
                let wall = report["wall"].as_f64();
                match report["kind"].as_str() {
                    Some("click") if click_wall.is_none() => click_wall = wall,
                    Some("popup") => visible_wall = wall,
                    _ => {}
                }
            }
            _ => {}
        }
    }
    cdp.call(
        None,
        "Target.closeTarget",
        json!({ "targetId": tab.target_id }),
    )?;
    let click = click_wall.ok_or("no click report")?;
    let visible = visible_wall.ok_or("no popup report")?;
    let first_wasm = wasm_walls.iter().copied().fold(f64::INFINITY, f64::min);
    Ok(Open {
        ms: visible - click,
        wasm_ms: first_wasm - click,
        wasm_downloads,
    })
}

/// Where a visit is: the click comes once the trigger is bound (and, for the warm ways, the page
/// has been idle; for the hover, the pointer has rested on it). Never sleeps: the widget frames'
/// attach events must be answered meanwhile, or they stay paused.
#[derive(Clone, Copy, PartialEq)]
enum Phase {
    Waiting,
    Hovered(Duration),
    Clicked,
}

fn step(cdp: &mut Cdp, tab: &Tab, way: Way, phase: Phase, since_start: Duration) -> Result<Phase> {
    let s = Some(tab.session.as_str());
    if let Phase::Hovered(at) = phase {
        if since_start < at + HOVER {
            return Ok(phase);
        }
        mouse(cdp, s, "mousePressed")?;
        mouse(cdp, s, "mouseReleased")?;
        return Ok(Phase::Clicked);
    }
    let bound = cdp.call(
        s,
        "Runtime.evaluate",
        json!({ "expression": "!!document.querySelector('#trigger[data-booking-bound]')", "returnByValue": true }),
    )?;
    if bound["result"]["value"] != true || (way != Way::AtOnce && since_start < IDLE) {
        return Ok(Phase::Waiting);
    }
    if way == Way::IdleHoverClick {
        mouse(cdp, s, "mouseMoved")?;
        return Ok(Phase::Hovered(since_start));
    }
    cdp.call(
        s,
        "Runtime.evaluate",
        json!({ "expression": "document.querySelector('#trigger').click()" }),
    )?;
    Ok(Phase::Clicked)
}

/// A real pointer event over the trigger's middle (host_page's fixed place).
fn mouse(cdp: &mut Cdp, s: Option<&str>, kind: &str) -> Result<()> {
    let mut params = json!({ "type": kind, "x": 120, "y": 130 });
    if kind != "mouseMoved" {
        params["button"] = json!("left");
        params["clickCount"] = json!(1);
    }
    cdp.call(s, "Input.dispatchMouseEvent", params)?;
    Ok(())
}
