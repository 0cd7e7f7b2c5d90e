//! Checks for exercises/07_worker_pool.rs.

mod common;
#[path = "../07_worker_pool.rs"]
mod exercise;

use common::{Overlap, Recorder};
use exercise::{integrate, pool_sum};
use parallel_workbook::sync::Arc;
use parallel_workbook::sync::thread;
use parallel_workbook::{Problem, chunks};

/// Runs `pool_sum`; the callback records each call, and (with `overlap`)
/// holds a worker until another worker is summing a chunk too.
fn run(
    n: u64,
    threads: usize,
    chunk_count: u64,
    overlap: Option<Arc<Overlap>>,
) -> (f64, Arc<Recorder>, thread::ThreadId) {
    let recorder = Arc::new(Recorder::default());
    let r = recorder.clone();
    let (total, caller) = common::within(
        "pool_sum never returned. Do the workers stop when the work queue is closed and empty? \
         Do you collect exactly one result per chunk?",
        move || {
            let total = pool_sum(n, threads, chunk_count, |chunk| {
                let _inside = overlap.as_ref().map(|o| o.enter());
                r.record(chunk.clone());
                common::len(&chunk)
            });
            (total, thread::current().id())
        },
    );
    (total, recorder, caller)
}

#[test]
fn every_chunk_is_summed_exactly_once() {
    for (n, threads, chunk_count) in [
        (1000, 3, 64),
        (100, 4, 7),
        (10, 4, 2),
        (50, 1, 5),
        (1 << 16, 2, 100),
    ] {
        let (total, recorder, _) = run(n, threads, chunk_count, None);
        let mut got: Vec<_> = recorder
            .calls()
            .into_iter()
            .map(|call| call.chunk)
            .collect();
        got.sort_by_key(|c| (c.start, c.end));
        let expected: Vec<_> = chunks(n, chunk_count).collect();
        assert_eq!(
            got.len(),
            expected.len(),
            "{chunk_count} chunks went on the queue, but {} were summed",
            got.len()
        );
        assert_eq!(
            got, expected,
            "n = {n}: the chunks summed are not the chunks of parallel_workbook::chunks(n, {chunk_count})"
        );
        assert_eq!(
            total, n as f64,
            "the {chunk_count} results add up to {n}, pool_sum returned {total}"
        );
    }
}

#[test]
fn the_pool_has_threads_workers_and_no_more() {
    let (threads, chunk_count) = (3, 60);
    let (_, recorder, caller) = run(6000, threads, chunk_count, None);
    let ran = recorder.worker_threads(caller);
    assert!(
        ran <= threads,
        "{ran} different threads summed chunks, but the pool has {threads} workers: \
         start `threads` workers that each take many chunks, not a thread per chunk"
    );
}

#[test]
fn workers_sum_chunks_at_the_same_time() {
    let overlap = Arc::new(Overlap::new(2));
    run(1000, 2, 16, Some(overlap.clone()));
    assert!(
        overlap.most() >= 2,
        "while one worker summed a chunk, no other worker could take one: do you hold the queue's \
         lock while summing? (`while let Ok(c) = queue.lock().unwrap().recv()` keeps the guard for \
         the whole loop body; take the chunk in its own `let` statement)"
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
