//! The supervisor every child process of the tool runs under: limits,
//! process groups, floods, stops and signal names.
#![cfg(unix)]

mod common;

use std::process::Command;
use std::time::{Duration, Instant};

use workbook::process::{End, Limits, Overflow, Supervised};

fn sh(script: &str) -> Command {
    let mut cmd = Command::new("sh");
    cmd.args(["-c", script]);
    cmd
}

fn limits(ms: u64, output: usize) -> Limits {
    Limits {
        time: Duration::from_millis(ms),
        output,
    }
}

#[test]
fn a_normal_exit_keeps_its_output_and_status() {
    let done = Supervised::new(sh("echo out; echo err >&2; exit 3"), limits(10_000, 1024))
        .run()
        .unwrap();
    assert_eq!(done.stdout, "out\n");
    assert_eq!(done.stderr, "err\n");
    assert_eq!(done.describe(), "exit code 3");
    assert!(!done.success());
}

#[cfg(target_os = "linux")]
#[test]
fn the_deadline_kills_the_whole_group() {
    // The grandchild writes its pid, then sleeps: it must die with the group.
    // The pid file appears whole (written, then renamed), and the deadline
    // leaves the shell seconds, not milliseconds, to get that far on a busy
    // machine.
    let dir = tempfile::tempdir().unwrap();
    let pid_file = dir.path().join("pid");
    let script = format!(
        "(sleep 1000 & echo $! > {0}.part && mv {0}.part {0}); sleep 1000",
        pid_file.display()
    );
    let started = Instant::now();
    let done = Supervised::new(sh(&script), limits(3_000, 1024))
        .run()
        .unwrap();
    assert_eq!(done.end, End::TimedOut);
    assert!(started.elapsed() < Duration::from_secs(30));
    let pid: u32 = std::fs::read_to_string(&pid_file)
        .expect("the shell wrote the grandchild's pid within the deadline")
        .trim()
        .parse()
        .unwrap();
    assert!(common::gone(pid), "the grandchild {pid} survived");
}

#[test]
fn a_flood_is_cut_and_killed_or_its_tail_kept() {
    let flood = "while :; do echo yyyyyyyyyyyyyyyyyyyy; done";
    let done = Supervised::new(sh(flood), limits(60_000, 4096))
        .run()
        .unwrap();
    assert_eq!(done.end, End::TooMuchOutput);
    assert!(done.truncated);
    assert_eq!(done.stdout.len(), 4096);

    let tail = Supervised::new(sh("seq 1 100000"), limits(60_000, 64))
        .overflow(Overflow::KeepTail)
        .run()
        .unwrap();
    assert!(tail.success());
    assert!(tail.truncated);
    assert!(tail.stdout.ends_with("99999\n100000\n"), "{}", tail.stdout);
}

#[test]
fn stop_ends_a_run_from_another_thread() {
    let running = Supervised::new(sh("sleep 1000"), limits(60_000, 1024))
        .start()
        .unwrap();
    let stopper = running.stopper();
    std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(100));
        stopper.stop();
    });
    assert_eq!(running.wait().unwrap().end, End::Stopped);
}

#[test]
fn signals_are_named_by_the_platform() {
    let done = Supervised::new(sh("kill -SEGV $$"), limits(10_000, 1024))
        .run()
        .unwrap();
    assert!(
        done.describe().starts_with("killed by SIGSEGV"),
        "{}",
        done.describe()
    );
    let done = Supervised::new(sh("kill -BUS $$"), limits(10_000, 1024))
        .run()
        .unwrap();
    assert_eq!(done.describe(), "killed by SIGBUS");
}

#[test]
fn a_missing_program_is_one_line() {
    let e = Supervised::new(Command::new("no-such-program-xyz"), limits(1000, 10))
        .run()
        .err()
        .unwrap();
    assert!(e.to_string().contains("not found"), "{e}");
}

/// A contained run's keeper: this test's own supervisor, kept by the
/// workbook binary, with roomy limits.
#[cfg(target_os = "linux")]
fn kept() -> Option<workbook::process::Containment> {
    Some(workbook::process::Containment {
        keeper: env!("CARGO_BIN_EXE_workbook").into(),
        memory: 1 << 30,
        processes: 1000,
        file_size: 1 << 30,
    })
}

/// The pid in `file`, once it is there.
#[cfg(target_os = "linux")]
fn pid_in(file: &std::path::Path) -> i32 {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        if let Ok(pid) = std::fs::read_to_string(file)
            .unwrap_or_default()
            .trim()
            .parse()
        {
            return pid;
        }
        assert!(Instant::now() < deadline, "{file:?} never came");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Whether `pid` (running `sleep MARKER`) is gone within 10 s.
#[cfg(target_os = "linux")]
fn sleeper_gone(pid: i32, marker: &str) -> bool {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let cmdline = std::fs::read(format!("/proc/{pid}/cmdline")).unwrap_or_default();
        let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
        if stat.is_empty()
            || stat.contains(") Z ")
            || !String::from_utf8_lossy(&cmdline).contains(marker)
        {
            return true;
        }
        if Instant::now() > deadline {
            return false;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[cfg(target_os = "linux")]
#[test]
fn a_contained_run_ends_what_it_started_in_another_session_and_says_how_it_ended() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("pid");
    let script = format!(
        "setsid sh -c 'echo $$ > {0}.part && mv {0}.part {0}; exec sleep 4711' & \
         while [ ! -e {0} ]; do sleep 0.01; done; kill -SEGV $$",
        file.display()
    );
    let done = Supervised::new(sh(&script), limits(60_000, 1024))
        .contain(kept())
        .run()
        .unwrap();
    // The program's own ending, through the keeper.
    assert!(
        done.describe().starts_with("killed by SIGSEGV"),
        "{}",
        done.describe()
    );
    let pid = pid_in(&file);
    assert!(
        sleeper_gone(pid, "4711"),
        "the setsid'd sleep {pid} survived"
    );
}

#[cfg(target_os = "linux")]
#[test]
fn a_keeper_whose_server_is_gone_ends_its_run() {
    // The keeper's parent (standing in for the server) exits while the run
    // goes on: the keeper ends it, and what it started, by itself.
    let dir = tempfile::tempdir().unwrap();
    let (report, file) = (dir.path().join("report"), dir.path().join("pid"));
    let script = format!(
        "{keeper} keeper --memory 1073741824 --processes 1000 --file-size 1073741824 --report {report} -- \
         sh -c 'setsid sh -c \"echo \\$\\$ > {file}.part && mv {file}.part {file}; exec sleep 4712\" & sleep 4713' & \
         while [ ! -e {file} ]; do sleep 0.01; done",
        keeper = env!("CARGO_BIN_EXE_workbook"),
        report = report.display(),
        file = file.display(),
    );
    let mut server = sh(&script).spawn().unwrap();
    assert!(server.wait().unwrap().success());
    let pid = pid_in(&file);
    assert!(
        sleeper_gone(pid, "4712"),
        "the setsid'd sleep {pid} outlived its server"
    );
    let deadline = Instant::now() + Duration::from_secs(10);
    while !report.exists() {
        assert!(Instant::now() < deadline, "the keeper wrote no report");
        std::thread::sleep(Duration::from_millis(20));
    }
}
