//! Installs what the commands need, idempotently: each `ensure_*` checks first and is instant when the
//! tool is already there. Everything comes from crates.io, npm or Debian — never a downloaded binary.

use std::path::{Path, PathBuf};

use crate::cmd::{capture, run, Cmd};
use crate::{project_root, Result};

/// trunk 0.21.x: 0.22 needs a newer rustc than the one we build with.
const TRUNK_VERSION: &str = "0.21.14";
/// binaryen's wasm-opt from npm; Debian's is too old for current Rust wasm output.
const BINARYEN_VERSION: &str = "132";

/// `~/.cargo/bin` (or `$CARGO_HOME/bin`), where `cargo install` puts tools.
pub fn cargo_bin() -> PathBuf {
    std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| Path::new(&h).join(".cargo")))
        .unwrap_or_else(|| PathBuf::from(".cargo"))
        .join("bin")
}

/// Where the npm-installed wasm-opt lives (inside the project, ignored by git).
pub fn binaryen_bin() -> PathBuf {
    project_root().join(".tools/binaryen/node_modules/.bin")
}

/// PATH with our tool directories first, for every child process.
pub fn tool_path() -> std::ffi::OsString {
    let mut dirs = vec![binaryen_bin(), cargo_bin()];
    if let Some(path) = std::env::var_os("PATH") {
        dirs.extend(std::env::split_paths(&path));
    }
    std::env::join_paths(dirs).unwrap_or_default()
}

/// The `version` line of a tool, if it runs.
fn version_of(program: &str, arg: &str) -> Option<String> {
    capture(Cmd::new(program).arg(arg)).ok()
}

pub fn ensure_wasm_target() -> Result<()> {
    let installed = capture(Cmd::new("rustup").args(["target", "list", "--installed"]))?;
    if !installed
        .lines()
        .any(|l| l.trim() == "wasm32-unknown-unknown")
    {
        run(Cmd::new("rustup").args(["target", "add", "wasm32-unknown-unknown"]))?;
    }
    Ok(())
}

/// The `wasm-bindgen` version pinned in Cargo.lock: the CLI must match it exactly.
pub fn locked_wasm_bindgen_version() -> Result<String> {
    let lock = std::fs::read_to_string(project_root().join("Cargo.lock"))?;
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line == "name = \"wasm-bindgen\"" {
            if let Some(version) = lines.next().and_then(|v| v.strip_prefix("version = \"")) {
                return Ok(version.trim_end_matches('"').to_owned());
            }
        }
    }
    Err("wasm-bindgen is not in Cargo.lock; run `cargo fetch` first".into())
}

pub fn ensure_wasm_bindgen() -> Result<()> {
    let wanted = locked_wasm_bindgen_version()?;
    let have = version_of("wasm-bindgen", "--version").unwrap_or_default();
    let have_runner = version_of("wasm-bindgen-test-runner", "--version").unwrap_or_default();
    if !have.ends_with(&wanted) || !have_runner.ends_with(&wanted) {
        eprintln!("xtask: installing wasm-bindgen-cli {wanted} (about 2 minutes, once)");
        // Not --locked: one of its locked dependencies is not served by the registry mirror we can reach.
        run(Cmd::new("cargo").args([
            "install",
            "--force",
            "wasm-bindgen-cli",
            "--version",
            &wanted,
        ]))?;
    }
    Ok(())
}

pub fn ensure_trunk() -> Result<()> {
    let have = version_of("trunk", "--version").unwrap_or_default();
    if !have.contains(" 0.21.") {
        eprintln!("xtask: installing trunk {TRUNK_VERSION} (about 6 minutes, once)");
        run(Cmd::new("cargo").args(["install", "--locked", "trunk", "--version", TRUNK_VERSION]))?;
    }
    Ok(())
}

pub fn ensure_wasm_opt() -> Result<()> {
    let wasm_opt = binaryen_bin().join("wasm-opt");
    let have = version_of(&wasm_opt.to_string_lossy(), "--version").unwrap_or_default();
    if !have.contains(&format!("version {BINARYEN_VERSION}")) {
        eprintln!("xtask: installing wasm-opt (npm binaryen@{BINARYEN_VERSION})");
        let prefix = project_root().join(".tools/binaryen");
        std::fs::create_dir_all(&prefix)?;
        run(Cmd::new("npm")
            .args(["install", "--no-audit", "--no-fund", "--prefix"])
            .arg(prefix)
            .arg(format!("binaryen@{BINARYEN_VERSION}")))?;
    }
    Ok(())
}

