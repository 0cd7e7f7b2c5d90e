//! Checks for exercises/17_start_barrier.rs.
//!
//! The model tests run the learner's `run_together` under shuttle (random
//! and PCT schedules, with spurious wake-ups): no worker may call `work`
//! before every worker has called `ready`, in any schedule explored. Then
//! real threads check who runs what, with one worker slow to get ready.

mod common;
#[path = "../17_start_barrier.rs"]
mod exercise;

use exercise::run_together;
use parallel_workbook::sync::atomic::{AtomicUsize, Ordering::SeqCst};
use parallel_workbook::sync::model::{self, Model};
use parallel_workbook::sync::{Arc, Mutex, thread};
use std::time::Duration;

/// What a hang means: the watchdog cannot see why, so it asks.
const HUNG: &str = "run_together never returned: does every worker get past the wait? (A Barrier for n parties \
     needs exactly n calls of wait; a worker that waits for a notification needs one that comes after it \
     started waiting, or a condition it checks first.)";

/// What a deadlock in the model means: the checker saw every thread blocked.
const STUCK: &str = "run_together never returned: every worker that had not finished was blocked, so none could go on. \
     Does every worker get past the wait? (A Barrier for n parties needs exactly n calls of wait; \
     a worker that waits for a notification needs one that comes after it started waiting, or a condition it checks first.)";

/// `threads` workers under the model: `ready` counts, `work` checks that
/// the count is complete.
fn fair_start(threads: usize) -> impl Fn() + Send + Sync + 'static {
    move || {
        let ready = AtomicUsize::new(0);
        let worked = AtomicUsize::new(0);
        model::name(&ready, "ready count");
        run_together(
            threads,
            |k| {
                model::note(format!("calls ready({k})"));
                ready.fetch_add(1, SeqCst);
            },
            |k| {
                model::note(format!("calls work({k})"));
                let now = ready.load(SeqCst);
                assert!(
                    now == threads,
                    "worker {k} started working when {now} of {threads} workers were ready: \
                     every worker must wait, between ready and work, until all {threads} have called ready"
                );
                worked.fetch_add(1, SeqCst);
            },
        );
        let (ready, worked) = (ready.into_inner(), worked.into_inner());
        assert!(
            ready == threads && worked == threads,
            "{threads} workers called ready {ready} times and work {worked} times: each calls each once"
        );
    }
}

#[test]
fn nobody_starts_before_the_last_is_ready_in_any_schedule_explored() {
    common::within(HUNG, || {
        for threads in [2, 3] {
            Model::random(format!("{threads} workers"), 200)
                .on_deadlock(STUCK)
                .check(fair_start(threads));
        }
        Model::pct("4 workers", 200, 3)
            .on_deadlock(STUCK)
            .check(fair_start(4));
    });
}

/// What happened, in order: ("ready" | "work", worker, thread).
type Log = Mutex<Vec<(&'static str, usize, thread::ThreadId)>>;

/// Runs `run_together` on real threads and logs every call. If `late` is
/// set, worker `late` is slow to get ready: its `ready` returns only once
/// some worker has started working, or after 50 ms.
fn run(threads: usize, late: Option<usize>) -> Vec<(&'static str, usize, thread::ThreadId)> {
    let log = Arc::new(Log::default());
    let l = log.clone();
    common::within(HUNG, move || {
        let working = AtomicUsize::new(0);
        run_together(
            threads,
            |k| {
                if late == Some(k) {
                    common::wait_until(Duration::from_millis(50), || working.load(SeqCst) > 0);
                }
                l.lock().unwrap().push(("ready", k, thread::current().id()));
            },
            |k| {
                working.fetch_add(1, SeqCst);
                l.lock().unwrap().push(("work", k, thread::current().id()));
            },
        );
    });
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
        "on real threads, worker {} started working before worker {} was ready: wait for all {threads} workers between ready and work",
        log[first_work].1,
        log[last_ready].1
    );
}

#[test]
fn on_real_threads_nobody_starts_before_a_late_worker_is_ready() {
    let threads = 4;
    let log = run(threads, Some(threads - 1));
    assert_nobody_starts_early(&log, threads);
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
