// Keeps the total's bits in an AtomicU64 and adds with a load and a separate store: between them another thread's addition is overwritten.

use parallel_workbook::sync::atomic::{AtomicU64, Ordering::SeqCst};
use parallel_workbook::sync::thread;
use parallel_workbook::{Problem, chunks};
use std::ops::Range;

/// Σ `sum_chunk(c)` over the `threads` chunks `c` of `0..n`, one scoped thread each.
pub fn parallel_sum(n: u64, threads: usize, sum_chunk: impl Fn(Range<u64>) -> f64 + Sync) -> f64 {
    let total = AtomicU64::new(0f64.to_bits());
    let (sum_chunk, total_ref) = (&sum_chunk, &total);
    thread::scope(|scope| {
        for chunk in chunks(n, threads as u64) {
            scope.spawn(move || {
                let partial = sum_chunk(chunk);
                let seen = f64::from_bits(total_ref.load(SeqCst));
                total_ref.store((seen + partial).to_bits(), SeqCst);
            });
        }
    });
    f64::from_bits(total.into_inner())
}

/// The integral, with `parallel_sum` doing the work.
pub fn integrate(problem: &Problem, threads: usize) -> f64 {
    parallel_sum(problem.n, threads, |chunk| problem.sum_f(chunk)) * problem.dx()
}
