// Cuts 0..n into chunks of n / threads each: the n % threads indices left over are never summed.

use parallel_workbook::Problem;
use parallel_workbook::sync::thread;
use std::ops::Range;

/// Σ `sum_chunk(c)` over the `threads` chunks `c` of `0..n`, one scoped thread each.
pub fn parallel_sum(n: u64, threads: usize, sum_chunk: impl Fn(Range<u64>) -> f64 + Sync) -> f64 {
    let sum_chunk = &sum_chunk;
    let size = n / threads as u64;
    thread::scope(|scope| {
        let handles: Vec<_> = (0..threads as u64)
            .map(|k| scope.spawn(move || sum_chunk(k * size..(k + 1) * size)))
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).sum()
    })
}

/// The integral, with `parallel_sum` doing the work.
pub fn integrate(problem: &Problem, threads: usize) -> f64 {
    parallel_sum(problem.n, threads, |chunk| problem.sum_f(chunk)) * problem.dx()
}
