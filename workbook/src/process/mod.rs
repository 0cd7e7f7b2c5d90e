//! Child processes under limits: every program the tool runs for someone
//! else (a check, a measurement, a snippet) runs here.
//!
//! A child gets its own process group, a deadline and a cap on what it may
//! print. At the deadline, when its output passes the cap (unless the caller
//! keeps the tail instead), when [`Stopper::stop`] is called, and when it has
//! exited (anything it left behind), the whole group is killed. Ctrl-C (and
//! SIGTERM/SIGHUP) kills every running group before the tool exits: the
//! groups are not in the terminal's foreground group, so the terminal's
//! signal never reaches them.
//!
//! A run from the page is also *contained* ([`Supervised::contain`], Linux):
//! a keeper process ends everything it started, `setsid` or not, and holds
//! it to limits of memory, processes and file size ([`contain`]).

use std::io::Read;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex, mpsc};
use std::time::{Duration, Instant};

use anyhow::{Result, anyhow};
use wait_timeout::ChildExt;

pub mod contain;
mod group;
#[cfg(target_os = "linux")]
pub mod keeper;
mod output;
pub use contain::{Containment, Exceeded};
use group::Group;
use output::{Kept, pump};

/// How long and how much.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    pub time: Duration,
    /// Bytes of stdout and of stderr (each) kept.
    pub output: usize,
}

impl Limits {
    /// For the tool's own helpers (cargo builds): an hour, 64 MiB.
    pub fn generous() -> Limits {
        Limits {
            time: Duration::from_secs(3600),
            output: 64 << 20,
        }
    }
}

/// Which stream a piece of output came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stream {
    Stdout,
    Stderr,
}

/// Called with each piece of output as it arrives (to echo or stream it).
pub type OnOutput = Arc<dyn Fn(Stream, &[u8]) + Send + Sync>;

/// Called once a program runs, with what stops it (a Stop button's way in).
pub type OnStart = Arc<dyn Fn(Stopper) + Send + Sync>;

/// What to do with output past [`Limits::output`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Overflow {
    /// Keep the beginning and kill the group: a program that floods its
    /// output is stopped, not waited for.
    KillKeepingHead,
    /// Keep the end and let it run (a test harness prints its verdict last).
    KeepTail,
}

/// How a supervised run ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum End {
    Exited(ExitStatus),
    TimedOut,
    TooMuchOutput,
    Stopped,
    /// A contained run passed one of its limits.
    OverLimit(Exceeded),
}

/// A finished run.
#[derive(Debug)]
pub struct Finished {
    pub end: End,
    pub stdout: String,
    pub stderr: String,
    /// Some output was dropped (see [`Overflow`]).
    pub truncated: bool,
    pub elapsed: Duration,
    /// The limits it ran under (for messages).
    pub limits: Limits,
}

impl Finished {
    pub fn success(&self) -> bool {
        matches!(self.end, End::Exited(s) if s.success())
    }

    pub fn status(&self) -> Option<ExitStatus> {
        match self.end {
            End::Exited(s) => Some(s),
            _ => None,
        }
    }

    /// `exit code 1`, `killed by SIGSEGV (…)`, `stopped at the 30 s limit`.
    pub fn describe(&self) -> String {
        match self.end {
            End::Exited(status) => describe_exit(status),
            End::TimedOut => format!("stopped at the {} limit", seconds(self.limits.time)),
            End::TooMuchOutput => format!(
                "stopped after printing more than {} of output",
                bytes(self.limits.output)
            ),
            End::Stopped => "stopped on request".into(),
            End::OverLimit(exceeded) => exceeded.describe(),
        }
    }
}

