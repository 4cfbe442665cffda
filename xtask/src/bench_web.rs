//! The browser part of `cargo xtask bench` (issue #13): what a visitor's phone downloads and waits for.
//!
//! A release `booking-server --demo` serves the freshly built widget (a copy of `dist/`, plus a static
//! HTML page of the same service names written beside it). Headless Chromium, driven over the DevTools
//! protocol, loads both under Lighthouse's mobile throttling, cold (cache cleared) and warm (second
//! visit, cache kept), several times. Printed: medians of the bytes transferred and the time until the
//! first service name is visible, and until the app has mounted and shows it (index.html's painted
//! page is gone, so the wasm is in: nothing hides it), the widget/static ratio, then Lighthouse's
//! scores when it can run.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use crate::cmd::{run, Cmd};
use crate::Result;

/// Lighthouse's mobile throttling ("slow 4G" on a mid-range phone).
const RTT_MS: f64 = 150.0;
const DOWN_BYTES_PER_S: f64 = 1.6 * 1024.0 * 1024.0 / 8.0;
const UP_BYTES_PER_S: f64 = 750.0 * 1024.0 / 8.0;
const CPU_SLOWDOWN: f64 = 4.0;
/// Loads of each page and cache state; `BENCH_WEB_RUNS` overrides.
const DEFAULT_RUNS: usize = 5;
/// The flags every Chromium of the bench gets (Lighthouse's included).
const CHROMIUM_FLAGS: [&str; 9] = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
];
const CHROMIUM: &str = "/usr/bin/chromium";
const WIDGET_PATH: &str = "/widget/?company=demo&lang=en";
/// Written into the served copy of `dist/` only: the bar the widget is compared with.
const STATIC_PAGE: &str = "bench-static.html";
const LOAD_TIMEOUT: Duration = Duration::from_secs(90);

/// `cargo xtask bench web`: only this part, after building the widget.
pub fn standalone() -> Result<()> {
    crate::build_widget()?;
    run_bench(&crate::project_root().join("dist"))
}

/// Builds the release server, serves the built widget and prints the figures.
pub fn run_bench(dist: &Path) -> Result<()> {
    crate::tools::ensure_chromium()?;
    run(Cmd::new("cargo").args(["build", "--quiet", "--release", "-p", "booking-server"]))?;
    let work = TempDir::new("booking-bench-web")?;
    let served = work.0.join("dist");
    copy_dir(dist, &served)?;
    let binary = crate::target_dir().join("release/booking-server");
    let db = work.0.join("bench.sqlite");
    // The names come from the server's API; the server reads its widget files once at start, so it is
    // started again once the static page is beside them.
    let names = service_names(&Server::start(&binary, &served, &db)?.url)?;
    let first = names
        .first()
        .map(|(name, _)| name.clone())
        .ok_or("the demo company has no services")?;
    std::fs::write(served.join(STATIC_PAGE), static_page(&names))?;
    std::fs::write(
        served.join(crate::bench_web_popup::HOST_PAGE),
        crate::bench_web_popup::host_page(),
    )?;
    let server = Server::start(&binary, &served, &db)?;

    let runs = std::env::var("BENCH_WEB_RUNS")
        .ok()
        .and_then(|n| n.parse().ok())
        .filter(|&n: &usize| n > 0)
        .unwrap_or(DEFAULT_RUNS);
    let widget_url = format!("{}{WIDGET_PATH}", server.url);
    let static_url = format!("{}/widget/{STATIC_PAGE}", server.url);
    eprintln!("xtask: loading {widget_url} and {static_url} {runs} times each, cold and warm");
    let browser = Browser::start(&work.0.join("profile"))?;
    let mut cdp = Cdp::connect(&browser.ws_url)?;
    let mut samples = Samples::default();
    for _ in 0..runs {
        samples
            .widget_cold
            .push(visit(&mut cdp, &widget_url, &first, true)?);
        samples
            .widget_warm
            .push(visit(&mut cdp, &widget_url, &first, false)?);
        samples
            .static_cold
            .push(visit(&mut cdp, &static_url, &first, true)?);
        samples
            .static_warm
            .push(visit(&mut cdp, &static_url, &first, false)?);
    }
    samples.print(runs, &first);
    // The same server on its other loopback name: the host page is another origin than the widget.
    let host_url = format!(
        "{}/widget/{}",
        server.url.replace("127.0.0.1", "localhost"),
        crate::bench_web_popup::HOST_PAGE
    );
    crate::bench_web_popup::run(&mut cdp, &host_url, &first, runs)?;
    drop(cdp);
    drop(browser);
    println!("{}", machine());

    match lighthouse(&widget_url, &work.0) {
        Ok(scores) => println!("{scores}"),
        Err(reason) => println!("lighthouse: skipped ({reason})"),
    }
    Ok(())
}

