//! Checks for exercises/02_spawn_join.rs.

mod common;
#[path = "../02_spawn_join.rs"]
mod exercise;

use exercise::{Partial, integrate, spawn_workers};
use parallel_workbook::sync::thread;
use parallel_workbook::{Problem, chunk};

#[test]
fn partial_here_records_the_calling_thread() {
    let partial = Partial::here(2.5);
    assert_eq!((partial.sum, partial.thread), (2.5, thread::current().id()));
}

#[test]
fn one_named_thread_per_chunk() {
    let problem = Problem::new(0.0, 10.0, 100_000).unwrap();
    for threads in [1, 3, 4] {
        let handles = common::within(
            "spawn_workers should start the threads and return at once",
            move || spawn_workers(&problem, threads),
        );
        assert_eq!(
            handles.len(),
            threads,
            "spawn_workers returned {} handles for {threads} threads",
            handles.len()
        );
        let me = thread::current().id();
        let mut seen = Vec::new();
        for (k, handle) in handles.into_iter().enumerate() {
            let partial = handle.join().expect("worker thread panicked");
            assert_ne!(
                partial.thread, me,
                "chunk {k} was summed by the calling thread: sum inside the spawned thread"
            );
            assert!(
                !seen.contains(&partial.thread),
                "two chunks were summed by the same thread: one thread per chunk"
            );
            seen.push(partial.thread);
            let expected_name = format!("chunk-{k}");
            assert_eq!(
                partial.name.as_deref(),
                Some(expected_name.as_str()),
                "thread {k} should be named {expected_name:?}: use thread::Builder::new().name(...)"
            );
            let expected = problem.sum_f(chunk(problem.n, threads as u64, k as u64));
            assert_eq!(
                partial.sum, expected,
                "thread {k} of {threads} returned {}, but the sum over its chunk is {expected}: did it sum chunk {k}?",
                partial.sum
            );
        }
    }
}

#[test]
fn integrate_gives_the_left_sum() {
    for (n, threads) in [(1_000_000, 4), (1_001, 3), (5, 8), (1, 2)] {
        let problem = Problem::new(0.0, 10.0, n).unwrap();
        let result = common::within("integrate should join every thread and return", move || {
            integrate(&problem, threads)
        });
        let expected = problem.exact_left_sum();
        assert!(
            (result - expected).abs() <= problem.reduction_tolerance(),
            "N = {n}, {threads} threads: got {result}, expected {expected}"
        );
    }
}
