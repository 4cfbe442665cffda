//! The end-to-end harness: the real `booking-server` app (in-process, on 127.0.0.1 with a temporary
//! SQLite file and the demo data) serving the release widget, driven in headless Chromium through the
//! system chromedriver. No mocks between the browser and the database.
//!
//! Every scenario saves a screenshot per step under `target/e2e/screenshots/`, and a failing scenario
//! leaves a `…-FAILED.png` and the browser console log beside it.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use anyhow::{bail, ensure, Context, Result};
use booking_server::{app, db, demo, AppState, Config};
use chrono::{DateTime, FixedOffset, NaiveDate, NaiveTime, TimeZone};
use fantoccini::key::Key;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{json, Value};

mod traffic;
pub use traffic::{cdp, RequestLog};

/// The demo company's API base path (under the server's origin).
pub const DEMO_API: &str = "/api/2.1/scheduling/companies/demo";
/// The demo company's (public, demo-only) API key.
pub const DEMO_KEY: &str = "demo-api-key";
/// How long any wait lasts before failing.
pub const WAIT: Duration = Duration::from_secs(15);

/// Workspace root (two levels above this crate).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .nth(2)
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}

fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace_root().join("target"))
}

/// A free loopback port (bound then released; chromedriver takes it right after).
fn free_port() -> Result<u16> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port())
}

/// How the browser is set up for a scenario.
#[derive(Debug, Clone)]
pub struct HarnessOptions {
    /// Window width in CSS pixels (375 for a phone).
    pub width: u32,
    /// Window height.
    pub height: u32,
    /// The browser's time zone (`TZ` of the chromedriver process, inherited by Chromium), e.g.
    /// `America/New_York`; `None` keeps the machine's.
    pub time_zone: Option<String>,
    /// The browser's language (`--lang`, e.g. `en-GB`); it decides 12- or 24-hour times.
    pub locale: Option<String>,
    /// Ask pages for the dark colour scheme (`prefers-color-scheme: dark`).
    pub dark: bool,
    /// Any other Chromium switches.
    pub extra_args: Vec<String>,
    /// Send the server's emails to the SMTP server on this loopback port (links at the widget's
    /// origin, as `--public-url`); `None`: no emails.
    pub smtp_port: Option<u16>,
}

impl Default for HarnessOptions {
    fn default() -> Self {
        HarnessOptions {
            width: 1280,
            height: 900,
            time_zone: None,
            locale: None,
            dark: false,
            extra_args: Vec::new(),
            smtp_port: None,
        }
    }
}

/// axe-core violations of bugs already reported, as (rule id, start of the failing node's selector,
/// text of its failure summary): waived by
/// [`Harness::axe`] so every other check keeps running. Each has a scenario that fails on it, marked
/// `#[ignore = "bug: …"]`; remove the entry when the bug is fixed.
pub const KNOWN_AXE_BUGS: &[(&str, &str, &str)] = &[];

/// One scenario's world: server, database, browser.
pub struct Harness {
    /// Scenario name, prefix of its screenshots.
    pub name: String,
    /// The widget's origin: `http://127.0.0.1:PORT`.
    pub widget_origin: String,
    /// The demo host pages' origin: `http://localhost:PORT` (same server, another origin).
    pub host_origin: String,
    pub db: db::Db,
    pub browser: Client,
    /// Plain HTTP client for the API (admin and public).
    pub http: reqwest::Client,
    /// Every request the server received, in order.
    pub requests: RequestLog,
    driver: tokio::process::Child,
    step: std::sync::atomic::AtomicUsize,
    started: std::time::Instant,
    _dir: tempfile::TempDir,
}

impl Harness {
    /// Starts the server and a browser session. `width` is the window width (375 for mobile).
    pub async fn start(name: &str, width: u32, extra_chrome_args: &[&str]) -> Result<Self> {
        Self::start_with(
            name,
            HarnessOptions {
                width,
                extra_args: extra_chrome_args.iter().map(|a| (*a).to_owned()).collect(),
                ..HarnessOptions::default()
            },
        )
        .await
    }

