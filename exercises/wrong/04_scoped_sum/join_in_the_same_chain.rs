// Spawns and joins in one iterator chain: each thread is joined before the next starts, so the chunks run one after another.

use parallel_workbook::sync::thread;
use parallel_workbook::{Problem, chunks};
use std::ops::Range;

/// Σ `sum_chunk(c)` over the `threads` chunks `c` of `0..n`, one scoped thread each.
pub fn parallel_sum(n: u64, threads: usize, sum_chunk: impl Fn(Range<u64>) -> f64 + Sync) -> f64 {
    let sum_chunk = &sum_chunk;
    thread::scope(|scope| {
        chunks(n, threads as u64)
            .map(|chunk| scope.spawn(move || sum_chunk(chunk)))
            .map(|handle| handle.join().unwrap())
            .sum()
    })
}

/// The integral, with `parallel_sum` doing the work.
pub fn integrate(problem: &Problem, threads: usize) -> f64 {
    parallel_sum(problem.n, threads, |chunk| problem.sum_f(chunk)) * problem.dx()
}
