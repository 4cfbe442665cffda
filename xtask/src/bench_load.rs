//! `cargo xtask bench`, booking throughput: a release `booking-server serve --demo` on a temporary
//! SQLite file, booked over loopback HTTP through the public widget route by keep-alive clients.
//!
//! Every booking targets a slot that was free when the plan was made, and no two planned bookings
//! overlap for the same staff member, so each one should get a 201: a non-201 is a finding, not noise.
//! Each client count runs against a fresh server and database; `freeSlots` (one day) is then measured
//! on the same server. `BOOKING_BENCH_SERVER=path/to/booking-server` measures another build instead
//! (e.g. an older one, for a before/after comparison on the same machine load);
//! `BOOKING_BENCH_BUSY_POLL=off` passes `--busy-poll off`.
//! `BOOKING_BENCH_TRACE=1` has the server log each booking's phases (the reader part, the wait for
//! the writer, the time holding it) and prints their percentiles: where a booking's time goes.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{DateTime, Days, FixedOffset, Utc};
use serde_json::{json, Value};

use crate::cmd::{run as run_cmd, Cmd};
use crate::Result;

const DEMO: &str = "/api/2.1/scheduling/companies/demo";
/// Concurrent keep-alive clients of each run.
const CLIENT_COUNTS: [usize; 2] = [8, 32];
/// Runs of each client count (`BOOKING_BENCH_RUNS`).
const RUNS: usize = 3;
/// How long `freeSlots` is hammered after the bookings.
const FREE_SLOTS_FOR: Duration = Duration::from_secs(3);
/// The demo's booking horizon is 8 weeks; freeSlots answers at most 62 days at once.
const PLAN_DAYS: u64 = 56;

/// What the demo's staff can be booked for: service, staff, minutes of the service, and the margin
/// its preparation or buffer needs, kept clear on both sides to stay off either rule.
const OFFERS: [(&str, &str, i64, i64); 6] = [
    ("haircut", "camille", 45, 0),
    ("colour", "camille", 90, 15),
    ("haircut", "hugo", 45, 0),
    ("consult", "hugo", 30, 0),
    ("massage", "lea", 60, 10),
    ("consult", "lea", 30, 0),
];

/// Copies of each demo staff member without a connected calendar (camille, lea) that the bench
/// adds through the setup API before planning: a salon of 11 chairs, so that a run books ~3,100
/// slots (a few seconds, not one), and each booking's availability check shares the company with
/// other staff members' bookings, as in a real business.
const COPIES: usize = 4;
const API_KEY: &str = "demo-api-key";

/// How long the outbox may take to deliver a run's emails before the bench stops waiting.
const DRAIN_LIMIT: Duration = Duration::from_secs(180);

/// The release server (built here), or `BOOKING_BENCH_SERVER`.
pub fn release_server() -> Result<PathBuf> {
    Ok(match std::env::var_os("BOOKING_BENCH_SERVER") {
        Some(path) => PathBuf::from(path),
        None => {
            run_cmd(Cmd::new("cargo").args([
                "build",
                "--release",
                "--quiet",
                "-p",
                "booking-server",
            ]))?;
            crate::target_dir().join("release/booking-server")
        }
    })
}

/// The machine's load average (1, 5, 15 min): figures from a loaded machine are lower.
pub fn load_average() -> String {
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    load.split_whitespace()
        .take(3)
        .collect::<Vec<_>>()
        .join(" ")
}

/// Re-runs this xtask command from an optimised build (profile `bench-client`) when this one is
/// a debug build: `Some(result)` when it did. The load generator then costs the shared cores what
/// a real client would, not what unoptimised hyper and tokio do.
pub fn in_optimised_client(command: &[&str]) -> Option<Result<()>> {
    if !cfg!(debug_assertions) {
        return None;
    }
    let optimised = || -> Result<()> {
        run_cmd(Cmd::new("cargo").args([
            "build",
            "--quiet",
            "--profile",
            "bench-client",
            "-p",
            "xtask",
        ]))?;
        run_cmd(Cmd::new(crate::target_dir().join("bench-client/xtask")).args(command))
    };
    Some(optimised())
}