    /// Starts the server and a browser session set up as `options` say.
    pub async fn start_with(name: &str, options: HarnessOptions) -> Result<Self> {
        let started = std::time::Instant::now();
        let dist = std::env::var_os("BOOKING_WIDGET_DIST")
            .map(PathBuf::from)
            .unwrap_or_else(|| workspace_root().join("dist"));
        if !dist.join("index.html").exists() {
            bail!(
                "no built widget in {}: run `trunk build --release` (cargo xtask test does)",
                dist.display()
            );
        }
        let dir = tempfile::tempdir()?;
        let db = db::open(&dir.path().join("e2e.sqlite")).await?;
        demo::seed(&db).await?;
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let port = listener.local_addr()?.port();
        let state = AppState::new(
            db.clone(),
            Config {
                widget_dir: Some(dist),
                demo: true,
                public_url: options
                    .smtp_port
                    .map(|_| format!("http://127.0.0.1:{port}")),
                email: booking_server::notify::Settings {
                    smtp_url: options.smtp_port.map(|p| format!("smtp://127.0.0.1:{p}")),
                    timing: booking_server::notify::delivery::Timing {
                        poll_interval: Duration::from_millis(50),
                        ..Default::default()
                    },
                    ..Default::default()
                },
                ..Config::default()
            },
        );
        // With an SMTP server only; the worker runs as long as the scenario's runtime.
        let _ = booking_server::notify::worker::spawn_until(state.clone(), std::future::pending())
            .map_err(anyhow::Error::msg)?;
        let requests = RequestLog::default();
        let service = requests
            .record(app(state))
            .into_make_service_with_connect_info::<SocketAddr>();
        tokio::spawn(async move { axum::serve(listener, service).await });

        let driver_port = free_port()?;
        let chromedriver =
            std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "/usr/bin/chromedriver".to_owned());
        let mut command = tokio::process::Command::new(&chromedriver);
        if let Some(zone) = &options.time_zone {
            command.env("TZ", zone);
        }
        let driver = command
            .arg(format!("--port={driver_port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .with_context(|| format!("starting {chromedriver}"))?;
        let mut args = vec![
            "--headless=new".to_owned(),
            "--no-sandbox".to_owned(),
            "--disable-gpu".to_owned(),
            "--disable-dev-shm-usage".to_owned(),
            "--disable-background-networking".to_owned(),
            "--disable-component-update".to_owned(),
            "--disable-sync".to_owned(),
            "--no-first-run".to_owned(),
            format!("--window-size={},{}", options.width, options.height),
        ];
        if let Some(locale) = &options.locale {
            args.push(format!("--lang={locale}"));
        }
        if options.dark {
            args.push("--force-dark-mode".to_owned());
            args.push("--blink-settings=preferredColorScheme=0".to_owned());
        }
        args.extend(options.extra_args.iter().cloned());
        let mut caps = serde_json::Map::new();
        let mut chrome = json!({ "args": args });
        if let Some(locale) = &options.locale {
            chrome["prefs"] = json!({ "intl.accept_languages": locale });
        }
        caps.insert("goog:chromeOptions".to_owned(), chrome);
        caps.insert("goog:loggingPrefs".to_owned(), json!({ "browser": "ALL" }));
        let connector = hyper_util::client::legacy::connect::HttpConnector::new();
        let url = format!("http://127.0.0.1:{driver_port}");
        let mut browser = None;
        // chromedriver needs a moment to listen.
        for _ in 0..50 {
            match ClientBuilder::new(connector.clone())
                .capabilities(caps.clone())
                .connect(&url)
                .await
            {
                Ok(client) => {
                    browser = Some(client);
                    break;
                }
                Err(_) => tokio::time::sleep(Duration::from_millis(100)).await,
            }
        }
        let browser = browser.context("chromedriver did not accept a session")?;
        std::fs::create_dir_all(shots_dir())?;
        remove_old_shots(name)?;
        Ok(Harness {
            name: name.to_owned(),
            widget_origin: format!("http://127.0.0.1:{port}"),
            host_origin: format!("http://localhost:{port}"),
            db,
            browser,
            http: reqwest::Client::new(),
            requests,
            driver,
            step: Default::default(),
            started,
            _dir: dir,
        })
    }

    /// Saves a screenshot named after the scenario and `step`.
    pub async fn shot(&self, step: &str) -> Result<PathBuf> {
        let n = self.step.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let path = shots_dir().join(format!("{}-{n:02}-{step}.png", self.name));
        let png = self.browser.screenshot().await?;
        std::fs::write(&path, png)?;
        Ok(path)
    }

    /// Waits (≤ 15 s) for a CSS selector in the current frame.
    pub async fn wait_css(&self, selector: &str) -> Result<fantoccini::elements::Element> {
        self.browser
            .wait()
            .at_most(Duration::from_secs(15))
            .for_element(Locator::Css(selector))
            .await
            .with_context(|| format!("waiting for `{selector}`"))
    }

    /// Runs JavaScript in the current frame and returns its value.
    pub async fn js(&self, script: &str) -> Result<Value> {
        Ok(self.browser.execute(script, vec![]).await?)
    }

    /// Runs axe-core on the current frame and fails on any violation, whatever its impact (moderate
    /// ones such as a missing landmark or `<h1>` included), listing them all in the error. Violations of [`KNOWN_AXE_BUGS`] are
    /// waived (each has its own failing scenario); see [`Harness::axe_strict`].
    pub async fn axe(&self, step: &str) -> Result<()> {
        self.axe_with(step, std::env::var_os("BOOKING_E2E_STRICT_AXE").is_some())
            .await
    }

    /// [`Harness::axe`] without waivers.
    pub async fn axe_strict(&self, step: &str) -> Result<()> {
        self.axe_with(step, true).await
    }

    async fn axe_with(&self, step: &str, strict: bool) -> Result<()> {
        let path = std::env::var_os("AXE_SCRIPT")
            .map(PathBuf::from)
            .unwrap_or_else(|| {
                workspace_root().join(".tools/axe/node_modules/axe-core/axe.min.js")
            });
        static SOURCE: std::sync::OnceLock<String> = std::sync::OnceLock::new();
        let source = match SOURCE.get() {
            Some(source) => source,
            None => {
                let text = std::fs::read_to_string(&path).with_context(|| {
                    format!(
                        "axe-core not found at {} (cargo xtask test installs it)",
                        path.display()
                    )
                })?;
                SOURCE.get_or_init(|| text)
            }
        };
        // Once per document: the page keeps it until it navigates.
        if self.js("return typeof axe === 'undefined'").await? == Value::Bool(true) {
            self.browser.execute(source, vec![]).await?;
        }
        let script = "const done = arguments[arguments.length - 1];
            axe.run(document, { resultTypes: ['violations'] })
               .then(r => done(r.violations.map(v => ({ id: v.id, impact: v.impact, help: v.help,
                                                        nodes: v.nodes.map(n => n.target.join(' ') + ' — ' + (n.failureSummary || '').replace(/\\s+/g, ' ')) }))))
               .catch(e => done([{ id: 'axe-error', impact: 'critical', help: String(e), nodes: [] }]));";
        let violations = self.browser.execute_async(script, vec![]).await?;
        // Anything but a list means axe did not run: never count that as "no violations".
        let list = violations
            .as_array()
            .cloned()
            .with_context(|| format!("axe on {step} answered {violations}, not a list"))?;
        let waived = |rule: &Value, node: &Value| {
            !strict
                && KNOWN_AXE_BUGS.iter().any(|(id, selector, text)| {
                    rule["id"] == *id
                        && node
                            .as_str()
                            .is_some_and(|n| n.starts_with(selector) && n.contains(text))
                })
        };
        let blocking: Vec<_> = list
            .iter()
            .filter(|v| {
                v["nodes"]
                    .as_array()
                    .is_none_or(|nodes| nodes.iter().any(|n| !waived(v, n)))
            })
            .collect();
        if !blocking.is_empty() {
            bail!(
                "accessibility violations at step `{step}` ({}):\n{}",
                blocking.len(),
                serde_json::to_string_pretty(&list)?
            );
        }
        Ok(())
    }

    /// Ends the scenario: on failure, a screenshot and the console log are left behind, then it panics
    /// with the error.
    pub async fn finish(self, outcome: Result<()>) {
        if let Err(error) = &outcome {
            let _ = self.browser.enter_parent_frame().await;
            let shot = shots_dir().join(format!("{}-FAILED.png", self.name));
            if let Ok(png) = self.browser.screenshot().await {
                let _ = std::fs::write(&shot, png);
            }
            let log = console_log(&self.browser).await;
            let _ = std::fs::write(
                shots_dir().join(format!("{}-FAILED-console.log", self.name)),
                &log,
            );
            eprintln!(
                "scenario {} failed: {error:#}\nscreenshot: {}\nconsole:\n{log}",
                self.name,
                shot.display()
            );
        }
        let _ = self.browser.close().await;
        drop(self.driver);
        eprintln!(
            "scenario {} took {:.1} s",
            self.name,
            self.started.elapsed().as_secs_f64()
        );
        if let Err(error) = outcome {
            panic!("{error:#}");
        }
    }
}

/// One appointment row as the database holds it.
#[derive(Debug, Clone)]
pub struct StoredRow {
    /// The API document.
    pub doc: Value,
    /// Start instant, UTC RFC 3339.
    pub start_utc: String,
    /// Status column.
    pub status: String,
    /// Staff column.
    pub staff_id: Option<String>,
}

/// The answer stored for form item `id` in an appointment document (`value`, else the `value`s of its
/// chosen `values`), searching contact fields, additional pages and sub-items.
pub fn form_answer(doc: &Value, id: &str) -> Option<Value> {
    fn search(items: &Value, id: &str) -> Option<Value> {
        for item in items.as_array()? {
            if item["id"] == id {
                if let Some(values) = item["values"].as_array().filter(|v| !v.is_empty()) {
                    return Some(Value::Array(
                        values.iter().map(|v| v["value"].clone()).collect(),
                    ));
                }
                return Some(item["value"].clone());
            }
            if let Some(found) = search(&item["subItem"], id) {
                return Some(found);
            }
        }
        None
    }
    let form = &doc["form"];
    search(&form["contactFields"], id).or_else(|| {
        form["additionalFields"]
            .as_array()?
            .iter()
            .find_map(|page| search(page, id))
    })
}

/// The instant of a `{dateTime, timeZone}` pair (local time in that zone, else in `default_zone`).
pub fn instant_of(time: &Value, default_zone: &str) -> Result<DateTime<chrono::Utc>> {
    let text = time["dateTime"]
        .as_str()
        .with_context(|| format!("no dateTime in {time}"))?;
    if let Ok(t) = DateTime::parse_from_rfc3339(text) {
        return Ok(t.with_timezone(&chrono::Utc));
    }
    let zone: chrono_tz::Tz = time["timeZone"]
        .as_str()
        .unwrap_or(default_zone)
        .parse()
        .map_err(|e| anyhow::anyhow!("zone of {time}: {e}"))?;
    let local = chrono::NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S")
        .with_context(|| format!("dateTime of {time}"))?;
    zone.from_local_datetime(&local)
        .earliest()
        .map(|t| t.with_timezone(&chrono::Utc))
        .with_context(|| format!("{time} does not exist"))
}

/// The demo company's zone.
pub const PARIS: chrono_tz::Tz = chrono_tz::Europe::Paris;

impl Harness {
    /// `/widget/?{query}` on the widget's origin.
    pub fn widget_url(&self, query: &str) -> String {
        format!("{}/widget/?{query}", self.widget_origin)
    }

