//! The bounded API run of `cargo xtask test`: schemathesis generates requests from
//! `/api/openapi.json` — valid ones, which must be accepted, and invalid ones, which must be
//! refused with a 4xx — against a real `booking-server --demo` on a free loopback port with a
//! throw-away database, and checks every answer against the document (`--checks all`): no 5xx, every
//! response as documented, no schema-valid request rejected. Settings that are not about time are in
//! `xtask/schemathesis.toml`.

use std::process::Command;

use serde_json::Value;

use crate::{tools, Result, TestServer};

/// Test cases per operation and phase (the coverage phase makes its own, from the schema's bounds).
const MAX_EXAMPLES: &str = "20";
/// The whole run, in seconds: fuzzing and stateful testing repeat until it is spent.
const MAX_TIME: &str = "120";
/// Fixed, so a failure seen once can be replayed with the same command.
const SEED: &str = "20261201";

pub fn run() -> Result<Vec<String>> {
    tools::ensure_schemathesis()?;
    let server = TestServer::start()?;
    let report = server.dir.join("schemathesis.json");
    let config = crate::project_root().join("xtask/schemathesis.toml");
    let mut command = Command::new(tools::schemathesis_bin());
    // `--config-file` is an option of `schemathesis` itself, not of `run`.
    command
        .arg("--config-file")
        .arg(&config)
        .arg("run")
        .arg(format!("{}/api/openapi.json", server.url))
        .args(["--checks", "all", "--workers", "2", "--no-color"])
        // Hypothesis's "too slow" health check times data generation on this shared 2-core
        // machine (it fired on POST appointments' large body at load 5): a verdict on the machine,
        // not on the API, and the time bound below already caps the run.
        .args(["--suppress-health-check", "too_slow"])
        .args([
            "--max-examples",
            MAX_EXAMPLES,
            "--max-time",
            MAX_TIME,
            "--seed",
            SEED,
        ])
        .args(["--report", "json", "--report-json-path"])
        .arg(&report)
        // Its cache (`.schemathesis/`) goes with the throw-away database.
        .current_dir(&server.dir);
    eprintln!("$ {command:?}");
    let status = command.status()?;
    let summary = summarize(&report)?;
    if !status.success() || summary.failures > 0 {
        return Err(format!(
            "schemathesis found {} failure(s) ({status}): {}",
            summary.failures,
            summary.lines.join("; ")
        )
        .into());
    }
    Ok(summary.lines)
}

struct Summary {
    failures: u64,
    lines: Vec<String>,
}

/// The counts of the JSON report: operations, requests, and failures by check.
fn summarize(report: &std::path::Path) -> Result<Summary> {
    let text = std::fs::read_to_string(report)
        .map_err(|e| format!("no schemathesis report at {}: {e}", report.display()))?;
    let report: Value = serde_json::from_str(&text)?;
    let number = |v: &Value| v.as_u64().unwrap_or(0);
    let tested = number(&report["operations"]["tested"]);
    let generated = number(&report["test_cases"]["generated"]);
    let groups = report["failures"].as_array().cloned().unwrap_or_default();
    let mut failed_operations = std::collections::BTreeSet::new();
    let mut lines = Vec::new();
    let mut failures = 0;
    for group in &groups {
        failures += number(&group["count"]);
        for op in group["operations"].as_array().into_iter().flatten() {
            failed_operations.insert(op.to_string());
        }
        lines.push(format!("{}: {}", group["title"], group["count"]));
    }
    for error in report["errors"].as_array().into_iter().flatten() {
        failures += number(&error["count"]);
        lines.push(format!("error {}: {}", error["title"], error["count"]));
    }
    let clean = tested.saturating_sub(failed_operations.len() as u64);
    lines.insert(
        0,
        format!(
            "schemathesis: {tested} operations, {generated} requests; {clean} passed; {} failed",
            failed_operations.len()
        ),
    );
    Ok(Summary { failures, lines })
}
