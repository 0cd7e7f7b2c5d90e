//! Release and acquire: each worker publishes its partial sum behind a
//! "ready" flag, and main takes every sum as soon as its flag is up, without
//! waiting for any thread to end.
//!
//!     cargo run --release --example publish -- --threads 4 --compare
//!
//! Always right. With `Relaxed` in place of `Release`/`Acquire` it may still
//! print the right answer on your machine: loom shows why it is wrong (tests/loom.rs).
//!
//! Also a module of tests/loom.rs.

use parallel_workbook::cli;
use parallel_workbook::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use parallel_workbook::{Problem, chunk};
use std::thread;
use std::time::Duration;

// ANCHOR: slot
/// A partial sum and the flag that says it is there.
pub struct Slot {
    sum: AtomicU64,
    ready: AtomicBool,
}

impl Slot {
    pub fn new() -> Slot {
        Slot {
            sum: AtomicU64::new(0),
            ready: AtomicBool::new(false),
        }
    }

    /// Writes the sum, then raises the flag with `Release`: whatever this
    /// thread did before the flag's store is visible to any thread whose
    /// `Acquire` load sees the flag up.
    pub fn publish(&self, sum: f64) {
        self.sum.store(sum.to_bits(), Ordering::Relaxed);
        self.ready.store(true, Ordering::Release);
    }

    /// The sum, once its flag is up. The `Acquire` load pairs with the
    /// `Release` store: if it sees `true`, the sum's store happened before.
    pub fn take(&self) -> Option<f64> {
        if self.ready.load(Ordering::Acquire) {
            Some(f64::from_bits(self.sum.load(Ordering::Relaxed)))
        } else {
            None
        }
    }
}
// ANCHOR_END: slot

impl Default for Slot {
    fn default() -> Self {
        Slot::new()
    }
}

// ANCHOR: integrate
pub fn integrate(problem: &Problem, threads: usize) -> f64 {
    let slots: Vec<Slot> = (0..threads).map(|_| Slot::new()).collect();
    thread::scope(|scope| {
        for (k, slot) in slots.iter().enumerate() {
            scope.spawn(move || {
                slot.publish(problem.sum_f(chunk(problem.n, threads as u64, k as u64)));
            });
        }
        // Main reads each sum while the workers may still be running: the
        // flags, not the end of the scope, make the sums visible here.
        let mut total = 0.0;
        for slot in &slots {
            total += loop {
                match slot.take() {
                    Some(sum) => break sum,
                    None => thread::sleep(Duration::from_micros(100)),
                }
            };
        }
        total * problem.dx()
    })
}
// ANCHOR_END: integrate

fn main() {
    let args = cli::Args::parse(
        "Partial sums published behind Release/Acquire flags",
        100_000_000,
    );
    args.run("publish", integrate);
}
