//! `cargo xtask test`, the server's integration tests on PostgreSQL: the test binaries below run a
//! second time with `BOOKING_TEST_DB=postgres`, each on its own throwaway cluster
//! (`crates/server/tests/support/postgres.rs`; the binaries come from `tools::ensure_postgres`).
//! `scale_out` (several server processes on one PostgreSQL) always uses PostgreSQL and runs in
//! the workspace tests.

use crate::cmd::{run_tests, Cmd};
use crate::Result;

/// The server test binaries that pass on PostgreSQL. Not yet: `appointments_api` (a booking longer
/// than a day, personal appointments), `calendar_feed`, and those that open SQLite files or
/// processes themselves (`email`, `webhooks`, `process`, `static_files`, `openapi`, `write_path`).
const ON_POSTGRES: &[&str] = &[
    "health",
    "public_api",
    "setup_api",
    "widget_booking",
    "calendar_sync",
];

pub fn run() -> Result<Vec<String>> {
    crate::tools::ensure_postgres()?;
    let mut cmd = Cmd::new("cargo").args(["test", "-p", "booking-server"]);
    for test in ON_POSTGRES {
        cmd = cmd.args(["--test", test]);
    }
    run_tests(
        cmd.env("BOOKING_TEST_DB", "postgres")
            .env("RADICALE_PYTHON", crate::tools::radicale_python()),
    )
}
