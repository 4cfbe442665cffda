//! A real SMTP server (Python aiosmtpd, over TCP on loopback) and the real app whose email worker
//! sends to it.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use booking_server::clock::Clock;
use booking_server::{notify, Config};
use serde_json::Value;

use crate::support::{demo_booking, request_lenient, TestServer};

pub const DEMO: &str = "/api/2.1/scheduling/companies/demo";
pub const KEY: &str = "demo-api-key";

/// The Python with aiosmtpd: `AIOSMTPD_PYTHON` (set by `cargo xtask test`, which installs it into
/// `.tools/aiosmtpd`), else that venv when an earlier `cargo xtask test` made it.
pub fn aiosmtpd_python() -> PathBuf {
    if let Some(python) = std::env::var_os("AIOSMTPD_PYTHON") {
        return PathBuf::from(python);
    }
    let venv = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../.tools/aiosmtpd/bin/python");
    assert!(
        venv.exists(),
        "aiosmtpd is missing: run `cargo xtask test` (it installs it into .tools/aiosmtpd), or set \
         AIOSMTPD_PYTHON to a Python that has aiosmtpd"
    );
    venv
}

/// A free loopback port (bound, then released for the sink to take).
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port()
}

/// One message the sink received.
#[derive(Debug, Clone)]
pub struct Received {
    pub raw: Vec<u8>,
    /// Envelope recipients.
    pub rcpt: Vec<String>,
}

/// The SMTP server: messages land in `dir` as `NNNN.eml`; stopped and started again on one port.
pub struct Sink {
    pub port: u16,
    dir: tempfile::TempDir,
    child: Option<Child>,
}

impl Sink {
    /// A sink on a free port, not started yet (the "SMTP server down" state).
    pub fn down() -> Self {
        Sink {
            port: free_port(),
            dir: tempfile::tempdir().expect("temp dir"),
            child: None,
        }
    }

    /// A started sink.
    pub fn up() -> Self {
        let mut sink = Sink::down();
        sink.start();
        sink
    }

    /// Starts aiosmtpd on the sink's port and waits until it listens.
    pub fn start(&mut self) {
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/email/smtp_sink.py");
        let mut child = Command::new(aiosmtpd_python())
            .arg(script)
            .arg(self.port.to_string())
            .arg(self.dir.path())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("start the aiosmtpd sink");
        let mut line = String::new();
        BufReader::new(child.stdout.take().expect("stdout"))
            .read_line(&mut line)
            .expect("sink output");
        assert_eq!(line.trim(), "ready", "the SMTP sink did not start");
        self.child = Some(child);
    }

    /// Stops the server (connections are refused from now on).
    pub fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// While on, every message is refused with 550.
    pub fn reject(&self, on: bool) {
        let flag = self.dir.path().join("reject");
        match on {
            true => std::fs::write(flag, "").expect("reject flag"),
            false => {
                let _ = std::fs::remove_file(flag);
            }
        }
    }

    /// While on, every message is refused with 451 (try again later).
    pub fn tempfail(&self, on: bool) {
        let flag = self.dir.path().join("tempfail");
        match on {
            true => std::fs::write(flag, "").expect("tempfail flag"),
            false => {
                let _ = std::fs::remove_file(flag);
            }
        }
    }

