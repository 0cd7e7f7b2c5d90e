//! # 10 · Lock ordering (solution)
//!
//! Whatever the direction, both threads first lock the account with the
//! smaller id. The second thread waits for that first lock while holding
//! nothing, so nobody ever holds one lock while waiting for a lock held by
//! someone who waits for theirs.

use parallel_workbook::sync::Mutex;

pub struct Account {
    pub id: u32,
    pub balance: Mutex<i64>,
}

/// Moves `amount` from one account to the other, without deadlock.
pub fn transfer(from: &Account, to: &Account, amount: i64, pause: impl Fn()) {
    if from.id == to.id {
        return; // to itself: nothing changes, and one Mutex cannot be locked twice
    }
    let (first, second) = if from.id < to.id {
        (from, to)
    } else {
        (to, from)
    };
    let mut first_balance = first.balance.lock().unwrap();
    pause();
    let mut second_balance = second.balance.lock().unwrap();
    let (source, target) = if from.id < to.id {
        (&mut first_balance, &mut second_balance)
    } else {
        (&mut second_balance, &mut first_balance)
    };
    **source -= amount;
    **target += amount;
}
