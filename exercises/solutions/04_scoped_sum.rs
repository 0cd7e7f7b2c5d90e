//! # 03 · Scoped sum (solution)
//!
//! `scope.spawn` returns a `ScopedJoinHandle`; collecting them all first
//! starts every thread before the first `join` waits. (A `map` that spawns and
//! joins in one chain would run the chunks one after another.)

use parallel_workbook::{Problem, chunks};
use std::ops::Range;
use parallel_workbook::sync::thread;

/// Σ `sum_chunk(c)` over the `threads` chunks `c` of `0..n`, one scoped thread each.
pub fn parallel_sum(n: u64, threads: usize, sum_chunk: impl Fn(Range<u64>) -> f64 + Sync) -> f64 {
    let sum_chunk = &sum_chunk;
    thread::scope(|scope| {
        let handles: Vec<_> = chunks(n, threads as u64)
            .map(|chunk| scope.spawn(move || sum_chunk(chunk)))
            .collect();
        handles
            .into_iter()
            .map(|handle| handle.join().expect("a worker panicked"))
            .sum()
    })
}

/// The integral, with `parallel_sum` doing the work.
pub fn integrate(problem: &Problem, threads: usize) -> f64 {
    parallel_sum(problem.n, threads, |chunk| problem.sum_f(chunk)) * problem.dx()
}
