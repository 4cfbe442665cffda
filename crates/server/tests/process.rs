//! The real `booking-server` binary as a process: a handler panic is a 500 and the server goes on,
//! SIGTERM drains gracefully, SIGKILL in the middle of bookings loses no acknowledged booking, and
//! SIGKILL while an email or a text message is being sent neither loses it nor sends it twice.

/// Accepts loopback connections on a free port, which it returns, each served by `handle` on a
/// thread of its own (the stand-in receivers below block, stalling on purpose).
fn serve_loopback(handle: impl Fn(std::net::TcpStream) + Send + Sync + 'static) -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let handle = std::sync::Arc::new(handle);
    std::thread::spawn(move || {
        for stream in listener.incoming().map_while(Result::ok) {
            let handle = handle.clone();
            std::thread::spawn(move || handle(stream));
        }
    });
    port
}

mod smtp_sink {
    //! A minimal SMTP server over loopback TCP that keeps every message it is given and either
    //! accepts it (250) or, `stalling`, never answers the end of DATA: the window where the
    //! receiver has the bytes and the sender does not know it yet.

    use std::io::{BufRead, BufReader, Write};
    use std::net::TcpStream;
    use std::sync::{Arc, Mutex};

    pub struct Sink {
        pub port: u16,
        /// Every message's bytes (from DATA), complete or not yet acknowledged.
        pub messages: Arc<Mutex<Vec<String>>>,
    }

    impl Sink {
        pub fn start(stalling: bool) -> Sink {
            let messages = Arc::new(Mutex::new(Vec::new()));
            let kept = messages.clone();
            let port = super::serve_loopback(move |stream| {
                let _ = converse(stream, stalling, &kept);
            });
            Sink { port, messages }
        }

        /// The `Message-ID` header of every message kept, in order.
        pub fn message_ids(&self) -> Vec<String> {
            self.messages
                .lock()
                .expect("messages")
                .iter()
                .filter_map(|m| {
                    m.lines()
                        .find_map(|l| l.strip_prefix("Message-ID: "))
                        .map(|id| id.trim().to_owned())
                })
                .collect()
        }
    }

    fn converse(
        stream: TcpStream,
        stalling: bool,
        kept: &Mutex<Vec<String>>,
    ) -> std::io::Result<()> {
        let mut out = stream.try_clone()?;
        let mut lines = BufReader::new(stream);
        out.write_all(b"220 sink ESMTP\r\n")?;
        let mut line = String::new();
        loop {
            line.clear();
            if lines.read_line(&mut line)? == 0 {
                return Ok(());
            }
            let verb = line.get(..4).unwrap_or("").to_ascii_uppercase();
            match verb.as_str() {
                "DATA" => {
                    out.write_all(b"354 go ahead\r\n")?;
                    let mut message = String::new();
                    loop {
                        line.clear();
                        if lines.read_line(&mut line)? == 0 {
                            return Ok(());
                        }
                        if line == ".\r\n" {
                            break;
                        }
                        message.push_str(&line);
                    }
                    kept.lock().expect("messages").push(message);
                    if stalling {
                        // Holds the connection open, unanswered, until the sender dies.
                        std::thread::park();
                        return Ok(());
                    }
                    out.write_all(b"250 OK queued\r\n")?;
                }
                "QUIT" => {
                    out.write_all(b"221 bye\r\n")?;
                    return Ok(());
                }
                _ => out.write_all(b"250 OK\r\n")?,
            }
        }
    }
}

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

#[path = "support/mod.rs"]
mod support;

use chrono::{DateTime, Days, Utc};
use serde_json::{json, Value};

const DEMO: &str = "/api/2.1/scheduling/companies/demo";
const DEADLINE: Duration = Duration::from_secs(20);

/// A `booking-server serve --demo` process on a free loopback port; killed on drop.
struct Server {
    child: Child,
    /// `127.0.0.1:PORT`
    addr: String,
    base: String,
    /// Everything it logged so far.
    log: Arc<Mutex<String>>,
}