/// axe-core, the accessibility rules engine the end-to-end tests inject into every step.
const AXE_VERSION: &str = "4.14.1";

/// The installed `axe.min.js`.
pub fn axe_script() -> PathBuf {
    project_root().join(".tools/axe/node_modules/axe-core/axe.min.js")
}

pub fn ensure_axe() -> Result<()> {
    let package = project_root().join(".tools/axe/node_modules/axe-core/package.json");
    let installed = std::fs::read_to_string(&package).unwrap_or_default();
    if !installed.contains(&format!("\"version\": \"{AXE_VERSION}\"")) {
        eprintln!("xtask: installing axe-core {AXE_VERSION} (npm)");
        let prefix = project_root().join(".tools/axe");
        std::fs::create_dir_all(&prefix)?;
        run(Cmd::new("npm")
            .args(["install", "--no-audit", "--no-fund", "--prefix"])
            .arg(prefix)
            .arg(format!("axe-core@{AXE_VERSION}")))?;
    }
    Ok(())
}

/// Lighthouse, for `cargo xtask bench` only: 12.x is the last line that runs on Debian's Node 20.
const LIGHTHOUSE_VERSION: &str = "12.8.2";

/// The installed Lighthouse command line (a Node script).
pub fn lighthouse_cli() -> PathBuf {
    project_root().join(".tools/lighthouse/node_modules/lighthouse/cli/index.js")
}

pub fn ensure_lighthouse() -> Result<()> {
    let package = project_root().join(".tools/lighthouse/node_modules/lighthouse/package.json");
    let installed = std::fs::read_to_string(&package).unwrap_or_default();
    if !installed.contains(&format!("\"version\": \"{LIGHTHOUSE_VERSION}\"")) {
        eprintln!("xtask: installing lighthouse {LIGHTHOUSE_VERSION} (npm)");
        let prefix = project_root().join(".tools/lighthouse");
        std::fs::create_dir_all(&prefix)?;
        run(Cmd::new("npm")
            .args(["install", "--no-audit", "--no-fund", "--prefix"])
            .arg(prefix)
            .arg(format!("lighthouse@{LIGHTHOUSE_VERSION}")))?;
    }
    Ok(())
}

/// The Standard Webhooks reference library (PyPI) the webhook tests verify signatures with.
const STANDARDWEBHOOKS_VERSION: &str = "1.1.0";

/// The Python of the venv holding `standardwebhooks`, passed to the tests as `STANDARDWEBHOOKS_PYTHON`.
pub fn standardwebhooks_python() -> PathBuf {
    project_root().join(".tools/python-webhooks/bin/python")
}

/// A venv under `.tools/` with `standardwebhooks` from PyPI (python3 with venv and pip needed).
pub fn ensure_standardwebhooks() -> Result<()> {
    let python = standardwebhooks_python();
    let installed = capture(Cmd::new(&python).args([
        "-c",
        "import importlib.metadata as m; print(m.version('standardwebhooks'))",
    ]))
    .unwrap_or_default();
    if installed.trim() == STANDARDWEBHOOKS_VERSION {
        return Ok(());
    }
    eprintln!("xtask: installing standardwebhooks {STANDARDWEBHOOKS_VERSION} (PyPI) into a venv");
    let venv = project_root().join(".tools/python-webhooks");
    run(Cmd::new("python3").args(["-m", "venv"]).arg(&venv))?;
    run(Cmd::new(&python)
        .env("PIP_DISABLE_PIP_VERSION_CHECK", "1")
        .args(["-m", "pip", "install", "--quiet"])
        .arg(format!("standardwebhooks=={STANDARDWEBHOOKS_VERSION}")))?;
    Ok(())
}

/// The SMTP server the email tests send to (PyPI), run from `crates/server/tests/email/smtp_sink.py`.
const AIOSMTPD_VERSION: &str = "1.4.6";

/// The Python of the venv holding `aiosmtpd`, passed to the tests as `AIOSMTPD_PYTHON`.
pub fn aiosmtpd_python() -> PathBuf {
    project_root().join(".tools/aiosmtpd/bin/python")
}

