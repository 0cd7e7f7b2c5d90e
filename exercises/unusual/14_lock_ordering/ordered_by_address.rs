// Right, unusual: orders the two locks by the accounts' addresses in memory instead of their ids, and spots the same account by its address too.

use std::ptr;

use parallel_workbook::sync::Mutex;

pub struct Account {
    pub id: u32,
    pub balance: Mutex<i64>,
}

/// Moves `amount` from one account to the other, without deadlock.
pub fn transfer(from: &Account, to: &Account, amount: i64, pause: impl Fn()) {
    if ptr::eq(from, to) {
        return;
    }
    let from_first = ptr::from_ref(from) < ptr::from_ref(to);
    let (first, second) = if from_first { (from, to) } else { (to, from) };
    let mut first_balance = first.balance.lock().unwrap();
    pause();
    let mut second_balance = second.balance.lock().unwrap();
    let delta = if from_first { -amount } else { amount };
    *first_balance += delta;
    *second_balance -= delta;
}