/// One page load, up to the first frame showing the awaited name.
#[derive(Debug, Clone, Copy)]
struct Visit {
    /// Milliseconds from navigation start to that frame.
    ms: f64,
    /// Bytes over the wire (headers included) of every response finished by then.
    bytes: f64,
    /// Of those, the widget's wasm, js and css.
    asset_bytes: f64,
    /// The same two up to the first frame where the app itself shows it (no `#bw-boot` left).
    mounted_ms: f64,
    mounted_bytes: f64,
}

#[derive(Default)]
struct Samples {
    widget_cold: Vec<Visit>,
    widget_warm: Vec<Visit>,
    static_cold: Vec<Visit>,
    static_warm: Vec<Visit>,
}

impl Samples {
    fn print(&self, runs: usize, name: &str) {
        let m = |v: &[Visit], f: fn(&Visit) -> f64| median(v.iter().map(f).collect());
        let (wc, ww) = (&self.widget_cold, &self.widget_warm);
        let (sc, sw) = (&self.static_cold, &self.static_warm);
        println!(
            "\nfirst load of {WIDGET_PATH} under Lighthouse mobile throttling ({RTT_MS} ms RTT, \
             1.6 Mbit/s down, 750 kbit/s up, {CPU_SLOWDOWN}x CPU), until \"{name}\" is visible; \
             median of {runs} runs"
        );
        println!("{:<40} {:>12} {:>12}", "", "cold", "warm");
        let kb = |b: f64| format!("{:.1} KB", b / 1000.0);
        let ms = |t: f64| format!("{t:.0} ms");
        println!(
            "{:<40} {:>12} {:>12}",
            "widget: bytes transferred",
            kb(m(wc, |v| v.bytes)),
            kb(m(ww, |v| v.bytes))
        );
        println!(
            "{:<40} {:>12} {:>12}",
            "  of which wasm + js + css",
            kb(m(wc, |v| v.asset_bytes)),
            kb(m(ww, |v| v.asset_bytes))
        );
        println!(
            "{:<40} {:>12} {:>12}",
            "widget: time to first service",
            ms(m(wc, |v| v.ms)),
            ms(m(ww, |v| v.ms))
        );
        println!(
            "{:<40} {:>12} {:>12}",
            "widget: time to app mounted",
            ms(m(wc, |v| v.mounted_ms)),
            ms(m(ww, |v| v.mounted_ms))
        );
        println!(
            "{:<40} {:>12} {:>12}",
            "widget: bytes until app mounted",
            kb(m(wc, |v| v.mounted_bytes)),
            kb(m(ww, |v| v.mounted_bytes))
        );
        println!(
            "{:<40} {:>12} {:>12}",
            "static page: time to first service",
            ms(m(sc, |v| v.ms)),
            ms(m(sw, |v| v.ms))
        );
        println!(
            "{:<40} {:>12} {:>12}",
            "static page: bytes transferred",
            kb(m(sc, |v| v.bytes)),
            kb(m(sw, |v| v.bytes))
        );
        println!(
            "{:<40} {:>11.1}x {:>11.1}x",
            "ratio widget / static",
            m(wc, |v| v.ms) / m(sc, |v| v.ms),
            m(ww, |v| v.ms) / m(sw, |v| v.ms)
        );
        println!(
            "{:<40} {:>11.1}x {:>11.1}x",
            "ratio app mounted / static",
            m(wc, |v| v.mounted_ms) / m(sc, |v| v.ms),
            m(ww, |v| v.mounted_ms) / m(sw, |v| v.ms)
        );
    }
}

