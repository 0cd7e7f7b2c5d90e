//! Running a program under `mpiexec` from Rust with a time limit: for the
//! tests, the exercise's check and `mpi_crossover`. A job that outlives its
//! limit (a rank that skipped a collective waits forever) is killed, with
//! every rank.
//!
//! MPICH's launcher starts each rank in a session of its own, so killing
//! the process group of `mpiexec` does not reach the ranks. Killing
//! `mpiexec` does: its proxies notice and kill their ranks. To be sure, on
//! Linux the ranks found under `mpiexec` before the kill are killed too.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::{Arc, Mutex, mpsc};
use std::thread;
use std::time::{Duration, Instant};

/// The launcher: `$MPIEXEC` if set, else `mpiexec` from `PATH`.
pub fn launcher() -> String {
    std::env::var("MPIEXEC").unwrap_or_else(|_| "mpiexec".to_owned())
}

/// A job that ended by itself.
#[derive(Debug)]
pub struct Finished {
    pub status: ExitStatus,
    pub stdout: String,
    pub stderr: String,
    /// From start to end of `mpiexec`: launch, MPI start-up, work, shutdown.
    pub seconds: f64,
}

/// Why a job gave no [`Finished`].
#[derive(Debug)]
pub enum Failed {
    /// `mpiexec` could not be started (not installed?).
    NoLauncher(String),
    /// Still running at the limit: killed, with what it had printed by then.
    TimedOut {
        limit: Duration,
        stdout: String,
        stderr: String,
    },
}

impl std::fmt::Display for Failed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Failed::NoLauncher(why) => write!(f, "cannot start {}: {why}", launcher()),
            Failed::TimedOut { limit, .. } => write!(
                f,
                "the job was still running after {} s and was killed",
                limit.as_secs_f64()
            ),
        }
    }
}

/// Runs `mpiexec -n ranks program args...`, for at most `limit`.
pub fn run(ranks: u32, program: &Path, args: &[&str], limit: Duration) -> Result<Finished, Failed> {
    Job::start(ranks, program, args)?.wait(limit)
}

/// [`run`], with panics reported without a backtrace (`RUST_BACKTRACE=0`):
/// for output a learner reads.
pub fn run_without_backtraces(
    ranks: u32,
    program: &Path,
    args: &[&str],
    limit: Duration,
) -> Result<Finished, Failed> {
    Job::start_with_env(ranks, program, args, &[("RUST_BACKTRACE", "0")])?.wait(limit)
}

/// A job under way.
pub struct Job {
    launcher: Child,
    program: PathBuf,
    started: Instant,
    stdout: Output,
    stderr: Output,
}

impl Job {
    /// Starts `mpiexec -n ranks program args...`.
    pub fn start(ranks: u32, program: &Path, args: &[&str]) -> Result<Job, Failed> {
        Job::start_with_env(ranks, program, args, &[])
    }

    /// [`Job::start`], with these environment variables set for every rank.
    pub fn start_with_env(
        ranks: u32,
        program: &Path,
        args: &[&str],
        env: &[(&str, &str)],
    ) -> Result<Job, Failed> {
        let started = Instant::now();
        let mut launcher = Command::new(launcher())
            .envs(env.iter().copied())
            .arg("-n")
            .arg(ranks.to_string())
            .arg(program)
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| Failed::NoLauncher(e.to_string()))?;
        let stdout = read_in_background(launcher.stdout.take().expect("stdout is piped"));
        let stderr = read_in_background(launcher.stderr.take().expect("stderr is piped"));
        Ok(Job {
            launcher,
            program: program
                .canonicalize()
                .unwrap_or_else(|_| program.to_owned()),
            started,
            stdout,
            stderr,
        })
    }

    /// The process ids of the ranks started so far (Linux; elsewhere none).
    pub fn rank_pids(&self) -> Vec<u32> {
        descendants(self.launcher.id())
            .into_iter()
            .filter(|pid| {
                std::fs::read_link(format!("/proc/{pid}/exe")).is_ok_and(|exe| exe == self.program)
            })
            .collect()
    }

    /// Waits for the job to end, until `limit` after its start; then kills it.
    pub fn wait(&mut self, limit: Duration) -> Result<Finished, Failed> {
        let status = loop {
            match self.launcher.try_wait() {
                Ok(Some(status)) => break Some(status),
                Ok(None) if self.started.elapsed() < limit => {
                    thread::sleep(Duration::from_millis(5))
                }
                Ok(None) | Err(_) => break None,
            }
        };
        let seconds = self.started.elapsed().as_secs_f64();
        let Some(status) = status else {
            self.kill();
            return Err(Failed::TimedOut {
                limit,
                stdout: collect(&self.stdout),
                stderr: collect(&self.stderr),
            });
        };
        Ok(Finished {
            status,
            stdout: collect(&self.stdout),
            stderr: collect(&self.stderr),
            seconds,
        })
    }

    /// Kills the launcher and every rank below it.
    fn kill(&mut self) {
        let below = descendants(self.launcher.id());
        let _ = self.launcher.kill();
        let _ = self.launcher.wait();
        kill_survivors(&below);
    }
}

