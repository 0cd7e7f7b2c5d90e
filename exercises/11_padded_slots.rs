// ANCHOR: statement
//! # 16 · Padded slots
//!
//! Per-thread running sums, updated on every term, with no false sharing.
//!
//! 1. `Slot`: one thread's running sum, an f64 kept as bits in an
//!    `AtomicU64`. `add` adds the term in one atomic read-modify-write,
//!    `AtomicU64::fetch_update` (`Relaxed` is enough: the slot publishes
//!    nothing); `get` reads the sum. Then make every `Slot` take 128 bytes:
//!    give it an alignment of 128 (`#[repr(align(128))]`), or pad it. Two
//!    slots side by side in a slice are then 128 bytes apart, so their sums
//!    never share a cache line (64 bytes on x86-64) nor the pair of lines
//!    Intel's cores prefetch together.
//! 2. `slot_sums(n, slots, term)`: the caller hands you the slots, one per
//!    thread. Start one scoped thread per slot; thread k calls
//!    `slots[k].add(term(i))` for every index i of chunk k of `0..n`
//!    (`parallel_workbook::chunk`, as many chunks as slots), one term at a
//!    time: the slot holds the running sum as the thread goes.
//!
//! `integrate` (written for you) makes the slots, calls `slot_sums` and adds
//! the slots up.
//!
//! Book: Part 4 › False sharing (book/part4/18-2-false-sharing.md)
//! Check: `cargo workbook check 11_padded_slots`
// ANCHOR_END: statement

use parallel_workbook::Problem;

/// One thread's running sum, 128 bytes away from the next.
// TODO: an AtomicU64 inside, and 128 bytes in all.
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

/// Thread k adds term(i) into `slots[k]` for every i of chunk k of 0..n.
pub fn slot_sums(n: u64, slots: &[Slot], term: impl Fn(u64) -> f64 + Sync) {
    // TODO: one scoped thread per slot.
    let _ = &term;
    todo!("{} slots for 0..{n}", slots.len())
}

/// The integral: one slot per thread, their sums added in order.
pub fn integrate(problem: &Problem, threads: usize) -> f64 {
    let slots: Vec<Slot> = (0..threads).map(|_| Slot::new()).collect();
    slot_sums(problem.n, &slots, |i| Problem::f(problem.x(i)));
    slots.iter().map(Slot::get).sum::<f64>() * problem.dx()
}
