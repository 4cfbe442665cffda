//! `cargo xtask test`, the server's integration tests on PostgreSQL: the test binaries below run a
//! second time with `BOOKING_TEST_DB=postgres`, each on its own throwaway cluster
//! (`crates/server/tests/support/postgres.rs`; the binaries come from `tools::ensure_postgres`).
//! `scale_out` (several server processes on one PostgreSQL) always uses PostgreSQL and runs in
//! the workspace tests.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::cmd::{run_tests, stdout_of, Cmd};
use crate::Result;

/// The server's integration test binaries, all run on PostgreSQL too (each opens its databases
/// through `tests/support`, which maps a test's database path to a PostgreSQL database).
/// `scale_out` always runs on PostgreSQL, in the workspace tests.
const ON_POSTGRES: &[&str] = &[
    "appointments_api",
    "calendar_feed",
    "calendar_sync",
    "email",
    "health",
    "openapi",
    "process",
    "public_api",
    "setup_api",
    "static_files",
    "webhooks",
    "widget_booking",
    "widget_page",
    "write_path",
];

pub fn run() -> Result<Vec<String>> {
    crate::tools::ensure_postgres()?;
    let mut summaries = Vec::new();
    let mut failed = Vec::new();
    for (name, executable) in test_executables()? {
        // As cargo runs an integration test: from its package's directory.
        let cmd = Cmd::new(&executable)
            .current_dir(crate::project_root().join("crates/server"))
            .env("BOOKING_TEST_DB", "postgres")
            .env("RADICALE_PYTHON", crate::tools::radicale_python());
        match run_tests(cmd) {
            Ok(lines) => summaries.extend(lines),
            Err(e) => {
                eprintln!("xtask: {e}");
                failed.push(name);
            }
        }
    }
    if !failed.is_empty() {
        return Err(format!("failed on PostgreSQL: {}", failed.join(", ")).into());
    }
    Ok(summaries)
}

/// The `ON_POSTGRES` test executables, as `cargo test --workspace` built them. Any other cargo
/// selection (`-p booking-server`, or `--workspace --test X …`) unifies dependency features
/// differently and recompiled ~80 crates; asking the same selection with `--no-run` reuses the
/// workspace tests' build and names the executables.
fn test_executables() -> Result<Vec<(String, PathBuf)>> {
    let out = stdout_of(Cmd::new("cargo").args([
        "test",
        "--workspace",
        "--no-run",
        "--message-format=json",
    ]))?;
    let mut found = Vec::new();
    for line in out.lines() {
        let Ok(message) = serde_json::from_str::<Value>(line) else {
            continue;
        };
        let target = &message["target"];
        let is_test = target["kind"]
            .as_array()
            .is_some_and(|kinds| kinds.iter().any(|k| k == "test"));
        let name = target["name"].as_str().unwrap_or_default();
        let in_server = target["src_path"]
            .as_str()
            .is_some_and(|p| Path::new(p).starts_with(crate::project_root().join("crates/server")));
        if let (true, true, true, Some(executable)) = (
            message["reason"] == "compiler-artifact",
            is_test && in_server,
            ON_POSTGRES.contains(&name),
            message["executable"].as_str(),
        ) {
            found.push((name.to_owned(), PathBuf::from(executable)));
        }
    }
    found.sort();
    let missing: Vec<_> = ON_POSTGRES
        .iter()
        .filter(|name| !found.iter().any(|(n, _)| n == *name))
        .collect();
    if !missing.is_empty() {
        return Err(format!("cargo built no test executable named {missing:?}").into());
    }
    Ok(found)
}