/// Builds the release server, then runs the booking load at each client count.
pub fn run() -> Result<()> {
    if let Some(done) = in_optimised_client(&["bench", "load"]) {
        return done;
    }
    let binary = release_server()?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    println!(
        "\nbooking load: {} --demo, SQLite, loopback, widget route",
        binary.display()
    );
    // The machine is shared: say how busy it was, figures from a loaded machine are lower.
    println!("load average before: {}", load_average());
    println!(
        "{:>7} {:>9} {:>8} {:>11} {:>8} {:>8} {:>14} {:>16}",
        "clients",
        "bookings",
        "non-201",
        "bookings/s",
        "p50 ms",
        "p99 ms",
        "emails (drain)",
        "freeSlots req/s"
    );
    // `BOOKING_BENCH_CLIENTS=1,8`: other client counts (1 shows the uncontended cost).
    let counts: Vec<usize> = std::env::var("BOOKING_BENCH_CLIENTS")
        .ok()
        .map(|v| v.split(',').filter_map(|n| n.trim().parse().ok()).collect())
        .unwrap_or_else(|| CLIENT_COUNTS.to_vec());
    // `BOOKING_BENCH_RUNS=5`: runs per client count (each on a fresh server); a shared machine
    // makes single runs vary by a third, so the median is printed after them.
    let runs: usize = std::env::var("BOOKING_BENCH_RUNS")
        .ok()
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(RUNS)
        .max(1);
    for clients in counts {
        let mut rates = Vec::new();
        for _ in 0..runs {
            let server = Server::start(&binary, None)?;
            let report = runtime.block_on(measure(
                std::slice::from_ref(&server.url),
                &server.mail,
                clients,
            ))?;
            println!(
                "{clients:>7} {:>9} {:>8} {:>11.0} {:>8.1} {:>8.1} {:>5} ({:>4.1} s) {:>16.0}",
                report.bookings,
                report.failed,
                report.bookings_per_second,
                report.p50_ms,
                report.p99_ms,
                report.emails,
                report.drained_s,
                report.free_slots.per_second
            );
            for (status, body) in report.failures.iter().take(3) {
                println!("        e.g. {status}: {body}");
            }
            if let Some(log) = &server.trace {
                print_phases(log);
            }
            rates.push((report.bookings_per_second, report.p99_ms));
        }
        if runs > 1 {
            let median = |values: Vec<f64>| crate::bench_web::median(values);
            println!(
                "{clients:>7} median of {runs}: {:.0} bookings/s, p99 {:.1} ms",
                median(rates.iter().map(|r| r.0).collect()),
                median(rates.iter().map(|r| r.1).collect()),
            );
        }
    }
    println!("load average after: {}", load_average());
    Ok(())
}

/// What one load run measured.
pub struct Report {
    pub bookings: usize,
    pub failed: usize,
    pub bookings_per_second: f64,
    /// Emails the outbox delivered for the run's bookings (files in the demo's mail directory).
    pub emails: usize,
    /// Seconds from the last booking's answer until the last of those emails was written (the
    /// outbox's backlog); `freeSlots` is measured after it, on an idle server.
    pub drained_s: f64,
    pub p50_ms: f64,
    pub p99_ms: f64,
    pub free_slots: FreeSlots,
    pub failures: Vec<(u16, String)>,
}

/// One-day `freeSlots` requests: how many per second, and their latency.
pub struct FreeSlots {
    pub per_second: f64,
    pub p50_ms: f64,
    pub p99_ms: f64,
}

/// Books the plan with `clients` keep-alive clients, then measures `freeSlots`. With several
/// `bases` (servers on one database), requests go to them in turn (round robin).
pub async fn measure(bases: &[String], mail: &Path, clients: usize) -> Result<Report> {
    let base = bases.first().ok_or("no server to measure")?;
    let offers = add_staff(base).await?;
    let plan = Arc::new(plan(base, &offers).await?);
    let mails_before = count_files(mail);
    let next = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let mut tasks = Vec::new();
    let urls: Arc<Vec<String>> = Arc::new(
        bases
            .iter()
            .map(|base| format!("{base}{DEMO}/widget/appointments"))
            .collect(),
    );
    for _ in 0..clients {
        let (plan, next, urls) = (plan.clone(), next.clone(), urls.clone());
        tasks.push(tokio::spawn(async move {
            let client = keep_alive_client();
            let mut samples = Vec::new();
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some((what, body)) = plan.get(i) else {
                    break;
                };
                let sent = Instant::now();
                let answer = client
                    .post(&urls[i % urls.len()])
                    .header("content-type", "application/json")
                    .body(body.clone())
                    .send()
                    .await;
                let (status, text) = match answer {
                    Ok(r) => (r.status().as_u16(), r.text().await.unwrap_or_default()),
                    Err(e) => (0, e.to_string()),
                };
                samples.push((sent.elapsed(), status, format!("{what}: {text}")));
            }
            samples
        }));
    }
    let mut samples = Vec::new();
    for task in tasks {
        samples.extend(task.await?);
    }
    let elapsed = started.elapsed().as_secs_f64();
    let drain = drain(mail, mails_before).await;
    let mut latencies: Vec<Duration> = samples.iter().map(|s| s.0).collect();
    latencies.sort();
    let failures: Vec<(u16, String)> = samples
        .into_iter()
        .filter(|s| s.1 != 201)
        .map(|s| (s.1, s.2.chars().take(160).collect()))
        .collect();
    Ok(Report {
        bookings: plan.len(),
        failed: failures.len(),
        bookings_per_second: plan.len() as f64 / elapsed,
        emails: drain.0,
        drained_s: drain.1,
        p50_ms: percentile(&latencies, 0.50),
        p99_ms: percentile(&latencies, 0.99),
        free_slots: free_slots_rate(bases, clients).await?,
        failures,
    })
}

