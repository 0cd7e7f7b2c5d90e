// Right, unusual: no parallel iterator; splits the chunk numbers in halves with rayon::join inside the pool.

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
    let parts = 4 * threads as u64;
    let sum_chunk = &sum_chunk;
    pool.install(|| halves(0..parts, &|k| sum_chunk(chunk(n, parts, k))))
}

/// Σ `sum(k)` for k in `ks`, the two halves at once.
fn halves(ks: Range<u64>, sum: &(impl Fn(u64) -> f64 + Sync)) -> f64 {
    if ks.end - ks.start == 1 {
        return sum(ks.start);
    }
    let middle = ks.start + (ks.end - ks.start) / 2;
    let (left, right) = rayon::join(|| halves(ks.start..middle, sum), || halves(middle..ks.end, sum));
    left + right
}

/// The integral, with `parallel_sum` doing the work.
pub fn integrate(problem: &Problem, threads: usize) -> f64 {
    parallel_sum(problem.n, threads, |chunk| problem.sum_f(chunk)) * problem.dx()
}