/// CPU and load: timings on a shared machine are only comparable at a similar load.
fn machine() -> String {
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let model = cpuinfo
        .lines()
        .find_map(|l| l.strip_prefix("model name"))
        .map(|m| m.trim_start_matches([' ', '\t', ':']).to_owned())
        .unwrap_or_else(|| "unknown CPU".to_owned());
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    let load = load
        .split_whitespace()
        .take(3)
        .collect::<Vec<_>>()
        .join(" ");
    format!("machine: {model}, {cores} cores, load average {load}")
}

pub(crate) fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    match values.len() {
        0 => f64::NAN,
        n if n % 2 == 1 => values[n / 2],
        n => (values[n / 2 - 1] + values[n / 2]) / 2.0,
    }
}

/// Runs in every new document before its own scripts: reports (through the `__benchVisible` binding)
/// the first animation frame in which the body's rendered text contains the awaited name, then the
/// first one where it does with index.html's painted page (`#bw-boot`) gone: the app has mounted and
/// shows it (on a page without `#bw-boot`, the same frame). `innerText` skips what is not rendered
/// (`display: none`, `visibility: hidden`).
const PROBE: &str = r#"(() => {
  const name = NAME;
  const sent = {};
  const report = (kind) => {
    if (sent[kind]) return;
    sent[kind] = true;
    requestAnimationFrame(() => {
      const now = performance.now();
      window.__benchVisible(JSON.stringify({ kind, now, wall: performance.timeOrigin + now }));
    });
  };
  const check = () => {
    if (!document.body || !document.body.innerText.includes(name)) return;
    report("visible");
    if (!document.getElementById("bw-boot")) report("mounted");
  };
  new MutationObserver(check).observe(document, { childList: true, subtree: true, characterData: true });
  document.addEventListener("DOMContentLoaded", check);
})();"#;

/// Lighthouse's mobile throttling and screen for one page session.
pub(crate) fn emulate(cdp: &mut Cdp, s: Option<&str>) -> Result<()> {
    throttle(cdp, s)?;
    // Lighthouse's mobile screen (Moto G Power).
    cdp.call(
        s,
        "Emulation.setDeviceMetricsOverride",
        json!({ "width": 412, "height": 823, "deviceScaleFactor": 1.75, "mobile": true }),
    )?;
    Ok(())
}

/// Lighthouse's mobile network and CPU for one page or frame session.
pub(crate) fn throttle(cdp: &mut Cdp, s: Option<&str>) -> Result<()> {
    cdp.call(
        s,
        "Network.emulateNetworkConditions",
        json!({
            "offline": false,
            "latency": RTT_MS,
            "downloadThroughput": DOWN_BYTES_PER_S,
            "uploadThroughput": UP_BYTES_PER_S,
        }),
    )?;
    cdp.call(
        s,
        "Emulation.setCPUThrottlingRate",
        json!({ "rate": CPU_SLOWDOWN }),
    )?;
    Ok(())
}

