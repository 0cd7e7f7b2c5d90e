//! Checks for exercises/11_start_barrier.rs.

mod common;
#[path = "../11_start_barrier.rs"]
mod exercise;

use exercise::run_together;
use parallel_workbook::sync::atomic::{AtomicUsize, Ordering::SeqCst};
use parallel_workbook::sync::thread;
use parallel_workbook::sync::{Arc, Mutex};
use std::time::Duration;

/// What happened, in order: ("ready" | "work", worker, thread).
type Log = Mutex<Vec<(&'static str, usize, thread::ThreadId)>>;

/// Runs `run_together` and logs every call. If `late` is set, worker `late`
/// is slow to get ready: its `ready` returns only once some worker has
/// started working, or after 300 ms. Without a start barrier, somebody starts
/// early every time.
fn run(threads: usize, late: Option<usize>) -> Vec<(&'static str, usize, thread::ThreadId)> {
    let log = Arc::new(Log::default());
    let l = log.clone();
    common::within(
        "run_together never returned: does every worker get past the barrier? \
         (A Barrier for n parties needs exactly n calls of wait.)",
        move || {
            let working = AtomicUsize::new(0);
            run_together(
                threads,
                |k| {
                    if late == Some(k) {
                        common::wait_until(Duration::from_millis(300), || working.load(SeqCst) > 0);
                    }
                    l.lock().unwrap().push(("ready", k, thread::current().id()));
                },
                |k| {
                    working.fetch_add(1, SeqCst);
                    l.lock().unwrap().push(("work", k, thread::current().id()));
                },
            );
        },
    );
    Arc::try_unwrap(log).unwrap().into_inner().unwrap()
}

fn assert_nobody_starts_early(log: &[(&str, usize, thread::ThreadId)], threads: usize) {
    let last_ready = log
        .iter()
        .rposition(|e| e.0 == "ready")
        .expect("nobody called ready");
    let first_work = log
        .iter()
        .position(|e| e.0 == "work")
        .expect("nobody called work");
    assert!(
        first_work > last_ready,
        "worker {} started working before worker {} was ready: wait for all {threads} workers between ready and work",
        log[first_work].1,
        log[last_ready].1
    );
}

#[test]
fn nobody_starts_before_the_last_is_ready() {
    for threads in [2, 4, 8] {
        let log = run(threads, Some(threads - 1));
        assert_nobody_starts_early(&log, threads);
    }
}

#[test]
fn every_worker_is_ready_once_and_works_once_on_its_own_thread() {
    let threads = 5;
    let log = run(threads, None);
    assert_nobody_starts_early(&log, threads);
    for what in ["ready", "work"] {
        let mut workers: Vec<usize> = log.iter().filter(|e| e.0 == what).map(|e| e.1).collect();
        workers.sort();
        assert_eq!(
            workers,
            (0..threads).collect::<Vec<_>>(),
            "every worker 0..{threads} should call {what} once"
        );
    }
    for k in 0..threads {
        let on: Vec<_> = log.iter().filter(|e| e.1 == k).map(|e| e.2).collect();
        assert_eq!(
            on[0], on[1],
            "worker {k} called ready and work on different threads"
        );
    }
    let mut ids: Vec<String> = log.iter().map(|e| format!("{:?}", e.2)).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(
        ids.len(),
        threads,
        "{} threads ran, expected {threads}",
        ids.len()
    );
}

#[test]
fn one_worker_needs_no_waiting() {
    let log = run(1, None);
    assert_eq!(log.len(), 2, "one worker: one ready, one work");
}
