// Builds the pool and installs, but sums the chunks with an ordinary iterator: one thread of the pool does all the work.

use parallel_workbook::{Problem, chunk};
use std::ops::Range;

/// Σ `sum_chunk(c)` over chunks of `0..n`, on a rayon pool of `threads` threads.
pub fn parallel_sum(
    n: u64,
    threads: usize,
    sum_chunk: impl Fn(Range<u64>) -> f64 + Sync + Send,
) -> f64 {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .expect("could not start the rayon thread pool");
    let parts = 8 * threads as u64;
    pool.install(|| (0..parts).map(|k| sum_chunk(chunk(n, parts, k))).sum())
}

/// The integral, with `parallel_sum` doing the work.
pub fn integrate(problem: &Problem, threads: usize) -> f64 {
    parallel_sum(problem.n, threads, |chunk| problem.sum_f(chunk)) * problem.dx()
}
