//! The keeper of a contained run (Linux): `workbook keeper`, as
//! [`super::contain`] describes it.

use std::collections::HashMap;
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use nix::sys::resource::{Resource, getrlimit, setrlimit};
use nix::sys::signal::{SigSet, Signal, kill};
use nix::sys::wait::{WaitPidFlag, WaitStatus, waitpid};
use nix::unistd::{Pid, getppid};

use super::contain::{Exceeded, Limit, Report};

/// How often the keeper measures the run's processes.
pub const POLL: Duration = Duration::from_millis(100);

/// Every how many polls it looks through all of the machine's processes
/// for new ones of the run (reading every process's `/proc` entry ten
/// times a second would cost a busy machine a good part of a core, and a
/// timed run its honesty).
const FULL_SCAN_EVERY: u32 = 10;

/// `workbook keeper`: see the module's documentation. Not for people.
#[derive(clap::Args, Debug)]
pub struct KeeperArgs {
    #[arg(long)]
    memory: u64,
    #[arg(long)]
    processes: u64,
    #[arg(long)]
    file_size: u64,
    #[arg(long)]
    report: PathBuf,
    #[arg(last = true, required = true)]
    command: Vec<OsString>,
}

/// Why the keeper ends the run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Ending {
    Exited(i32),
    Told,
    Exceeded(Exceeded),
}

/// The keeper's whole life; the process exits at its end.
pub fn keep(args: KeeperArgs) -> ! {
    // Blocked here, before any thread starts, so that every thread has them
    // blocked and the main thread takes them with `sigwait`. The program
    // does not inherit the mask: std resets it in the child.
    let signals: SigSet = [
        Signal::SIGCHLD,
        Signal::SIGTERM,
        Signal::SIGINT,
        Signal::SIGHUP,
        Signal::SIGUSR1,
    ]
    .into_iter()
    .collect();
    let fail = |what: &str, e: &dyn std::fmt::Display| -> ! {
        eprintln!("error: workbook keeper: {what}: {e}");
        std::process::exit(125);
    };
    if let Err(e) = signals.thread_block() {
        fail("cannot block signals", &e);
    }
    if let Err(e) = nix::sys::prctl::set_child_subreaper(true) {
        fail("cannot become a child subreaper", &e);
    }
    let server = getppid();
    let me = Pid::this();
    if let Err(e) = set_limits(&args) {
        fail("cannot set the run's limits", &e);
    }

    let program = &args.command[0];
    let child = match Command::new(program).args(&args.command[1..]).spawn() {
        Ok(child) => child,
        Err(e) => {
            eprintln!("error: cannot run {}: {e}", Path::new(program).display());
            let report = Report {
                status: Some(127 << 8),
                ..Report::default()
            };
            write_report(&args.report, &report);
            std::process::exit(127);
        }
    };
    let main = Pid::from_raw(child.id() as i32);

    let watch = Arc::new(Watch::default());
    let watcher = {
        let watch = Arc::clone(&watch);
        let (memory, processes) = (args.memory, args.processes);
        std::thread::spawn(move || watch.run(me, server, memory, processes))
    };

    let ending = loop {
        match signals.wait() {
            Ok(Signal::SIGCHLD) => {
                if let Some(status) = reap(main) {
                    break Ending::Exited(status);
                }
            }
            Ok(Signal::SIGUSR1) => {
                match *watch.exceeded.lock().unwrap_or_else(|e| e.into_inner()) {
                    Some(exceeded) => break Ending::Exceeded(exceeded),
                    None => break Ending::Told,
                }
            }
            Ok(_) => break Ending::Told,
            Err(e) => fail("cannot wait for signals", &e),
        }
    };
    watch.over.store(true, Ordering::SeqCst);
    let _ = watcher.join();
    end_everything(me);
    let (peak_memory, peak_tasks) = *watch.peaks.lock().unwrap_or_else(|e| e.into_inner());
    let mut report = Report {
        peak_memory,
        peak_tasks,
        ..Report::default()
    };
    let code = match ending {
        Ending::Exited(status) => {
            report.status = Some(status);
            if status & 0x7f == Signal::SIGXFSZ as i32 {
                report.exceeded = Some(Exceeded {
                    what: Limit::FileSize,
                    limit: args.file_size,
                });
            }
            if status & 0x7f == 0 {
                (status >> 8) & 0xff
            } else {
                128 + (status & 0x7f)
            }
        }
        Ending::Told => 128 + Signal::SIGTERM as i32,
        Ending::Exceeded(exceeded) => {
            report.exceeded = Some(exceeded);
            128 + Signal::SIGKILL as i32
        }
    };
    write_report(&args.report, &report);
    std::process::exit(code)
}

fn write_report(path: &Path, report: &Report) {
    let bytes = serde_json::to_vec(report).unwrap_or_default();
    if let Err(e) = std::fs::write(path, bytes) {
        eprintln!("error: workbook keeper: cannot write its report: {e}");
    }
}