/// A venv under `.tools/` with `aiosmtpd` from PyPI (python3 with venv and pip needed).
pub fn ensure_aiosmtpd() -> Result<()> {
    let python = aiosmtpd_python();
    let installed = capture(Cmd::new(&python).args([
        "-c",
        "import importlib.metadata as m; print(m.version('aiosmtpd'))",
    ]))
    .unwrap_or_default();
    if installed.trim() == AIOSMTPD_VERSION {
        return Ok(());
    }
    eprintln!("xtask: installing aiosmtpd {AIOSMTPD_VERSION} (PyPI) into a venv");
    let venv = project_root().join(".tools/aiosmtpd");
    run(Cmd::new("python3").args(["-m", "venv"]).arg(&venv))?;
    run(Cmd::new(&python)
        .env("PIP_DISABLE_PIP_VERSION_CHECK", "1")
        .args(["-m", "pip", "install", "--quiet"])
        .arg(format!("aiosmtpd=={AIOSMTPD_VERSION}")))?;
    Ok(())
}

/// The CalDAV server the calendar sync tests read from (PyPI), started by
/// `crates/server/tests/calendar_sync/radicale.rs`.
const RADICALE_VERSION: &str = "3.9.0";

/// The Python of the venv holding Radicale, passed to the tests as `RADICALE_PYTHON`.
pub fn radicale_python() -> PathBuf {
    project_root().join(".tools/radicale/bin/python")
}

/// A venv under `.tools/` with `radicale` from PyPI (python3 with venv and pip needed).
pub fn ensure_radicale() -> Result<()> {
    let python = radicale_python();
    let installed = capture(Cmd::new(&python).args([
        "-c",
        "import importlib.metadata as m; print(m.version('radicale'))",
    ]))
    .unwrap_or_default();
    if installed.trim() == RADICALE_VERSION {
        return Ok(());
    }
    eprintln!("xtask: installing radicale {RADICALE_VERSION} (PyPI) into a venv");
    let venv = project_root().join(".tools/radicale");
    run(Cmd::new("python3").args(["-m", "venv"]).arg(&venv))?;
    run(Cmd::new(&python)
        .env("PIP_DISABLE_PIP_VERSION_CHECK", "1")
        .args(["-m", "pip", "install", "--quiet"])
        .arg(format!("radicale=={RADICALE_VERSION}")))?;
    Ok(())
}

/// PostgreSQL's server binaries (initdb, postgres, pg_ctl), for the server tests on PostgreSQL
/// (`crates/server/tests/support/postgres.rs` starts throwaway clusters with them): the newest
/// /usr/lib/postgresql/*/bin already there, else Debian's `postgresql` installed with apt-get.
pub fn ensure_postgres() -> Result<PathBuf> {
    // Versions compared as numbers: 9.6 < 10 < 15 (as text, "9.6" would sort last).
    let newest = || -> Option<PathBuf> {
        std::fs::read_dir("/usr/lib/postgresql")
            .ok()?
            .flatten()
            .filter_map(|d| {
                let version: Option<Vec<u32>> = d
                    .file_name()
                    .to_string_lossy()
                    .split('.')
                    .map(|part| part.parse().ok())
                    .collect();
                Some((version?, d.path().join("bin")))
            })
            .filter(|(_, bin)| bin.join("initdb").exists() && bin.join("postgres").exists())
            .max()
            .map(|(_, bin)| bin)
    };
    if let Some(bin) = newest() {
        return Ok(bin);
    }
    let uid = capture(Cmd::new("id").arg("-u")).unwrap_or_default();
    if uid.trim() != "0" {
        return Err(
            "the server tests on PostgreSQL need its server binaries: run \
                    `sudo apt-get install postgresql` (or run this command as root)"
                .into(),
        );
    }
    eprintln!("xtask: installing postgresql with apt-get");
    run(Cmd::new("apt-get")
        .arg("update")
        .env("DEBIAN_FRONTEND", "noninteractive"))?;
    run(Cmd::new("apt-get")
        .args(["install", "-y", "--no-install-recommends", "postgresql"])
        .env("DEBIAN_FRONTEND", "noninteractive"))?;
    newest().ok_or_else(|| {
        "apt-get installed postgresql, but no /usr/lib/postgresql/*/bin/initdb".into()
    })
}

/// The system ChromeDriver the browser tests drive.
pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// Debian's Chromium and ChromeDriver; installed with apt-get when missing and we are root.
pub fn ensure_chromium() -> Result<()> {
    if Path::new("/usr/bin/chromium").exists() && Path::new(CHROMEDRIVER).exists() {
        return Ok(());
    }
    apt_install(&["chromium", "chromium-driver"], "browser tests need")
}

/// The openssl CLI: the SMTP-over-TLS test makes its test CA and certificate with it.
pub fn ensure_openssl() -> Result<()> {
    if version_of("openssl", "version").is_some() {
        return Ok(());
    }
    apt_install(&["openssl"], "the SMTP-over-TLS test needs")
}

