//! Checks for exercises/06_processes.rs.
//!
//! The parent's side runs against small `sh` scripts posing as workers; the
//! whole round trip runs this test program itself as the worker process:
//! with `WORKBOOK_EXERCISE_WORKER=1` set, its test `worker_process_entry_point`
//! calls the exercise's `worker`, reading the task from stdin and writing the
//! reply to file descriptor 3, which the `sh` wrapper connects to the parent's
//! pipe (the test harness's own chatter goes to stdout, sent to /dev/null).
//!
//! No model test: the workers are processes, which share nothing a model
//! checker could schedule. What the parent must get right (start them all
//! before reading, close each stdin, wait for each and check how it ended)
//! is tested with stand-in workers that only a right parent satisfies on
//! every run: workers that wait for each other, reply and then fail, or
//! must be reaped (the check looks in /proc for any left behind).

mod common;
#[path = "../06_processes.rs"]
mod exercise;

use exercise::{integrate, task_line, worker};
use parallel_workbook::Problem;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};

const WORKER_ENV: &str = "WORKBOOK_EXERCISE_WORKER";

/// Does nothing in a normal test run. In a worker process, it is the worker.
#[test]
fn worker_process_entry_point() {
    if std::env::var_os(WORKER_ENV).is_none() {
        return;
    }
    let reply = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/fd/3")
        .expect("fd 3 is the reply pipe");
    let code = match worker(std::io::stdin().lock(), reply) {
        Ok(()) => 0,
        Err(message) => {
            eprintln!("{message}");
            1
        }
    };
    std::process::exit(code);
}