/// The kernel's limits, on the keeper itself (the program inherits them).
fn set_limits(args: &KeeperArgs) -> nix::Result<()> {
    setrlimit(Resource::RLIMIT_CORE, 0, 0)?;
    let (_, hard) = getrlimit(Resource::RLIMIT_FSIZE)?;
    let size = args.file_size.min(hard);
    setrlimit(Resource::RLIMIT_FSIZE, size, size)?;
    // RLIMIT_NPROC counts every process and thread of the user, anywhere:
    // the run may start this many more than there are now.
    let (_, hard) = getrlimit(Resource::RLIMIT_NPROC)?;
    // (Two more: the keeper's own watcher thread, and the one task past the
    // limit that the watcher must see to say so.)
    let tasks = user_tasks()
        .saturating_add(args.processes)
        .saturating_add(2)
        .min(hard);
    setrlimit(Resource::RLIMIT_NPROC, tasks, tasks)
}

/// Reaps every child that has ended; the wait status of `main` if it was one.
fn reap(main: Pid) -> Option<i32> {
    let mut status = None;
    loop {
        match waitpid(None, Some(WaitPidFlag::WNOHANG)) {
            Ok(WaitStatus::Exited(pid, code)) if pid == main => status = Some((code & 0xff) << 8),
            Ok(WaitStatus::Signaled(pid, signal, core)) if pid == main => {
                status = Some(signal as i32 | if core { 0x80 } else { 0 })
            }
            Ok(WaitStatus::StillAlive) | Err(_) => return status,
            Ok(_) => {}
        }
    }
}

/// Reaps every child that has ended.
fn reap_all() {
    while let Ok(status) = waitpid(None, Some(WaitPidFlag::WNOHANG)) {
        if status == WaitStatus::StillAlive {
            return;
        }
    }
}

/// Kills every descendant and reaps them, until none is left. A process
/// that forks while it is being killed leaves an orphan, which comes to the
/// keeper and is found by the next scan.
fn end_everything(me: Pid) {
    let give_up = Instant::now() + Duration::from_secs(30);
    loop {
        reap_all();
        let alive: Vec<Pid> = descendants(me, &scan())
            .into_iter()
            .filter(|task| !task.dead)
            .map(|task| task.pid)
            .collect();
        if alive.is_empty()
            && waitpid(None, Some(WaitPidFlag::WNOHANG)) == Err(nix::errno::Errno::ECHILD)
        {
            return;
        }
        for pid in alive {
            let _ = kill(pid, Signal::SIGKILL);
        }
        if Instant::now() > give_up {
            // Uninterruptible processes (a hung network file system):
            // the keeper cannot wait for ever.
            eprintln!("error: workbook keeper: some processes of the run would not die");
            return;
        }
        std::thread::sleep(Duration::from_millis(2));
    }
}

/// What the watcher thread shares with the main thread.
#[derive(Default)]
struct Watch {
    over: AtomicBool,
    exceeded: std::sync::Mutex<Option<Exceeded>>,
    peaks: std::sync::Mutex<(u64, u64)>,
}

impl Watch {
    /// Every [`POLL`]: the run's memory and tasks against the limits, and
    /// whether the server is still there. Wakes the main thread with
    /// SIGUSR1 (a limit) or SIGTERM (no server). The run's processes are
    /// found by a scan of all processes every [`FULL_SCAN_EVERY`] polls; in
    /// between, those found are read again (a one-process run, the usual
    /// kind, is measured every poll whatever it does).
    fn run(&self, me: Pid, server: Pid, memory: u64, processes: u64) {
        let mut known: Vec<Pid> = Vec::new();
        let mut polls = 0u32;
        while !self.over.load(Ordering::SeqCst) {
            std::thread::sleep(POLL);
            if getppid() != server {
                let _ = kill(me, Signal::SIGTERM);
                return;
            }
            let tasks = if polls.is_multiple_of(FULL_SCAN_EVERY) {
                descendants(me, &scan())
            } else {
                again(me, &known)
            };
            polls += 1;
            known = tasks.iter().map(|t| t.pid).collect();
            let used: u64 = tasks.iter().map(Task::memory).max().unwrap_or(0);
            let count: u64 = tasks.iter().map(|t| t.threads).sum();
            {
                let mut peaks = self.peaks.lock().unwrap_or_else(|e| e.into_inner());
                peaks.0 = peaks.0.max(used);
                peaks.1 = peaks.1.max(count);
            }
            let exceeded = if used > memory {
                Some(Exceeded {
                    what: Limit::Memory,
                    limit: memory,
                })
            } else if count > processes {
                Some(Exceeded {
                    what: Limit::Processes,
                    limit: processes,
                })
            } else {
                None
            };
            if exceeded.is_some() {
                *self.exceeded.lock().unwrap_or_else(|e| e.into_inner()) = exceeded;
                let _ = kill(me, Signal::SIGUSR1);
                return;
            }
        }
    }
}

