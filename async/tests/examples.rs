//! The async examples of chapter 8.1: every variant of the CPU work gives
//! the sequential sum; every wait completes, on threads and on tasks; bad
//! input gets one line and exit code 2; and the stalled executor is checked
//! by what happened, never by how long it took: a blocking call on the
//! runtime's one thread leaves no tick to run while it lasts, and the same
//! call through `spawn_blocking` runs on another thread than the ticks.

#[path = "../../tests/common/mod.rs"]
mod common;

use parallel_workbook::Problem;
use parallel_workbook::timeline::trace::{Trace, WAIT, WORK};
use serde_json::Value;

fn json(name: &str, args: &[&str]) -> Value {
    let output = common::run(name, &[args, &["--json"]].concat());
    assert!(
        output.status.success(),
        "{name} {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 1, "{name} {args:?}: one JSON line: {stdout}");
    serde_json::from_str(lines[0]).unwrap_or_else(|e| panic!("not JSON ({e}): {}", lines[0]))
}

#[test]
fn cpu_work_on_every_kind_of_task_gives_the_sequential_sum() {
    for how in ["spawn", "current-thread", "spawn-blocking", "rayon"] {
        for (n, threads) in [(1_000_003_u64, "1"), (1_000_003, "2"), (7, "3")] {
            let n_text = n.to_string();
            let report = json(
                "cpu_on_async",
                &["--how", how, "--n", &n_text, "--threads", threads],
            );
            let problem = Problem::new(0.0, 10.0, n).unwrap();
            let sequential = problem.sum_f(0..n) * problem.dx();
            let result = report["result"].as_f64().unwrap();
            assert!(
                (result - sequential).abs() <= problem.reduction_tolerance(),
                "{how} T={threads} N={n}: {result} against {sequential}"
            );
            assert_eq!(report["strategy"], format!("async/{how}"));
        }
    }
}

#[test]
fn every_wait_completes_on_threads_and_on_tasks() {
    for how in ["threads", "tasks"] {
        let report = json(
            "tasks_vs_threads",
            &["--how", how, "--tasks", "300", "--wait-ms", "20"],
        );
        assert_eq!(report["strategy"], format!("waits/{how}"));
        assert_eq!(report["tasks"], 300);
        assert!(report["started_seconds"].as_f64().unwrap() <= report["seconds"].as_f64().unwrap());
        if cfg!(target_os = "linux") {
            assert!(report["resident_kib_per_wait"].is_number(), "{report}");
            assert!(report["peak_virtual_mib"].is_number(), "{report}");
        }
    }
}

#[test]
fn bad_input_is_one_line_and_exit_code_2() {
    for (name, args, says) in [
        (
            "tasks_vs_threads",
            &["--how", "threads", "--tasks", "10001"][..],
            "more than 10000 threads",
        ),
        (
            "tasks_vs_threads",
            &["--tasks", "0"],
            "invalid value '0' for '--tasks <TASKS>'",
        ),
        (
            "cpu_on_async",
            &["--threads", "0"],
            "invalid value '0' for '--threads",
        ),
        (
            "cpu_on_async",
            &["--how", "spawn", "--n", "3", "--threads", "4"],
            "--threads 4 is more than --n 3",
        ),
        (
            "stalled_executor",
            &["--threads", "2"],
            "runs one runtime thread",
        ),
        (
            "stalled_executor",
            &["--ticks", "1"],
            "invalid value '1' for '--ticks <TICKS>'",
        ),
        (
            "stalled_executor",
            &["--n", "10", "--ticks", "11"],
            "--ticks 11 is more than --n 10",
        ),
    ] {
        let output = common::run(name, args);
        assert_eq!(output.status.code(), Some(2), "{name} {args:?}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        let lines: Vec<&str> = stderr.lines().filter(|l| !l.starts_with("note:")).collect();
        assert_eq!(lines.len(), 1, "{name} {args:?}: {stderr}");
        assert!(lines[0].contains(says), "{name} {args:?}: {}", lines[0]);
    }
    let help = common::run("cpu_on_async", &["--help"]);
    let help = String::from_utf8_lossy(&help.stdout);
    assert!(
        help.contains("Usage: cargo run --release -p workbook-async --example cpu_on_async --"),
        "{help}"
    );
}

/// Runs the stalled executor with `call`, recording a timeline into a
/// temporary directory; returns its report and its trace.
fn stall(call: &str) -> (Value, Trace) {
    let dir = tempfile::tempdir().unwrap();
    let base = dir.path().join(call);
    let base = base.to_str().unwrap();
    let report = json(
        "stalled_executor",
        &[
            "--call",
            call,
            "--n",
            "1e6",
            "--ticks",
            "10",
            "--period-ms",
            "2",
            "--call-at-ms",
            "5",
            "--call-ms",
            "30",
            "--timeline",
            base,
        ],
    );
    let trace =
        Trace::from_json(&std::fs::read_to_string(format!("{base}.json")).unwrap()).unwrap();
    let problem = Problem::new(0.0, 10.0, 1_000_000).unwrap();
    let sequential = problem.sum_f(0..problem.n) * problem.dx();
    let result = report["result"].as_f64().unwrap();
    assert!(
        (result - sequential).abs() <= problem.reduction_tolerance(),
        "{call}: {result}"
    );
    (report, trace)
}

/// (the rows with chunks, the rows with the blocking call's wait)
fn rows_of(trace: &Trace) -> (Vec<u64>, Vec<u64>) {
    let with = |cat: &str| -> Vec<u64> {
        trace
            .threads()
            .into_iter()
            .filter(|(tid, _)| trace.spans_of(*tid).iter().any(|e| e.cat == cat))
            .map(|(tid, _)| tid)
            .collect()
    };
    (with(WORK), with(WAIT))
}

#[test]
fn a_blocking_call_on_the_runtime_thread_stops_every_tick_while_it_lasts() {
    let (report, trace) = stall("blocking");
    // One thread runs both tasks: while it sleeps in the call, no tick can
    // start, however fast or loaded the machine.
    assert_eq!(report["ticks_during_call"], 0, "{report}");
    let (work, waits) = rows_of(&trace);
    assert_eq!((work.len(), waits.len()), (1, 1), "{work:?} {waits:?}");
    assert_eq!(work, waits, "the call blocks the ticks' own thread");
    let spans = trace.spans_of(work[0]);
    let wait = spans.iter().find(|e| e.cat == WAIT).unwrap();
    assert_eq!(wait.name, "blocking call");
    let (start, end) = (wait.ts, wait.ts + wait.dur.unwrap());
    for chunk in spans.iter().filter(|e| e.cat == WORK) {
        let (s, e) = (chunk.ts, chunk.ts + chunk.dur.unwrap());
        assert!(
            e <= start || s >= end,
            "a tick ran inside the blocking call: {chunk:?}"
        );
    }
}

#[test]
fn spawn_blocking_moves_the_call_off_the_runtime_thread() {
    let (_, trace) = stall("spawn-blocking");
    let (work, waits) = rows_of(&trace);
    assert_eq!((work.len(), waits.len()), (1, 1), "{work:?} {waits:?}");
    assert_ne!(
        work, waits,
        "the call runs on a thread of the blocking pool"
    );
    let names: Vec<String> = trace.threads().into_iter().map(|(_, name)| name).collect();
    assert!(names.iter().any(|n| n == "blocking-pool"), "{names:?}");
    // An async sleep blocks no thread at all: nothing waits in the trace.
    let (_, trace) = stall("async-sleep");
    assert!(rows_of(&trace).1.is_empty());
}