/// Loads `url` in a new tab until `name` is visible. `cold` clears the browser cache first.
fn visit(cdp: &mut Cdp, url: &str, name: &str, cold: bool) -> Result<Visit> {
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
    let s = Some(session.as_str());
    for method in ["Network.enable", "Page.enable", "Runtime.enable"] {
        cdp.call(s, method, json!({}))?;
    }
    if cold {
        cdp.call(s, "Network.clearBrowserCache", json!({}))?;
    }
    emulate(cdp, s)?;
    cdp.call(s, "Runtime.addBinding", json!({ "name": "__benchVisible" }))?;
    let probe = PROBE.replace("NAME", &Value::from(name).to_string());
    cdp.call(
        s,
        "Page.addScriptToEvaluateOnNewDocument",
        json!({ "source": probe }),
    )?;
    cdp.call(s, "Page.navigate", json!({ "url": url }))?;

    let mut document_clock = None; // (monotonic s, wall s) of the document request
    let mut urls = std::collections::HashMap::new();
    let mut finished = Vec::new(); // (request id, monotonic s, bytes)
    let mut visible: Option<(f64, f64)> = None; // (ms since navigation start, wall ms)
    let mut mounted: Option<(f64, f64)> = None;
    let deadline = Instant::now() + LOAD_TIMEOUT;
    // Responses that finish in the same moment as the frame may be reported a little later.
    let mut drain_until = None;
    loop {
        let now = Instant::now();
        if drain_until.is_some_and(|d| now >= d) {
            break;
        }
        if now >= deadline {
            return Err(format!("\"{name}\" not visible on {url} after {LOAD_TIMEOUT:?}").into());
        }
        let Some(event) = cdp.next_event(Duration::from_millis(100))? else {
            continue;
        };
        if event["sessionId"].as_str() != Some(session.as_str()) {
            continue;
        }
        let p = &event["params"];
        match event["method"].as_str().unwrap_or_default() {
            "Network.requestWillBeSent" => {
                if document_clock.is_none() && p["type"] == "Document" {
                    document_clock = p["timestamp"].as_f64().zip(p["wallTime"].as_f64());
                }
                urls.insert(
                    p["requestId"].to_string(),
                    p["request"]["url"].as_str().unwrap_or_default().to_owned(),
                );
            }
            "Network.loadingFinished" => finished.push((
                p["requestId"].to_string(),
                p["timestamp"].as_f64().unwrap_or(f64::MAX),
                p["encodedDataLength"].as_f64().unwrap_or(0.0),
            )),
            "Runtime.bindingCalled" if p["name"] == "__benchVisible" => {
                let report: Value =
                    serde_json::from_str(p["payload"].as_str().unwrap_or_default())?;
                let at = report["now"].as_f64().zip(report["wall"].as_f64());
                if report["kind"] == "mounted" {
                    mounted = at;
                    drain_until = Some(Instant::now() + Duration::from_millis(500));
                } else {
                    visible = at;
                }
            }
            _ => {}
        }
    }
    cdp.call(None, "Target.closeTarget", json!({ "targetId": target_id }))?;

    let (ms, wall_ms) = visible.ok_or("no visibility report")?;
    let (mounted_ms, mounted_wall_ms) = mounted.ok_or("no mount report")?;
    let (doc_mono, doc_wall) = document_clock.ok_or("no document request seen")?;
    let visible_mono = doc_mono + (wall_ms / 1000.0 - doc_wall);
    let mounted_mono = doc_mono + (mounted_wall_ms / 1000.0 - doc_wall);
    let mut visit = Visit {
        ms,
        bytes: 0.0,
        asset_bytes: 0.0,
        mounted_ms,
        mounted_bytes: 0.0,
    };
    for (id, at, bytes) in finished {
        if at <= mounted_mono {
            visit.mounted_bytes += bytes;
        }
        if at > visible_mono {
            continue;
        }
        visit.bytes += bytes;
        let path = urls.get(&id).map(|u| u.split('?').next().unwrap_or(u));
        if path.is_some_and(|p| [".wasm", ".js", ".css"].iter().any(|e| p.ends_with(e))) {
            visit.asset_bytes += bytes;
        }
    }
    Ok(visit)
}

/// `(name, description)` of the demo company's services in English, in the API's order.
fn service_names(base: &str) -> Result<Vec<(String, String)>> {
    let body = http_get(
        base,
        "/api/2.1/scheduling/companies/demo/widget/services?lang=en",
    )?;
    let list: Value = serde_json::from_str(&body)?;
    let items = list["items"]
        .as_array()
        .ok_or("no items in the services answer")?;
    Ok(items
        .iter()
        .filter_map(|s| {
            let name = s["name"].as_str()?.to_owned();
            Some((name, s["description"].as_str().unwrap_or("").to_owned()))
        })
        .collect())
}

