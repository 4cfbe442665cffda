//! A throwaway PostgreSQL cluster for the integration tests, when `BOOKING_TEST_DB=postgres`: one
//! cluster per test binary (initdb in a temporary directory, a free loopback port, its socket in
//! that directory), one fresh database per test. The cluster stops when the test binary exits: a
//! watchdog process waits for it and then stops the server and removes the directory.
//!
//! `initdb` refuses to run as root, so as root the cluster belongs to the `postgres` user
//! (`runuser`). The server binaries are found under /usr/lib/postgresql/*/bin
//! (`cargo xtask test` installs Debian's `postgresql` when they are missing).

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

/// Whether the tests of this run use PostgreSQL (`BOOKING_TEST_DB=postgres`).
pub fn wanted() -> bool {
    std::env::var("BOOKING_TEST_DB").is_ok_and(|v| v == "postgres")
}

struct Cluster {
    /// `postgres://postgres@127.0.0.1:PORT`, without a database name.
    base_url: String,
}

static CLUSTER: OnceLock<Cluster> = OnceLock::new();
static NEXT_DB: AtomicUsize = AtomicUsize::new(0);

/// The URL of a fresh, empty database on this binary's cluster (started at the first call).
pub async fn fresh_url() -> String {
    let cluster = CLUSTER.get_or_init(start);
    let name = format!(
        "t{}_{}",
        std::process::id(),
        NEXT_DB.fetch_add(1, Ordering::Relaxed)
    );
    sqlx::any::install_default_drivers();
    let mut admin = <sqlx::AnyConnection as sqlx::Connection>::connect(&format!(
        "{}/postgres",
        cluster.base_url
    ))
    .await
    .expect("connect to the test cluster");
    sqlx::Executor::execute(&mut admin, format!("CREATE DATABASE {name}").as_str())
        .await
        .expect("create database");
    format!("{}/{name}", cluster.base_url)
}

/// The `--db` of a test that names its database by a file path: that path, or with
/// `BOOKING_TEST_DB=postgres` the URL of a PostgreSQL database made for that path at its first
/// use and the same one afterwards (so a test that restarts a server on "its file" finds its data).
pub fn location_for(path: &Path) -> String {
    if !wanted() {
        return path.display().to_string();
    }
    static MADE: Mutex<Vec<(PathBuf, String)>> = Mutex::new(Vec::new());
    let mut made = MADE.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    if let Some((_, url)) = made.iter().find(|(p, _)| p == path) {
        return url.clone();
    }
    // Callers may be inside a single-threaded runtime, which blocking on async work here would
    // stall: the database is made on a thread with its own.
    let url = std::thread::spawn(|| {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime")
            .block_on(fresh_url())
    })
    .join()
    .expect("create the test database");
    made.push((path.to_owned(), url.clone()));
    url
}

/// The newest PostgreSQL server binaries under /usr/lib/postgresql/VERSION/bin, versions compared
/// as numbers (9.6 < 10 < 15, where sorting the names as text would pick 9.6).
fn bin_dir() -> Result<PathBuf, String> {
    let found = std::fs::read_dir("/usr/lib/postgresql")
        .map(|dirs| {
            dirs.flatten()
                .filter(|d| d.path().join("bin/initdb").exists())
                .filter_map(|d| {
                    let name = d.file_name().to_string_lossy().into_owned();
                    Some((version_key(&name)?, d.path().join("bin")))
                })
                .max()
        })
        .unwrap_or_default();
    found.map(|(_, bin)| bin).ok_or_else(|| {
        "these tests need PostgreSQL's server binaries (initdb, postgres) under \
         /usr/lib/postgresql/VERSION/bin: run `cargo xtask test`, which installs them, or \
         `apt-get install postgresql`"
            .to_owned()
    })
}

/// `"15"` → `[15]`, `"9.6"` → `[9, 6]`; `None` for a directory that is not a version.
pub fn version_key(name: &str) -> Option<Vec<u32>> {
    name.split('.').map(|part| part.parse().ok()).collect()
}

