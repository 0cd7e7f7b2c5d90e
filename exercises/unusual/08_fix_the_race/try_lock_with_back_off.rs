// Right, unusual: takes the lock with try_lock, yielding while another thread holds it, then reads, pauses and writes back under that one guard.

use parallel_workbook::sync::thread;
use parallel_workbook::sync::Mutex;

/// The shared running total, and how many terms it holds.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Total {
    pub sum: f64,
    pub updates: u64,
}

/// Adds `term` to the shared total, losing no update.
pub fn add(total: &Mutex<Total>, term: f64, pause: impl Fn()) {
    let mut guard = loop {
        if let Ok(guard) = total.try_lock() {
            break guard;
        }
        thread::yield_now();
    };
    let seen = *guard;
    pause();
    *guard = Total {
        sum: seen.sum + term,
        updates: seen.updates + 1,
    };
}
