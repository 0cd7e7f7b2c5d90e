//! Checks for exercises/04_scoped_sum.rs.
//!
//! The model test runs the learner's `parallel_sum` under shuttle (random and
//! PCT schedules): in every schedule explored, each chunk must be summed
//! once, on a thread of its own, and the partial sums must all arrive in the
//! total (a shared total updated by a read and a separate write-back loses
//! one). Then real threads: the chunks, the overlap, the integral.

mod common;
#[path = "../04_scoped_sum.rs"]
mod exercise;

use common::{Overlap, Recorder};
use exercise::{integrate, parallel_sum};
use parallel_workbook::sync::model::{self, Model};
use parallel_workbook::sync::{Arc, thread};
use parallel_workbook::{Problem, chunks};

/// Runs `parallel_sum` with a callback that records each call and (with
/// `overlap`) holds every worker until all `threads` are running at once.
fn run(
    n: u64,
    threads: usize,
    overlap: Option<Arc<Overlap>>,
) -> (f64, Arc<Recorder>, thread::ThreadId) {
    let recorder = Arc::new(Recorder::default());
    let r = recorder.clone();
    let (total, caller) = common::within(
        "parallel_sum never returned: does every thread finish?",
        move || {
            let total = parallel_sum(n, threads, |chunk| {
                let _inside = overlap.as_ref().map(|o| o.enter());
                r.record(chunk.clone());
                common::len(&chunk)
            });
            (total, thread::current().id())
        },
    );
    (total, recorder, caller)
}

/// `parallel_sum(n, threads)` under the model, with a `sum_chunk` that
/// returns the chunk's length: the total must be n.
fn sums(n: u64, threads: usize) -> impl Fn() + Send + Sync + 'static {
    move || {
        let recorder = Recorder::default();
        let caller = thread::current().id();
        let total = parallel_sum(n, threads, |chunk| {
            model::note(format!(
                "sum_chunk({chunk:?}) returns {}",
                common::len(&chunk)
            ));
            recorder.record(chunk.clone());
            common::len(&chunk)
        });
        let calls = recorder.calls();
        assert_eq!(
            calls.len(),
            threads,
            "sum_chunk was called {} times for {threads} threads: once per chunk",
            calls.len()
        );
        let ran = recorder.worker_threads(caller);
        assert_eq!(
            ran, threads,
            "{ran} threads ran the {threads} chunks: one thread per chunk"
        );
        assert!(
            total == n as f64,
            "parallel_sum returned {total}, but the sums of its {threads} chunks add up to {n}: a partial sum was \
             lost or counted twice. (Where the threads add into one shared total, the read and the write-back of \
             each addition must be one critical section; or return each partial sum from its thread and add them \
             up after the joins.)"
        );
    }
}

#[test]
fn every_partial_sum_arrives_in_every_schedule_explored() {
    common::within(
        "parallel_sum never returned: does every thread finish?",
        || {
            Model::random("parallel_sum(9, 3)", 300).check(sums(9, 3));
            Model::pct("parallel_sum(8, 4)", 300, 3).check(sums(8, 4));
        },
    );
}

#[test]
fn every_chunk_runs_once_on_its_own_thread() {
    for (n, threads) in [(1000, 4), (10, 3), (2, 5), (1 << 20, 2)] {
        let (total, recorder, caller) = run(n, threads, None);
        let calls = recorder.calls();
        assert_eq!(
            calls.len(),
            threads,
            "n = {n}: sum_chunk was called {} times for {threads} threads",
            calls.len()
        );
        let ran = recorder.worker_threads(caller);
        assert_eq!(
            ran, threads,
            "n = {n}: {ran} threads ran chunks, expected {threads}: did you spawn one per chunk?"
        );
        let expected: Vec<_> = chunks(n, threads as u64).collect();
        let mut got: Vec<_> = calls.iter().map(|call| call.chunk.clone()).collect();
        got.sort_by_key(|c| (c.start, c.end));
        assert_eq!(
            got, expected,
            "n = {n}, {threads} threads: these are not the chunks of parallel_workbook::chunks"
        );
        assert_eq!(
            total, n as f64,
            "n = {n}: the chunks' sums add up to {n}, parallel_sum returned {total}"
        );
    }
}

#[test]
fn the_threads_run_at_the_same_time() {
    let threads = 4;
    let overlap = Arc::new(Overlap::new(threads));
    run(100, threads, Some(overlap.clone()));
    assert_eq!(
        overlap.most(),
        threads,
        "at most {} of {threads} threads were summing at the same time: start them all before you join any",
        overlap.most()
    );
}

#[test]
fn integrate_gives_the_left_sum() {
    let problem = Problem::new(0.0, 10.0, 1_000_000).unwrap();
    let result = common::within("integrate never returned", move || integrate(&problem, 3));
    let expected = problem.exact_left_sum();
    assert!(
        (result - expected).abs() <= problem.reduction_tolerance(),
        "got {result}, expected {expected}"
    );
}
