//! `cargo xtask mutants [model | availability | booking]…`: mutation testing with cargo-mutants.
//! Each mutant (a function body replaced, an operator flipped) must make some test fail; the
//! survivors ("missed") are rules the suite does not guard. Not part of `test`: a crate takes tens
//! of minutes on two cores.
//!
//! - `model`, `availability`: the crate against its own tests.
//! - `booking`: the server's rules (`crates/server/src/booking/`) against the server's tests.
//!
//! With no argument: `model` and `availability`. Results go to `target/mutants/<name>/mutants.out/`
//! (`missed.txt`, `caught.txt`, `timeout.txt`, `unviable.txt`); the summary lines are printed.

use crate::cmd::{capture, run};
use crate::{target_dir, Cmd, Result};

/// cargo-mutants, pinned to the release these options were written for.
const CARGO_MUTANTS_VERSION: &str = "27.1.0";

/// What each name mutates: the package, and the files within it (all when empty).
const SETS: [(&str, &str, &[&str]); 3] = [
    ("model", "booking-model", &[]),
    ("availability", "booking-availability", &[]),
    (
        "booking",
        "booking-server",
        &["crates/server/src/booking/**/*.rs"],
    ),
];

pub fn mutants(args: &[String]) -> Result<()> {
    let names: Vec<&str> = if args.is_empty() {
        vec!["model", "availability"]
    } else {
        args.iter().map(String::as_str).collect()
    };
    ensure_cargo_mutants()?;
    let mut summaries = Vec::new();
    for name in names {
        let (_, package, files) = SETS.iter().find(|(n, ..)| *n == name).ok_or_else(|| {
            format!("usage: cargo xtask mutants [model | availability | booking]… (not {name:?})")
        })?;
        let output = target_dir().join("mutants").join(name);
        std::fs::create_dir_all(&output)?;
        let mut command = Cmd::new("cargo")
            .args([
                "mutants",
                "--package",
                package,
                "--jobs",
                "1",
                "--no-shuffle",
            ])
            // A mutant that loops forever is a timeout, after 3× the clean run (at least 20 s).
            .args(["--timeout-multiplier", "3", "--minimum-test-timeout", "20"])
            .arg("--output")
            .arg(&output);
        for file in *files {
            command = command.args(["--file", file]);
        }
        // cargo-mutants exits non-zero when mutants survive: that is the report, not a failure
        // (`summary` fails when there is no report at all).
        let _ = run(command);
        summaries.push(summary(name, &output.join("mutants.out"))?);
    }
    for line in summaries {
        println!("{line}");
    }
    Ok(())
}

/// `name: N mutants, caught C, missed M, timeout T, unviable U` from the output lists.
fn summary(name: &str, out: &std::path::Path) -> Result<String> {
    let count = |file: &str| {
        std::fs::read_to_string(out.join(file))
            .map(|text| text.lines().filter(|l| !l.trim().is_empty()).count())
            .unwrap_or(0)
    };
    let (caught, missed, timeout, unviable) = (
        count("caught.txt"),
        count("missed.txt"),
        count("timeout.txt"),
        count("unviable.txt"),
    );
    let total = caught + missed + timeout + unviable;
    if total == 0 {
        return Err(format!("cargo mutants left no outcomes in {}", out.display()).into());
    }
    Ok(format!(
        "{name}: {} mutants, caught {caught}, missed {missed}, timeout {timeout}, unviable {unviable} \
         (the missed ones: {})",
        total,
        out.join("missed.txt").display()
    ))
}

fn ensure_cargo_mutants() -> Result<()> {
    let have = capture(Cmd::new("cargo").args(["mutants", "--version"])).unwrap_or_default();
    if !have.contains(CARGO_MUTANTS_VERSION) {
        eprintln!(
            "xtask: installing cargo-mutants {CARGO_MUTANTS_VERSION} (about 3 minutes, once)"
        );
        run(Cmd::new("cargo").args([
            "install",
            "--locked",
            "cargo-mutants",
            "--version",
            CARGO_MUTANTS_VERSION,
        ]))?;
    }
    Ok(())
}
