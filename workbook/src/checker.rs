//! `cargo workbook check [NAME]`: build one exercise's check with cargo (no
//! time limit on compiling), then run its test program directly, in its own
//! process group, with a time limit; on timeout the whole group is killed.
//! Prints cargo's and the test's output as they come, then one verdict line.

use std::collections::{HashMap, HashSet};
use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::{Arc, Mutex, mpsc};
use std::time::{Duration, Instant};

use anyhow::{Result, anyhow};
use serde_json::Value;

use crate::exercises::{self, Exercise, Exercises};
use crate::progress::Progress;

/// The default time limit of one check run, in seconds.
pub const DEFAULT_TIMEOUT_S: f64 = 10.0;

/// At least this many of a check's tests run at the same time.
const TEST_THREADS: usize = 8;

/// Most bytes of a test's output kept for reading the verdict (the output
/// shown while it runs is not cut).
const KEEP_BYTES: usize = 4 << 20;

/// An error with no message: the command failed, and has already said why
/// (a verdict line). `report_error` prints nothing for it; the exit is non-zero.
#[derive(Debug)]
pub struct Unsuccessful;

impl std::fmt::Display for Unsuccessful {
    fn fmt(&self, _f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        Ok(())
    }
}

impl std::error::Error for Unsuccessful {}

/// `cargo workbook check [NAME]`
#[derive(clap::Args, Debug, Clone)]
pub struct CheckArgs {
    /// Exercise name, number (`3`, `03`) or unique prefix (default: the next unsolved one)
    pub name: Option<String>,
    /// Time limit for running the check, in seconds (compiling has none)
    #[arg(long, value_name = "SECS", default_value_t = DEFAULT_TIMEOUT_S)]
    pub timeout: f64,
}

/// The time limit from `--timeout`, or an error for nonsense.
pub fn time_limit(secs: f64) -> Result<Duration> {
    if secs.is_finite() && secs > 0.0 && secs <= 86_400.0 {
        Ok(Duration::from_secs_f64(secs))
    } else {
        Err(anyhow!(
            "--timeout {secs}: give a number of seconds above 0 (e.g. --timeout 10)"
        ))
    }
}

/// How a check ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verdict {
    Passed,
    /// Some tests failed (`failed` of `total`).
    Failed {
        failed: usize,
        total: usize,
        panic: Option<String>,
    },
    /// The test program ended without a test summary (a signal, an abort, `exit`).
    Crashed {
        how: String,
        panic: Option<String>,
    },
    DoesNotCompile,
    TimedOut {
        limit: Duration,
    },
}

impl Verdict {
    pub fn passed(&self) -> bool {
        matches!(self, Verdict::Passed)
    }

    /// The one verdict line, e.g. `✗ 03_scoped_sum failed: 2 of 5 checks failed`.
    pub fn line(&self, name: &str) -> String {
        let panicked = |p: &Option<String>| {
            p.as_ref()
                .map(|m| format!("; a thread panicked: {m}"))
                .unwrap_or_default()
        };
        match self {
            Verdict::Passed => format!("✓ {name} passed"),
            Verdict::Failed {
                failed,
                total,
                panic,
            } => {
                let what = if *total == 1 { "check" } else { "checks" };
                format!(
                    "✗ {name} failed: {failed} of {total} {what} failed{}",
                    panicked(panic)
                )
            }
            Verdict::Crashed { how, panic } => {
                format!("✗ {name} failed: the check {how}{}", panicked(panic))
            }
            Verdict::DoesNotCompile => format!("✗ {name} does not compile"),
            Verdict::TimedOut { limit } => format!(
                "✗ {name} did not finish in {} — a deadlock or an endless loop?",
                seconds(*limit)
            ),
        }
    }

    /// A short word for tables (`verify`).
    pub fn short(&self) -> String {
        match self {
            Verdict::Passed => "passes".into(),
            Verdict::Failed { failed, total, .. } => format!("fails ({failed}/{total})"),
            Verdict::Crashed { .. } => "crashes".into(),
            Verdict::DoesNotCompile => "does not compile".into(),
            Verdict::TimedOut { limit } => format!("hangs (> {})", seconds(*limit)),
        }
    }
}

/// `10 s`, `2.5 s`.
pub fn seconds(d: Duration) -> String {
    let s = d.as_secs_f64();
    if (s - s.round()).abs() < 1e-9 {
        format!("{} s", s.round() as u64)
    } else {
        format!("{s:.1} s")
    }
}