impl Server {
    fn start(db: &Path, env: &[(&str, &str)]) -> Server {
        Server::start_with(db, env, &[])
    }

    /// Started with more command-line arguments.
    fn start_with(db: &Path, env: &[(&str, &str)], args: &[&str]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_booking-server"))
            // On PostgreSQL the emails go to `data/mail` under the working directory: the test's.
            .current_dir(db.parent().expect("the database's directory"))
            .args(["serve", "--demo", "--addr", "127.0.0.1:0"])
            .args(["--bookings-per-minute", "100000"])
            .args(args)
            .arg("--widget-dir")
            .arg(db.with_extension("no-widget"))
            .arg("--db")
            .arg(support::postgres::location_for(db))
            .env("RUST_LOG", "info")
            .envs(env.iter().copied())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start booking-server");
        let log = Arc::new(Mutex::new(String::new()));
        let stderr = child.stderr.take().expect("stderr");
        let sink = log.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if let Ok(mut log) = sink.lock() {
                    log.push_str(&line);
                    log.push('\n');
                }
            }
        });
        let mut lines = BufReader::new(child.stdout.take().expect("stdout")).lines();
        let addr = lines
            .by_ref()
            .map_while(Result::ok)
            .find_map(|l| {
                l.strip_prefix("booking-server listening on http://")
                    .map(str::to_owned)
            })
            .expect("the server announces its address");
        std::thread::spawn(move || lines.map_while(Result::ok).for_each(drop));
        let base = format!("http://{addr}");
        Server {
            child,
            addr,
            base,
            log,
        }
    }

    fn logged(&self, needle: &str) -> bool {
        self.log.lock().is_ok_and(|log| log.contains(needle))
    }

    /// Sends SIGTERM, as a service manager stopping it would.
    fn terminate(&self) {
        let status = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .expect("run kill");
        assert!(status.success(), "kill -TERM failed");
    }

    /// Waits (polling, until the deadline) for the process to exit.
    fn exit_status(&mut self) -> ExitStatus {
        let started = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().expect("try_wait") {
                return status;
            }
            assert!(started.elapsed() < DEADLINE, "the server did not exit");
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Free starts of `service` with `staff` in the next two weeks, none overlapping another.
async fn distinct_slots(base: &str, service: &str, staff: &str, minutes: i64) -> Vec<String> {
    let today = Utc::now().date_naive();
    let url = format!(
        "{base}{DEMO}/widget/freeSlots?startDate={today}&endDate={}&serviceId={service}&staffId={staff}&timeZone=Europe/Paris",
        today + Days::new(13)
    );
    let body: Value = reqwest::get(url)
        .await
        .expect("freeSlots")
        .json()
        .await
        .expect("JSON");
    let mut taken_until = i64::MIN;
    let mut out = Vec::new();
    for day in body["items"].as_array().expect("items") {
        for slot in day["slots"].as_array().expect("slots") {
            let slot = slot.as_str().expect("a slot string");
            let at = DateTime::parse_from_rfc3339(slot)
                .expect("RFC 3339")
                .timestamp();
            if at >= taken_until {
                taken_until = at + minutes * 60;
                out.push(slot.to_owned());
            }
        }
    }
    out
}

/// The demo widget booking of support, for the `n`th client.
fn booking(service: &str, staff: &str, start: &str, n: usize) -> Value {
    support::demo_booking(service, Some(staff), start, &format!("ada{n}@example.com"))
}

/// The `[profile.release]` section of the workspace manifest.
fn release_profile() -> String {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../Cargo.toml");
    let text = std::fs::read_to_string(manifest).expect("workspace Cargo.toml");
    text.lines()
        .skip_while(|l| l.trim() != "[profile.release]")
        .skip(1)
        .take_while(|l| !l.trim_start().starts_with('['))
        .collect::<Vec<_>>()
        .join("\n")
}

#[tokio::test]
async fn a_handler_panic_is_a_logged_500_and_the_server_keeps_serving() {
    // This test's build unwinds on panic; so must the release build, or the layer can't help there.
    let release = release_profile();
    assert!(
        !release.replace(' ', "").contains("panic=\"abort\""),
        "[profile.release] must not abort on panic:\n{release}"
    );
    // The panicking route is a test hook of debug builds (routes/mod.rs), mounted by the env var.
    let dir = tempfile::tempdir().expect("temp dir");
    let mut server = Server::start(
        &dir.path().join("panic.sqlite"),
        &[("BOOKING_SERVER_TEST_HOOKS", "1")],
    );
    let client = reqwest::Client::new();
    for _ in 0..2 {
        let answer = client
            .get(format!("{}/api/test-hooks/panic", server.base))
            .send()
            .await
            .expect("an answer, not a dropped connection");
        assert_eq!(answer.status().as_u16(), 500);
        let body: Value = answer.json().await.expect("the JSON error shape");
        assert_eq!(body["error"]["code"], 500, "{body}");
        assert_eq!(body["error"]["message"], "internal server error", "{body}");
    }
    let answer = client
        .get(format!("{}{DEMO}/widget/services", server.base))
        .send()
        .await
        .expect("still serving");
    assert_eq!(answer.status().as_u16(), 200);
    let started = Instant::now();
    while !server.logged("a request handler panicked") {
        assert!(started.elapsed() < DEADLINE, "the panic was not logged");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(server.child.try_wait().expect("try_wait").is_none());
}

/// Reads from `stream` until `needle` has arrived (or the connection ends); returns all of it.
fn read_until(stream: &mut TcpStream, needle: &str) -> String {
    let mut seen = Vec::new();
    let mut buf = [0u8; 4096];
    while !String::from_utf8_lossy(&seen).contains(needle) {
        match stream.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => seen.extend_from_slice(&buf[..n]),
        }
    }
    String::from_utf8_lossy(&seen).into_owned()
}

#[tokio::test]
async fn sigterm_finishes_the_request_in_flight_refuses_new_ones_and_exits_0() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut server = Server::start(&dir.path().join("term.sqlite"), &[]);
    let start = distinct_slots(&server.base, "haircut", "camille", 45).await[0].clone();
    let body = booking("haircut", "camille", &start, 0).to_string();

    // A booking whose body is still on its way: `Expect: 100-continue` makes the server say when
    // the handler has started reading it, so the request is provably in flight.
    let mut stream = TcpStream::connect(&server.addr).expect("connect");
    stream
        .set_read_timeout(Some(DEADLINE))
        .expect("read timeout");
    let head = format!(
        "POST {DEMO}/widget/appointments HTTP/1.1\r\nHost: {}\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\nExpect: 100-continue\r\n\r\n",
        server.addr,
        body.len()
    );
    stream.write_all(head.as_bytes()).expect("send head");
    let interim = read_until(&mut stream, "\r\n\r\n");
    assert!(interim.starts_with("HTTP/1.1 100"), "{interim}");
    stream
        .write_all(&body.as_bytes()[..body.len() / 2])
        .expect("send half the body");

    server.terminate();
    let started = Instant::now();
    while TcpStream::connect(&server.addr).is_ok() {
        assert!(
            started.elapsed() < DEADLINE,
            "still accepting after SIGTERM"
        );
        std::thread::sleep(Duration::from_millis(20));
    }

    stream
        .write_all(&body.as_bytes()[body.len() / 2..])
        .expect("send the rest");
    let answer = read_until(&mut stream, "\"encryptedId\"");
    assert!(answer.starts_with("HTTP/1.1 201"), "{answer}");
    let status = server.exit_status();
    assert_eq!(status.code(), Some(0), "{status}");
    assert!(server.logged("shutting down"));

    // The booking answered during the shutdown is stored.
    let server = Server::start(&dir.path().join("term.sqlite"), &[]);
    let after = distinct_slots(&server.base, "haircut", "camille", 45).await;
    assert!(!after.contains(&start), "{start} is still offered");
}

