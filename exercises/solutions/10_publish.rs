//! # 17 · Publish a result (solution)
//!
//! The flag's store is `Release` and its load `Acquire`: when the load reads
//! the `true` the store wrote, everything the worker did before the store
//! (the sum's store) happens before everything the reader does after the
//! load (the sum's load). The sum itself publishes nothing, so its store
//! and load stay `Relaxed`. Weaker breaks it; stronger is not needed.

use parallel_workbook::sync::atomic::{
    AtomicBool, AtomicU64,
    Ordering::{Acquire, Relaxed, Release},
};

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
    pub fn publish(&self, sum: f64) {
        self.sum.store(sum.to_bits(), Relaxed);
        // Release: the sum's store above becomes visible with the flag.
        self.ready.store(true, Release);
    }

    /// The sum, if the flag is up.
    pub fn take(&self) -> Option<f64> {
        // Acquire: pairs with the Release store; the sum's load comes after.
        if self.ready.load(Acquire) {
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