// ---------------------------------------------------------------- building

/// Which test targets to build.
#[derive(Clone, Copy, Debug)]
pub enum Targets<'a> {
    One(&'a str),
    All,
}

/// What `cargo build` produced.
#[derive(Debug, Default)]
pub struct Build {
    /// cargo's exit status was success.
    pub success: bool,
    /// Test target name -> its test program.
    pub executables: HashMap<String, PathBuf>,
    /// Test targets with compiler errors.
    pub failed: HashSet<String>,
}

/// The cargo to run: the one running us (`$CARGO`), else `cargo` on PATH.
fn cargo() -> Command {
    Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
}

/// Builds test targets of the package in `package_dir` into `target_dir`.
/// cargo's progress and the compiler's diagnostics go to stderr as they come.
/// No time limit: a first build compiles the dependencies.
pub fn build(package_dir: &Path, target_dir: &Path, targets: Targets<'_>) -> Result<Build> {
    let mut cmd = cargo();
    cmd.arg("build")
        .arg("--manifest-path")
        .arg(package_dir.join("Cargo.toml"))
        .arg(if std::io::stderr().is_terminal() {
            "--message-format=json-diagnostic-rendered-ansi"
        } else {
            "--message-format=json"
        })
        .arg("--keep-going");
    match targets {
        Targets::One(name) => cmd.args(["--test", name]),
        Targets::All => cmd.arg("--tests"),
    };
    // The current directory decides which `.cargo/config.toml` applies.
    cmd.current_dir(package_dir)
        .env("CARGO_TARGET_DIR", target_dir)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit());
    let mut child = cmd.spawn().map_err(|e| {
        anyhow!("cannot run cargo: {e} (is Rust installed and cargo on your PATH?)")
    })?;
    let mut out = Build::default();
    let stdout = child.stdout.take().expect("piped");
    let mut reader = std::io::BufReader::new(stdout);
    let mut line = String::new();
    use std::io::BufRead;
    loop {
        line.clear();
        match reader.read_line(&mut line) {
            Ok(0) | Err(_) => break,
            Ok(_) => {}
        }
        let Ok(msg) = serde_json::from_str::<Value>(&line) else {
            continue;
        };
        let target_name = msg["target"]["name"].as_str().unwrap_or("").to_string();
        match msg["reason"].as_str() {
            Some("compiler-artifact") => {
                let is_test = msg["target"]["kind"]
                    .as_array()
                    .is_some_and(|kinds| kinds.iter().any(|k| k == "test"));
                if let Some(exe) = msg["executable"].as_str()
                    && is_test
                {
                    out.executables.insert(target_name, PathBuf::from(exe));
                }
            }
            Some("compiler-message") => {
                // Shown as cargo shows it (cargo prints its own summary lines).
                if let Some(rendered) = msg["message"]["rendered"].as_str() {
                    let mut err = std::io::stderr().lock();
                    let _ = err.write_all(rendered.as_bytes());
                    let _ = err.flush();
                }
                if msg["message"]["level"].as_str() == Some("error") {
                    out.failed.insert(target_name);
                }
            }
            _ => {}
        }
    }
    let status = child
        .wait()
        .map_err(|e| anyhow!("cannot wait for cargo: {e}"))?;
    out.success = status.success();
    Ok(out)
}

// ---------------------------------------------------------------- running

/// How a test program run ended.
#[derive(Debug)]
pub struct RunOutcome {
    /// `None`: killed at the time limit.
    pub status: Option<ExitStatus>,
    pub stdout: String,
    pub stderr: String,
    pub elapsed: Duration,
}

#[cfg(unix)]
mod group {
    //! The process group of the test program running now, so that a signal
    //! that stops this tool (Ctrl-C) takes the group down with it.
    use std::sync::Once;
    use std::sync::atomic::{AtomicI32, Ordering::SeqCst};

    static RUNNING: AtomicI32 = AtomicI32::new(0);
    static INSTALL: Once = Once::new();

    extern "C" fn on_signal(sig: libc::c_int) {
        let group = RUNNING.load(SeqCst);
        // SAFETY: kill, signal and raise are async-signal-safe.
        unsafe {
            if group > 0 {
                libc::kill(-group, libc::SIGKILL);
            }
            libc::signal(sig, libc::SIG_DFL);
            libc::raise(sig);
        }
    }