/// A command that runs this test program as a worker.
fn this_program_as_worker() -> Command {
    let exe = std::env::current_exe().expect("the test program's path");
    let mut command = Command::new("sh");
    command
        .arg("-c")
        .arg(r#"exec "$0" worker_process_entry_point --exact --nocapture --test-threads=1 3>&1 >/dev/null"#)
        .arg(exe)
        .env(WORKER_ENV, "1")
        .stderr(Stdio::null());
    command
}

/// A command that runs `script` in `sh` as a stand-in worker, with `$0` = `arg`.
fn fake_worker(script: &str, arg: &str) -> Command {
    let mut command = Command::new("sh");
    command.arg("-c").arg(script).arg(arg).stderr(Stdio::null());
    command
}

/// Replies with the length of its chunk: the replies add up to n.
const ECHO_LENGTH: &str = "read a b n s e; echo $((e - s))";

fn problem(n: u64) -> Problem {
    Problem::new(0.0, 10.0, n).unwrap()
}

fn parent(
    problem: Problem,
    workers: usize,
    command: impl Fn() -> Command + Send + 'static,
) -> Result<f64, String> {
    common::within(
        "integrate never returned. Did you send each worker its task line and close its stdin \
         (drop it) before reading the replies?",
        move || {
            let run = std::panic::AssertUnwindSafe(|| integrate(&problem, workers, command));
            std::panic::catch_unwind(run).unwrap_or_else(|_| {
                panic!(
                    "integrate panicked (the message is above): a worker that cannot start, fails, or replies \
                     something that is not a number must make integrate return an Err, never panic"
                )
            })
        },
    )
}

#[test]
fn worker_answers_one_task() {
    let p = problem(1000);
    let mut reply = Vec::new();
    let task = task_line(&p, 250..500);
    assert_eq!(
        task, "0 10 1000 250 500\n",
        "task_line should write the task as given"
    );
    worker(task.as_bytes(), &mut reply).expect("a good task should get an answer");
    let reply = String::from_utf8(reply).expect("the reply should be text");
    assert!(
        reply.ends_with('\n'),
        "the reply {reply:?} should be one line, ending with a newline"
    );
    let got: f64 = reply
        .trim()
        .parse()
        .unwrap_or_else(|_| panic!("the reply {reply:?} is not a number"));
    assert_eq!(
        got,
        p.sum_f(250..500),
        "task '0 10 1000 250 500': the reply should be sum_f(250..500)"
    );
}

#[test]
fn worker_refuses_bad_tasks() {
    for task in [
        "",
        "hello\n",
        "0 10 1000 0\n",
        "0 10 1000 0 1 2\n",
        "0 ten 1000 0 10\n",
        "0 10 1000 -1 10\n",
    ] {
        let mut reply = Vec::new();
        let run = std::panic::AssertUnwindSafe(|| worker(task.as_bytes(), &mut reply));
        let result = std::panic::catch_unwind(run).unwrap_or_else(|_| {
            panic!(
                "worker panicked on the task {task:?} (the message is above): return an Err instead"
            )
        });
        assert!(
            result.is_err(),
            "the task {task:?} is not five numbers: worker should return an Err"
        );
    }
}

#[test]
fn the_parent_sends_each_chunk_and_adds_the_replies() {
    for (n, workers) in [(1000, 3), (10, 4), (1, 2)] {
        let p = problem(n);
        let result = parent(p, workers, || fake_worker(ECHO_LENGTH, ""));
        let got = result.unwrap_or_else(|e| {
            panic!("{workers} workers that each reply their chunk's length: integrate failed: {e}")
        });
        // The lengths of the chunks add up to n, times Δx: b − a.
        assert!(
            (got - 10.0).abs() < 1e-9,
            "workers replying the length of their chunk add up to n, times Δx = 10; got {got}. \
             Does each worker get its own chunk (parallel_workbook::chunks)?"
        );
    }
}

/// A new empty directory for one test's stand-in workers.
fn scratch_dir() -> std::path::PathBuf {
    static RUN: AtomicUsize = AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!(
        "workbook-14-{}-{}",
        std::process::id(),
        RUN.fetch_add(1, SeqCst)
    ));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn the_workers_run_at_the_same_time() {
    // Each stand-in worker waits (at most 1 s) until all of them are running.
    let dir = scratch_dir();
    let script = r#"touch "$0/$$"; i=0
        while [ "$(ls "$0" | wc -l)" -lt 3 ]; do
            i=$((i + 1)); if [ "$i" -gt 20 ]; then exit 3; fi; sleep 0.05
        done
        read a b n s e; echo $((e - s))"#;
    let d = dir.to_string_lossy().into_owned();
    let result = parent(problem(300), 3, move || fake_worker(script, &d));
    let _ = std::fs::remove_dir_all(&dir);
    let got = result.unwrap_or_else(|e| {
        panic!(
            "integrate failed: {e}. These workers wait until all 3 are running: start every worker \
             before you read any reply"
        )
    });
    assert!((got - 10.0).abs() < 1e-9, "got {got}, expected 10");
}

#[test]
fn a_worker_that_replies_and_then_fails_is_an_error() {
    let result = parent(problem(100), 2, || {
        fake_worker("read a b n s e; echo $((e - s)); exit 3", "")
    });
    assert!(
        result.is_err(),
        "each worker replied its chunk's length and then exited with status 3 (failure), and integrate \
         returned {result:?}: a reply does not say the worker succeeded. wait() for every worker and check \
         its exit status"
    );
}

#[test]
fn every_worker_is_waited_for() {
    // Each stand-in worker notes its process id, then answers. A worker the
    // parent has waited for is gone from /proc; one it has not is still
    // there (running, or a zombie until its parent waits).
    if !std::path::Path::new("/proc/self").exists() {
        return; // no /proc to look in: the status test above still applies
    }
    let dir = scratch_dir();
    let d = dir.to_string_lossy().into_owned();
    let result = parent(problem(100), 3, move || {
        fake_worker(r#"touch "$0/$$"; read a b n s e; echo $((e - s))"#, &d)
    });
    let pids: Vec<String> = std::fs::read_dir(&dir)
        .map(|entries| {
            entries
                .flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    let _ = std::fs::remove_dir_all(&dir);
    result.unwrap_or_else(|e| {
        panic!("3 workers that each reply their chunk's length: integrate failed: {e}")
    });
    let left: Vec<&String> = pids
        .iter()
        .filter(|pid| std::path::Path::new("/proc").join(pid).exists())
        .collect();
    assert!(
        left.is_empty(),
        "integrate returned while {} of its 3 worker processes were still there (running, or finished but \
         never waited for): wait() for every worker before you return",
        left.len()
    );
}

#[test]
fn a_broken_worker_is_an_error_not_a_panic_or_a_hang() {
    for (script, what) in [
        ("read line; exit 3", "fails (exit status 3)"),
        ("read line; echo hello", "replies 'hello'"),
        ("read line", "replies nothing"),
        ("exit 1", "dies before reading its task"),
    ] {
        let result = parent(problem(100), 2, move || fake_worker(script, ""));
        assert!(
            result.is_err(),
            "a worker that {what} should make integrate return an Err, got {result:?}"
        );
    }
    let result = parent(problem(100), 2, || {
        Command::new("/nonexistent/workbook-worker")
    });
    assert!(
        result.is_err(),
        "a worker program that does not exist should make integrate return an Err"
    );
}

#[test]
fn the_round_trip_with_real_workers() {
    for (n, workers) in [(100_000, 3), (5, 2)] {
        let p = problem(n);
        let got = parent(p, workers, this_program_as_worker).unwrap_or_else(|e| {
            panic!("N = {n}, {workers} worker processes running your worker(): {e}")
        });
        let expected = p.exact_left_sum();
        assert!(
            (got - expected).abs() <= p.reduction_tolerance(),
            "N = {n}, {workers} worker processes: got {got}, expected {expected}"
        );
    }
}
