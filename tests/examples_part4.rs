//! Part 4's synchronization examples, run as the learner runs them: each must
//! end by itself and print what its chapter says it prints.
//!
//! The binaries are the ones `cargo test` builds next to this test (in
//! `target/<profile>/examples/`). No assertion depends on timing: every wait
//! below is only a deadline after which the example counts as hung.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Read;
use std::process::{Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

/// How long any one example may run before it counts as hung.
const DEADLINE: Duration = Duration::from_secs(20);

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

mod common;
use common::example;

/// Runs an example with a deadline; kills it and fails if it does not end.
fn run(name: &str, args: &[&str]) -> Run {
    let mut child = Command::new(example(name))
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Drain both pipes on their own threads, so a chatty child never blocks on a full pipe.
    let read_all = |mut pipe: Box<dyn Read + Send>| {
        thread::spawn(move || {
            let mut text = String::new();
            pipe.read_to_string(&mut text).unwrap();
            text
        })
    };
    let stdout = read_all(Box::new(child.stdout.take().unwrap()));
    let stderr = read_all(Box::new(child.stderr.take().unwrap()));
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if start.elapsed() > DEADLINE {
            child.kill().unwrap();
            child.wait().unwrap();
            panic!(
                "`{name} {}` did not end within {DEADLINE:?}: it hangs",
                args.join(" ")
            );
        }
        thread::sleep(Duration::from_millis(10));
    };
    Run {
        code: status.code().unwrap_or(-1),
        stdout: stdout.join().unwrap(),
        stderr: stderr.join().unwrap(),
    }
}

/// Runs an example that must succeed, and returns its standard output.
fn run_ok(name: &str, args: &[&str]) -> String {
    let run = run(name, args);
    assert_eq!(
        run.code,
        0,
        "`{name} {}` failed:\n{}{}",
        args.join(" "),
        run.stdout,
        run.stderr
    );
    run.stdout
}

#[test]
fn deadlock_is_reported_and_the_program_ends() {
    let out = run_ok("deadlock", &["--timeout-ms", "200"]);
    assert!(
        out.contains(
            "deadlock: thread A holds lock 0 and waits for lock 1, thread B holds lock 1 and waits for lock 0"
        ),
        "{out}"
    );
}

#[test]
fn lock_ordering_completes() {
    let out = run_ok("deadlock", &["--fix", "--rounds", "20000"]);
    assert!(out.contains("20000 transfers each completed"), "{out}");
    assert!(out.contains("balances [0, 0]"), "{out}");
}

#[test]
fn polite_threads_in_lockstep_livelock_and_give_up() {
    let out = run_ok("deadlock", &["--livelock", "--attempts", "200"]);
    assert!(
        out.contains("livelock: after 200 polite attempts each, neither thread made a transfer"),
        "{out}"
    );
}