    /// Remembers the running group; installs the signal handlers once.
    pub fn set_running(group: u32) {
        INSTALL.call_once(|| {
            for sig in [libc::SIGINT, libc::SIGTERM, libc::SIGHUP] {
                let handler = on_signal as extern "C" fn(libc::c_int) as libc::sighandler_t;
                // SAFETY: installs a handler that only calls async-signal-safe functions.
                unsafe {
                    libc::signal(sig, handler);
                }
            }
        });
        RUNNING.store(group as i32, SeqCst);
    }

    pub fn clear_running() {
        RUNNING.store(0, SeqCst);
    }

    /// SIGKILL to every process of the group (none left is fine).
    pub fn kill(group: u32) {
        // SAFETY: plain system call; a negative pid names a process group.
        unsafe {
            libc::kill(-(group as i32), libc::SIGKILL);
        }
    }
}

fn spawn_in_group(cmd: &mut Command) -> std::io::Result<Child> {
    #[cfg(unix)]
    {
        use std::os::unix::process::CommandExt;
        cmd.process_group(0);
    }
    let child = cmd.spawn()?;
    #[cfg(unix)]
    group::set_running(child.id());
    Ok(child)
}

fn kill_group(child: &mut Child) {
    #[cfg(unix)]
    group::kill(child.id());
    let _ = child.kill();
}

/// Copies `from` to `echo` (if any) as it arrives, and keeps (the end of) it.
fn pump(
    mut from: impl Read + Send + 'static,
    echo: Option<fn() -> Box<dyn Write>>,
    done: mpsc::Sender<()>,
) -> Arc<Mutex<Vec<u8>>> {
    let kept = Arc::new(Mutex::new(Vec::new()));
    let keep = Arc::clone(&kept);
    std::thread::spawn(move || {
        let mut buf = [0u8; 8192];
        loop {
            match from.read(&mut buf) {
                Ok(0) | Err(_) => break,
                Ok(n) => {
                    if let Some(make) = echo {
                        let mut w = make();
                        let _ = w.write_all(&buf[..n]);
                        let _ = w.flush();
                    }
                    let mut k = keep.lock().unwrap_or_else(|e| e.into_inner());
                    k.extend_from_slice(&buf[..n]);
                    if k.len() > 2 * KEEP_BYTES {
                        let cut = k.len() - KEEP_BYTES;
                        k.drain(..cut);
                    }
                }
            }
        }
        let _ = done.send(());
    });
    kept
}

fn stdout_writer() -> Box<dyn Write> {
    Box::new(std::io::stdout())
}

fn stderr_writer() -> Box<dyn Write> {
    Box::new(std::io::stderr())
}

/// Runs the test program `exe` (in `dir`) for at most `limit`; with `echo`,
/// its output is shown as it comes. On timeout its whole process group is
/// killed; after a normal exit, any process it left behind is killed too.
pub fn run_tests(exe: &Path, dir: &Path, limit: Duration, echo: bool) -> Result<RunOutcome> {
    let mut cmd = Command::new(exe);
    if echo && std::io::stdout().is_terminal() {
        cmd.arg("--color=always");
    }
    // A check's tests mostly wait (for threads to meet, or for a watchdog to
    // give up on a deadlock), so run them all at once even on a 2-core
    // machine: three tests that each wait 5 s for a deadlock then take 5 s,
    // not 10 s on libtest's default of one test per core.
    if std::env::var_os("RUST_TEST_THREADS").is_none() {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        cmd.arg(format!("--test-threads={}", cores.max(TEST_THREADS)));
    }
    cmd.current_dir(dir)
        .env("RUST_BACKTRACE", "0")
        .env("CARGO_MANIFEST_DIR", dir)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let start = Instant::now();
    let mut child =
        spawn_in_group(&mut cmd).map_err(|e| anyhow!("cannot run {}: {e}", exe.display()))?;
    let (done_tx, done_rx) = mpsc::channel();
    let out = pump(
        child.stdout.take().expect("piped"),
        echo.then_some(stdout_writer as fn() -> Box<dyn Write>),
        done_tx.clone(),
    );
    let err = pump(
        child.stderr.take().expect("piped"),
        echo.then_some(stderr_writer as fn() -> Box<dyn Write>),
        done_tx,
    );
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => {
                kill_group(&mut child);
                break Some(status);
            }
            Ok(None) => {}
            Err(e) => {
                kill_group(&mut child);
                let _ = child.wait();
                #[cfg(unix)]
                group::clear_running();
                return Err(anyhow!("cannot wait for {}: {e}", exe.display()));
            }
        }
        if start.elapsed() >= limit {
            kill_group(&mut child);
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    #[cfg(unix)]
    group::clear_running();
    let elapsed = start.elapsed();
    // The pipes close when the last process of the group is gone; a process
    // that escaped the group may hold them, so do not wait for ever.
    for _ in 0..2 {
        let _ = done_rx.recv_timeout(Duration::from_secs(2));
    }
    let text = |kept: &Arc<Mutex<Vec<u8>>>| {
        String::from_utf8_lossy(&kept.lock().unwrap_or_else(|e| e.into_inner())).into_owned()
    };
    Ok(RunOutcome {
        status,
        stdout: text(&out),
        stderr: text(&err),
        elapsed,
    })
}