/// One process, as `/proc/PID/stat` shows it.
#[derive(Clone, Copy, Debug)]
struct Task {
    pid: Pid,
    parent: Pid,
    threads: u64,
    /// A zombie (or dying): nothing left to kill, only to reap.
    dead: bool,
}

impl Task {
    /// Its resident anonymous memory, in bytes (0 once it is gone).
    fn memory(&self) -> u64 {
        let status =
            std::fs::read_to_string(format!("/proc/{}/status", self.pid)).unwrap_or_default();
        status
            .lines()
            .find_map(|line| line.strip_prefix("RssAnon:"))
            .and_then(|kb| kb.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
            .map_or(0, |kb| kb * 1024)
    }
}

/// The processes of `known` as they are now, those still below `root`
/// (one that ended is left out, and so is a process that took its pid).
fn again(root: Pid, known: &[Pid]) -> Vec<Task> {
    let tasks: Vec<Task> = known.iter().filter_map(|&pid| read_task(pid)).collect();
    let ours: std::collections::HashSet<Pid> = known.iter().copied().chain([root]).collect();
    tasks
        .into_iter()
        .filter(|task| ours.contains(&task.parent))
        .collect()
}

fn read_task(pid: Pid) -> Option<Task> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    parse_stat(pid.as_raw(), &stat)
}

/// Every process this user can see (a process may vanish while it is read:
/// it is then left out).
fn scan() -> Vec<Task> {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    entries
        .flatten()
        .filter_map(|entry| {
            let pid: i32 = entry.file_name().to_str()?.parse().ok()?;
            let stat = std::fs::read_to_string(entry.path().join("stat")).ok()?;
            parse_stat(pid, &stat)
        })
        .collect()
}

/// `PID (COMM) STATE PPID ...`: COMM may hold spaces and parentheses, so
/// the fields are counted from the last `)`; field 20 is the thread count.
fn parse_stat(pid: i32, stat: &str) -> Option<Task> {
    let rest = &stat[stat.rfind(')')? + 1..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    Some(Task {
        pid: Pid::from_raw(pid),
        parent: Pid::from_raw(fields.get(1)?.parse().ok()?),
        threads: fields.get(17)?.parse().ok()?,
        dead: matches!(*fields.first()?, "Z" | "X" | "x"),
    })
}

/// The tasks below `root` in the process tree.
fn descendants(root: Pid, tasks: &[Task]) -> Vec<Task> {
    let mut children: HashMap<Pid, Vec<Task>> = HashMap::new();
    for task in tasks {
        children.entry(task.parent).or_default().push(*task);
    }
    let mut found = Vec::new();
    let mut next = vec![root];
    while let Some(pid) = next.pop() {
        for task in children.get(&pid).into_iter().flatten() {
            if task.pid != root {
                found.push(*task);
                next.push(task.pid);
            }
        }
    }
    found
}

/// Every process and thread of this user now (what `RLIMIT_NPROC` counts,
/// as far as this PID namespace shows).
fn user_tasks() -> u64 {
    use std::os::unix::fs::MetadataExt;
    let me = nix::unistd::getuid().as_raw();
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return 0;
    };
    entries
        .flatten()
        .filter(|entry| entry.metadata().is_ok_and(|m| m.uid() == me))
        .filter_map(|entry| {
            let pid: i32 = entry.file_name().to_str()?.parse().ok()?;
            let stat = std::fs::read_to_string(entry.path().join("stat")).ok()?;
            parse_stat(pid, &stat).map(|t| t.threads)
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stat_lines_with_awkward_names() {
        let line = "4242 (a (b) c) S 17 4242 4242 0 -1 4194560 96 0 0 0 0 0 0 0 20 0 3 0 1 2 3";
        let task = parse_stat(4242, line).unwrap();
        assert_eq!(task.parent, Pid::from_raw(17));
        assert_eq!(task.threads, 3);
        assert!(!task.dead);
        let zombie = parse_stat(9, "9 (x) Z 1 9 9 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 1 2 3").unwrap();
        assert!(zombie.dead);
    }

    #[test]
    fn descendants_follow_the_tree() {
        let task = |pid, parent| Task {
            pid: Pid::from_raw(pid),
            parent: Pid::from_raw(parent),
            threads: 1,
            dead: false,
        };
        let tasks = [
            task(10, 1),
            task(11, 10),
            task(12, 11),
            task(13, 1),
            task(14, 12),
        ];
        let mut found: Vec<i32> = descendants(Pid::from_raw(10), &tasks)
            .iter()
            .map(|t| t.pid.as_raw())
            .collect();
        found.sort();
        assert_eq!(found, vec![11, 12, 14]);
    }
}
