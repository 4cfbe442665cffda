//! SMTP over TLS with a login: aiosmtpd with a certificate of a test CA (made by the openssl CLI)
//! and AUTH required, reached by `smtps://` and by STARTTLS (`?tls=required`), the CA trusted
//! through `--smtp-ca-file`.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};

use booking_server::notify;

use crate::harness::{aiosmtpd_python, free_port, EmailServer};

/// A CA and a certificate it signed for localhost and 127.0.0.1, in `dir`: `ca.pem`, `cert.pem`,
/// `key.pem`.
fn certificates(dir: &Path) {
    let run = |args: &[&str]| {
        let status = Command::new("openssl")
            .args(args)
            .current_dir(dir)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .expect("openssl");
        assert!(status.success(), "openssl {args:?}");
    };
    run(&[
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        "ca.key",
        "-out",
        "ca.pem",
        "-days",
        "2",
        "-subj",
        "/CN=Booking test CA",
    ]);
    run(&[
        "req",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        "key.pem",
        "-out",
        "cert.csr",
        "-subj",
        "/CN=localhost",
    ]);
    std::fs::write(
        dir.join("ext.cnf"),
        "subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\n",
    )
    .expect("extensions");
    run(&[
        "x509",
        "-req",
        "-in",
        "cert.csr",
        "-CA",
        "ca.pem",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-out",
        "cert.pem",
        "-days",
        "2",
        "-extfile",
        "ext.cnf",
    ]);
}

/// The TLS sink in `mode` (`smtps` or `starttls`) on `port`, messages into `dir/mail`.
struct TlsSink(Child);

impl TlsSink {
    fn start(dir: &Path, port: u16, mode: &str) -> Self {
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/email/smtp_tls_sink.py");
        std::fs::create_dir_all(dir.join("mail")).expect("mail dir");
        let mut child = Command::new(aiosmtpd_python())
            .arg(script)
            .arg(port.to_string())
            .arg(dir.join("mail"))
            .arg(dir.join("cert.pem"))
            .arg(dir.join("key.pem"))
            .args([mode, "mailer", "s3cret"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("start the TLS sink");
        let mut line = String::new();
        BufReader::new(child.stdout.take().expect("stdout"))
            .read_line(&mut line)
            .expect("sink output");
        assert_eq!(line.trim(), "ready", "the TLS sink did not start");
        TlsSink(child)
    }
}

impl Drop for TlsSink {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// The `.eml` files the sink wrote, waited for (at most 20 s) until one went to `to`.
async fn received_by(server: &EmailServer, dir: &Path, to: &str) -> String {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    loop {
        let found = std::fs::read_dir(dir.join("mail"))
            .expect("mail dir")
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "rcpt"))
            .find(|p| std::fs::read_to_string(p).is_ok_and(|r| r.lines().any(|l| l == to)));
        if let Some(rcpt) = found {
            if let Ok(raw) = std::fs::read_to_string(rcpt.with_extension("eml")) {
                return raw;
            }
        }
        if std::time::Instant::now() > deadline {
            let errors: Vec<(String, Option<String>)> = sqlx::query_as(
                "SELECT state, last_error FROM outbox WHERE channel = 'email' AND recipient = $1",
            )
            .bind(to)
            .fetch_all(&server.db)
            .await
            .expect("rows");
            panic!("nothing for {to}: {errors:?}");
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn smtps_and_starttls_deliver_with_a_login_to_a_server_of_a_private_ca() {
    let dir = tempfile::tempdir().expect("temp dir");
    certificates(dir.path());
    let ca = dir.path().join("ca.pem");
    for (mode, url) in [
        ("smtps", "smtps://mailer:s3cret@127.0.0.1:{port}"),
        (
            "starttls",
            "smtp://mailer:s3cret@127.0.0.1:{port}?tls=required",
        ),
    ] {
        let port = free_port();
        let sink_dir = dir.path().join(mode);
        std::fs::create_dir_all(&sink_dir).expect("dir");
        for file in ["cert.pem", "key.pem"] {
            std::fs::copy(dir.path().join(file), sink_dir.join(file)).expect("copy");
        }
        let _sink = TlsSink::start(&sink_dir, port, mode);
        let server = EmailServer::with_email(notify::Settings {
            smtp_url: Some(url.replace("{port}", &port.to_string())),
            smtp_ca_file: Some(ca.clone()),
            ..notify::Settings::default()
        })
        .await;
        let client = format!("{mode}@example.com");
        server.book(&client, "en").await;
        let raw = received_by(&server, &sink_dir, &client).await;
        assert!(raw.contains("Subject: Confirmed"), "{mode}:\n{raw}");
    }
}
