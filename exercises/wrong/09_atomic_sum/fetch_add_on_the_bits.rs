// Adds with fetch_add on the bits: integer addition of two f64 bit patterns is not the bits of their sum.
use parallel_workbook::sync::atomic::{AtomicU64, Ordering::Relaxed};
use parallel_workbook::sync::thread;
use parallel_workbook::{Problem, chunks};
use std::ops::Range;

/// Adds `term` to the f64 whose bits are in `total`, losing no update.
pub fn atomic_add(total: &AtomicU64, term: f64, pause: impl Fn()) {
    pause();
    total.fetch_add(term.to_bits(), Relaxed);
}

/// Σ `sum_chunk(c)` over the `threads` chunks `c` of `0..n`, each thread adding its partial sum to one atomic total.
pub fn parallel_sum(n: u64, threads: usize, sum_chunk: impl Fn(Range<u64>) -> f64 + Sync) -> f64 {
    let total = AtomicU64::new(0.0f64.to_bits());
    thread::scope(|scope| {
        for chunk in chunks(n, threads as u64) {
            let (total, sum_chunk) = (&total, &sum_chunk);
            scope.spawn(move || atomic_add(total, sum_chunk(chunk), || {}));
        }
    });
    f64::from_bits(total.load(Relaxed))
}

/// The integral, with `parallel_sum` doing the work.
pub fn integrate(problem: &Problem, threads: usize) -> f64 {
    parallel_sum(problem.n, threads, |chunk| problem.sum_f(chunk)) * problem.dx()
}
