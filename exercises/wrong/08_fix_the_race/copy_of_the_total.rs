// Locks once, but copies the total out of the guard and writes back the copy after a second lock: the read and the write are still two critical sections.

use parallel_workbook::sync::Mutex;

/// The shared running total, and how many terms it holds.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Total {
    pub sum: f64,
    pub updates: u64,
}

/// Adds `term` to the shared total.
pub fn add(total: &Mutex<Total>, term: f64, pause: impl Fn()) {
    let mut mine = { *total.lock().unwrap() };
    pause();
    mine.sum += term;
    mine.updates += 1;
    let mut guard = total.lock().unwrap();
    *guard = mine;
}
