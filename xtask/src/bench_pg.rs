//! `cargo xtask bench` (also `bench pg` alone), SQLite against PostgreSQL: the booking load of
//! `bench_load` (its plan, clients and `freeSlots` run, not a copy) against one release
//! `booking-server` on SQLite, one on PostgreSQL, and three on one PostgreSQL database behind a
//! round-robin client, in one run, with the ratios.
//!
//! The PostgreSQL cluster is a throwaway one (initdb in a temporary directory, a free loopback
//! port), with `synchronous_commit=off`: a commit is not flushed before it is acknowledged, as
//! SQLite's `synchronous=NORMAL` in WAL mode does not flush it (both may lose the last commits on
//! power loss, neither is corrupted). On a 2-core machine, three nodes, PostgreSQL and the load
//! generator share the same cores: the 3-node figure shows the write lock holding under
//! contention, not scaling.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::bench_load::{self, Report, Server};
use crate::Result;

/// Concurrent keep-alive clients of each run (the contended figure of `bench_load`).
const CLIENTS: usize = 32;

pub fn run() -> Result<()> {
    if let Some(done) = bench_load::in_optimised_client(&["bench", "pg"]) {
        return done;
    }
    let binary = bench_load::release_server()?;
    let bin = crate::tools::ensure_postgres()?;
    let cluster = Cluster::start(&bin)?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    println!(
        "\nSQLite vs PostgreSQL: {} --demo, {CLIENTS} clients, loopback, widget route",
        binary.display()
    );
    println!("load average before: {}", bench_load::load_average());
    println!(
        "{:<16} {:>8} {:>7} {:>10} {:>7} {:>7} {:>11} {:>7} {:>7}",
        "setup",
        "bookings",
        "non-201",
        "bookings/s",
        "p50 ms",
        "p99 ms",
        "freeSlots/s",
        "p50 ms",
        "p99 ms"
    );
    let mut reports = Vec::new();
    for (name, nodes) in [("SQLite, 1 node", 0), ("PG, 1 node", 1), ("PG, 3 nodes", 3)] {
        let servers = match nodes {
            0 => vec![Server::start(&binary, None)?],
            n => {
                let url = cluster.database(&format!("bench{n}"))?;
                (0..n)
                    .map(|_| Server::start(&binary, Some(&url)))
                    .collect::<Result<Vec<_>>>()?
            }
        };
        let bases: Vec<String> = servers.iter().map(|s| s.url.clone()).collect();
        let mail = &servers[0].mail;
        let report = runtime.block_on(bench_load::measure(&bases, mail, CLIENTS))?;
        print_row(name, &report);
        reports.push(report);
    }
    println!("load average after: {}", bench_load::load_average());
    let ratio = |a: f64, b: f64| if b > 0.0 { a / b } else { f64::NAN };
    let [sqlite, pg1, pg3] = &reports[..] else {
        return Err("three runs expected".into());
    };
    println!(
        "ratios: bookings/s PG 1 node / SQLite {:.2}, PG 3 nodes / PG 1 node {:.2}; \
         freeSlots/s PG 1 node / SQLite {:.2}, PG 3 nodes / PG 1 node {:.2}",
        ratio(pg1.bookings_per_second, sqlite.bookings_per_second),
        ratio(pg3.bookings_per_second, pg1.bookings_per_second),
        ratio(pg1.free_slots.per_second, sqlite.free_slots.per_second),
        ratio(pg3.free_slots.per_second, pg1.free_slots.per_second),
    );
    Ok(())
}

fn print_row(name: &str, report: &Report) {
    println!(
        "{name:<16} {:>8} {:>7} {:>10.0} {:>7.1} {:>7.1} {:>11.0} {:>7.1} {:>7.1}",
        report.bookings,
        report.failed,
        report.bookings_per_second,
        report.p50_ms,
        report.p99_ms,
        report.free_slots.per_second,
        report.free_slots.p50_ms,
        report.free_slots.p99_ms,
    );
    for (status, body) in report.failures.iter().take(3) {
        println!("        e.g. {status}: {body}");
    }
}

/// A throwaway PostgreSQL cluster; stopped and removed on drop. As root, it runs as the
/// `postgres` user (initdb refuses root).
struct Cluster {
    bin: PathBuf,
    dir: PathBuf,
    port: u16,
    root: bool,
}

impl Cluster {
    fn start(bin: &Path) -> Result<Cluster> {
        let dir = std::env::temp_dir().join(format!("booking-bench-pg-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir)?;
        let root = Command::new("id")
            .arg("-u")
            .output()
            .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0");
        let port = std::net::TcpListener::bind("127.0.0.1:0")?
            .local_addr()?
            .port();
        let cluster = Cluster {
            bin: bin.to_owned(),
            dir,
            port,
            root,
        };
        if root {
            check(
                Command::new("chown")
                    .arg("postgres:postgres")
                    .arg(&cluster.dir),
            )?;
        }
        let data = cluster.dir.join("data");
        check(
            cluster
                .as_owner("initdb")
                .arg("-D")
                .arg(&data)
                // `C`: the collation the README asks for (SQLite's text order).
                .args(["-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C"]),
        )?;
        let log = std::fs::File::create(cluster.dir.join("postgres.log"))?;
        cluster
            .as_owner("pg_ctl")
            .arg("-D")
            .arg(&data)
            .arg("-o")
            .arg(format!(
                "-p {port} -k {} -c listen_addresses=127.0.0.1 -c synchronous_commit=off \
                 -c max_connections=200",
                cluster.dir.display()
            ))
            .args(["-w", "start"])
            .stdout(log)
            .stderr(Stdio::null())
            .status()?
            .success()
            .then_some(())
            .ok_or("PostgreSQL did not start (see its log in the temporary directory)")?;
        let deadline = Instant::now() + Duration::from_secs(30);
        while !Command::new(bin.join("pg_isready"))
            .args(["-h", "127.0.0.1", "-p", &port.to_string(), "-q"])
            .status()
            .is_ok_and(|s| s.success())
        {
            if Instant::now() > deadline {
                return Err("PostgreSQL did not answer".into());
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        Ok(cluster)
    }

    /// A new empty database's URL.
    fn database(&self, name: &str) -> Result<String> {
        check(
            Command::new(self.bin.join("createdb"))
                .args([
                    "-h",
                    "127.0.0.1",
                    "-p",
                    &self.port.to_string(),
                    "-U",
                    "postgres",
                ])
                .arg(name),
        )?;
        Ok(format!(
            "postgres://postgres@127.0.0.1:{}/{name}",
            self.port
        ))
    }

    fn as_owner(&self, program: &str) -> Command {
        match self.root {
            true => {
                let mut cmd = Command::new("runuser");
                cmd.args(["-u", "postgres", "--"])
                    .arg(self.bin.join(program));
                cmd
            }
            false => Command::new(self.bin.join(program)),
        }
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let _ = self
            .as_owner("pg_ctl")
            .arg("-D")
            .arg(self.dir.join("data"))
            .args(["-m", "fast", "stop"])
            .stdout(Stdio::null())
            .status();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Runs `cmd` quietly; its stderr in the error when it fails.
fn check(cmd: &mut Command) -> Result<()> {
    let out = cmd.stdout(Stdio::null()).output()?;
    match out.status.success() {
        true => Ok(()),
        false => Err(format!(
            "{:?} failed: {}",
            cmd.get_program(),
            String::from_utf8_lossy(&out.stderr)
        )
        .into()),
    }
}
