//! `cargo xtask <command>`: the project's tooling, in Rust.
//!
//! - `demo`  — install what is missing, build the widget (release), serve it with demo data.
//! - `test`  — install what tests need, then fmt, clippy, native tests and browser tests.
//! - `bench` — the slot engine benchmark, the widget's size report, the booking load and the widget's
//!   first load in Chromium (`bench web`, `bench load`: only that part), SQLite vs PostgreSQL
//!   (`bench pg`).
//! - `size`  — where the widget's wasm bytes go, by crate and by module (twiggy).
//! - `mutants` — mutation testing of the model, the slot engine and the server's rules.

mod api_fuzz;
mod bench_load;
mod bench_pg;
mod bench_web;
mod bench_web_popup;
mod catalogues;
mod cmd;
mod mutants;
mod precompress;
mod size;
mod test_postgres;
mod tools;

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Instant;

use cmd::{run, run_tests, Cmd};

pub type Result<T, E = Box<dyn std::error::Error>> = std::result::Result<T, E>;

const USAGE: &str = "usage: cargo xtask <demo [--addr HOST:PORT] | test [postgres] | bench [web|load|pg] | size [--monos] [--wasm FILE] | mutants [model | availability | booking]…>";

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("demo") => demo(&args[1..]),
        Some("test") if args[1..] == ["postgres"] => test_postgres::run().map(|lines| {
            for line in lines {
                println!("{line}");
            }
        }),
        Some("test") => test(),
        Some("bench") if args[1..] == ["web"] => bench_web::standalone(),
        Some("bench") if args[1..] == ["load"] => bench_load::run(),
        Some("bench") if args[1..] == ["pg"] => bench_pg::run(),
        Some("bench") => bench(),
        Some("size") => size::size(&args[1..]),
        Some("mutants") => mutants::mutants(&args[1..]),
        Some("catalogues") => catalogues::copy_to_staging(),
        _ => Err(USAGE.into()),
    };
    if let Err(e) = result {
        eprintln!("xtask: {e}");
        std::process::exit(1);
    }
}

/// The workspace root (this crate's parent directory).
pub fn project_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}

pub fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| project_root().join("target"))
}

/// Builds the widget in release mode into `dist/`.
fn build_widget() -> Result<()> {
    tools::ensure_widget_build_tools()?;
    run(Cmd::new("trunk").args(["build", "--release"]))?;
    precompress::precompress(&project_root().join("dist"))
}

fn demo(args: &[String]) -> Result<()> {
    let addr = match args {
        [] => "127.0.0.1:8080".to_owned(),
        [flag, addr] if flag == "--addr" => addr.clone(),
        _ => return Err(USAGE.into()),
    };
    build_widget()?;
    run(Cmd::new("cargo").args(["build", "--quiet", "-p", "booking-server"]))?;
    let server = target_dir().join("debug/booking-server");
    run(Cmd::new(server).args([
        "serve",
        "--demo",
        "--addr",
        &addr,
        "--db",
        "data/booking.sqlite",
        "--widget-dir",
        "dist",
        // The demo's watches may point at a receiver on this machine.
        "--allow-private-webhooks",
    ]))
}

/// One part of `cargo xtask test` and how it went.
struct Part {
    name: &'static str,
    seconds: f64,
    outcome: Result<Vec<String>, String>,
}

fn test() -> Result<()> {
    let started = Instant::now();
    let setup = Instant::now();
    tools::ensure_widget_build_tools()?;
    tools::ensure_chromium()?;
    tools::ensure_openssl()?;
    tools::ensure_axe()?;
    tools::ensure_standardwebhooks()?;
    tools::ensure_aiosmtpd()?;
    tools::ensure_radicale()?;
    tools::ensure_postgres()?;
    eprintln!(
        "xtask: tools ready in {:.0} s",
        setup.elapsed().as_secs_f64()
    );

    let mut parts = Vec::new();
    let mut part = |name: &'static str, f: &mut dyn FnMut() -> Result<Vec<String>>| {
        eprintln!("\n=== {name}");
        let t = Instant::now();
        let outcome = f().map_err(|e| e.to_string());
        parts.push(Part {
            name,
            seconds: t.elapsed().as_secs_f64(),
            outcome,
        });
    };
    part("cargo fmt --check", &mut || {
        run(Cmd::new("cargo").args(["fmt", "--all", "--", "--check"])).map(|()| vec![])
    });
    part("clippy (native)", &mut || {
        run(Cmd::new("cargo").args([
            "clippy",
            "--workspace",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ]))
        .map(|()| vec![])
    });
    part("clippy (widget, wasm32)", &mut || {
        run(Cmd::new("cargo").args([
            "clippy",
            "-p",
            "booking-widget",
            "--target",
            "wasm32-unknown-unknown",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ]))
        .map(|()| vec![])
    });
    part("widget release build (trunk)", &mut || {
        build_widget().map(|()| vec![])
    });
    // After the widget build: the end-to-end tests (crates/e2e) drive the release widget in Chromium.
    part("native tests (incl. end-to-end in Chromium)", &mut || {
        run_tests(
            Cmd::new("cargo")
                .args(["test", "--workspace"])
                .env("CHROMEDRIVER", tools::CHROMEDRIVER)
                .env("AXE_SCRIPT", tools::axe_script())
                .env("STANDARDWEBHOOKS_PYTHON", tools::standardwebhooks_python())
                .env("AIOSMTPD_PYTHON", tools::aiosmtpd_python())
                .env("RADICALE_PYTHON", tools::radicale_python()),
        )
    });
    part("server tests on PostgreSQL", &mut test_postgres::run);
    part("browser tests (headless Chromium)", &mut browser_tests);
    part("API vs. its OpenAPI (schemathesis)", &mut api_fuzz::run);

    eprintln!(
        "\n=== summary ({:.0} s in all)",
        started.elapsed().as_secs_f64()
    );
    let (mut passed, mut failed, mut broken) = (0, 0, 0);
    for p in &parts {
        match &p.outcome {
            Ok(lines) => {
                println!("ok     {:<36} {:>6.1} s", p.name, p.seconds);
                for line in lines {
                    println!("         {line}");
                    let (pa, fa) = count(line);
                    passed += pa;
                    failed += fa;
                }
            }
            Err(e) => {
                broken += 1;
                println!("FAILED {:<36} {:>6.1} s  {e}", p.name, p.seconds);
            }
        }
    }
    println!("{passed} passed, {failed} failed");
    if broken > 0 {
        return Err(format!("{broken} part(s) failed").into());
    }
    Ok(())
}

