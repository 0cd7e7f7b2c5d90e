// ANCHOR: statement
//! # 16 · Padded slots
//!
//! Per-thread running sums, updated on every term, with no false sharing.
//!
//! 1. `Slot`: one thread's running sum, an f64 kept as bits in an
//!    `AtomicU64`. `add` adds the term in one atomic read-modify-write,
//!    `AtomicU64::fetch_update` (`Relaxed` is enough: the slot publishes
//!    nothing); `get` reads the sum. Then give `Slot` a 128-byte alignment,
//!    so that two slots side by side in a `Vec` never share a cache line
//!    (64 bytes on x86-64) nor the pair of lines Intel's cores prefetch
//!    together.
//! 2. `slot_sums`: one slot per thread in a `Vec<Slot>`, `threads` scoped
//!    threads; thread k calls `slot.add(term(i))` for every index i of chunk
//!    k of `0..n` (`parallel_workbook::chunk`). Return the slots' values in
//!    order.
//!
//! Book: Part 4 › False sharing (book/part4/18-2-false-sharing.md)
//! Check: `cargo workbook check 16_padded_slots`
// ANCHOR_END: statement

use parallel_workbook::Problem;

/// One thread's running sum, on a cache line of its own.
// TODO: an AtomicU64 inside, and an alignment of 128 bytes.
pub struct Slot {}

impl Slot {
    pub fn new() -> Slot {
        todo!("a slot holding 0.0")
    }

    /// Adds `term` to the running sum, atomically.
    pub fn add(&self, term: f64) {
        todo!("add {term}")
    }

    pub fn get(&self) -> f64 {
        todo!("the running sum")
    }
}

impl Default for Slot {
    fn default() -> Self {
        Slot::new()
    }
}

/// The per-thread sums: element k is Σ term(i) over chunk k of 0..n.
pub fn slot_sums(n: u64, threads: usize, term: impl Fn(u64) -> f64 + Sync) -> Vec<f64> {
    // TODO: a Vec of `threads` slots; one scoped thread per slot.
    let _ = &term;
    todo!("{threads} slots for 0..{n}")
}

/// The integral: the slots' sums added in order.
pub fn integrate(problem: &Problem, threads: usize) -> f64 {
    let sums = slot_sums(problem.n, threads, |i| Problem::f(problem.x(i)));
    sums.iter().sum::<f64>() * problem.dx()
}
