// ANCHOR: statement
//! # 10 · Lock ordering
//!
//! `transfer` moves an amount between two accounts, each behind its own
//! `Mutex`. It locks `from`, then `to`. Run a transfer from A to B and one
//! from B to A at the same time: each thread holds one lock and waits forever
//! for the other's. Deadlock.
//!
//! Fix `transfer` so that it can never deadlock: take the two locks in the
//! same order in every thread, whatever the direction of the transfer. Every
//! account has a unique `id`: lock the smaller id first.
//!
//! A transfer from an account to itself must not deadlock either (a `Mutex`
//! cannot be locked twice by one thread); it changes nothing.
//!
//! Keep the `pause()` call between taking the first lock and the second: the
//! check uses it to make the two threads meet at the worst moment.
//!
//! Book: Part 4 › Deadlock and livelock (book/part4/19-deadlock-livelock.md)
//! Check: `cargo workbook check 14_lock_ordering`
// ANCHOR_END: statement

use parallel_workbook::sync::Mutex;

pub struct Account {
    pub id: u32,
    pub balance: Mutex<i64>,
}

/// Moves `amount` from one account to the other. TODO: make it deadlock-free.
pub fn transfer(from: &Account, to: &Account, amount: i64, pause: impl Fn()) {
    let mut source = from.balance.lock().unwrap();
    pause();
    let mut target = to.balance.lock().unwrap();
    *source -= amount;
    *target += amount;
}
