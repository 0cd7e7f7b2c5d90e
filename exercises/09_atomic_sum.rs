// ANCHOR: statement
//! # 05 · Atomic sum
//!
//! An f64 total shared by threads without a lock: its bits live in an
//! `AtomicU64` (`f64::to_bits` / `f64::from_bits`).
//!
//! 1. `atomic_add`: add `term` to the total with a compare-and-swap loop.
//!    Load the current bits, compute the new sum, and store it with
//!    `compare_exchange_weak` only if the total still holds what you loaded.
//!    If it does not, another thread got in first: try again with the newer
//!    value. Call `pause()` on every try, after the load and before the
//!    compare-and-swap; the check uses it to change the total behind your
//!    back.
//! 2. `parallel_sum`: one scoped thread per chunk of `0..n`
//!    (`parallel_workbook::chunks`), all running at once. Each thread sums
//!    its chunk privately with one call of `sum_chunk` (the check counts
//!    them), then adds that partial sum to the shared total with
//!    `atomic_add`: one update of the total per thread, not one per point,
//!    so the threads hardly ever fight over it. Return the total.
//!
//! (Take atomics and threads from the workbook: `use
//! parallel_workbook::sync::atomic::{AtomicU64, Ordering::Relaxed};` and
//! `use parallel_workbook::sync::thread;`. They are `std`'s, which the
//! check can also run under a model checker.)
//!
//! Book: Part 4 › Atomics (book/part4/18-atomics.md)
//! Check: `cargo workbook check 09_atomic_sum`
// ANCHOR_END: statement

use parallel_workbook::Problem;
use parallel_workbook::sync::atomic::AtomicU64;
use std::ops::Range;

/// Adds `term` to the f64 whose bits are in `total`, losing no update.
pub fn atomic_add(total: &AtomicU64, term: f64, pause: impl Fn()) {
    // TODO: a compare-and-swap loop; call pause() between the load and the CAS.
    let _ = &pause;
    todo!("add {term} to {total:?}")
}

/// Σ `sum_chunk(c)` over the `threads` chunks `c` of `0..n`, each thread adding its partial sum to one atomic total.
pub fn parallel_sum(n: u64, threads: usize, sum_chunk: impl Fn(Range<u64>) -> f64 + Sync) -> f64 {
    let total = AtomicU64::new(0.0f64.to_bits());
    // TODO: one scoped thread per chunk; each calls atomic_add(&total, sum_chunk(its chunk), || {}).
    let _ = &sum_chunk;
    todo!("add the sums of {threads} chunks of 0..{n} into {total:?}")
}

/// The integral, with `parallel_sum` doing the work.
pub fn integrate(problem: &Problem, threads: usize) -> f64 {
    parallel_sum(problem.n, threads, |chunk| problem.sum_f(chunk)) * problem.dx()
}
