// The pair on the wrong atomic: Release and Acquire on the sum, Relaxed on the flag that take decides by.

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
        self.sum.store(sum.to_bits(), Release);
        self.ready.store(true, Relaxed);
    }

    /// The sum, if the flag is up.
    pub fn take(&self) -> Option<f64> {
        if self.ready.load(Relaxed) {
            Some(f64::from_bits(self.sum.load(Acquire)))
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
