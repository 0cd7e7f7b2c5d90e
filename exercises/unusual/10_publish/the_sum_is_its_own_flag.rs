// Right, unusual: no flag at all. The sum's atomic starts at a bit pattern no published sum has (a NaN), so the sum says itself whether it is there; one atomic publishes nothing else, and Relaxed is enough.

use parallel_workbook::sync::atomic::{AtomicU64, Ordering::Relaxed};

/// "Nothing yet": a NaN with a payload that `f64` arithmetic never makes.
const NOT_YET: u64 = 0x7ff8_dead_beef_0001;

/// One partial sum, published once by a worker, read by anyone.
pub struct Slot {
    /// The sum's bits, or NOT_YET.
    sum: AtomicU64,
}

impl Slot {
    pub fn new() -> Slot {
        Slot {
            sum: AtomicU64::new(NOT_YET),
        }
    }

    /// Stores `sum`. Called once, by the worker.
    pub fn publish(&self, sum: f64) {
        assert!(sum.to_bits() != NOT_YET, "this NaN means 'nothing yet'");
        self.sum.store(sum.to_bits(), Relaxed);
    }

    /// The sum, if it has been published.
    pub fn take(&self) -> Option<f64> {
        match self.sum.load(Relaxed) {
            NOT_YET => None,
            bits => Some(f64::from_bits(bits)),
        }
    }
}

impl Default for Slot {
    fn default() -> Slot {
        Slot::new()
    }
}
