//! Checks for exercises/07_rayon_pool.rs.
//!
//! No model test: rayon's pool runs on threads and locks of its own, which
//! no model checker here can see or schedule (and the learner's code holds
//! no lock of its own). So the checks are real-thread tests that need no
//! luck: `sum_chunk` asks rayon, from inside each call, which pool it runs
//! on and how many threads that pool has; the chunks must cover every index
//! once; and every thread of the pool must be inside `sum_chunk` at the same
//! time (each call waits, up to 2 s, for the others), which a sequential
//! iterator, even one run inside `pool.install`, never achieves.

mod common;
#[path = "../07_rayon_pool.rs"]
mod exercise;

use common::Overlap;
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
fn the_pools_threads_sum_chunks_at_the_same_time() {
    for threads in [2, 3] {
        let overlap = Arc::new(Overlap::new(threads));
        let inside = overlap.clone();
        common::within("parallel_sum never returned", move || {
            parallel_sum(1000, threads, |chunk| {
                let _in_a_chunk = inside.enter();
                common::len(&chunk)
            })
        });
        let most = overlap.most();
        assert!(
            most == threads,
            "on a pool of {threads} threads, at most {most} called sum_chunk at the same time: the chunks ran one \
             after another. Run them with a parallel iterator (into_par_iter) inside pool.install: an ordinary \
             iterator inside install runs on one thread of the pool"
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
