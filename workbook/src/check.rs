//! `cargo workbook check [NAME]`: build one exercise's check with cargo (no
//! time limit on compiling), then run its test program directly, in its own
//! process group, with a time limit; on timeout the whole group is killed.
//! Prints cargo's and the test's output as they come, then one verdict line.

use std::io::{IsTerminal, Write};
use std::path::Path;
use std::process::Command;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Result, anyhow};

use crate::cargo::{self, Show, Targets};
use crate::exercises::{self, Exercise, Exercises, Progress};
use crate::libtest;
use crate::message::Unsuccessful;
use crate::process::{self, End, Finished, Limits, Overflow, Stream, Supervised};

pub mod imports;

/// The default time limit of one check run, in seconds.
pub const DEFAULT_TIMEOUT_S: f64 = 10.0;

/// At least this many of a check's tests run at the same time.
const TEST_THREADS: usize = 8;

/// Most bytes of a test's output kept for reading the verdict (the output
/// shown while it runs is not cut).
const KEEP_BYTES: usize = 4 << 20;

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
    /// Not built: the learner's file uses `std`'s synchronization directly,
    /// which the checker cannot explore (the message says where, and what
    /// to use instead).
    Bypassed {
        message: String,
    },
    TimedOut {
        limit: Duration,
    },
    /// Not run: this machine lacks what the check needs (see the note).
    Skipped {
        note: String,
    },
}

impl Verdict {
    pub fn passed(&self) -> bool {
        matches!(self, Verdict::Passed)
    }

    /// The one verdict line, e.g. `✗ 04_scoped_sum failed: 2 of 5 checks failed`.
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
            Verdict::Bypassed { message } => format!("✗ {name} not checked: {message}"),
            Verdict::TimedOut { limit } => format!(
                "✗ {name} did not finish in {} — a deadlock or an endless loop?",
                process::seconds(*limit)
            ),
            Verdict::Skipped { note } => format!("– {name} skipped: {note}"),
        }
    }

    /// A short word for tables (`verify`).
    pub fn short(&self) -> String {
        match self {
            Verdict::Passed => "passes".into(),
            Verdict::Failed { failed, total, .. } => format!("fails ({failed}/{total})"),
            Verdict::Crashed { .. } => "crashes".into(),
            Verdict::DoesNotCompile => "does not compile".into(),
            Verdict::Bypassed { .. } => "uses std directly".into(),
            Verdict::TimedOut { limit } => format!("hangs (> {})", process::seconds(*limit)),
            Verdict::Skipped { .. } => "skipped".into(),
        }
    }
}

/// Where a check's output goes while it runs.
#[derive(Clone)]
pub enum Echo {
    /// To this tool's stdout and stderr (the terminal commands).
    Terminal,
    /// Nowhere; only the verdict and the kept output are returned.
    Quiet,
    /// To a callback, as it comes: the test program's stdout and stderr,
    /// and cargo's progress lines as [`Stream::Stderr`] of `build`; each
    /// program started (cargo, then the check) is handed to `started`, so
    /// that the caller can stop it.
    Stream {
        build: process::OnOutput,
        test: process::OnOutput,
        started: process::OnStart,
        /// Contains the build and the check (a check from the page).
        contain: Option<process::Containment>,
    },
}

