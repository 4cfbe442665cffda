//! `cargo xtask test`, the server's integration tests on PostgreSQL: the test binaries below run a
//! second time with `BOOKING_TEST_DB=postgres`, each on its own throwaway cluster
//! (`crates/server/tests/support/postgres.rs`; the binaries come from `tools::ensure_postgres`).
//! `scale_out` (several server processes on one PostgreSQL) always uses PostgreSQL and runs in
//! the workspace tests.

use crate::cmd::{run_tests, Cmd};
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
    "write_path",
];

pub fn run() -> Result<Vec<String>> {
    crate::tools::ensure_postgres()?;
    // `--workspace`, not `-p booking-server`: the same feature selection as the workspace tests
    // before, so their build is reused instead of ~80 crates compiled again.
    let mut cmd = Cmd::new("cargo").args(["test", "--workspace"]);
    for test in ON_POSTGRES {
        cmd = cmd.args(["--test", test]);
    }
    run_tests(
        cmd.env("BOOKING_TEST_DB", "postgres")
            .env("RADICALE_PYTHON", crate::tools::radicale_python()),
    )
}
