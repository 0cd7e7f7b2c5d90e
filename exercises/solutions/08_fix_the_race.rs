//! # 04 · Fix the race (solution)
//!
//! Take the lock once and keep the guard until the write-back is done: no
//! other thread can read the total between our read and our write.

use parallel_workbook::sync::Mutex;

/// The shared running total, and how many terms it holds.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Total {
    pub sum: f64,
    pub updates: u64,
}

/// Adds `term` to the shared total, losing no update.
pub fn add(total: &Mutex<Total>, term: f64, pause: impl Fn()) {
    let mut guard = total.lock().unwrap();
    // read
    let seen = *guard;
    // (we still hold the lock: nobody else can get in here)
    pause();
    // write back
    *guard = Total {
        sum: seen.sum + term,
        updates: seen.updates + 1,
    };
} // the guard is dropped here and the lock released