/// Installs Debian `packages` with apt-get (as root), or says what to run.
fn apt_install(packages: &[&str], who_needs: &str) -> Result<()> {
    let uid = capture(Cmd::new("id").arg("-u")).unwrap_or_default();
    if uid.trim() != "0" {
        let list = packages.join(" ");
        return Err(format!(
            "{who_needs} Debian's {list}: run `sudo apt-get install {list}` (or run this command \
             as root)"
        )
        .into());
    }
    eprintln!("xtask: installing {} with apt-get", packages.join(", "));
    run(Cmd::new("apt-get")
        .arg("update")
        .env("DEBIAN_FRONTEND", "noninteractive"))?;
    run(Cmd::new("apt-get")
        .args(["install", "-y", "--no-install-recommends"])
        .args(packages)
        .env("DEBIAN_FRONTEND", "noninteractive"))?;
    Ok(())
}

/// Everything needed to build the widget with trunk.
pub fn ensure_widget_build_tools() -> Result<()> {
    ensure_wasm_target()?;
    // trunk runs with `offline = true`: the registry must be in the local cache before it builds.
    run(Cmd::new("cargo").args(["fetch", "--quiet"]))?;
    ensure_wasm_bindgen()?;
    ensure_trunk()?;
    ensure_wasm_opt()
}

/// schemathesis (PyPI) for the API run of `cargo xtask test`: a 4.x release, pinned, with the
/// Hypothesis it generates with.
const SCHEMATHESIS_REQUIREMENTS: [&str; 2] = ["schemathesis==4.32.5", "hypothesis==6.138.0"];

/// Installed as the venv's `sitecustomize.py`. Hypothesis names a lambda (only for display) by
/// parsing its module when the lambda's own lines don't parse, and CPython 3.11.7's `ast.parse`
/// can then fail with "SystemError: AST constructor recursion depth mismatch" (a CPython bug fixed
/// in 3.11.8), deep in schemathesis' generators: the run stops with an error that is not the API's.
/// Every Hypothesis release describes lambdas this way, so the description falls back instead.
const SCHEMATHESIS_SITECUSTOMIZE: &str = r#"# Written by xtask (tools.rs, SCHEMATHESIS_SITECUSTOMIZE): see there.
try:
    from hypothesis.internal import reflection as _reflection

    _describe = _reflection._lambda_description

    def _described(f, *args, **kwargs):
        try:
            return _describe(f, *args, **kwargs)
        except SystemError:
            return "lambda: <source not shown>"

    _reflection._lambda_description = _described
except Exception:
    pass
"#;

/// The venv schemathesis lives in (inside the project, ignored by git).
fn schemathesis_venv() -> PathBuf {
    project_root().join(".tools/schemathesis")
}

/// The installed `schemathesis` command.
pub fn schemathesis_bin() -> PathBuf {
    schemathesis_venv().join("bin/schemathesis")
}

pub fn ensure_schemathesis() -> Result<()> {
    // What was installed, written last: a venv from an interrupted or older install is redone.
    let marker = schemathesis_venv().join("requirements.installed");
    let wanted = format!(
        "{}\n{SCHEMATHESIS_SITECUSTOMIZE}",
        SCHEMATHESIS_REQUIREMENTS.join("\n")
    );
    let have = std::fs::read_to_string(&marker).unwrap_or_default();
    // Runs, not merely exists: a venv's scripts name the python of the path it was made at, so a
    // venv copied or made in another checkout is there but broken.
    let runs = capture(Cmd::new(schemathesis_bin()).arg("--version")).is_ok();
    if have != wanted || !runs {
        eprintln!(
            "xtask: installing {} (PyPI, into .tools/schemathesis)",
            SCHEMATHESIS_REQUIREMENTS.join(" ")
        );
        run(Cmd::new("python3")
            .args(["-m", "venv", "--clear"])
            .arg(schemathesis_venv()))?;
        run(Cmd::new(schemathesis_venv().join("bin/pip"))
            .args(["install", "--quiet", "--disable-pip-version-check"])
            .args(SCHEMATHESIS_REQUIREMENTS))?;
        let site = capture(Cmd::new(schemathesis_venv().join("bin/python")).args([
            "-c",
            "import sysconfig; print(sysconfig.get_paths()['purelib'])",
        ]))?;
        std::fs::write(
            Path::new(site.trim()).join("sitecustomize.py"),
            SCHEMATHESIS_SITECUSTOMIZE,
        )?;
        std::fs::write(&marker, wanted)?;
    }
    Ok(())
}
