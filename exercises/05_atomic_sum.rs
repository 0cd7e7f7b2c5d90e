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
//!    value. Call `pause()` once per try, after the load and before the
//!    compare-and-swap; the check uses it to change the total behind your back.
//! 2. `integrate`: each thread sums its chunk privately with `sum_f`, then
//!    adds its partial sum with one `atomic_add`. One atomic operation per
//!    thread, not one per point: the threads never fight over the total.
//!
//! Book: Part 4 › Atomics (book/part4/18-atomics.md)
//! Check: `cargo workbook check 05_atomic_sum`
// ANCHOR_END: statement

use parallel_workbook::Problem;
use parallel_workbook::sync::atomic::AtomicU64;

/// Adds `term` to the f64 whose bits are in `total`, losing no update.
pub fn atomic_add(total: &AtomicU64, term: f64, pause: impl Fn()) {
    // TODO: a compare-and-swap loop; call pause() between the load and the CAS.
    let _ = &pause;
    todo!("add {term} to {total:?}")
}

/// Per-thread partial sums, each added to one shared atomic total.
pub fn integrate(problem: &Problem, threads: usize) -> f64 {
    let total = AtomicU64::new(0.0f64.to_bits());
    // TODO: one scoped thread per chunk; each calls atomic_add(&total, its sum, || {}).
    todo!("integrate {problem:?} on {threads} threads into {total:?}")
}