/// Runs the test program `exe` (in `dir`) for at most `limit`. On timeout
/// its whole process group is killed; after a normal exit, any process it
/// left behind is killed too.
pub fn run_tests(exe: &Path, dir: &Path, limit: Duration, echo: &Echo) -> Result<Finished> {
    let mut cmd = Command::new(exe);
    let terminal = matches!(echo, Echo::Terminal);
    if terminal && std::io::stdout().is_terminal() {
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
        .env("CARGO_MANIFEST_DIR", dir);
    let limits = Limits {
        time: limit,
        output: KEEP_BYTES,
    };
    let mut run = Supervised::new(cmd, limits).overflow(Overflow::KeepTail);
    let mut started = None;
    if let Echo::Stream {
        test,
        started: on_start,
        contain,
        ..
    } = echo
    {
        run = run.on_output(Arc::clone(test)).contain(contain.clone());
        started = Some(on_start);
    }
    if terminal {
        run = run.on_output(Arc::new(|stream, bytes| {
            let _ = match stream {
                Stream::Stdout => {
                    let mut out = std::io::stdout().lock();
                    out.write_all(bytes).and_then(|()| out.flush())
                }
                Stream::Stderr => {
                    let mut err = std::io::stderr().lock();
                    err.write_all(bytes).and_then(|()| err.flush())
                }
            };
        }));
    }
    let running = run.start()?;
    if let Some(started) = started {
        started(running.stopper());
    }
    running.wait()
}

/// The verdict of a finished (or killed) run.
pub fn verdict(done: &Finished) -> Verdict {
    let status = match done.end {
        End::Exited(status) => status,
        End::OverLimit(exceeded) => {
            return Verdict::Crashed {
                how: exceeded.describe(),
                panic: None,
            };
        }
        _ => {
            return Verdict::TimedOut {
                limit: done.limits.time,
            };
        }
    };
    let text = libtest::plain(&format!("{}\n{}", done.stdout, done.stderr));
    let panic = libtest::learner_panic(&text);
    match libtest::summary(&text) {
        Some(s) if s.failed > 0 => Verdict::Failed {
            failed: s.failed,
            total: s.passed + s.failed,
            panic,
        },
        _ if status.success() => Verdict::Passed,
        _ => Verdict::Crashed {
            how: crashed(status),
            panic,
        },
    }
}

fn crashed(status: std::process::ExitStatus) -> String {
    match status.code() {
        Some(code) => format!("program exited with code {code} before it finished its tests"),
        None => format!("crashed ({})", process::describe_exit(status)),
    }
}

/// Everything a check produced: the verdict and what led to it.
#[derive(Debug)]
pub struct Checked {
    pub verdict: Verdict,
    /// The check's own run (none when it did not compile or was skipped).
    pub run: Option<Finished>,
    pub build: cargo::Build,
}

/// Builds and runs the check of `ex`, showing cargo's and the test's output
/// as `echo` says, then (on the terminal) the verdict line. Does not record
/// progress.
pub fn check_exercise(
    exs: &Exercises,
    ex: &Exercise,
    limit: Duration,
    echo: &Echo,
) -> Result<Checked> {
    let terminal = matches!(echo, Echo::Terminal);
    let file = exs.file(ex);
    if !file.is_file() {
        return Err(anyhow!(
            "{} is missing (deleted or moved?): `cargo workbook reset {}` restores it",
            exs.show(&file),
            ex.name
        ));
    }
    if let Some(needs) = ex.requires
        && !needs.present()
    {
        let verdict = Verdict::Skipped {
            note: needs.missing_note(),
        };
        if terminal {
            println!("{}", verdict.line(&ex.name));
        }
        return Ok(Checked {
            verdict,
            run: None,
            build: cargo::Build::default(),
        });
    }
    if terminal {
        println!("Checking {} ({})", ex.name, exs.show(&file));
        let _ = std::io::stdout().flush();
    }
    if let Some(bypass) = imports::first_bypass_in(&file)
        && imports::facade_available(&exs.package_dir(ex))
    {
        let verdict = Verdict::Bypassed {
            message: bypass.message(&format!("{}.rs", ex.name)),
        };
        match echo {
            Echo::Terminal => println!("{}", verdict.line(&ex.name)),
            Echo::Stream { test, .. } => test(
                Stream::Stderr,
                format!("{}\n", verdict.line(&ex.name)).as_bytes(),
            ),
            Echo::Quiet => {}
        }
        return Ok(Checked {
            verdict,
            run: None,
            build: cargo::Build::default(),
        });
    }
    let package = exs.package_dir(ex);
    let options = cargo::Options {
        show: if terminal { Show::Live } else { Show::Quiet },
        on_progress: match echo {
            Echo::Stream { build, .. } => Some(Arc::clone(build)),
            _ => None,
        },
        on_start: match echo {
            Echo::Stream { started, .. } => Some(Arc::clone(started)),
            _ => None,
        },
        contain: match echo {
            Echo::Stream { contain, .. } => contain.clone(),
            _ => None,
        },
        ..cargo::Options::live()
    };
    let built = cargo::build_with(
        &package,
        &exercises::target_dir(&exs.root),
        Targets::Test(&ex.name),
        &options,
    )?;
    if let Some(End::OverLimit(exceeded)) = built.end {
        return Err(anyhow!(
            "compiling the check of {}: the compiler {}",
            ex.name,
            exceeded.describe()
        ));
    }
    let (verdict, run) = if let Some(exe) = built.executables.get(&ex.name) {
        let done = run_tests(exe, &package, limit, echo)?;
        if terminal && !done.stdout.is_empty() && !done.stdout.ends_with('\n') {
            println!();
        }
        (verdict(&done), Some(done))
    } else if !built.failed.is_empty() {
        (Verdict::DoesNotCompile, None)
    } else {
        return Err(anyhow!(
            "cargo could not build the check of {}: {}",
            ex.name,
            cargo::last_error(&built.log)
        ));
    };
    if terminal {
        println!("{}", verdict.line(&ex.name));
    }
    Ok(Checked {
        verdict,
        run,
        build: built,
    })
}

/// Records a verdict in the progress file (a skipped check records nothing).
pub fn record(root: &Path, name: &str, verdict: &Verdict) -> Result<()> {
    if matches!(verdict, Verdict::Skipped { .. }) {
        return Ok(());
    }
    let mut progress = Progress::load(root)?;
    progress.record(name, verdict.passed());
    progress.save()
}

/// Entry point of `cargo workbook check`.
pub fn run(args: CheckArgs) -> Result<()> {
    let limit = time_limit(args.timeout)?;
    let exs = Exercises::load(&crate::paths::repo_root())?;
    let Some(ex) = exs.named_or_next(args.name.as_deref())? else {
        println!(
            "Every exercise passes its check ({0}/{0} done). Check one again with `cargo workbook check NAME`.",
            exs.list.len()
        );
        return Ok(());
    };
    let verdict = check_exercise(&exs, ex, limit, &Echo::Terminal)?.verdict;
    record(&exs.root, &ex.name, &verdict)?;
    match verdict {
        Verdict::Passed | Verdict::Skipped { .. } => Ok(()),
        _ => Err(Unsuccessful.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
        assert!(time_limit(0.0).is_err());
        assert!(time_limit(f64::NAN).is_err());
        assert_eq!(time_limit(2.5).unwrap(), Duration::from_millis(2500));
    }
}
