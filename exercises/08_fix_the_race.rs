// ANCHOR: statement
//! # 04 · Fix the race
//!
//! `add` below loses updates. It reads the shared total under the lock,
//! releases the lock, and writes back under the lock again. Between the two,
//! another thread can add its own term; our write-back then overwrites it.
//! Run `cargo run --release --example racy` to watch updates get lost.
//!
//! Fix `add` so that no update is ever lost, whatever the interleaving: the
//! read, the addition and the write-back must be one critical section.
//!
//! Keep the `pause()` call between the read and the write-back (the check
//! counts that every `add` calls it). It does nothing in a real program; it
//! marks the gap where another thread can get in. The check runs `add` under a model checker that tries every way two
//! threads can interleave, so a race shows up every time, not once in a
//! while, and the steps it shows include each `pause()`.
//!
//! Book: Part 4 › Locks and granularity (book/part4/16-locks.md)
//! Check: `cargo workbook check 08_fix_the_race`
// ANCHOR_END: statement

use parallel_workbook::sync::Mutex;

/// The shared running total, and how many terms it holds.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Total {
    pub sum: f64,
    pub updates: u64,
}

/// Adds `term` to the shared total. TODO: make it lose no update.
pub fn add(total: &Mutex<Total>, term: f64, pause: impl Fn()) {
    // read
    let seen = *total.lock().unwrap();
    // (the lock is free again here)
    pause();
    // write back
    *total.lock().unwrap() = Total {
        sum: seen.sum + term,
        updates: seen.updates + 1,
    };
}
