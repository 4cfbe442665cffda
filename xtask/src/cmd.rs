//! Running child processes: echo the command, put our tools on PATH, fail with the command's name.

use std::io::{BufRead, BufReader, Write};
use std::process::{Child, Command, Stdio};

use crate::tools::tool_path;
use crate::Result;

/// A command to run, with PATH already pointing at the project's tools.
pub struct Cmd(Command);

impl Cmd {
    pub fn new(program: impl AsRef<std::ffi::OsStr>) -> Self {
        let mut command = Command::new(program);
        command
            .env("PATH", tool_path())
            .current_dir(crate::project_root());
        Cmd(command)
    }
    pub fn arg(mut self, arg: impl AsRef<std::ffi::OsStr>) -> Self {
        self.0.arg(arg);
        self
    }
    pub fn args<I: IntoIterator<Item = S>, S: AsRef<std::ffi::OsStr>>(mut self, args: I) -> Self {
        self.0.args(args);
        self
    }
    pub fn env(mut self, key: &str, value: impl AsRef<std::ffi::OsStr>) -> Self {
        self.0.env(key, value);
        self
    }
    pub fn current_dir(mut self, dir: impl AsRef<std::path::Path>) -> Self {
        self.0.current_dir(dir);
        self
    }
    fn describe(&self) -> String {
        let args: Vec<_> = self
            .0
            .get_args()
            .map(|a| a.to_string_lossy().into_owned())
            .collect();
        format!(
            "{} {}",
            self.0.get_program().to_string_lossy(),
            args.join(" ")
        )
    }
}

/// Runs to completion with inherited output; an error names the command.
pub fn run(cmd: Cmd) -> Result<()> {
    let name = cmd.describe();
    eprintln!("$ {name}");
    let mut command = cmd.0;
    let status = command
        .status()
        .map_err(|e| format!("`{name}` could not start: {e}"))?;
    if !status.success() {
        return Err(format!("`{name}` failed ({status})").into());
    }
    Ok(())
}

/// Runs quietly and returns stdout; fails if the command can't start or exits non-zero.
pub fn capture(cmd: Cmd) -> Result<String> {
    let name = cmd.describe();
    let mut command = cmd.0;
    let output = command
        .stderr(Stdio::null())
        .output()
        .map_err(|e| format!("`{name}`: {e}"))?;
    if !output.status.success() {
        return Err(format!("`{name}` failed ({})", output.status).into());
    }
    Ok(String::from_utf8_lossy(&output.stdout).trim().to_owned())
}

/// Runs with stderr shown live and returns stdout; fails if the command can't start or exits non-zero.
pub fn stdout_of(cmd: Cmd) -> Result<String> {
    let name = cmd.describe();
    eprintln!("$ {name}");
    let mut command = cmd.0;
    let output = command
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| format!("`{name}` could not start: {e}"))?;
    if !output.status.success() {
        return Err(format!("`{name}` failed ({})", output.status).into());
    }
    Ok(String::from_utf8_lossy(&output.stdout).into_owned())
}

/// Runs with output shown live, and returns the test runners' `test result:` lines it printed.
pub fn run_tests(cmd: Cmd) -> Result<Vec<String>> {
    let name = cmd.describe();
    eprintln!("$ {name}");
    let mut command = cmd.0;
    let mut child = command
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("`{name}` could not start: {e}"))?;
    let summaries = tee_summaries(&mut child);
    let status = child.wait()?;
    if !status.success() {
        return Err(format!("`{name}` failed ({status})").into());
    }
    Ok(summaries)
}

/// Copies the child's stdout and stderr to ours while collecting its summary lines.
fn tee_summaries(child: &mut Child) -> Vec<String> {
    let stderr = child.stderr.take().map(|err| {
        std::thread::spawn(move || {
            for line in BufReader::new(err)
                .lines()
                .map_while(std::result::Result::ok)
            {
                eprintln!("{line}");
            }
        })
    });
    let mut summaries = Vec::new();
    if let Some(out) = child.stdout.take() {
        let mut stdout = std::io::stdout();
        for line in BufReader::new(out)
            .lines()
            .map_while(std::result::Result::ok)
        {
            let _ = writeln!(stdout, "{line}");
            if line.trim_start().starts_with("test result:") {
                summaries.push(line.trim().to_owned());
            }
        }
    }
    if let Some(handle) = stderr {
        let _ = handle.join();
    }
    summaries
}