#[tokio::test]
async fn sigkill_in_the_middle_of_bookings_loses_no_acknowledged_booking() {
    const CLIENTS: usize = 8;
    const KILL_AFTER: usize = 25;
    let dir = tempfile::tempdir().expect("temp dir");
    let db: PathBuf = dir.path().join("kill.sqlite");
    let mut server = Server::start(&db, &[]);
    let mut plan = Vec::new();
    for staff in ["camille", "hugo"] {
        for start in distinct_slots(&server.base, "haircut", staff, 45).await {
            plan.push(booking("haircut", staff, &start, plan.len()));
        }
    }
    assert!(
        plan.len() > 3 * KILL_AFTER,
        "only {} free slots",
        plan.len()
    );
    let queue = Arc::new(Mutex::new(plan));
    let acknowledged = Arc::new(Mutex::new(Vec::<String>::new()));
    let url = format!("{}{DEMO}/widget/appointments", server.base);
    let mut clients = Vec::new();
    for _ in 0..CLIENTS {
        let (queue, acknowledged, url) = (queue.clone(), acknowledged.clone(), url.clone());
        clients.push(tokio::spawn(async move {
            let client = reqwest::Client::new();
            loop {
                let Some(body) = queue.lock().expect("queue").pop() else {
                    return;
                };
                let Ok(answer) = client.post(&url).json(&body).send().await else {
                    return; // the server is gone
                };
                let status = answer.status().as_u16();
                let Ok(view) = answer.json::<Value>().await else {
                    return;
                };
                assert_eq!(status, 201, "{view}");
                let id = view["encryptedId"]
                    .as_str()
                    .expect("encryptedId")
                    .to_owned();
                acknowledged.lock().expect("acks").push(id);
            }
        }));
    }
    let started = Instant::now();
    while acknowledged.lock().expect("acks").len() < KILL_AFTER {
        assert!(started.elapsed() < DEADLINE, "bookings too slow");
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    server.child.kill().expect("SIGKILL");
    let left = queue.lock().expect("queue").len();
    assert!(left > 0, "the load was over before the kill");
    for client in clients {
        client.await.expect("client task");
    }
    server.child.wait().expect("reap");

    let acknowledged = acknowledged.lock().expect("acks").clone();
    let server = Server::start(&db, &[]);
    let client = reqwest::Client::new();
    for id in &acknowledged {
        let answer = client
            .get(format!("{}{DEMO}/widget/appointments/{id}", server.base))
            .send()
            .await
            .expect("view");
        assert_eq!(
            answer.status().as_u16(),
            200,
            "acknowledged booking {id} lost"
        );
    }
    assert!(acknowledged.len() >= KILL_AFTER);
}

mod sms_gateway {
    //! A minimal HTTP server over loopback TCP standing in for the SMS gateway: it keeps every
    //! request (head and body) and answers 201, or, `stalling`, never answers.

    use std::io::{BufRead, BufReader, Read, Write};
    use std::net::TcpStream;
    use std::sync::{Arc, Mutex};

    pub struct Gateway {
        pub port: u16,
        /// Every request: (lower-case head, body).
        pub requests: Arc<Mutex<Vec<(String, String)>>>,
    }

    impl Gateway {
        pub fn start(stalling: bool) -> Gateway {
            let requests = Arc::new(Mutex::new(Vec::new()));
            let kept = requests.clone();
            let port = super::serve_loopback(move |stream| {
                let _ = serve(stream, stalling, &kept);
            });
            Gateway { port, requests }
        }

        /// The `idempotency-key` of every request, in order.
        pub fn keys(&self) -> Vec<String> {
            self.requests
                .lock()
                .expect("requests")
                .iter()
                .filter_map(|(head, _)| {
                    head.lines()
                        .find_map(|l| l.strip_prefix("idempotency-key: "))
                        .map(|k| k.trim().to_owned())
                })
                .collect()
        }
    }

    fn serve(
        stream: TcpStream,
        stalling: bool,
        kept: &Mutex<Vec<(String, String)>>,
    ) -> std::io::Result<()> {
        let mut out = stream.try_clone()?;
        let mut reader = BufReader::new(stream);
        loop {
            let mut head = String::new();
            let mut line = String::new();
            while reader.read_line(&mut line)? > 0 && line != "\r\n" {
                head.push_str(&line.to_ascii_lowercase());
                line.clear();
            }
            if head.is_empty() {
                return Ok(());
            }
            let length = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length: "))
                .and_then(|n| n.trim().parse::<usize>().ok())
                .unwrap_or(0);
            let mut body = vec![0; length];
            reader.read_exact(&mut body)?;
            kept.lock()
                .expect("requests")
                .push((head, String::from_utf8_lossy(&body).into_owned()));
            if stalling {
                std::thread::park();
                return Ok(());
            }
            out.write_all(b"HTTP/1.1 201 Created\r\ncontent-length: 2\r\n\r\n{}")?;
        }
    }
}

/// `(recipient, status)` of the appointment's messages on `channel` other than reminders.
async fn notification_log(base: &str, id: &str, channel: &str) -> Vec<(String, String)> {
    let log: Value = reqwest::get(format!(
        "{base}{DEMO}/appointments/{id}/notifications?apiKey=demo-api-key"
    ))
    .await
    .expect("notification log")
    .json()
    .await
    .expect("JSON");
    log["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter(|i| i["channel"] == channel && i["kind"] != "reminder")
        .map(|i| {
            (
                i["recipient"].as_str().unwrap_or_default().to_owned(),
                i["status"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect()
}

#[tokio::test]
async fn sigkill_while_an_email_is_sent_then_restart_delivers_it_once_with_the_same_message_id() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db: PathBuf = dir.path().join("mailkill.sqlite");
    // Short leases and backoff (the defaults are 2 min and 30 s) so the restart retries at once.
    let timings = ["--outbox-lease-ms", "1000", "--outbox-backoff-ms", "200"];
    let stalling = smtp_sink::Sink::start(true);
    let smtp = |port: u16| format!("smtp://127.0.0.1:{port}");
    let mut server =
        Server::start_with(&db, &[("BOOKING_SMTP_URL", &smtp(stalling.port))], &timings);
    let start = distinct_slots(&server.base, "haircut", "camille", 45).await[0].clone();
    let answer = reqwest::Client::new()
        .post(format!("{}{DEMO}/widget/appointments", server.base))
        .json(&booking("haircut", "camille", &start, 7))
        .send()
        .await
        .expect("book");
    assert_eq!(answer.status().as_u16(), 201);
    let booked: Value = answer.json().await.expect("JSON");
    let id = booked["id"].as_str().expect("id").to_owned();

    // Committed, rendered, on the wire: the sink holds all three emails but acknowledges none.
    let started = Instant::now();
    while stalling.message_ids().len() < 3 {
        assert!(
            started.elapsed() < DEADLINE,
            "the emails never reached the sink"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    server.child.kill().expect("SIGKILL");
    server.child.wait().expect("reap");
    let first_try = stalling.message_ids();

    let working = smtp_sink::Sink::start(false);
    let server = Server::start_with(&db, &[("BOOKING_SMTP_URL", &smtp(working.port))], &timings);
    let started = Instant::now();
    loop {
        let log = notification_log(&server.base, &id, "email").await;
        if log.len() == 3 && log.iter().all(|(_, status)| status == "succeeded") {
            break;
        }
        assert!(
            started.elapsed() < DEADLINE,
            "not all sent after the restart: {log:?}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    // Every row is recorded sent, so none can be claimed again: what the sink holds is final.
    let mut delivered = working.message_ids();
    assert_eq!(delivered.len(), 3, "each email once: {delivered:?}");
    let client = working
        .messages
        .lock()
        .expect("messages")
        .iter()
        .filter(|m| {
            m.lines()
                .any(|l| l.starts_with("To:") && l.contains("ada7@example.com"))
        })
        .count();
    assert_eq!(client, 1, "the confirmation once");
    delivered.sort();
    let mut first_try = first_try;
    first_try.sort();
    assert_eq!(
        delivered, first_try,
        "the retry resends the same messages (same Message-ID), so a receiver can drop the copy \
         it got before the kill"
    );
}

#[tokio::test]
async fn sigkill_while_a_text_message_is_posted_then_restart_delivers_it_once_with_the_same_key() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db: PathBuf = dir.path().join("smskill.sqlite");
    let args = |port: u16| {
        [
            "--outbox-lease-ms".to_owned(),
            "1000".to_owned(),
            "--sms-url".to_owned(),
            format!("http://AC9:tok@127.0.0.1:{port}/Messages.json"),
            "--sms-from".to_owned(),
            "+15005550006".to_owned(),
        ]
    };
    let stalling = sms_gateway::Gateway::start(true);
    let stalled_args = args(stalling.port);
    let stalled_args: Vec<&str> = stalled_args.iter().map(String::as_str).collect();
    let mut server = Server::start_with(&db, &[], &stalled_args);
    let client = reqwest::Client::new();
    let company = format!("{}{DEMO}?apiKey=demo-api-key", server.base);
    let mut record: Value = client
        .get(&company)
        .send()
        .await
        .expect("company")
        .json()
        .await
        .expect("JSON");
    record["smsNotifications"] = json!(true);
    let saved = client
        .put(&company)
        .json(&record)
        .send()
        .await
        .expect("put");
    assert_eq!(saved.status().as_u16(), 200);
    let start = distinct_slots(&server.base, "haircut", "camille", 45).await[0].clone();
    let mut body = booking("haircut", "camille", &start, 8);
    body["form"]["contactFields"]
        .as_array_mut()
        .expect("contact fields")
        .push(json!({"id": "phone", "bind": "crm-phone", "value": "+33 6 12 34 56 78"}));
    let answer = client
        .post(format!("{}{DEMO}/widget/appointments", server.base))
        .json(&body)
        .send()
        .await
        .expect("book");
    assert_eq!(answer.status().as_u16(), 201);
    let booked: Value = answer.json().await.expect("JSON");
    let id = booked["id"].as_str().expect("id").to_owned();

    // Committed and posted: the gateway holds the request and never answers.
    let started = Instant::now();
    while stalling.keys().is_empty() {
        assert!(
            started.elapsed() < DEADLINE,
            "no text message reached the gateway"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    server.child.kill().expect("SIGKILL");
    server.child.wait().expect("reap");
    let first_try = stalling.keys();

    let working = sms_gateway::Gateway::start(false);
    let working_args = args(working.port);
    let working_args: Vec<&str> = working_args.iter().map(String::as_str).collect();
    let server = Server::start_with(&db, &[], &working_args);
    let started = Instant::now();
    // Recorded sent: it can't be claimed again, so what the gateway holds is final.
    loop {
        let log = notification_log(&server.base, &id, "sms").await;
        if !log.is_empty() && log.iter().all(|(_, status)| status == "succeeded") {
            break;
        }
        assert!(
            started.elapsed() < DEADLINE,
            "not sent after the restart: {log:?}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(
        working.keys(),
        first_try,
        "once, with the same Idempotency-Key"
    );
    let (head, form) = working.requests.lock().expect("requests")[0].clone();
    assert!(head.contains("authorization: basic "), "{head}");
    assert!(form.contains("To=%2B33612345678"), "{form}");
}

#[test]
fn a_wrong_secret_key_is_refused_without_being_echoed() {
    // 31 bytes: one short of a key, and exactly what must not reach a log.
    let nearly = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHg==";
    for (args, env) in [
        (vec!["--secret-key", nearly], vec![]),
        (vec![], vec![("BOOKING_SECRET_KEY", nearly)]),
    ] {
        let out = Command::new(env!("CARGO_BIN_EXE_booking-server"))
            .args(["serve", "--addr", "127.0.0.1:0", "--db", ":memory:"])
            .args(&args)
            .envs(env.iter().copied())
            .output()
            .expect("run booking-server");
        let said = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(!out.status.success(), "{said}");
        assert!(said.contains("--secret-key"), "{said}");
        assert!(said.contains("32 bytes"), "{said}");
        assert!(
            !said.contains(nearly) && !said.contains("AAECAwQF"),
            "{said}"
        );
    }
}