    /// Everything received so far, in order.
    pub fn received(&self) -> Vec<Received> {
        let mut names: Vec<PathBuf> = std::fs::read_dir(self.dir.path())
            .expect("sink dir")
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "eml"))
            .collect();
        names.sort();
        names
            .iter()
            .map(|p| Received {
                raw: std::fs::read(p).expect("message"),
                rcpt: std::fs::read_to_string(p.with_extension("rcpt"))
                    .unwrap_or_default()
                    .lines()
                    .map(str::to_owned)
                    .collect(),
            })
            .collect()
    }

    /// Waits (at most 20 s) until a message to `to` whose subject starts with `subject` arrived.
    pub async fn wait_for(&self, to: &str, subject: &str) -> Received {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let found = self.received().into_iter().find(|r| {
                r.rcpt.iter().any(|t| t == to)
                    && mail_parser::MessageParser::default()
                        .parse(&r.raw)
                        .and_then(|m| m.subject().map(|s| s.starts_with(subject)))
                        .unwrap_or(false)
            });
            if let Some(found) = found {
                return found;
            }
            assert!(
                Instant::now() < deadline,
                "no email to {to} with a subject starting {subject:?}; received: {:?}",
                self.received()
                    .iter()
                    .map(|r| (r.rcpt.clone(), subject_of(&r.raw)))
                    .collect::<Vec<_>>()
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

impl Drop for Sink {
    fn drop(&mut self) {
        self.stop();
    }
}

pub fn subject_of(raw: &[u8]) -> String {
    mail_parser::MessageParser::default()
        .parse(raw)
        .and_then(|m| m.subject().map(str::to_owned))
        .unwrap_or_default()
}

/// The app on 127.0.0.1:0 with the demo company, its email worker sending to `smtp_port`.
pub struct EmailServer {
    server: TestServer,
    /// Where emails are written without SMTP.
    pub mail_dir: PathBuf,
}

impl std::ops::Deref for EmailServer {
    type Target = TestServer;

    fn deref(&self) -> &TestServer {
        &self.server
    }
}

impl EmailServer {
    pub async fn start(smtp_port: u16) -> Self {
        Self::start_with(Some(smtp_port), Clock::system(), None).await
    }

    /// Sending to `smtp_port`, the server's clock standing at `clock` (tests move it).
    pub async fn with_clock(smtp_port: u16, clock: Clock) -> Self {
        Self::start_with(Some(smtp_port), clock, None).await
    }

    /// Without SMTP: emails go to `mail/` beside the database, as `.eml` files (the demo's default).
    pub async fn with_mail_dir() -> Self {
        Self::start_with(None, Clock::system(), None).await
    }

    /// Emails to `mail/`, text messages to the gateway of `sms` (short retry timings).
    pub async fn with_sms(sms: notify::sms::Settings) -> Self {
        Self::start_with(None, Clock::system(), Some(sms)).await
    }

    /// Emails sent as `email` says (its timings shortened), e.g. over TLS.
    pub async fn with_email(email: notify::Settings) -> Self {
        Self::start_with_email(None, Clock::system(), None, Some(email)).await
    }

    async fn start_with(
        smtp_port: Option<u16>,
        clock: Clock,
        sms: Option<notify::sms::Settings>,
    ) -> Self {
        Self::start_with_email(smtp_port, clock, sms, None).await
    }

    async fn start_with_email(
        smtp_port: Option<u16>,
        clock: Clock,
        sms: Option<notify::sms::Settings>,
        email: Option<notify::Settings>,
    ) -> Self {
        let mut mail_dir = PathBuf::new();
        let (server, state) = TestServer::configured(clock, |base, dir| {
            mail_dir = dir.join("mail");
            Config {
                demo: true,
                public_url: Some(base.to_owned()),
                email: match email {
                    Some(email) => notify::Settings {
                        timing: fast(),
                        ..email
                    },
                    None => notify::Settings {
                        smtp_url: smtp_port.map(|port| format!("smtp://127.0.0.1:{port}")),
                        mail_dir: Some(mail_dir.clone()),
                        timing: fast(),
                        ..notify::Settings::default()
                    },
                },
                sms: sms
                    .map(|sms| notify::sms::Settings {
                        timing: fast(),
                        ..sms
                    })
                    .unwrap_or_default(),
                ..Config::default()
            }
        })
        .await;
        if state.config.sms.configured() {
            notify::sms::worker::spawn_until(state.clone(), std::future::pending())
                .expect("SMS settings")
                .expect("an SMS worker");
        }
        notify::worker::spawn_until(state, std::future::pending())
            .expect("email settings")
            .expect("an email worker");
        EmailServer { server, mail_dir }
    }

    /// `GET {base}{path}` → (status, headers, text).
    pub async fn get_text(&self, path: &str) -> (u16, reqwest::header::HeaderMap, String) {
        let response = self
            .client
            .get(format!("{}{path}", self.base))
            .send()
            .await
            .expect("request");
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        (status, headers, response.text().await.expect("body"))
    }

    /// `{method} {base}{path}` with an optional JSON body → (status, JSON or Null).
    pub async fn call(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<&Value>,
    ) -> (u16, Value) {
        let url = format!("{}{path}", self.base);
        request_lenient(&self.client, method, &url, body).await
    }

    /// Books the first free haircut with Camille through the widget for `email`, in `lang` (a
    /// client in New York); the booking as answered (201).
    pub async fn book(&self, email: &str, lang: &str) -> Value {
        let start = self.first_slot("haircut", "camille").await;
        let mut booking = demo_booking("haircut", Some("camille"), &start, email);
        booking["lang"] = serde_json::json!(lang);
        let path = format!("{DEMO}/widget/appointments");
        let (status, booked) = self
            .call(reqwest::Method::POST, &path, Some(&booking))
            .await;
        assert_eq!(status, 201, "{booked}");
        booked
    }

    /// Inserts `appointment` through the Appointments API with `query` (e.g. `force=true`); the
    /// appointment as answered (201).
    pub async fn insert(&self, appointment: &Value, query: &str) -> Value {
        let path = format!("{DEMO}/appointments?apiKey={KEY}&{query}");
        let (status, inserted) = self
            .call(reqwest::Method::POST, &path, Some(appointment))
            .await;
        assert_eq!(status, 201, "{inserted}");
        inserted
    }

    /// Ada's haircut with Camille at `local` (Paris time), forced in through the API: the id.
    pub async fn force_adas_haircut(&self, local: &str) -> String {
        let appointment = serde_json::json!({
            "client": {"firstName": "Ada", "email": "ada@example.com"},
            "service": {"id": "haircut"},
            "staff": {"id": "camille"},
            "start": {"dateTime": local, "timeZone": "Europe/Paris"},
        });
        let booked = self.insert(&appointment, "force=true").await;
        booked["id"].as_str().expect("id").to_owned()
    }

    /// The email outbox rows of an appointment: (recipient, kind, state, attempts, last status).
    pub async fn emails_of(
        &self,
        appointment_id: &str,
    ) -> Vec<(String, String, String, i64, Option<i64>)> {
        sqlx::query_as(
            "SELECT recipient, kind, state, attempts, last_status FROM outbox \
             WHERE channel = 'email' AND subject_id = $1 ORDER BY created_at, id",
        )
        .bind(appointment_id)
        .fetch_all(&self.db)
        .await
        .expect("outbox rows")
    }

    /// The first free start (RFC 3339) of `service` with `staff` from the day after tomorrow on
    /// (outside the demo's 24 h cancellation delay).
    pub async fn first_slot(&self, service: &str, staff: &str) -> String {
        let today = chrono::Utc::now().date_naive() + chrono::Days::new(2);
        let to = today + chrono::Days::new(13);
        let (status, body) = self
            .call(
                reqwest::Method::GET,
                &format!(
                    "{DEMO}/widget/freeSlots?startDate={today}&endDate={to}&serviceId={service}&staffId={staff}&timeZone=Europe/Paris"
                ),
                None,
            )
            .await;
        assert_eq!(status, 200, "{body}");
        body["items"]
            .as_array()
            .expect("days")
            .iter()
            .flat_map(|d| d["slots"].as_array().cloned().unwrap_or_default())
            .filter_map(|s| s.as_str().map(str::to_owned))
            .next()
            .expect("a free slot in the next two weeks")
    }
}

/// Delivery timings short enough for tests: retries within a second.
fn fast() -> notify::delivery::Timing {
    notify::delivery::Timing {
        poll_interval: Duration::from_millis(50),
        backoff_base: Duration::from_millis(150),
        backoff_max: Duration::from_millis(400),
        timeout: Duration::from_secs(5),
        ..notify::delivery::Timing::default()
    }
}
