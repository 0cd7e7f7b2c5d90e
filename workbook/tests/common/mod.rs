//! Helpers shared by the workbook tool's integration tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Output};
use std::time::Duration;

use wait_timeout::ChildExt;
use workbook::process::{End, Limits, Supervised};

/// The repository root (the workspace holding `book.toml`).
pub fn repo_root() -> PathBuf {
    workbook::paths::source_root()
}

/// A fresh copy of the tiny fixture book in a temporary directory.
pub fn fixture_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/tiny");
    copy_dir(&src, dir.path());
    dir
}

pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// Runs `cmd` (with `input` on stdin) under the tool's own supervisor;
/// fails the test, showing what it printed, if it does not end within
/// `limit`.
pub fn run_bounded(cmd: Command, input: &str, limit: Duration) -> Output {
    try_run_bounded(cmd, input, limit).unwrap_or_else(|why| panic!("{why}"))
}

/// [`run_bounded`], saying in an `Err` (with what it printed) how a program
/// that did not finish in time ended, for a test that reports it its own way.
pub fn try_run_bounded(cmd: Command, input: &str, limit: Duration) -> Result<Output, String> {
    let shown = format!("{cmd:?}");
    let limits = Limits {
        time: limit,
        output: 64 << 20,
    };
    let done = Supervised::new(cmd, limits)
        .input(input)
        .run()
        .map_err(|e| format!("{shown} did not start: {e:#}"))?;
    match done.end {
        End::Exited(status) => Ok(Output {
            status,
            stdout: done.stdout.into_bytes(),
            stderr: done.stderr.into_bytes(),
        }),
        _ => Err(format!(
            "{shown} did not finish: {}; stdout:\n{}\nstderr:\n{}",
            done.describe(),
            done.stdout,
            done.stderr
        )),
    }
}

/// Whether process `pid` is gone, waiting up to 10 s for it (a zombie
/// counts: it is dead, and only waits for the system's init to collect it).
#[cfg(target_os = "linux")]
pub fn gone(pid: u32) -> bool {
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    loop {
        let dead = std::fs::read_to_string(format!("/proc/{pid}/stat"))
            .map(|s| s.contains(") Z ") || s.contains(") X "))
            .unwrap_or(true);
        if dead || std::time::Instant::now() > deadline {
            return dead;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Waits for a child started by a test; fails the test after `limit`.
pub fn wait_bounded(child: &mut Child, limit: Duration, what: &str) -> ExitStatus {
    match child.wait_timeout(limit).expect("wait for the child") {
        Some(status) => status,
        None => {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{what} did not end within {limit:?}");
        }
    }
}

/// The `workbook` binary, run in `dir`, with a wall-clock bound.
pub fn workbook(dir: &Path, args: &[&str], limit: Duration) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_workbook"));
    cmd.args(args)
        .current_dir(dir)
        .env_remove("RUST_LOG")
        .env_remove(workbook::paths::ROOT_ENV)
        .env("RUST_BACKTRACE", "1");
    run_bounded(cmd, "", limit)
}

/// Every file under `dir` with extension `ext`.
pub fn files_with_ext(dir: &Path, ext: &str) -> Vec<PathBuf> {
    workbook::files::files_with_ext(dir, ext)
}