/// One connection per client (per server, with several), reused for every request it sends.
fn keep_alive_client() -> reqwest::Client {
    reqwest::Client::builder()
        .pool_max_idle_per_host(1)
        .build()
        .unwrap_or_default()
}

fn percentile(sorted: &[Duration], q: f64) -> f64 {
    let Some(last) = sorted.len().checked_sub(1) else {
        return 0.0;
    };
    let index = ((last as f64) * q).round() as usize;
    sorted[index.min(last)].as_secs_f64() * 1000.0
}

/// Bookings (what, JSON body) of slots free now that don't overlap for any staff member, shuffled
/// so that concurrent clients hit different staff and days.
async fn plan(base: &str, offers: &[Offer]) -> Result<Vec<(String, String)>> {
    let client = reqwest::Client::new();
    let today = Utc::now().date_naive();
    let last = today + Days::new(PLAN_DAYS - 1);
    // Per staff member: the intervals (epoch minutes) already planned.
    let mut busy: Vec<(&str, i64, i64)> = Vec::new();
    let mut bodies = Vec::new();
    for (service, staff, minutes, margin) in offers {
        let (service, staff, minutes, margin) = (*service, staff.as_str(), *minutes, *margin);
        let url = format!(
            "{base}{DEMO}/widget/freeSlots?startDate={today}&endDate={last}&serviceId={service}&staffId={staff}&timeZone=Europe/Paris&lang=en"
        );
        let answer: Value = serde_json::from_slice(&client.get(&url).send().await?.bytes().await?)?;
        let starts = answer["items"]
            .as_array()
            .into_iter()
            .flatten()
            .flat_map(|day| day["slots"].as_array().into_iter().flatten())
            .filter_map(Value::as_str);
        for start in starts {
            let at: DateTime<FixedOffset> = DateTime::parse_from_rfc3339(start)?;
            let from = at.timestamp() / 60 - margin;
            let to = at.timestamp() / 60 + minutes + margin;
            let clash = busy
                .iter()
                .any(|&(who, a, b)| who == staff && from < b && a < to);
            if clash {
                continue;
            }
            busy.push((staff, from, to));
            let what = format!("{service} with {staff} at {start}");
            bodies.push((what, booking(service, staff, start, bodies.len())));
        }
    }
    shuffle(&mut bodies);
    Ok(bodies)
}

