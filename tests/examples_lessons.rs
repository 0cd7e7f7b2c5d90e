//! The examples of the second edition's lessons: false sharing, back-pressure,
//! the thread pool and its `while let` trap, reduction, the process pool and
//! publication behind a flag. Right answers, clear errors, and each lesson's
//! claim checked by what the code does, never by how long it takes.

#[path = "../examples/false_sharing.rs"]
#[allow(dead_code)]
mod false_sharing;
#[path = "../examples/process_pool.rs"]
#[allow(dead_code)]
mod process_pool;
#[path = "../examples/thread_pool.rs"]
#[allow(dead_code)]
mod thread_pool;

use parallel_workbook::Problem;
use serde_json::Value;
use std::process::Command;
use std::sync::{Arc, Barrier, Condvar, Mutex, mpsc};
use std::thread;
use std::time::Duration;

mod common;
use common::{example, run};

/// The one JSON report an example prints with `--json`.
fn report(name: &str, args: &[&str]) -> Value {
    let output = run(name, &[args, &["--json"]].concat());
    assert!(
        output.status.success(),
        "{name} {args:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    let mut reports = common::json_lines(&stdout);
    assert_eq!(
        reports.len(),
        1,
        "{name}: one run, one JSON object: {stdout}"
    );
    reports.remove(0)
}

fn result(report: &Value) -> f64 {
    report["result"].as_f64().expect("a numeric result")
}

/// (example, its own flags, the strategy it reports)
const LESSONS: &[(&str, &[&str], &str)] = &[
    ("false_sharing", &["--layout", "adjacent"], "slots/adjacent"),
    ("false_sharing", &["--layout", "padded"], "slots/padded"),
    ("publish", &[], "publish"),
    ("reduction", &["--how", "sum"], "reduction/sum"),
    ("reduction", &["--how", "reduce"], "reduction/reduce"),
    ("reduction", &["--how", "fold"], "reduction/fold"),
    ("reduction", &["--how", "by-hand"], "reduction/by-hand"),
    ("thread_pool", &[], "pool/let"),
    (
        "thread_pool",
        &["--worker-loop", "while-let"],
        "pool/while-let",
    ),
    ("process_pool", &["--chunks", "9"], "process_pool"),
    (
        "back_pressure",
        &["--batch", "100", "--consumer-us", "0"],
        "channel",
    ),
    (
        "back_pressure",
        &["--batch", "100", "--consumer-us", "0", "--bound", "2"],
        "sync_channel",
    ),
];

#[test]
fn every_lesson_example_gives_the_left_sum() {
    let problem = Problem::new(0.0, 10.0, 10_007).unwrap();
    for (name, flags, strategy) in LESSONS {
        for threads in ["1", "3"] {
            let args = [&["--n", "10007", "--threads", threads][..], flags].concat();
            let r = report(name, &args);
            assert_eq!(r["strategy"], *strategy, "{name} {args:?}");
            assert_eq!(r["n"], 10_007);
            let got = result(&r);
            assert!(
                (got - problem.exact_left_sum()).abs() <= problem.reduction_tolerance(),
                "{name} {args:?}: {got} vs the closed form {}",
                problem.exact_left_sum()
            );
        }
    }
}

#[test]
fn bad_input_is_one_line_and_exit_2() {
    let cases: &[(&str, &[&str])] = &[
        ("false_sharing", &["--layout", "sideways"]),
        ("false_sharing", &["--threads", "0"]),
        ("reduction", &["--how", "magic"]),
        ("thread_pool", &["--chunks", "0"]),
        ("thread_pool", &["--n", "10", "--chunks", "11"]),
        ("thread_pool", &["--worker-loop", "for"]),
        ("process_pool", &["--n", "10", "--chunks", "11"]),
        ("process_pool", &["--n", "1e7", "--chunks", "2e6"]),
        ("back_pressure", &["--batch", "0"]),
        ("back_pressure", &["--consumer-us", "2000000"]),
        ("back_pressure", &["--bound", "-1"]),
        ("publish", &["--n", "nan"]),
    ];
    for (name, args) in cases {
        let output = run(name, args);
        assert_eq!(output.status.code(), Some(2), "{name} {args:?}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(stderr.lines().count(), 1, "{name} {args:?}: {stderr}");
        assert!(stderr.starts_with("error: "), "{name} {args:?}: {stderr}");
    }
}

/// The per-term slots, the flags and the hand-written reduction all add the
/// same terms in the same order as `scoped_threads` (each chunk from 0.0,
/// then the chunks in order): the same bits, not only the same value.
#[test]
fn fixed_order_strategies_give_the_bits_of_scoped_threads() {
    for threads in ["1", "2", "5"] {
        let common = ["--n", "100003", "--threads", threads];
        let reference = result(&report("scoped_threads", &common));
        for (name, flags) in [
            ("false_sharing", &["--layout", "adjacent"][..]),
            ("false_sharing", &["--layout", "padded"]),
            ("publish", &[]),
            ("reduction", &["--how", "by-hand"]),
        ] {
            let got = result(&report(name, &[&common[..], flags].concat()));
            assert_eq!(
                got.to_bits(),
                reference.to_bits(),
                "{name} {flags:?} T={threads}"
            );
        }
    }
}

#[test]
fn a_padded_slot_has_128_bytes_to_itself() {
    use false_sharing::{PaddedSlot, Slot};
    assert_eq!(std::mem::size_of::<Slot>(), 8);
    assert_eq!(std::mem::align_of::<PaddedSlot>(), 128);
    assert_eq!(std::mem::size_of::<PaddedSlot>(), 128);
    let slots: Vec<PaddedSlot> = (0..3).map(|_| PaddedSlot::default()).collect();
    let addresses: Vec<usize> = slots.iter().map(|s| s as *const _ as usize).collect();
    assert!(
        addresses.windows(2).all(|w| w[1] - w[0] == 128),
        "{addresses:?}"
    );
    assert!(addresses.iter().all(|a| a % 128 == 0), "{addresses:?}");
}

// ---- back-pressure ------------------------------------------------------

/// A bounded channel holds at most `bound` batches, and the consumer takes
/// one at a time: after any `send`, at most bound + 1 are sent and not yet
/// counted as taken (one may be between `recv` and the count). The channel
/// frees a slot only after the consumer took what was in it, so the
/// producer sees the consumer's earlier counts: this holds in every run.
/// There is no lower bound to assert: whether the consumer counts a batch
/// before the producer looks is up to the scheduler (with `--bound 0`
/// about half the runs see 0, the other half 1).
#[test]
fn a_bounded_channel_never_holds_more_than_its_bound() {
    let problem = Problem::new(0.0, 10.0, 20_000).unwrap();
    let sequential = problem.sum_f(0..problem.n) * problem.dx();
    for bound in ["0", "1", "4"] {
        let r = report(
            "back_pressure",
            &[
                "--n",
                "20000",
                "--batch",
                "100",
                "--consumer-us",
                "100",
                "--bound",
                bound,
            ],
        );
        let bound: u64 = bound.parse().unwrap();
        assert_eq!(r["bound"], bound);
        let most = r["most_queued"].as_u64().unwrap();
        assert!(most <= bound + 1, "bound {bound}: {most} batches queued");
        // One consumer adds every term in index order: the sequential loop's bits.
        assert_eq!(result(&r).to_bits(), sequential.to_bits(), "bound {bound}");
    }
}

#[test]
fn the_report_names_the_peak_memory_on_linux() {
    let output = run("back_pressure", &["--n", "1000", "--batch", "10", "--json"]);
    assert!(output.status.success());
    let r: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert!(r["send_wait_ms"].as_f64().unwrap() >= 0.0);
    if cfg!(target_os = "linux") {
        assert!(r["peak_rss_mib"].as_u64().is_some(), "{r}");
    } else {
        assert!(r.get("peak_rss_mib").is_none(), "{r}");
        assert!(String::from_utf8_lossy(&output.stderr).starts_with("note: "));
    }
}

// ---- the thread pool and its trap ----------------------------------------

/// Runs `f` on a thread and waits at most 20 s for it: a pool that cannot
/// make progress fails the test instead of hanging it.
fn within<T: Send + 'static>(what: &str, f: impl FnOnce() -> T + Send + 'static) -> T {
    let (done, finished) = mpsc::channel();
    thread::spawn(move || done.send(f()).unwrap());
    finished
        .recv_timeout(Duration::from_secs(20))
        .unwrap_or_else(|_| panic!("{what}: no answer after 20 s"))
}

#[test]
fn the_while_let_pool_never_runs_two_jobs_at_once() {
    let most_busy = within("while-let pool", || {
        let pool = thread_pool::ThreadPool::new(4, thread_pool::WorkerLoop::WhileLet);
        let problem = Problem::new(0.0, 10.0, 1_000_000).unwrap();
        let got = thread_pool::integrate(&problem, &pool, 64);
        assert!((got - problem.exact_left_sum()).abs() <= problem.reduction_tolerance());
        pool.finish()
    });
    assert_eq!(
        most_busy, 1,
        "the guard keeps the queue locked while a job runs"
    );
}

/// Jobs that can only finish together: each waits at a `Barrier` for the
/// other. The `let` pool finishes them, so two of its workers were inside a
/// job at the same time: concurrency shown by what happened, not by a clock.
#[test]
fn the_let_pool_runs_jobs_side_by_side() {
    let most_busy = within("let pool with two jobs that wait for each other", || {
        let pool = thread_pool::ThreadPool::new(2, thread_pool::WorkerLoop::Let);
        let meeting = Arc::new(Barrier::new(2));
        for _ in 0..2 {
            let meeting = Arc::clone(&meeting);
            pool.execute(move || {
                meeting.wait();
            });
        }
        pool.finish()
    });
    assert_eq!(most_busy, 2);
}

/// The same kind of jobs on the `while let` pool can never meet: while the
/// first waits for a second job to be running, the second sits in the queue
/// that the first one's worker keeps locked. Each waits up to 300 ms for
/// company, then gives up: in every run, neither job ever had any.
#[test]
fn the_while_let_pool_cannot_run_two_jobs_that_wait_for_each_other() {
    let met = within(
        "while-let pool with two jobs that wait for each other",
        || {
            let pool = thread_pool::ThreadPool::new(2, thread_pool::WorkerLoop::WhileLet);
            let running = Arc::new((Mutex::new(0), Condvar::new()));
            let (report, reports) = mpsc::channel();
            for _ in 0..2 {
                let (running, report) = (Arc::clone(&running), report.clone());
                pool.execute(move || {
                    let (count, changed) = &*running;
                    let mut count = count.lock().unwrap();
                    *count += 1;
                    changed.notify_all();
                    let (mut count, _) = changed
                        .wait_timeout_while(count, Duration::from_millis(300), |c| *c < 2)
                        .unwrap();
                    report.send(*count == 2).unwrap();
                    *count -= 1;
                });
            }
            drop(report);
            assert_eq!(pool.finish(), 1);
            reports.iter().collect::<Vec<bool>>()
        },
    );
    assert_eq!(
        met,
        [false, false],
        "no job ever ran while another one was running"
    );
}

// ---- the process pool ----------------------------------------------------

fn real_worker() -> Command {
    let mut command = Command::new(example("processes"));
    command.arg("--worker");
    command
}

#[test]
fn the_process_pool_sums_every_chunk_once_in_a_fixed_order() {
    let problem = Problem::new(0.0, 10.0, 54_321).unwrap();
    let (one, tasks) = process_pool::integrate(&problem, 1, 40, real_worker).unwrap();
    assert_eq!(tasks, [40]);
    assert!((one - problem.exact_left_sum()).abs() <= problem.reduction_tolerance());
    for workers in [2, 3] {
        let (got, tasks) = process_pool::integrate(&problem, workers, 40, real_worker).unwrap();
        assert_eq!(tasks.len(), workers);
        assert_eq!(tasks.iter().sum::<usize>(), 40, "every chunk exactly once");
        // Partial sums are added in chunk order, whoever summed them.
        assert_eq!(got.to_bits(), one.to_bits(), "{workers} workers");
    }
}

#[test]
fn the_process_pool_reports_a_broken_worker() {
    let problem = Problem::new(0.0, 10.0, 1000).unwrap();
    let shell = |script: &'static str| {
        move || {
            let mut command = Command::new("sh");
            command.args(["-c", script]);
            command
        }
    };
    // Answers one task, then exits: the next task finds nobody.
    let error =
        process_pool::integrate(&problem, 1, 3, shell("read line; echo 1.5; exit 0")).unwrap_err();
    assert!(error.starts_with("worker 0: "), "{error}");
    // Dies on its first task.
    let error =
        process_pool::integrate(&problem, 2, 4, shell("read line; kill -9 $$")).unwrap_err();
    assert!(error.contains("closed its output"), "{error}");
    // Answers nonsense.
    let error = process_pool::integrate(&problem, 1, 2, shell("read line; echo many")).unwrap_err();
    assert_eq!(error, "worker 0: replied \"many\" to chunk 0");
    // Cannot start at all.
    let error = process_pool::integrate(&problem, 2, 4, || Command::new("/nonexistent/worker"))
        .unwrap_err();
    assert!(error.contains("could not start"), "{error}");
}