// ---------------------------------------------------------------- verdicts

/// Removes ANSI escape sequences (colored test output).
pub fn strip_ansi(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\x1b' {
            if chars.peek() == Some(&'[') {
                chars.next();
                for d in chars.by_ref() {
                    if ('@'..='~').contains(&d) {
                        break;
                    }
                }
            }
            continue;
        }
        out.push(c);
    }
    out
}

/// The verdict of a finished (or killed) run.
pub fn verdict(outcome: &RunOutcome, limit: Duration) -> Verdict {
    let Some(status) = outcome.status else {
        return Verdict::TimedOut { limit };
    };
    let text = strip_ansi(&format!("{}\n{}", outcome.stdout, outcome.stderr));
    let panic = learner_panic(&text);
    let summary = text
        .lines()
        .filter_map(|l| l.trim().strip_prefix("test result: "))
        .next_back()
        .map(|rest| (count(rest, "passed"), count(rest, "failed")));
    match summary {
        Some((passed, failed)) if failed > 0 => Verdict::Failed {
            failed,
            total: passed + failed,
            panic,
        },
        _ if status.success() => Verdict::Passed,
        _ => Verdict::Crashed {
            how: describe_exit(status),
            panic,
        },
    }
}

fn describe_exit(status: ExitStatus) -> String {
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        if let Some(sig) = status.signal() {
            let name = match sig {
                4 => " SIGILL",
                6 => " SIGABRT (an abort: a panic while panicking, or a failed allocation?)",
                7 => " SIGBUS",
                9 => " SIGKILL",
                11 => " SIGSEGV (a stack overflow or invalid memory access)",
                _ => "",
            };
            return format!("crashed (signal {sig}{name})");
        }
    }
    match status.code() {
        Some(code) => format!("program exited with code {code} before it finished its tests"),
        None => "program ended abnormally".into(),
    }
}

/// `N word` in a libtest summary (`3 passed; 2 failed; ...`).
fn count(summary: &str, word: &str) -> usize {
    summary
        .split([';', '.'])
        .filter_map(|part| {
            let mut it = part.split_whitespace();
            let n = it.next()?.parse::<usize>().ok()?;
            (it.next()? == word).then_some(n)
        })
        .next()
        .unwrap_or(0)
}

/// The message of the first panic on a thread that is not a test's own
/// thread (libtest names those after the test, or `main`): a thread the
/// exercise (or a check's watchdog running exercise code) started.
pub fn learner_panic(text: &str) -> Option<String> {
    let tests: HashSet<&str> = text
        .lines()
        .filter_map(|l| l.strip_prefix("test "))
        .filter_map(|l| l.split(" ... ").next())
        .map(str::trim)
        .collect();
    let lines: Vec<&str> = text.lines().collect();
    for (i, line) in lines.iter().enumerate() {
        let Some(rest) = line.trim_start().strip_prefix("thread '") else {
            continue;
        };
        let Some((thread, after)) = rest.split_once('\'') else {
            continue;
        };
        // Newer Rust versions print the thread id after the name: "'x' (123) panicked at".
        let after = after.trim_start();
        let after = match after.strip_prefix('(').and_then(|a| a.split_once(')')) {
            Some((id, a)) if id.chars().all(|c| c.is_ascii_digit()) => a.trim_start(),
            _ => after,
        };
        let Some(after) = after.strip_prefix("panicked at ") else {
            continue;
        };
        if thread == "main" || tests.contains(thread) {
            continue;
        }
        // Since Rust 1.73: "thread 'x' panicked at file:line:col:\nmessage".
        let message = if after.trim_end().ends_with(':') {
            lines.get(i + 1).map(|m| m.trim()).unwrap_or("")
        } else {
            after.trim()
        };
        let mut message = crate::diagnostics::one_line(message);
        if message.chars().count() > 200 {
            message = message.chars().take(200).collect::<String>() + "…";
        }
        return Some(if message.is_empty() {
            "(no message)".into()
        } else {
            message
        });
    }
    None
}