/// `(passed, failed)` from a line like `test result: ok. 12 passed; 0 failed; 0 ignored; ...`.
fn count(line: &str) -> (u64, u64) {
    let number_before = |word: &str| {
        line.split(';')
            .find_map(|part| {
                part.trim()
                    .strip_suffix(word)?
                    .split_whitespace()
                    .last()?
                    .parse()
                    .ok()
            })
            .unwrap_or(0)
    };
    (number_before(" passed"), number_before(" failed"))
}

/// The widget's `tests/*.rs` in headless Chromium, against a real server with demo data.
fn browser_tests() -> Result<Vec<String>> {
    let server = TestServer::start()?;
    run_tests(
        Cmd::new("cargo")
            .args([
                "test",
                "-p",
                "booking-widget",
                "--target",
                "wasm32-unknown-unknown",
            ])
            .env("CHROMEDRIVER", tools::CHROMEDRIVER)
            // Read by the tests at compile time (option_env!): the server they talk HTTP to.
            .env("BOOKING_API_URL", &server.url),
    )
}

/// Builds `target/debug/booking-server` with the dependency features of `cargo test --workspace`.
/// Cargo unifies features over the packages and targets a command selects, so `cargo build -p
/// booking-server` picks other features of tokio, syn and others than the workspace's tests and
/// recompiled ~80 crates and the server after the test part; `--workspace --tests` selects as
/// `cargo test --workspace` does, so after it everything is fresh.
fn build_server_as_tests_do() -> Result<()> {
    run(Cmd::new("cargo").args(["build", "--quiet", "--workspace", "--tests"]))
}

/// A `booking-server --demo` on a free loopback port with a throw-away database; killed on drop.
struct TestServer {
    child: Child,
    url: String,
    dir: PathBuf,
}

impl TestServer {
    fn start() -> Result<Self> {
        build_server_as_tests_do()?;
        let dir = std::env::temp_dir().join(format!("booking-xtask-{}", std::process::id()));
        std::fs::create_dir_all(&dir)?;
        let mut child = Command::new(target_dir().join("debug/booking-server"))
            .args([
                "serve",
                "--demo",
                "--addr",
                "127.0.0.1:0",
                "--widget-dir",
                "dist",
                "--db",
            ])
            .arg(dir.join("test.sqlite"))
            .current_dir(project_root())
            .stdout(Stdio::piped())
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
            return Err("test server did not start (see its output above)".into());
        };
        // Keep draining its stdout so the server never blocks on a full pipe.
        if let Some(rest) = lines {
            std::thread::spawn(move || rest.map_while(std::result::Result::ok).for_each(drop));
        }
        eprintln!("xtask: test server at {url}");
        Ok(TestServer { child, url, dir })
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn bench() -> Result<()> {
    run(Cmd::new("cargo").args(["bench", "-p", "booking-availability"]))?;
    build_widget()?;
    size_report(&project_root().join("dist"))?;
    size::last_build()?;
    bench_load::run()?;
    bench_pg::run()?;
    bench_web::run_bench(&project_root().join("dist"))
}

/// Raw and gzip -9 size of each built widget file, and the total the size budget is about.
fn size_report(dist: &Path) -> Result<()> {
    let mut total = (0usize, 0usize);
    println!("{:<48} {:>10} {:>10}", "widget file", "bytes", "gzip -9");
    let mut entries: Vec<_> = std::fs::read_dir(dist)?
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .collect();
    entries.sort();
    for path in entries {
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .unwrap_or_default();
        if !matches!(ext, "wasm" | "js" | "css") {
            continue;
        }
        let (raw, zipped) = sizes(&path)?;
        total = (total.0 + raw, total.1 + zipped);
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        println!("{name:<48} {raw:>10} {zipped:>10}");
    }
    println!(
        "{:<48} {:>10} {:>10}",
        "total (wasm + js + css)", total.0, total.1
    );
    let (raw, zipped) = sizes(&project_root().join("crates/server/assets/embed.js"))?;
    println!(
        "{:<48} {raw:>10} {zipped:>10}",
        "embed.js (budget 5 KB gzip)"
    );
    Ok(())
}

/// `(bytes, gzip -9 bytes)` of a file.
fn sizes(path: &Path) -> Result<(usize, usize)> {
    use std::io::Write;
    let bytes = std::fs::read(path)?;
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    gz.write_all(&bytes)?;
    Ok((bytes.len(), gz.finish()?.len()))
}
