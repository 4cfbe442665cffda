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

use anyhow::{bail, Context, Result};
use booking_server::{app, db, demo, AppState, Config};
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{json, Value};

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
    driver: tokio::process::Child,
    step: std::sync::atomic::AtomicUsize,
    _dir: tempfile::TempDir,
}

impl Harness {
    /// Starts the server and a browser session. `width` is the window width (375 for mobile).
    pub async fn start(name: &str, width: u32, extra_chrome_args: &[&str]) -> Result<Self> {
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
        let state = AppState::new(
            db.clone(),
            Config {
                widget_dir: Some(dist),
                demo: true,
                ..Config::default()
            },
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let port = listener.local_addr()?.port();
        let service = app(state).into_make_service_with_connect_info::<SocketAddr>();
        tokio::spawn(async move { axum::serve(listener, service).await });

        let driver_port = free_port()?;
        let chromedriver =
            std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "/usr/bin/chromedriver".to_owned());
        let driver = tokio::process::Command::new(&chromedriver)
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
            format!("--window-size={width},900"),
        ];
        args.extend(extra_chrome_args.iter().map(|a| (*a).to_owned()));
        let mut caps = serde_json::Map::new();
        caps.insert("goog:chromeOptions".to_owned(), json!({ "args": args }));
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
        Ok(Harness {
            name: name.to_owned(),
            widget_origin: format!("http://127.0.0.1:{port}"),
            host_origin: format!("http://localhost:{port}"),
            db,
            browser,
            driver,
            step: Default::default(),
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

    /// Runs axe-core on the current frame and fails on any violation of impact "serious" or "critical",
    /// listing every violation found (all impacts) in the error.
    pub async fn axe(&self, step: &str) -> Result<()> {
        let path = std::env::var_os("AXE_SCRIPT")
            .map(PathBuf::from)
            .unwrap_or_else(|| {
                workspace_root().join(".tools/axe/node_modules/axe-core/axe.min.js")
            });
        let source = std::fs::read_to_string(&path).with_context(|| {
            format!(
                "axe-core not found at {} (cargo xtask test installs it)",
                path.display()
            )
        })?;
        self.browser.execute(&source, vec![]).await?;
        let script = "const done = arguments[arguments.length - 1];
            axe.run(document, { resultTypes: ['violations'] })
               .then(r => done(r.violations.map(v => ({ id: v.id, impact: v.impact, help: v.help,
                                                        nodes: v.nodes.map(n => n.target.join(' ')) }))))
               .catch(e => done([{ id: 'axe-error', impact: 'critical', help: String(e), nodes: [] }]));";
        let violations = self.browser.execute_async(script, vec![]).await?;
        let list = violations.as_array().cloned().unwrap_or_default();
        let blocking: Vec<_> = list
            .iter()
            .filter(|v| matches!(v["impact"].as_str(), Some("serious" | "critical")))
            .collect();
        if !blocking.is_empty() {
            bail!(
                "accessibility violations at step `{step}` (serious/critical: {}):\n{}",
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
        if let Err(error) = outcome {
            panic!("{error:#}");
        }
    }
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
