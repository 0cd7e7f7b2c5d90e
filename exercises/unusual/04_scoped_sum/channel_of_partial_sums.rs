// Right, unusual: each thread sends its partial sum on a channel, and the caller adds up exactly one message per chunk.

use parallel_workbook::sync::{mpsc, thread};
use parallel_workbook::{Problem, chunks};
use std::ops::Range;

/// Σ `sum_chunk(c)` over the `threads` chunks `c` of `0..n`, one scoped thread each.
pub fn parallel_sum(n: u64, threads: usize, sum_chunk: impl Fn(Range<u64>) -> f64 + Sync) -> f64 {
    let sum_chunk = &sum_chunk;
    let (partials, arrived) = mpsc::channel();
    thread::scope(|scope| {
        for chunk in chunks(n, threads as u64) {
            let partials = partials.clone();
            scope.spawn(move || partials.send(sum_chunk(chunk)).unwrap());
        }
    });
    drop(partials);
    arrived.iter().sum()
}

/// The integral, with `parallel_sum` doing the work.
pub fn integrate(problem: &Problem, threads: usize) -> f64 {
    parallel_sum(problem.n, threads, |chunk| problem.sum_f(chunk)) * problem.dx()
}
