//! Scenario: a booking through the widget emails its confirmation to a real SMTP server (aiosmtpd),
//! and the cancel link in that email, opened in the browser, cancels the appointment.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{bail, ensure, Context, Result};
use booking_e2e::{workspace_root, Harness, HarnessOptions, WAIT};
use mail_parser::MessageParser;
use reqwest::Method;

/// The email tests' aiosmtpd sink (`crates/server/tests/email/smtp_sink.py`): each message lands
/// in `dir` as `NNNN.eml`; killed on drop.
struct Sink {
    port: u16,
    dir: tempfile::TempDir,
    child: Child,
}

impl Sink {
    fn start() -> Result<Sink> {
        let python = std::env::var_os("AIOSMTPD_PYTHON")
            .map(PathBuf::from)
            .unwrap_or_else(|| workspace_root().join(".tools/aiosmtpd/bin/python"));
        ensure!(
            python.exists(),
            "aiosmtpd is missing: run `cargo xtask test`, or set AIOSMTPD_PYTHON"
        );
        let port = std::net::TcpListener::bind("127.0.0.1:0")?
            .local_addr()?
            .port();
        let dir = tempfile::tempdir()?;
        let mut child = Command::new(python)
            .arg(workspace_root().join("crates/server/tests/email/smtp_sink.py"))
            .arg(port.to_string())
            .arg(dir.path())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .context("starting the aiosmtpd sink")?;
        let mut line = String::new();
        BufReader::new(child.stdout.take().context("stdout")?).read_line(&mut line)?;
        ensure!(
            line.trim() == "ready",
            "the SMTP sink did not start: {line:?}"
        );
        Ok(Sink { port, dir, child })
    }

    /// The text part of the first message to `to` whose subject starts with `subject`, waiting
    /// for it.
    async fn text_of(&self, to: &str, subject: &str) -> Result<String> {
        let deadline = Instant::now() + WAIT;
        loop {
            for path in messages(self.dir.path())? {
                let rcpt = std::fs::read_to_string(path.with_extension("rcpt")).unwrap_or_default();
                let raw = std::fs::read(&path)?;
                let Some(mail) = MessageParser::default().parse(&raw) else {
                    continue;
                };
                if rcpt.lines().any(|r| r == to)
                    && mail.subject().is_some_and(|s| s.starts_with(subject))
                {
                    return mail
                        .body_text(0)
                        .map(|t| t.into_owned())
                        .context("a text part");
                }
            }
            if Instant::now() > deadline {
                bail!("no email to {to} with a subject starting {subject:?}");
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

fn messages(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "eml"))
        .collect();
    out.sort();
    Ok(out)
}

impl Drop for Sink {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

async fn book_then_cancel_from_the_email(h: &Harness, sink: &Sink) -> Result<()> {
    let slot = h
        .slot_at("haircut", Some("camille"), "09:00", 2, None)
        .await?;
    let reference = super::book_prefilled_haircut(h, slot, "From the email").await?;

    let text = sink.text_of("ada@example.com", "Confirmed").await?;
    ensure!(
        text.contains(&reference),
        "the email shows {reference}:\n{text}"
    );
    let cancel = text
        .split_whitespace()
        .find(|w| w.starts_with("http") && w.contains("action=cancel"))
        .with_context(|| format!("no cancel link in:\n{text}"))?
        .to_owned();
    ensure!(
        cancel.starts_with(&format!("{}/widget/?", h.widget_origin)),
        "the link points at this server: {cancel}"
    );

    h.browser.goto(&cancel).await?;
    h.wait_text(".bw-step__title", "Cancel this appointment?")
        .await?;
    h.check("cancel-from-email").await?;
    h.click(".bw-submit").await?;
    h.wait_text(".bw-step__title", "Your appointment has been cancelled")
        .await?;
    let id = h.stored().await?[0].doc["id"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let (status, got) = h
        .admin(Method::GET, &format!("appointments/{id}"), None)
        .await?;
    ensure!(status == 200, "admin GET answered {status}: {got}");
    ensure!(
        got["status"] == "cancelled",
        "the admin API says cancelled: {}",
        got["status"]
    );
    sink.text_of("ada@example.com", "Cancelled").await?;
    Ok(())
}

#[tokio::test]
async fn the_confirmation_email_of_a_widget_booking_has_a_cancel_link_that_cancels() {
    let sink = Sink::start().expect("SMTP sink");
    let h = Harness::start_with(
        "email",
        HarnessOptions {
            time_zone: Some("Europe/Paris".to_owned()),
            smtp_port: Some(sink.port),
            ..HarnessOptions::default()
        },
    )
    .await
    .expect("harness");
    let outcome = book_then_cancel_from_the_email(&h, &sink).await;
    h.finish(outcome).await;
}