#[test]
fn deadlock_flags_that_conflict_are_refused() {
    let run = run("deadlock", &["--fix", "--livelock"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.starts_with("error: "), "{}", run.stderr);
}

/// "most at once=M" from the semaphore's report line.
fn most_at_once(out: &str) -> usize {
    let value = out
        .split("most at once=")
        .nth(1)
        .unwrap_or_else(|| panic!("no count in {out}"));
    value.trim().parse().unwrap()
}

#[test]
fn semaphore_never_lets_more_than_k_in() {
    for (threads, permits) in [("6", "1"), ("6", "2"), ("8", "3"), ("3", "5")] {
        let out = run_ok(
            "semaphore",
            &["--threads", threads, "--permits", permits, "--hold-ms", "1"],
        );
        let most = most_at_once(&out);
        let permits: usize = permits.parse().unwrap();
        assert!(
            (1..=permits).contains(&most),
            "--permits {permits}: {most} at once\n{out}"
        );
    }
}

#[test]
fn semaphore_refuses_a_run_that_would_take_too_long() {
    let run = run(
        "semaphore",
        &[
            "--threads",
            "1000",
            "--rounds",
            "1000",
            "--hold-ms",
            "100",
            "--permits",
            "1",
        ],
    );
    assert_eq!(run.code, 2);
    assert!(run.stderr.starts_with("error: "), "{}", run.stderr);
}

/// Every piece `wW:P` printed, by writer, in the order it appeared.
fn pieces_by_writer(out: &str) -> BTreeMap<u32, Vec<u32>> {
    let mut by_writer = BTreeMap::<u32, Vec<u32>>::new();
    for piece in out.split_whitespace() {
        let (writer, part) = piece
            .strip_prefix('w')
            .and_then(|p| p.split_once(':'))
            .unwrap();
        by_writer
            .entry(writer.parse().unwrap())
            .or_default()
            .push(part.parse().unwrap());
    }
    by_writer
}

/// Whatever the mode, every writer prints all its pieces, in its own order.
fn assert_all_pieces(out: &str, writers: u32, lines: usize) {
    let by_writer = pieces_by_writer(out);
    assert_eq!(
        by_writer.keys().copied().collect::<Vec<_>>(),
        (1..=writers).collect::<Vec<_>>()
    );
    for pieces in by_writer.values() {
        assert_eq!(*pieces, [1, 2, 3, 4, 5].repeat(lines), "{out}");
    }
}

#[test]
fn stdout_writer_one_at_a_time_keeps_every_line_whole() {
    let out = run_ok(
        "stdout_writer",
        &["--mode", "one", "--threads", "6", "--lines", "20"],
    );
    assert_all_pieces(&out, 6, 20);
    assert_eq!(out.lines().count(), 120);
    for line in out.lines() {
        let writer = line.split(':').next().unwrap();
        let whole = format!("{writer}:1 {writer}:2 {writer}:3 {writer}:4 {writer}:5");
        assert_eq!(line, whole, "a line was broken:\n{out}");
    }
}

#[test]
fn stdout_writer_two_at_a_time_mixes_at_most_two_writers_per_line() {
    let out = run_ok(
        "stdout_writer",
        &["--mode", "two", "--threads", "6", "--lines", "20"],
    );
    assert_all_pieces(&out, 6, 20);
    for line in out.lines() {
        let writers: BTreeSet<&str> = line
            .split_whitespace()
            .map(|p| p.split(':').next().unwrap())
            .collect();
        assert!(
            writers.len() <= 2,
            "three writers in one line: {line}\n{out}"
        );
    }
}

#[test]
fn stdout_writer_jumbled_still_prints_every_piece() {
    let out = run_ok(
        "stdout_writer",
        &["--mode", "jumbled", "--threads", "4", "--lines", "10"],
    );
    assert_all_pieces(&out, 4, 10);
}

#[test]
fn start_signal_every_kind_ends_with_no_early_start() {
    let out = run_ok(
        "start_signal",
        &["--signal", "all", "--threads", "4", "--n", "100000"],
    );
    for name in ["start/barrier", "start/condvar", "start/park"] {
        let line = out
            .lines()
            .find(|l| l.starts_with(name))
            .unwrap_or_else(|| panic!("no {name} in\n{out}"));
        assert!(line.contains("started_early=0"), "{line}");
    }
    assert!(
        out.contains("done flag: the watcher thread saw it and stopped"),
        "{out}"
    );
}

#[test]
fn start_signal_json_has_the_right_sum() {
    let out = run_ok(
        "start_signal",
        &[
            "--signal",
            "park",
            "--threads",
            "3",
            "--n",
            "1000",
            "--json",
        ],
    );
    let report: serde_json::Value = serde_json::from_str(out.trim()).unwrap();
    let (result, left_sum) = (
        report["result"].as_f64().unwrap(),
        report["left_sum"].as_f64().unwrap(),
    );
    assert!((result - left_sum).abs() < 1e-9, "{out}");
    assert_eq!(report["started_early"], 0);
}

#[test]
fn timer_fires_when_not_cancelled() {
    let out = run_ok("timer", &["--delay", "50"]);
    assert!(out.contains("timer: the function ran"), "{out}");
    assert!(out.trim_end().ends_with("fired: the function ran"), "{out}");
}

#[test]
fn timer_cancelled_before_its_delay_never_runs() {
    // The cancel comes 10 s before the timer is due: it cannot lose that race.
    let out = run_ok("timer", &["--delay", "10000", "--cancel-after", "0"]);
    assert!(!out.contains("timer: the function ran"), "{out}");
    assert!(
        out.trim_end()
            .ends_with("cancelled: the function never ran"),
        "{out}"
    );
}

#[test]
fn lock_tools_recovers_from_poisoning() {
    let run = run("lock_tools", &[]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    let out = run.stdout;
    for expected in [
        "try_lock: busy",
        "poison: the worker panicked",
        "poison: lock() returned Err(PoisonError); into_inner() gives the data: Total { sum: 4.0, count: 0 }",
        "poison: after clear_poison, lock() is Ok: true",
        "rwlock: 3 readers hold read() guards at the same time",
        "rwlock: try_write() while they read: would block",
        "re-entrancy: this thread holds the lock",
    ] {
        assert!(out.contains(expected), "missing {expected:?} in\n{out}");
    }
    assert!(!out.contains("unexpected"), "{out}");
    // The deliberate panic is explained in one line, not a backtrace hint.
    assert!(run.stderr.contains("on purpose"), "{}", run.stderr);
    assert!(!run.stderr.contains("RUST_BACKTRACE"), "{}", run.stderr);
}

#[test]
fn bad_values_are_one_line_errors_not_panics() {
    for (name, args) in [
        ("semaphore", &["--permits", "0"][..]),
        ("stdout_writer", &["--mode", "three"][..]),
        ("timer", &["--delay", "-5"][..]),
        ("lock_tools", &["--readers", "0"][..]),
        ("start_signal", &["--threads", "0"][..]),
        ("deadlock", &["--timeout-ms", "0"][..]),
    ] {
        let run = run(name, args);
        assert_eq!(run.code, 2, "{name} {args:?}: {}", run.stderr);
        assert!(
            run.stderr.starts_with("error: "),
            "{name} {args:?}: {}",
            run.stderr
        );
        assert_eq!(
            run.stderr.lines().count(),
            1,
            "{name} {args:?}: one line, no usage block: {}",
            run.stderr
        );
        assert!(
            !run.stderr.contains("panicked"),
            "{name} {args:?}: {}",
            run.stderr
        );
    }
}

// ANCHOR: queue_orders
/// Three jobs, named by their size. Which one a worker gets next depends on
/// the kind of queue, not on the order they were put in.
#[test]
fn fifo_lifo_and_priority_queues_hand_out_jobs_in_different_orders() {
    use std::cmp::Reverse;
    use std::collections::{BinaryHeap, VecDeque};
    use std::iter::from_fn;
    let jobs = [30, 10, 20];

    // FIFO, first in first out: push_back, pop_front. An mpsc channel is FIFO.
    let mut fifo: VecDeque<u32> = jobs.into_iter().collect();
    assert_eq!(
        from_fn(|| fifo.pop_front()).collect::<Vec<_>>(),
        [30, 10, 20]
    );

    // LIFO, last in first out: a stack. The newest job (still in cache) goes first.
    let mut lifo: Vec<u32> = jobs.to_vec();
    assert_eq!(from_fn(|| lifo.pop()).collect::<Vec<_>>(), [20, 10, 30]);

    // Priority: the largest first. Biggest jobs first balances uneven chunks.
    let mut biggest_first: BinaryHeap<u32> = jobs.into_iter().collect();
    assert_eq!(
        from_fn(|| biggest_first.pop()).collect::<Vec<_>>(),
        [30, 20, 10]
    );

    // `Reverse` turns the max-heap into a min-heap: the smallest first.
    let mut smallest_first: BinaryHeap<Reverse<u32>> = jobs.into_iter().map(Reverse).collect();
    assert_eq!(
        from_fn(|| smallest_first.pop().map(|Reverse(j)| j)).collect::<Vec<_>>(),
        [10, 20, 30]
    );
}
// ANCHOR_END: queue_orders

// ANCHOR: fetch_add
/// Four threads add 1 to one shared counter 100 000 times each: no update is lost.
#[test]
fn fetch_add_loses_no_update() {
    use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
    let count = AtomicU64::new(0);
    thread::scope(|scope| {
        for _ in 0..4 {
            scope.spawn(|| {
                for _ in 0..100_000 {
                    count.fetch_add(1, Relaxed); // read, add 1, write: one indivisible step
                }
            });
        }
    });
    assert_eq!(count.into_inner(), 400_000);
}
// ANCHOR_END: fetch_add
