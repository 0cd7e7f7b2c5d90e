// Keeps the guard in a variable but drops it before the pause, then writes back through a new lock.

use parallel_workbook::sync::Mutex;

/// The shared running total, and how many terms it holds.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Total {
    pub sum: f64,
    pub updates: u64,
}

/// Adds `term` to the shared total.
pub fn add(total: &Mutex<Total>, term: f64, pause: impl Fn()) {
    let guard = total.lock().unwrap();
    let seen = *guard;
    drop(guard);
    pause();
    *total.lock().unwrap() = Total {
        sum: seen.sum + term,
        updates: seen.updates + 1,
    };
}
