// Right but too strong on one operation: a SeqCst store of the flag, where Release is enough.

use parallel_workbook::sync::atomic::{
    AtomicBool, AtomicU64,
    Ordering::{Acquire, Relaxed, SeqCst},
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
        self.ready.store(true, SeqCst);
    }

    /// The sum, if the flag is up.
    pub fn take(&self) -> Option<f64> {
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