/// A job dropped while it runs (a test that failed half-way) is killed, not left behind.
impl Drop for Job {
    fn drop(&mut self) {
        if let Ok(None) = self.launcher.try_wait() {
            self.kill();
        }
    }
}

/// What one pipe of the job has carried so far, read on a thread of its
/// own, so that a job that fills one pipe while we wait on the other
/// cannot block.
struct Output {
    bytes: Arc<Mutex<Vec<u8>>>,
    ended: mpsc::Receiver<()>,
}

fn read_in_background(mut pipe: impl Read + Send + 'static) -> Output {
    let bytes = Arc::new(Mutex::new(Vec::new()));
    let (end, ended) = mpsc::channel();
    let sink = Arc::clone(&bytes);
    thread::spawn(move || {
        let mut buffer = [0; 4096];
        while let Ok(count @ 1..) = pipe.read(&mut buffer) {
            sink.lock()
                .unwrap_or_else(|e| e.into_inner())
                .extend_from_slice(&buffer[..count]);
        }
        let _ = end.send(());
    });
    Output { bytes, ended }
}

/// What a pipe carried. The launcher's helpers can hold a pipe open for a
/// moment after the launcher itself has ended; after a second, what came
/// by then is the answer.
fn collect(output: &Output) -> String {
    let _ = output.ended.recv_timeout(Duration::from_secs(1));
    let bytes = output.bytes.lock().unwrap_or_else(|e| e.into_inner());
    String::from_utf8_lossy(&bytes).into_owned()
}

/// Every process below `pid` (Linux: from /proc; elsewhere: none known).
fn descendants(pid: u32) -> Vec<u32> {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    let parents: Vec<(u32, u32)> = entries
        .filter_map(|entry| entry.ok()?.file_name().to_str()?.parse::<u32>().ok())
        .filter_map(|p| Some((p, parent_of(p)?)))
        .collect();
    let mut found = vec![pid];
    let mut i = 0;
    while i < found.len() {
        let parent = found[i];
        found.extend(
            parents
                .iter()
                .filter(|(_, pp)| *pp == parent)
                .map(|(p, _)| *p),
        );
        i += 1;
    }
    found.remove(0);
    found
}

/// The parent of a process, from /proc/PID/stat ("pid (name) state ppid ...").
fn parent_of(pid: u32) -> Option<u32> {
    stat_fields(pid)?.get(1)?.parse().ok()
}

/// Whether a process exists and has not ended (a zombie has ended).
fn is_running(pid: u32) -> bool {
    stat_fields(pid).is_some_and(|fields| fields.first().is_some_and(|state| state != "Z"))
}

/// The fields of /proc/PID/stat after the name: state, ppid, ...
fn stat_fields(pid: u32) -> Option<Vec<String>> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let after_name = &stat[stat.rfind(')')? + 1..];
    Some(after_name.split_whitespace().map(str::to_owned).collect())
}

/// Gives the killed launcher's proxies a moment to stop their ranks, then
/// kills whichever of `pids` still runs.
fn kill_survivors(pids: &[u32]) {
    let deadline = Instant::now() + Duration::from_secs(2);
    while pids.iter().any(|&pid| is_running(pid)) && Instant::now() < deadline {
        thread::sleep(Duration::from_millis(20));
    }
    for &pid in pids.iter().filter(|&&pid| is_running(pid)) {
        let _ = Command::new("kill")
            .args(["-KILL", &pid.to_string()])
            .status();
    }
}
