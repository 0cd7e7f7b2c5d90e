// Reads under one lock, then takes a second lock for the pause and the write-back: the gap between the two lets another add in.

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
    let mut guard = total.lock().unwrap();
    pause();
    *guard = Total {
        sum: seen.sum + term,
        updates: seen.updates + 1,
    };
}
