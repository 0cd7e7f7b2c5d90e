// Each thread adds its partial sum into a shared total with two separate lock scopes (read, then write back): an addition can be lost.

use parallel_workbook::sync::{Mutex, thread};
use parallel_workbook::{Problem, chunks};
use std::ops::Range;

/// Σ `sum_chunk(c)` over the `threads` chunks `c` of `0..n`, one scoped thread each.
pub fn parallel_sum(n: u64, threads: usize, sum_chunk: impl Fn(Range<u64>) -> f64 + Sync) -> f64 {
    let total = Mutex::new(0.0);
    let (sum_chunk, total_ref) = (&sum_chunk, &total);
    thread::scope(|scope| {
        for chunk in chunks(n, threads as u64) {
            scope.spawn(move || {
                let partial = sum_chunk(chunk);
                let seen = *total_ref.lock().unwrap();
                *total_ref.lock().unwrap() = seen + partial;
            });
        }
    });
    total.into_inner().unwrap()
}

/// The integral, with `parallel_sum` doing the work.
pub fn integrate(problem: &Problem, threads: usize) -> f64 {
    parallel_sum(problem.n, threads, |chunk| problem.sum_f(chunk)) * problem.dx()
}
