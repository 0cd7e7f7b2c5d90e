// ANCHOR: statement
//! # 17 · Publish a result
//!
//! A worker computes a partial sum and *publishes* it in a `Slot`: it stores
//! the sum, then raises the flag `ready`. A reader that has not joined the
//! worker calls `take`, which returns the sum once the flag is up and `None`
//! before. `take` must never return a sum the worker did not publish, such
//! as the slot's starting 0.0.
//!
//! All four atomic operations below use `Relaxed`, and that is not enough:
//! a reader can see the flag up and the sum still 0.0. Give each operation
//! the *weakest* ordering that makes `take` right, and no stronger one.
//!
//! The check runs your slot under loom, which tries every schedule of a
//! worker and a reader and models what each ordering allows a load to see.
//! Then it tries each ordering you wrote one step weaker (`SeqCst` to
//! `Release` on a store, `Acquire` to `Relaxed` on a load, ...): if the slot
//! is still right with the weaker one, yours was stronger than needed, and
//! the check names the line.
//!
//! Book: Part 4 › Memory ordering (book/part4/18-1-memory-ordering.md)
//! Check: `cargo workbook check 10_publish`
// ANCHOR_END: statement

use parallel_workbook::sync::atomic::{AtomicBool, AtomicU64, Ordering::Relaxed};

/// One partial sum, published once by a worker, read by anyone.
pub struct Slot {
    /// The sum's bits (`f64::to_bits`): there is no `AtomicF64`.
    sum: AtomicU64,
    ready: AtomicBool,
}

impl Slot {
    pub fn new() -> Slot {
        Slot {
            sum: AtomicU64::new(0.0f64.to_bits()),
            ready: AtomicBool::new(false),
        }
    }

    /// Stores `sum`, then raises the flag. Called once, by the worker.
    /// TODO: the weakest orderings that make `take` right.
    pub fn publish(&self, sum: f64) {
        self.sum.store(sum.to_bits(), Relaxed);
        self.ready.store(true, Relaxed);
    }

    /// The sum, if the flag is up. TODO: the weakest orderings.
    pub fn take(&self) -> Option<f64> {
        if self.ready.load(Relaxed) {
            Some(f64::from_bits(self.sum.load(Relaxed)))
        } else {
            None
        }
    }
}

impl Default for Slot {
    fn default() -> Slot {
        Slot::new()
    }
}