// ---------------------------------------------------------------- the command

/// Builds and runs the check of `ex`, showing cargo's and the test's output,
/// then the verdict line (on stdout). Does not record progress.
pub fn check_exercise(exs: &Exercises, ex: &Exercise, limit: Duration) -> Result<Verdict> {
    let file = exs.file(ex);
    if !file.is_file() {
        return Err(anyhow!(
            "{} is missing (deleted or moved?): `cargo workbook reset {}` restores it",
            exs.show(&file),
            ex.name
        ));
    }
    println!("Checking {} ({})", ex.name, exs.show(&file));
    let _ = std::io::stdout().flush();
    let package = exercises::dir(&exs.root);
    let built = build(
        &package,
        &exercises::target_dir(&exs.root),
        Targets::One(&ex.name),
    )?;
    let verdict = if let Some(exe) = built.executables.get(&ex.name) {
        let outcome = run_tests(exe, &package, limit, true)?;
        if !outcome.stdout.is_empty() && !outcome.stdout.ends_with('\n') {
            println!();
        }
        verdict(&outcome, limit)
    } else if !built.failed.is_empty() {
        Verdict::DoesNotCompile
    } else {
        return Err(anyhow!(
            "cargo could not build the check of {} (its message is above)",
            ex.name
        ));
    };
    println!("{}", verdict.line(&ex.name));
    Ok(verdict)
}

/// Records a verdict in the progress file.
pub fn record(root: &Path, name: &str, verdict: &Verdict) -> Result<()> {
    let mut progress = Progress::load(root)?;
    progress.record(name, verdict.passed());
    progress.save()
}

/// Entry point of `cargo workbook check`.
pub fn run(args: CheckArgs) -> Result<()> {
    let limit = time_limit(args.timeout)?;
    let root = exercises::root();
    let exs = Exercises::load(&root)?;
    let ex = match &args.name {
        Some(name) => exs.find(name)?.clone(),
        None => {
            let progress = Progress::load(&root)?;
            match exs.next(&progress) {
                Some(ex) => ex.clone(),
                None => {
                    println!(
                        "Every exercise passes its check ({0}/{0} done). Check one again with `cargo workbook check NAME`.",
                        exs.list.len()
                    );
                    return Ok(());
                }
            }
        }
    };
    let verdict = check_exercise(&exs, &ex, limit)?;
    record(&root, &ex.name, &verdict)?;
    if verdict.passed() {
        Ok(())
    } else {
        Err(Unsuccessful.into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_test_summaries_and_thread_panics() {
        let out = "\nrunning 3 tests\ntest a ... ok\ntest b ... FAILED\ntest c ... FAILED\n\n\
                   failures:\n\n---- b stdout ----\nthread 'worker-1' (77) panicked at checks/../x.rs:3:9:\nboom here\n\
                   thread 'b' panicked at checks/x.rs:9:5:\nassertion failed\n\n\
                   test result: FAILED. 1 passed; 2 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.01s\n";
        assert_eq!(learner_panic(out).as_deref(), Some("boom here"));
        assert_eq!(count("FAILED. 1 passed; 2 failed; 0 ignored", "failed"), 2);
        assert_eq!(count("FAILED. 1 passed; 2 failed; 0 ignored", "passed"), 1);
        let only_tests = "test b ... FAILED\nthread 'b' panicked at x.rs:1:1:\nno\n";
        assert_eq!(learner_panic(only_tests), None);
    }

    #[test]
    fn verdict_lines() {
        assert_eq!(Verdict::Passed.line("03_x"), "✓ 03_x passed");
        let failed = Verdict::Failed {
            failed: 2,
            total: 5,
            panic: None,
        };
        assert_eq!(failed.line("03_x"), "✗ 03_x failed: 2 of 5 checks failed");
        let timed_out = Verdict::TimedOut {
            limit: Duration::from_secs(10),
        };
        assert_eq!(
            timed_out.line("03_x"),
            "✗ 03_x did not finish in 10 s — a deadlock or an endless loop?"
        );
        assert_eq!(strip_ansi("\x1b[31mFAILED\x1b[0m"), "FAILED");
        assert!(time_limit(0.0).is_err());
        assert!(time_limit(f64::NAN).is_err());
        assert_eq!(time_limit(2.5).unwrap(), Duration::from_millis(2500));
    }
}