/// The bar to compare with: the same names as plain server-rendered HTML.
fn static_page(services: &[(String, String)]) -> String {
    let items: String = services
        .iter()
        .map(|(name, description)| {
            format!(
                "<li><strong>{}</strong><br>{}</li>",
                escape(name),
                escape(description)
            )
        })
        .collect();
    format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>Book an appointment</title></head><body><main><h1>Choose a service</h1>\
         <ul>{items}</ul></main></body></html>"
    )
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// A minimal HTTP/1.0 GET (the server closes after answering); the body of a 200.
fn http_get(base: &str, path: &str) -> Result<String> {
    let host = base
        .strip_prefix("http://")
        .ok_or("server URL is not http")?;
    let mut stream = TcpStream::connect(host)?;
    write!(stream, "GET {path} HTTP/1.0\r\nHost: {host}\r\n\r\n")?;
    let mut answer = String::new();
    stream.read_to_string(&mut answer)?;
    let (head, body) = answer.split_once("\r\n\r\n").ok_or("no HTTP answer")?;
    if !head.lines().next().is_some_and(|l| l.contains(" 200 ")) {
        return Err(format!("GET {path}: {}", head.lines().next().unwrap_or_default()).into());
    }
    Ok(body.to_owned())
}

/// Lighthouse's mobile scores for `url`, or why they could not be had.
fn lighthouse(url: &str, work: &Path) -> Result<String, String> {
    crate::tools::ensure_lighthouse().map_err(|e| format!("installing it failed: {e}"))?;
    let report = work.join("lighthouse.json");
    let profile = work.join("lighthouse-profile");
    let mut flags = CHROMIUM_FLAGS.join(" ");
    flags.push_str(&format!(" --user-data-dir={}", profile.display()));
    eprintln!("xtask: lighthouse {url}");
    let output = Command::new("node")
        .arg(crate::tools::lighthouse_cli())
        .arg(url)
        .args([
            "--only-categories=performance,accessibility",
            "--output=json",
            "--quiet",
        ])
        .arg(format!("--output-path={}", report.display()))
        .arg(format!("--chrome-flags={flags}"))
        .env("CHROME_PATH", CHROMIUM)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .output()
        .map_err(|e| format!("node could not start: {e}"))?;
    if !output.status.success() {
        let err = String::from_utf8_lossy(&output.stderr);
        let last = err
            .lines()
            .rev()
            .find(|l| !l.trim().is_empty())
            .unwrap_or("");
        return Err(format!("lighthouse failed ({}): {last}", output.status));
    }
    let text = std::fs::read_to_string(&report).map_err(|e| format!("no report: {e}"))?;
    let lhr: Value = serde_json::from_str(&text).map_err(|e| format!("bad report: {e}"))?;
    if let Some(error) = lhr["runtimeError"]["message"].as_str() {
        return Err(format!("lighthouse: {error}"));
    }
    let score = |c: &str| {
        lhr["categories"][c]["score"]
            .as_f64()
            .map_or("n/a".to_owned(), |s| format!("{:.0}", s * 100.0))
    };
    let audit = |a: &str| {
        lhr["audits"][a]["numericValue"]
            .as_f64()
            .map_or("n/a".to_owned(), |ms| format!("{:.1} s", ms / 1000.0))
    };
    // The report is kept for a closer look (the work directory goes).
    let kept = crate::target_dir().join("bench-lighthouse.json");
    if std::fs::write(&kept, &text).is_ok() {
        eprintln!("xtask: lighthouse report in {}", kept.display());
    }
    Ok(format!(
        "lighthouse {} (mobile, simulated throttling): performance {}, accessibility {} \
         (FCP {}, LCP {}, TBT {:.0} ms)\n{}",
        lhr["lighthouseVersion"].as_str().unwrap_or("?"),
        score("performance"),
        score("accessibility"),
        audit("first-contentful-paint"),
        audit("largest-contentful-paint"),
        lhr["audits"]["total-blocking-time"]["numericValue"]
            .as_f64()
            .unwrap_or(f64::NAN),
        blocking_work(&lhr),
    ))
}

