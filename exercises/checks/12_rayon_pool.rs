//! Checks for exercises/12_rayon_pool.rs.

mod common;
#[path = "../12_rayon_pool.rs"]
mod exercise;

use exercise::{integrate, parallel_sum};
use parallel_workbook::Problem;
use parallel_workbook::sync::{Arc, Mutex};
use std::ops::Range;

/// Where each call of sum_chunk ran: (chunk, pool size, worker index).
type Calls = Vec<(Range<u64>, usize, Option<usize>)>;

fn run(n: u64, threads: usize) -> (f64, Calls) {
    let calls = Arc::new(Mutex::new(Calls::new()));
    let c = calls.clone();
    let total = common::within("parallel_sum never returned", move || {
        parallel_sum(n, threads, |chunk| {
            let here = (
                chunk.clone(),
                rayon::current_num_threads(),
                rayon::current_thread_index(),
            );
            c.lock().unwrap().push(here);
            common::len(&chunk)
        })
    });
    let calls = calls.lock().unwrap().clone();
    (total, calls)
}

#[test]
fn runs_on_a_pool_of_exactly_threads_threads() {
    // 3 and 5 threads: neither is likely to be the number of cores, which
    // the global pool would have.
    for threads in [1, 3, 5] {
        let (_, calls) = run(10_000, threads);
        assert!(!calls.is_empty(), "sum_chunk was never called");
        for (chunk, pool_size, index) in calls {
            assert!(
                index.is_some(),
                "chunk {chunk:?} was summed outside any rayon pool: run the parallel iterator inside pool.install(...)"
            );
            assert_eq!(
                pool_size, threads,
                "chunk {chunk:?} ran in a pool of {pool_size} threads, expected {threads}: \
                 build one with ThreadPoolBuilder::new().num_threads(threads) and run inside pool.install"
            );
        }
    }
}

#[test]
fn every_index_is_summed_exactly_once() {
    for (n, threads) in [(10_000, 3), (7, 4), (1, 2), (1 << 20, 2)] {
        let (total, calls) = run(n, threads);
        let chunks: Vec<_> = calls.into_iter().map(|c| c.0).collect();
        common::assert_partition(n, &chunks, &format!("n = {n}, {threads} threads"));
        assert_eq!(
            total, n as f64,
            "the chunks' sums add up to {n}, parallel_sum returned {total}"
        );
    }
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
