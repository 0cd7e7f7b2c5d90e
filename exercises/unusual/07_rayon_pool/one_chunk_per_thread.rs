// Right, unusual: exactly one chunk per thread, collected into a Vec of ranges first, and the parallel sum of their results.

use parallel_workbook::{Problem, chunks};
use rayon::prelude::*;
use std::ops::Range;

/// Σ `sum_chunk(c)` over chunks of `0..n`, on a rayon pool of `threads` threads.
pub fn parallel_sum(
    n: u64,
    threads: usize,
    sum_chunk: impl Fn(Range<u64>) -> f64 + Sync + Send,
) -> f64 {
    let Ok(pool) = rayon::ThreadPoolBuilder::new().num_threads(threads).build() else {
        panic!("could not start a rayon pool of {threads} threads");
    };
    let ranges: Vec<Range<u64>> = chunks(n, threads as u64).collect();
    let sums: Vec<f64> = pool.install(|| ranges.into_par_iter().map(&sum_chunk).collect());
    sums.iter().sum()
}

/// The integral, with `parallel_sum` doing the work.
pub fn integrate(problem: &Problem, threads: usize) -> f64 {
    parallel_sum(problem.n, threads, |chunk| problem.sum_f(chunk)) * problem.dx()
}