    /// Runs axe-core on the current frame, then saves a screenshot: the evidence of one step.
    pub async fn check(&self, step: &str) -> Result<PathBuf> {
        self.axe(step).await?;
        self.shot(step).await
    }

    /// When `BOOKING_E2E_DOCS` is set, saves the current screen as `docs/screenshots/{file}`.
    pub async fn doc_shot(&self, file: &str) -> Result<()> {
        if std::env::var_os("BOOKING_E2E_DOCS").is_none() {
            return Ok(());
        }
        let dir = workspace_root().join("docs/screenshots");
        std::fs::create_dir_all(&dir)?;
        std::fs::write(dir.join(file), self.browser.screenshot().await?)?;
        Ok(())
    }

    /// Polls `script` (a function body) until it returns something truthy, and returns that.
    pub async fn wait_js(&self, script: &str, what: &str) -> Result<Value> {
        let deadline = tokio::time::Instant::now() + WAIT;
        loop {
            let value = self.js(script).await?;
            let ready = match &value {
                Value::Null => false,
                Value::Bool(b) => *b,
                Value::String(s) => !s.is_empty(),
                Value::Array(a) => !a.is_empty(),
                _ => true,
            };
            if ready {
                return Ok(value);
            }
            if tokio::time::Instant::now() > deadline {
                bail!("timed out waiting for {what} (last seen: {value})");
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Waits until the text of `selector` contains `text`.
    pub async fn wait_text(&self, selector: &str, text: &str) -> Result<()> {
        let script = format!(
            "const e = document.querySelector({}); return e && e.textContent.includes({});",
            json!(selector),
            json!(text)
        );
        self.wait_js(&script, &format!("`{selector}` to read {text:?}"))
            .await
            .map(drop)
    }

    /// The trimmed text of `selector` (waiting for it).
    pub async fn text_of(&self, selector: &str) -> Result<String> {
        Ok(self
            .wait_css(selector)
            .await?
            .text()
            .await?
            .trim()
            .to_owned())
    }

    /// Clicks `selector` once it is there.
    pub async fn click(&self, selector: &str) -> Result<()> {
        self.wait_css(selector)
            .await?
            .click()
            .await
            .with_context(|| format!("clicking `{selector}`"))
    }

    /// Types `text` into the field `selector` (which keeps what it had).
    pub async fn type_into(&self, selector: &str, text: &str) -> Result<()> {
        self.wait_css(selector)
            .await?
            .send_keys(text)
            .await
            .with_context(|| format!("typing into `{selector}`"))
    }

    /// The `value` property of the field `selector`.
    pub async fn value_of(&self, selector: &str) -> Result<String> {
        Ok(self
            .wait_css(selector)
            .await?
            .prop("value")
            .await?
            .unwrap_or_default())
    }

    // ---- keyboard ----

    /// Sends `text` (characters or [`Key`]s) to the element that has focus, with WebDriver's
    /// "send keys" on it. A file input is the exception: there "send keys" means "upload this
    /// path", so keys go through the Actions API (also straight to the focused element).
    pub async fn keys(&self, text: &str) -> Result<()> {
        if self.focus_is("a.type === 'file'").await? {
            use fantoccini::actions::{InputSource, KeyAction, KeyActions};
            let mut actions = KeyActions::new("keyboard".to_owned());
            for c in text.chars() {
                actions = actions
                    .then(KeyAction::Down { value: c })
                    .then(KeyAction::Up { value: c });
            }
            self.browser.perform_actions(actions).await?;
            return Ok(());
        }
        let active = self.browser.active_element().await?;
        if let Err(error) = active.send_keys(text).await {
            bail!("keys {text:?} on {}: {error}", self.focused_html().await);
        }
        Ok(())
    }

    /// Presses `key` on the element that has focus.
    pub async fn press(&self, key: Key) -> Result<()> {
        self.keys(&key.to_string()).await
    }

    /// The start of the focused element's HTML (for error messages).
    pub async fn focused_html(&self) -> String {
        self.js(
            "const a = document.activeElement; return a ? a.outerHTML.slice(0, 160) : 'nothing'",
        )
        .await
        .map(|v| v.as_str().unwrap_or_default().to_owned())
        .unwrap_or_default()
    }

    /// Whether the focused element `a` satisfies `condition` (JavaScript over `a`).
    pub async fn focus_is(&self, condition: &str) -> Result<bool> {
        let script = format!("const a = document.activeElement; return !!(a && ({condition}));");
        Ok(self.js(&script).await? == Value::Bool(true))
    }

    /// Presses Tab (at most 60 times) until the focused element `a` satisfies `condition`.
    pub async fn tab_until(&self, condition: &str) -> Result<()> {
        for _ in 0..60 {
            if self.focus_is(condition).await? {
                return Ok(());
            }
            self.press(Key::Tab).await?;
        }
        bail!(
            "Tab never reached an element with {condition}; focus is on {}",
            self.focused_html().await
        )
    }

    // ---- API ----

    /// Calls the API at `path` (under the demo company) with the admin key; returns status and JSON.
    pub async fn admin(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<&Value>,
    ) -> Result<(u16, Value)> {
        self.call(method, path, body, true).await
    }

    /// Calls the public API at `path` (under the demo company), without a key.
    pub async fn public(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<&Value>,
    ) -> Result<(u16, Value)> {
        self.call(method, path, body, false).await
    }

    async fn call(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<&Value>,
        admin: bool,
    ) -> Result<(u16, Value)> {
        let url = format!(
            "{}{DEMO_API}/{}",
            self.widget_origin,
            path.trim_start_matches('/')
        );
        let mut request = self.http.request(method.clone(), &url);
        if admin {
            request = request.header("apiKey", DEMO_KEY);
        }
        if let Some(body) = body {
            request = request.json(body);
        }
        let response = request
            .send()
            .await
            .with_context(|| format!("{method} {url}"))?;
        let status = response.status().as_u16();
        let text = response.text().await?;
        let json = if text.is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&text)
                .with_context(|| format!("{method} {url}: not JSON: {text}"))?
        };
        Ok((status, json))
    }

    /// Free starts of `service` (with `staff`, or anyone) from `from` to `to` (Paris days).
    pub async fn free_slots(
        &self,
        service: &str,
        staff: Option<&str>,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<DateTime<FixedOffset>>> {
        let staff = staff.map(|s| format!("&staffId={s}")).unwrap_or_default();
        let (status, body) = self
            .public(
                reqwest::Method::GET,
                &format!(
                    "widget/freeSlots?startDate={from}&endDate={to}&serviceId={service}{staff}&timeZone=Europe/Paris"
                ),
                None,
            )
            .await?;
        ensure!(status == 200, "freeSlots answered {status}: {body}");
        let mut slots = Vec::new();
        for day in body["items"].as_array().cloned().unwrap_or_default() {
            for slot in day["slots"].as_array().cloned().unwrap_or_default() {
                let text = slot.as_str().unwrap_or_default();
                slots.push(DateTime::parse_from_rfc3339(text).with_context(|| text.to_owned())?);
            }
        }
        Ok(slots)
    }

    /// The first free start of `service` with `staff` at Paris wall time `hh:mm`, on a day at least
    /// `days_ahead` days after today (Paris) and after `not_before` when given.
    pub async fn slot_at(
        &self,
        service: &str,
        staff: Option<&str>,
        hh_mm: &str,
        days_ahead: u64,
        not_before: Option<NaiveDate>,
    ) -> Result<DateTime<FixedOffset>> {
        let wanted = NaiveTime::parse_from_str(hh_mm, "%H:%M")?;
        let today = chrono::Utc::now().with_timezone(&PARIS).date_naive();
        let mut from = today + chrono::Days::new(days_ahead);
        if let Some(day) = not_before {
            from = from.max(day);
        }
        let slots = self
            .free_slots(service, staff, from, from + chrono::Days::new(30))
            .await?;
        slots
            .iter()
            .find(|s| s.with_timezone(&PARIS).time() == wanted)
            .copied()
            .with_context(|| format!("no free {service} at {hh_mm} from {from}: {slots:?}"))
    }

    // ---- database ----

    /// Every appointment of the demo company, oldest first.
    pub async fn stored(&self) -> Result<Vec<StoredRow>> {
        let rows: Vec<(String, String, String, Option<String>)> = sqlx::query_as(
            "SELECT doc, start_utc, status, staff_id FROM appointments \
             WHERE company_id = 'demo' ORDER BY created_at, id",
        )
        .fetch_all(&self.db)
        .await?;
        rows.into_iter()
            .map(|(doc, start_utc, status, staff_id)| {
                Ok(StoredRow {
                    doc: serde_json::from_str(&doc)?,
                    start_utc,
                    status,
                    staff_id,
                })
            })
            .collect()
    }

    // ---- the booking flow, by mouse ----

    /// Clicks the service or staff choice named `name`.
    pub async fn choose(&self, name: &str) -> Result<()> {
        let xpath = format!(
            "//button[contains(@class,'bw-choice__button')][.//*[contains(@class,'bw-choice__name') and normalize-space()={}]]",
            xpath_literal(name)
        );
        let button = self
            .browser
            .wait()
            .at_most(WAIT)
            .for_element(Locator::XPath(&xpath))
            .await
            .with_context(|| format!("waiting for the choice {name:?}"))?;
        button.click().await?;
        Ok(())
    }

    /// Waits until the calendar has its slots (not busy).
    pub async fn wait_calendar(&self) -> Result<()> {
        self.wait_js(
            "const g = document.querySelector('.bw-calendar__grid'); return !!g && g.getAttribute('aria-busy') === 'false';",
            "the calendar to load its slots",
        )
        .await
        .map(drop)
    }

    /// Shows the month holding `day` (moving forward with "next month").
    pub async fn show_day(&self, day: NaiveDate) -> Result<()> {
        for _ in 0..4 {
            self.wait_calendar().await?;
            let selector = format!("[data-day=\"{day}\"]");
            if !self
                .browser
                .find_all(Locator::Css(&selector))
                .await?
                .is_empty()
            {
                return Ok(());
            }
            self.click(".bw-calendar__header button:last-of-type")
                .await?;
        }
        bail!("the calendar never showed {day}")
    }

    /// Picks `day` in the calendar and waits for its times.
    pub async fn choose_day(&self, day: NaiveDate) -> Result<()> {
        self.show_day(day).await?;
        self.click(&format!("[data-day=\"{day}\"]")).await?;
        self.wait_css(&format!(".bw-day__button--selected[data-day=\"{day}\"]"))
            .await?;
        Ok(())
    }

    /// The slot button for instant `at`: its CSS selector and its label.
    pub async fn slot_button(&self, at: DateTime<FixedOffset>) -> Result<(String, String)> {
        let script = format!(
            "const b = [...document.querySelectorAll('.bw-slot')].find(b => Date.parse(b.dataset.slot) === {});
             return b ? [b.dataset.slot, b.textContent.trim()] : null;",
            at.timestamp_millis()
        );
        let found = self
            .wait_js(&script, &format!("a time button for {at}"))
            .await?;
        let slot = found[0].as_str().unwrap_or_default();
        Ok((
            format!(".bw-slot[data-slot=\"{slot}\"]"),
            found[1].as_str().unwrap_or_default().to_owned(),
        ))
    }

    /// Clicks the time `at` (its day must be shown); returns its label.
    pub async fn choose_slot(&self, at: DateTime<FixedOffset>) -> Result<String> {
        let (selector, label) = self.slot_button(at).await?;
        self.click(&selector).await?;
        Ok(label)
    }

    /// Waits for the form page `n` (1-based) of 3.
    pub async fn form_page(&self, n: usize) -> Result<()> {
        self.wait_text("#bw-form-page", &format!("Page {n} of"))
            .await
    }

    /// Clicks the form's submit button (Next / Review my booking).
    pub async fn submit_form(&self) -> Result<()> {
        self.click(".bw-form button[type=submit]").await
    }

    /// Page 1 of the demo form: checks the prefilled names and email, types a phone, goes on.
    pub async fn form_contact(&self, phone: &str) -> Result<()> {
        self.form_page(1).await?;
        self.type_into("#bw-field-phone", phone).await?;
        Ok(())
    }

    /// Page 2: first visit "yes", heard from Instagram, a note.
    pub async fn form_about(&self, note: &str) -> Result<()> {
        self.form_page(2).await?;
        self.click("#bw-field-firstVisit-0").await?;
        self.wait_css("#bw-field-heardFrom")
            .await?
            .select_by_value("instagram")
            .await?;
        self.type_into("#bw-field-notes", note).await?;
        Ok(())
    }

    /// Page 3: rating 4, the policy accepted.
    pub async fn form_last(&self) -> Result<()> {
        self.form_page(3).await?;
        self.click("#bw-field-satisfaction-3").await?;
        self.click("#bw-field-consent-0").await?;
        Ok(())
    }

    /// Confirms on the review step and waits for the confirmation; returns the reference.
    pub async fn confirm_booking(&self) -> Result<String> {
        self.click(".bw-submit").await?;
        self.wait_css("#bw-step-done-title").await?;
        self.text_of(".bw-summary__reference").await
    }
}

/// `text` as an XPath string literal.
fn xpath_literal(text: &str) -> String {
    if !text.contains('\'') {
        format!("'{text}'")
    } else {
        format!("\"{text}\"")
    }
}

/// Removes what an earlier run of scenario `name` left (`name-NN-step.png`, `name-FAILED…`).
fn remove_old_shots(name: &str) -> Result<()> {
    for entry in std::fs::read_dir(shots_dir())? {
        let file = entry?.file_name();
        let Some(rest) = file.to_str().and_then(|f| f.strip_prefix(name)) else {
            continue;
        };
        let numbered = rest.len() > 4
            && rest.starts_with('-')
            && rest[1..3].bytes().all(|b| b.is_ascii_digit())
            && rest[3..].starts_with('-');
        if numbered || rest.starts_with("-FAILED") {
            std::fs::remove_file(shots_dir().join(&file))?;
        }
    }
    Ok(())
}

/// Where screenshots go.
pub fn shots_dir() -> PathBuf {
    target_dir().join("e2e/screenshots")
}

/// chromedriver's log endpoint (`goog:loggingPrefs` enables it), which fantoccini doesn't wrap.
#[derive(Debug)]
struct BrowserLog;

impl fantoccini::wd::WebDriverCompatibleCommand for BrowserLog {
    fn endpoint(
        &self,
        base: &url::Url,
        session: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base.join(&format!("session/{}/se/log", session.unwrap_or_default()))
    }
    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        (http::Method::POST, Some(r#"{"type":"browser"}"#.to_owned()))
    }
}

/// The browser console so far, one line per entry.
async fn console_log(browser: &Client) -> String {
    match browser.issue_cmd(BrowserLog).await {
        Ok(Value::Array(entries)) => entries
            .iter()
            .map(|e| {
                format!(
                    "{} {}",
                    e["level"].as_str().unwrap_or("?"),
                    e["message"].as_str().unwrap_or("")
                )
            })
            .collect::<Vec<_>>()
            .join("\n"),
        Ok(other) => other.to_string(),
        Err(e) => format!("(console log unavailable: {e})"),
    }
}
