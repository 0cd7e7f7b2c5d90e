// Tries the lock for the write-back, and when another thread holds it, writes back its stale copy as soon as it gets it.

use parallel_workbook::sync::Mutex;

/// The shared running total, and how many terms it holds.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Total {
    pub sum: f64,
    pub updates: u64,
}

/// Adds `term` to the shared total.
pub fn add(total: &Mutex<Total>, term: f64, pause: impl Fn()) {
    let seen = *total.lock().unwrap();
    pause();
    let mut guard = match total.try_lock() {
        Ok(guard) => guard,
        Err(_) => total.lock().unwrap(),
    };
    *guard = Total {
        sum: seen.sum + term,
        updates: seen.updates + 1,
    };
}