/// What TBT is made of: the long main-thread tasks (start, duration, the script they are
/// attributed to) and the main thread's work by kind, as Lighthouse simulated them.
fn blocking_work(lhr: &Value) -> String {
    let items = |audit: &str| {
        lhr["audits"][audit]["details"]["items"]
            .as_array()
            .cloned()
            .unwrap_or_default()
    };
    // The page itself ends in `/` (`/widget/?company=…`): its inline boot.js is credited to it.
    let file = |url: &str| {
        let path = url.split(['?', '#']).next().unwrap_or(url);
        match path.rsplit('/').next() {
            Some("") => "the page (inline boot.js)".to_owned(),
            Some(name) => name.to_owned(),
            None => path.to_owned(),
        }
    };
    let tasks: Vec<String> = items("long-tasks")
        .iter()
        .map(|t| {
            format!(
                "{:.0} ms at {:.0} ms ({})",
                t["duration"].as_f64().unwrap_or(f64::NAN),
                t["startTime"].as_f64().unwrap_or(f64::NAN),
                file(t["url"].as_str().unwrap_or("?"))
            )
        })
        .collect();
    let work: Vec<String> = items("mainthread-work-breakdown")
        .iter()
        .map(|w| {
            format!(
                "{} {:.0} ms",
                w["groupLabel"].as_str().unwrap_or("?"),
                w["duration"].as_f64().unwrap_or(f64::NAN)
            )
        })
        .collect();
    let scripts: Vec<String> = items("bootup-time")
        .iter()
        .map(|b| {
            format!(
                "{} {:.0} ms (evaluation {:.0} ms, parse + compile {:.0} ms)",
                file(b["url"].as_str().unwrap_or("?")),
                b["total"].as_f64().unwrap_or(f64::NAN),
                b["scripting"].as_f64().unwrap_or(f64::NAN),
                b["scriptParseCompile"].as_f64().unwrap_or(f64::NAN)
            )
        })
        .collect();
    format!(
        "  long tasks: {}\n  main thread: {}\n  scripts: {}",
        if tasks.is_empty() {
            "none".to_owned()
        } else {
            tasks.join(", ")
        },
        work.join(", "),
        scripts.join(", ")
    )
}

/// A directory under the system temp dir, removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new(prefix: &str) -> Result<Self> {
        let dir = std::env::temp_dir().join(format!("{prefix}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir)?;
        Ok(TempDir(dir))
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn copy_dir(from: &Path, to: &Path) -> Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_dir(&entry.path(), &target)?;
        } else {
            std::fs::copy(entry.path(), &target)?;
            // Keep modification times: the server trusts `x.br` only when it is not older than `x`.
            let modified = entry.metadata()?.modified()?;
            std::fs::File::options()
                .write(true)
                .open(&target)?
                .set_modified(modified)?;
        }
    }
    Ok(())
}