/// One bookable offer: service, staff member, minutes, margin (see [`OFFERS`]).
type Offer = (&'static str, String, i64, i64);

/// Adds [`COPIES`] of each demo staff member without a connected calendar (same hours, same
/// services) through the setup API, and returns every offer to book, the copies' included.
async fn add_staff(base: &str) -> Result<Vec<Offer>> {
    let client = reqwest::Client::new();
    // The demo's collection `name`, read through the setup API.
    let setup = |name: &str| {
        let request = client
            .get(format!("{base}{DEMO}/{name}"))
            .header("apiKey", API_KEY);
        async move {
            let body = request.send().await?.error_for_status()?.bytes().await?;
            Ok::<Value, Box<dyn std::error::Error>>(serde_json::from_slice(&body)?)
        }
    };
    let listed = setup("staff").await?;
    // A service holding a resource (the massage room) can't take more staff at once.
    let services = setup("services").await?;
    let holds_resource = |id: &str| {
        services["items"].as_array().into_iter().flatten().any(|s| {
            s["id"].as_str() == Some(id) && s["resource"].as_array().is_some_and(|r| !r.is_empty())
        })
    };
    let mut offers: Vec<Offer> = OFFERS
        .iter()
        .map(|&(service, staff, minutes, margin)| (service, staff.to_owned(), minutes, margin))
        .collect();
    for original in listed["items"].as_array().into_iter().flatten() {
        let Some(id) = original["id"].as_str() else {
            continue;
        };
        // hugo's calendar is connected: copies would share nothing of it, keep him alone.
        if id == "hugo" {
            continue;
        }
        for copy in 1..=COPIES {
            let mut member = original.clone();
            let copy_id = format!("{id}{copy}");
            member["id"] = json!(copy_id);
            member["email"] = json!(format!("{copy_id}@example.com"));
            member["lastName"] = json!(format!("Copy {copy}"));
            client
                .post(format!("{base}{DEMO}/staff"))
                .header("apiKey", API_KEY)
                .header("content-type", "application/json")
                .body(member.to_string())
                .send()
                .await?
                .error_for_status()?;
            for &(service, staff, minutes, margin) in &OFFERS {
                if staff == id && !holds_resource(service) {
                    offers.push((service, copy_id.clone(), minutes, margin));
                }
            }
        }
    }
    Ok(offers)
}

fn count_files(dir: &Path) -> usize {
    std::fs::read_dir(dir).map_or(0, |entries| entries.count())
}

/// Waits until the outbox has written the run's emails: until the mail directory stops growing
/// for a second (or [`DRAIN_LIMIT`]). Returns the emails written since `before`, and the seconds
/// until the last of them.
async fn drain(mail: &Path, before: usize) -> (usize, f64) {
    let started = Instant::now();
    let (mut count, mut last_change) = (count_files(mail), started);
    while started.elapsed() < DRAIN_LIMIT && last_change.elapsed() < Duration::from_secs(1) {
        tokio::time::sleep(Duration::from_millis(50)).await;
        let now = count_files(mail);
        if now != count {
            (count, last_change) = (now, Instant::now());
        }
    }
    (
        count.saturating_sub(before),
        (last_change - started).as_secs_f64(),
    )
}

/// Deterministic Fisher–Yates (xorshift), so runs are comparable.
fn shuffle<T>(items: &mut [T]) {
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    for i in (1..items.len()).rev() {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        items.swap(i, (state % (i as u64 + 1)) as usize);
    }
}

/// A complete booking of the demo form, as the widget sends it (see `tests/widget_booking.rs`).
fn booking(service: &str, staff: &str, start: &str, n: usize) -> String {
    json!({
        "serviceId": service,
        "staffId": staff,
        "start": start,
        "timeZone": "Europe/Paris",
        "lang": "en",
        "form": {
            "id": "default",
            "contactFields": [
                {"id": "firstName", "bind": "crm-first-name", "value": "Load"},
                {"id": "lastName", "bind": "crm-last-name", "value": format!("Client {n}")},
                {"id": "email", "bind": "crm-email", "value": format!("load{n}@example.com")}
            ],
            "additionalFields": [[
                {"id": "firstVisit", "values": [{"value": "yes"}]}
            ], [
                {"id": "zip", "value": "75011"},
                {"id": "consent", "values": [{"value": "agree"}]}
            ]]
        }
    })
    .to_string()
}

/// One-day `freeSlots` requests from `clients` keep-alive clients, to `bases` in turn.
async fn free_slots_rate(bases: &[String], clients: usize) -> Result<FreeSlots> {
    let day = Utc::now().date_naive() + Days::new(3);
    let urls: Arc<Vec<String>> = Arc::new(bases.iter().map(|base| format!(
        "{base}{DEMO}/widget/freeSlots?startDate={day}&endDate={day}&serviceId=haircut&timeZone=Europe/Paris&lang=en"
    )).collect());
    let started = Instant::now();
    let mut tasks = Vec::new();
    for client_number in 0..clients {
        let urls = urls.clone();
        tasks.push(tokio::spawn(async move {
            let client = keep_alive_client();
            let mut latencies = Vec::new();
            let mut turn = client_number;
            while started.elapsed() < FREE_SLOTS_FOR {
                let sent = Instant::now();
                let answer = client.get(&urls[turn % urls.len()]).send().await;
                turn += 1;
                if let Ok(r) = answer {
                    if r.status().is_success() && r.bytes().await.is_ok() {
                        latencies.push(sent.elapsed());
                    }
                }
            }
            latencies
        }));
    }
    let mut latencies = Vec::new();
    for task in tasks {
        latencies.extend(task.await?);
    }
    let per_second = latencies.len() as f64 / started.elapsed().as_secs_f64();
    latencies.sort();
    Ok(FreeSlots {
        per_second,
        p50_ms: percentile(&latencies, 0.50),
        p99_ms: percentile(&latencies, 0.99),
    })
}

/// The phases the server logged for each booking (`BOOKING_BENCH_TRACE`), as p50 / p99 in µs.
fn print_phases(log: &std::path::Path) {
    let text = std::fs::read_to_string(log).unwrap_or_default();
    let phases = [
        "prepare_us",
        "queued_us",
        "locked_us",
        "check_us",
        "client_us",
        "assemble_us",
        "insert_us",
        "commit_us",
    ];
    for phase in phases {
        let mut values: Vec<Duration> = text
            .lines()
            .filter(|l| l.contains(" booked"))
            .filter_map(|l| l.split_whitespace().find_map(|w| w.strip_prefix(phase)))
            .filter_map(|v| v.trim_start_matches('=').parse().ok())
            .map(Duration::from_micros)
            .collect();
        values.sort();
        println!(
            "        {phase:<11} p50 {:>7.0} µs   p99 {:>7.0} µs   ({} bookings)",
            percentile(&values, 0.50) * 1000.0,
            percentile(&values, 0.99) * 1000.0,
            values.len()
        );
    }
}

/// A release `booking-server serve --demo` on a free loopback port over a fresh SQLite database
/// (or `--db` given); killed and its directory removed on drop.
pub struct Server {
    child: Child,
    pub url: String,
    dir: PathBuf,
    /// The server's log of booking phases, with `BOOKING_BENCH_TRACE`.
    trace: Option<PathBuf>,
    /// Where its outbox writes emails (no SMTP server is given).
    pub mail: PathBuf,
}

impl Server {
    pub fn start(binary: &std::path::Path, db: Option<&str>) -> Result<Self> {
        static RUNS: AtomicUsize = AtomicUsize::new(0);
        let run = RUNS.fetch_add(1, Ordering::Relaxed);
        let dir = std::env::temp_dir().join(format!("booking-bench-{}-{run}", std::process::id()));
        std::fs::create_dir_all(&dir)?;
        let trace = std::env::var_os("BOOKING_BENCH_TRACE").map(|_| dir.join("server.log"));
        let stderr = match &trace {
            Some(path) => Stdio::from(std::fs::File::create(path)?),
            None => Stdio::null(),
        };
        let log_filter = match trace {
            Some(_) => {
                "warn,booking_server::routes::visits=debug,booking_server::booking::visitor=debug"
            }
            None => "warn",
        };
        let mut child = Command::new(binary)
            // Its emails go under its working directory on PostgreSQL (next to the file on
            // SQLite): this run's directory, removed with it.
            .current_dir(&dir)
            .args(["serve", "--demo", "--addr", "127.0.0.1:0"])
            // No per-IP limit worth the name: every client is 127.0.0.1.
            .args(["--bookings-per-minute", "100000000"])
            .arg("--widget-dir")
            .arg(dir.join("no-widget"))
            .arg("--db")
            .arg(db.map_or_else(|| dir.join("bench.sqlite").into_os_string(), Into::into))
            // `BOOKING_BENCH_BUSY_POLL=off`: the server without busy polling (its default is
            // `auto`; builds older than the flag take none).
            .args(
                std::env::var("BOOKING_BENCH_BUSY_POLL")
                    .map(|mode| vec!["--busy-poll".to_owned(), mode])
                    .unwrap_or_default(),
            )
            .env("RUST_LOG", log_filter)
            // Plain `key=value` fields in the log, which `print_phases` reads.
            .env("NO_COLOR", "1")
            .stdout(Stdio::piped())
            .stderr(stderr)
            .spawn()?;
        let mut lines = child.stdout.take().map(|out| BufReader::new(out).lines());
        let url = lines.as_mut().and_then(|lines| {
            lines.map_while(std::result::Result::ok).find_map(|line| {
                line.strip_prefix("booking-server listening on ")
                    .map(str::to_owned)
            })
        });
        let Some(url) = url else {
            let _ = child.kill();
            let _ = child.wait();
            return Err("the release booking-server did not start".into());
        };
        // Keep draining stdout so the server never blocks on a full pipe.
        if let Some(rest) = lines {
            std::thread::spawn(move || rest.map_while(std::result::Result::ok).for_each(drop));
        }
        let mail = match db {
            None => dir.join("mail"),
            Some(_) => dir.join("data/mail"),
        };
        Ok(Server {
            child,
            url,
            dir,
            trace,
            mail,
        })
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
