//! Puzzle: check, then act, across two lock scopes (chapter 16).
//!
//! Two threads each withdraw 60 from a balance of 100. Only one should get
//! the money. `tests/loom.rs` (`withdraw_*`) runs both versions under every
//! schedule; the widget in the chapter lets you play them.

use parallel_workbook::sync::Mutex;

// ANCHOR: broken
/// Withdraws `amount` if the balance covers it, and says whether it did.
///
/// Broken: the check and the withdrawal are two critical sections. Between
/// them the lock is free, and the other thread can withdraw first.
pub fn withdraw_in_two_lock_scopes(balance: &Mutex<i64>, amount: i64) -> bool {
    let enough = *balance.lock().unwrap() >= amount; // the guard is dropped here
    // ... the other thread can take the lock right here ...
    if enough {
        *balance.lock().unwrap() -= amount;
    }
    enough
}
// ANCHOR_END: broken

// ANCHOR: fixed
/// The same, with one guard held from the check to the withdrawal.
pub fn withdraw_in_one_lock_scope(balance: &Mutex<i64>, amount: i64) -> bool {
    let mut balance = balance.lock().unwrap();
    let enough = *balance >= amount;
    if enough {
        *balance -= amount;
    }
    enough
}
// ANCHOR_END: fixed