/// A child process killed (and reaped) on drop.
struct Killed(Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// The release server with demo data on a free loopback port.
struct Server {
    url: String,
    _child: Killed,
}

impl Server {
    fn start(binary: &Path, widget_dir: &Path, db: &Path) -> Result<Self> {
        let mut child = Killed(
            Command::new(binary)
                .args(["serve", "--demo", "--addr", "127.0.0.1:0", "--widget-dir"])
                .arg(widget_dir)
                .arg("--db")
                .arg(db)
                .env("RUST_LOG", "warn")
                .stdout(Stdio::piped())
                .spawn()
                .map_err(|e| format!("{}: {e}", binary.display()))?,
        );
        let mut lines = child.0.stdout.take().map(|out| BufReader::new(out).lines());
        let url = lines.as_mut().and_then(|lines| {
            lines.map_while(std::result::Result::ok).find_map(|line| {
                line.strip_prefix("booking-server listening on ")
                    .map(str::to_owned)
            })
        });
        let url = url.ok_or("the release server did not start (see its output above)")?;
        // Keep draining its stdout so the server never blocks on a full pipe.
        if let Some(rest) = lines {
            std::thread::spawn(move || rest.map_while(std::result::Result::ok).for_each(drop));
        }
        Ok(Server { url, _child: child })
    }
}

/// Headless Chromium with a fresh profile and the DevTools protocol on a free port.
struct Browser {
    ws_url: String,
    _child: Killed,
}

impl Browser {
    fn start(profile: &Path) -> Result<Self> {
        let child = Killed(
            Command::new(CHROMIUM)
                .args(CHROMIUM_FLAGS)
                .arg(format!("--user-data-dir={}", profile.display()))
                .arg("--remote-debugging-port=0")
                .arg("about:blank")
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .map_err(|e| format!("{CHROMIUM}: {e}"))?,
        );
        // Chromium writes the port it picked, and the browser target's path, into the profile.
        let port_file = profile.join("DevToolsActivePort");
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let text = std::fs::read_to_string(&port_file).unwrap_or_default();
            let mut lines = text.lines();
            if let (Some(port), Some(path)) = (lines.next(), lines.next()) {
                return Ok(Browser {
                    ws_url: format!("ws://127.0.0.1:{port}{path}"),
                    _child: child,
                });
            }
            if Instant::now() > deadline {
                return Err("Chromium did not open its DevTools port within 30 s".into());
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

/// A DevTools protocol connection to the browser target; page sessions are flattened into it.
pub(crate) struct Cdp {
    socket: tungstenite::WebSocket<TcpStream>,
    next_id: u64,
    /// Events read while waiting for a command's answer, oldest first.
    pending: std::collections::VecDeque<Value>,
}

impl Cdp {
    fn connect(url: &str) -> Result<Self> {
        let host = url
            .strip_prefix("ws://")
            .and_then(|rest| rest.split('/').next())
            .ok_or("bad DevTools URL")?;
        let stream = TcpStream::connect(host)?;
        let (socket, _) =
            tungstenite::client(url, stream).map_err(|e| format!("DevTools handshake: {e}"))?;
        Ok(Cdp {
            socket,
            next_id: 0,
            pending: Default::default(),
        })
    }

    /// Sends a command and waits for its result.
    pub(crate) fn call(
        &mut self,
        session: Option<&str>,
        method: &str,
        params: Value,
    ) -> Result<Value> {
        self.next_id += 1;
        let id = self.next_id;
        let mut message = json!({ "id": id, "method": method, "params": params });
        if let Some(session) = session {
            message["sessionId"] = json!(session);
        }
        self.socket
            .send(tungstenite::Message::text(message.to_string()))?;
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if Instant::now() > deadline {
                return Err(format!("DevTools: no answer to {method}").into());
            }
            let Some(message) = self.read(Duration::from_secs(1))? else {
                continue;
            };
            if message["id"].as_u64() == Some(id) {
                if let Some(error) = message.get("error") {
                    return Err(format!("DevTools {method}: {error}").into());
                }
                return Ok(message["result"].clone());
            }
            if message.get("method").is_some() {
                self.pending.push_back(message);
            }
        }
    }

    /// The next event, waiting at most `wait`.
    pub(crate) fn next_event(&mut self, wait: Duration) -> Result<Option<Value>> {
        if let Some(event) = self.pending.pop_front() {
            return Ok(Some(event));
        }
        Ok(self.read(wait)?.filter(|m| m.get("method").is_some()))
    }

    fn read(&mut self, wait: Duration) -> Result<Option<Value>> {
        self.socket.get_ref().set_read_timeout(Some(wait))?;
        match self.socket.read() {
            Ok(tungstenite::Message::Text(text)) => Ok(Some(serde_json::from_str(&text)?)),
            Ok(_) => Ok(None),
            Err(tungstenite::Error::Io(e))
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) =>
            {
                Ok(None)
            }
            Err(e) => Err(e.into()),
        }
    }
}