/// Panics with what to install when this machine has no PostgreSQL server binaries, so a test that
/// always runs on PostgreSQL says so at its start instead of failing deep inside.
pub fn require_binaries() {
    if let Err(missing) = bin_dir() {
        panic!("{missing}");
    }
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false)
}

/// `program args…`, as the `postgres` user when we are root.
fn as_owner(program: &Path, root: bool) -> Command {
    match root {
        true => {
            let mut cmd = Command::new("runuser");
            cmd.args(["-u", "postgres", "--"]).arg(program);
            cmd
        }
        false => Command::new(program),
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("free port")
}

// The server and its watchdog outlive the test binary on purpose (the watchdog stops the server
// once the binary is gone): neither is waited for.
#[allow(clippy::zombie_processes)]
fn start() -> Cluster {
    let bin = bin_dir().unwrap_or_else(|missing| panic!("{missing}"));
    let root = is_root();
    // Removed on drop until the cluster is up: a failed initdb or start leaves nothing behind.
    let temp = tempfile::Builder::new()
        .prefix("booking-pg-")
        .tempdir()
        .expect("temp dir");
    let dir = temp.path().to_owned();
    if root {
        let status = Command::new("chown")
            .args(["-R", "postgres:postgres"])
            .arg(&dir)
            .status()
            .expect("chown");
        assert!(status.success(), "chown the cluster directory");
    }
    let data = dir.join("data");
    let out = as_owner(&bin.join("initdb"), root)
        .args(["-D"])
        .arg(&data)
        // `C`: text sorts by code point, as SQLite's BINARY collation does (README: operators
        // create the database the same way), whatever the machine's locale.
        .args([
            "-U",
            "postgres",
            "--auth=trust",
            "-E",
            "UTF8",
            "--locale=C",
            "--no-sync",
        ])
        .output()
        .expect("initdb");
    assert!(
        out.status.success(),
        "initdb: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let port = free_port();
    // Durability is not what these tests check: no fsync, and a small footprint.
    let server = as_owner(&bin.join("postgres"), root)
        .arg("-D")
        .arg(&data)
        .args(["-p", &port.to_string(), "-k"])
        .arg(&dir)
        .args([
            "-c",
            "listen_addresses=127.0.0.1",
            "-c",
            "fsync=off",
            "-c",
            "synchronous_commit=off",
            "-c",
            "full_page_writes=off",
            "-c",
            "max_connections=300",
            "-c",
            "shared_buffers=32MB",
        ])
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(dir.join("postgres.log")).expect("log file"))
        .spawn()
        .expect("start postgres");
    drop(server);
    // From here the watchdog owns the directory (and removes it when the test binary exits).
    watch(&bin, &data, &dir, root);
    let _ = temp.keep();
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let ready = Command::new(bin.join("pg_isready"))
            .args(["-h", "127.0.0.1", "-p", &port.to_string(), "-q"])
            .status()
            .is_ok_and(|s| s.success());
        if ready {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "PostgreSQL did not start: {}",
            std::fs::read_to_string(dir.join("postgres.log")).unwrap_or_default()
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    Cluster {
        base_url: format!("postgres://postgres@127.0.0.1:{port}"),
    }
}

/// Starts a process that waits for this test binary to exit, then stops the cluster (fast
/// shutdown) and removes its directory.
#[allow(clippy::zombie_processes)]
fn watch(bin: &Path, data: &Path, dir: &Path, root: bool) {
    let stop = format!(
        "{} {} -D {} -m fast stop",
        if root { "runuser -u postgres --" } else { "" },
        bin.join("pg_ctl").display(),
        data.display()
    );
    let script = format!(
        "while kill -0 {} 2>/dev/null; do sleep 0.5; done; {stop} >/dev/null 2>&1; rm -rf {}",
        std::process::id(),
        dir.display()
    );
    Command::new("sh")
        .args(["-c", &script])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start the cluster's watchdog");
}
