//! # 05 · Atomic sum (solution)
//!
//! `compare_exchange_weak` may also fail spuriously; the loop retries either
//! way. `Relaxed` is enough: the total is the only shared value, and nothing
//! else is published through it. The scope's end makes every thread's add
//! visible to the final load.

use parallel_workbook::sync::atomic::{AtomicU64, Ordering::Relaxed};
use parallel_workbook::sync::thread;
use parallel_workbook::{Problem, chunks};
use std::ops::Range;

/// Adds `term` to the f64 whose bits are in `total`, losing no update.
pub fn atomic_add(total: &AtomicU64, term: f64, pause: impl Fn()) {
    let mut seen = total.load(Relaxed);
    loop {
        let new = (f64::from_bits(seen) + term).to_bits();
        pause();
        match total.compare_exchange_weak(seen, new, Relaxed, Relaxed) {
            Ok(_) => return,
            Err(newer) => seen = newer,
        }
    }
}

/// Σ `sum_chunk(c)` over the `threads` chunks `c` of `0..n`, each thread adding its partial sum to one atomic total.
pub fn parallel_sum(n: u64, threads: usize, sum_chunk: impl Fn(Range<u64>) -> f64 + Sync) -> f64 {
    let total = AtomicU64::new(0.0f64.to_bits());
    let sum_chunk = &sum_chunk;
    thread::scope(|scope| {
        for chunk in chunks(n, threads as u64) {
            let total = &total;
            scope.spawn(move || atomic_add(total, sum_chunk(chunk), || {}));
        }
    });
    f64::from_bits(total.load(Relaxed))
}

/// The integral, with `parallel_sum` doing the work.
pub fn integrate(problem: &Problem, threads: usize) -> f64 {
    parallel_sum(problem.n, threads, |chunk| problem.sum_f(chunk)) * problem.dx()
}
