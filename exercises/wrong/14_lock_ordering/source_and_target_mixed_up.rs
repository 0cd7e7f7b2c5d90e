// Locks the smaller id first, but then treats the first guard as the source whatever the direction.

use parallel_workbook::sync::Mutex;

pub struct Account {
    pub id: u32,
    pub balance: Mutex<i64>,
}

/// Moves `amount` from one account to the other, without deadlock.
pub fn transfer(from: &Account, to: &Account, amount: i64, pause: impl Fn()) {
    if from.id == to.id {
        return;
    }
    let (first, second) = if from.id < to.id {
        (from, to)
    } else {
        (to, from)
    };
    let mut source = first.balance.lock().unwrap();
    pause();
    let mut target = second.balance.lock().unwrap();
    *source -= amount;
    *target += amount;
}