/// `exit code 3`, or the signal by its platform name, with a hint for the
/// two a learner meets.
pub fn describe_exit(status: ExitStatus) -> String {
    #[cfg(unix)]
    {
        use nix::sys::signal::Signal;
        use std::os::unix::process::ExitStatusExt;
        if let Some(raw) = status.signal() {
            return match Signal::try_from(raw) {
                Ok(Signal::SIGABRT) => {
                    "killed by SIGABRT (an abort: a panic while panicking, or a failed allocation?)"
                        .into()
                }
                Ok(Signal::SIGSEGV) => {
                    "killed by SIGSEGV (a stack overflow or an invalid memory access)".into()
                }
                Ok(signal) => format!("killed by {}", signal.as_str()),
                Err(_) => format!("killed by signal {raw}"),
            };
        }
    }
    match status.code() {
        Some(code) => format!("exit code {code}"),
        None => "ended abnormally".into(),
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

/// `2 GiB`, `1 MiB`, `512 KiB`, `300 bytes`.
pub fn bytes(n: usize) -> String {
    if n >= 1 << 30 && n.is_multiple_of(1 << 30) {
        format!("{} GiB", n >> 30)
    } else if n >= 1 << 20 && n.is_multiple_of(1 << 20) {
        format!("{} MiB", n >> 20)
    } else if n >= 1 << 10 && n.is_multiple_of(1 << 10) {
        format!("{} KiB", n >> 10)
    } else {
        format!("{n} bytes")
    }
}

/// The cargo to run: the one running us (`$CARGO`), else `cargo` on PATH.
pub fn cargo() -> Command {
    Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
}

/// A command with its limits, not started yet.
pub struct Supervised {
    cmd: Command,
    limits: Limits,
    overflow: Overflow,
    on_output: Option<OnOutput>,
    input: Option<Vec<u8>>,
    contain: Option<Containment>,
}

impl Supervised {
    /// `cmd`'s stdin becomes null (see [`Supervised::input`]), its stdout
    /// and stderr pipes.
    pub fn new(cmd: Command, limits: Limits) -> Supervised {
        Supervised {
            cmd,
            limits,
            overflow: Overflow::KillKeepingHead,
            on_output: None,
            input: None,
            contain: None,
        }
    }

    /// Runs the program under a keeper (Linux; elsewhere nothing changes:
    /// the run is its process group, as every other run).
    pub fn contain(mut self, containment: Option<Containment>) -> Supervised {
        self.contain = containment.filter(|_| cfg!(target_os = "linux"));
        self
    }

    /// Feeds `bytes` to the program's stdin, then closes it.
    pub fn input(mut self, bytes: impl Into<Vec<u8>>) -> Supervised {
        self.input = Some(bytes.into());
        self
    }

    pub fn overflow(mut self, overflow: Overflow) -> Supervised {
        self.overflow = overflow;
        self
    }

    pub fn on_output(mut self, on_output: OnOutput) -> Supervised {
        self.on_output = Some(on_output);
        self
    }

    /// Starts the program in a process group of its own.
    pub fn start(mut self) -> Result<Running> {
        // The keeper writes its report here; the file goes when `Running` does.
        let report = match &self.contain {
            Some(containment) => {
                let file = tempfile::Builder::new()
                    .prefix("workbook-run-")
                    .suffix(".json")
                    .tempfile()
                    .map_err(|e| anyhow!("cannot make a report file for the run: {e}"))?
                    .into_temp_path();
                self.cmd = containment.wrap(&self.cmd, &file);
                Some(file)
            }
            None => None,
        };
        #[cfg(unix)]
        {
            use std::os::unix::process::CommandExt;
            self.cmd.process_group(0);
        }
        self.cmd
            .stdin(if self.input.is_some() {
                Stdio::piped()
            } else {
                Stdio::null()
            })
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let program = self.cmd.get_program().to_string_lossy().into_owned();
        let mut child = self.cmd.spawn().map_err(|e| {
            if e.kind() == std::io::ErrorKind::NotFound {
                anyhow!("cannot run {program}: not found (is it installed and on your PATH?)")
            } else {
                anyhow!("cannot run {program}: {e}")
            }
        })?;
        let group = Group::register(child.id(), report.is_some());
        if let (Some(bytes), Some(mut stdin)) = (self.input.take(), child.stdin.take()) {
            // On a thread: a program that does not read must not block us.
            std::thread::spawn(move || {
                use std::io::Write;
                let _ = stdin.write_all(&bytes);
            });
        }
        let (done_tx, done_rx) = mpsc::channel();
        let pump = |from: Box<dyn Read + Send>, stream| {
            pump(
                from,
                stream,
                self.limits.output,
                self.overflow,
                self.on_output.clone(),
                Arc::clone(&group),
                done_tx.clone(),
            )
        };
        let stdout = pump(
            Box::new(child.stdout.take().expect("piped")),
            Stream::Stdout,
        );
        let stderr = pump(
            Box::new(child.stderr.take().expect("piped")),
            Stream::Stderr,
        );
        Ok(Running {
            child,
            group,
            report,
            limits: self.limits,
            started: Instant::now(),
            stdout,
            stderr,
            done: done_rx,
        })
    }

    /// Starts the program and waits for it.
    pub fn run(self) -> Result<Finished> {
        self.start()?.wait()
    }
}

/// A started program.
pub struct Running {
    child: Child,
    group: Arc<Group>,
    /// A contained run's report file.
    report: Option<tempfile::TempPath>,
    limits: Limits,
    started: Instant,
    stdout: Arc<Mutex<Kept>>,
    stderr: Arc<Mutex<Kept>>,
    done: mpsc::Receiver<()>,
}

/// An exit status from its raw wait status.
fn wait_status(raw: i32) -> ExitStatus {
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        ExitStatus::from_raw(raw)
    }
    #[cfg(not(unix))]
    {
        let _ = raw;
        unreachable!("only contained runs have a raw status, and only on Linux")
    }
}

/// Ends a running program from another thread (a Stop button).
#[derive(Clone)]
pub struct Stopper(Arc<Group>);

impl Stopper {
    pub fn stop(&self) {
        self.0.stopped.store(true, Ordering::SeqCst);
        self.0.end();
    }
}

/// How long a keeper may take to end its run before it is killed itself.
const KEEPER_GRACE: Duration = Duration::from_secs(40);

impl Running {
    pub fn stopper(&self) -> Stopper {
        Stopper(Arc::clone(&self.group))
    }

    /// Ends the program (a keeper ends everything it started) and reaps it.
    fn end_and_reap(&mut self) {
        self.group.end();
        if self.report.is_some() && matches!(self.child.wait_timeout(KEEPER_GRACE), Ok(Some(_))) {
            return;
        }
        self.group.kill();
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// Waits until the program exits or a limit ends it; then kills whatever
    /// is left of its group and collects its output.
    pub fn wait(mut self) -> Result<Finished> {
        let deadline = self.started + self.limits.time;
        let status = loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.child.wait_timeout(left) {
                Ok(Some(status)) => break Some(status),
                Ok(None) if Instant::now() >= deadline => break None,
                Ok(None) => {}
                Err(e) => {
                    self.group.kill();
                    let _ = self.child.wait();
                    self.group.forget();
                    return Err(anyhow!("cannot wait for a child process: {e}"));
                }
            }
        };
        if status.is_none() {
            self.end_and_reap();
        }
        self.group.kill();
        self.group.forget();
        let elapsed = self.started.elapsed();
        // The pipes close when the last process holding them is gone; one
        // that left the group (setsid) may keep them open: do not wait for ever.
        for _ in 0..2 {
            let _ = self.done.recv_timeout(Duration::from_secs(2));
        }
        // A contained run's keeper says how its program ended, and which
        // limit it passed.
        let report = self
            .report
            .as_ref()
            .and_then(|file| contain::Report::read(file));
        let exceeded = report.as_ref().and_then(|r| r.exceeded);
        let status = match report.as_ref().and_then(|r| r.status) {
            Some(raw) if status.is_some() => Some(wait_status(raw)),
            _ => status,
        };
        let end = if self.group.stopped.load(Ordering::SeqCst) {
            End::Stopped
        } else if self.group.overflowed.load(Ordering::SeqCst) {
            End::TooMuchOutput
        } else if let Some(exceeded) = exceeded {
            End::OverLimit(exceeded)
        } else {
            match status {
                Some(status) => End::Exited(status),
                None => End::TimedOut,
            }
        };
        let take = |kept: &Arc<Mutex<Kept>>| {
            let kept = kept.lock().unwrap_or_else(|e| e.into_inner());
            (
                String::from_utf8_lossy(&kept.bytes).into_owned(),
                kept.truncated,
            )
        };
        let (stdout, cut_out) = take(&self.stdout);
        let (stderr, cut_err) = take(&self.stderr);
        Ok(Finished {
            end,
            stdout,
            stderr,
            truncated: cut_out || cut_err,
            elapsed,
            limits: self.limits,
        })
    }
}
