// When the second lock is busy, lets go of the first and retries in the opposite order, blocking.

use parallel_workbook::sync::Mutex;

pub struct Account {
    pub id: u32,
    pub balance: Mutex<i64>,
}

/// Moves `amount` from one account to the other.
pub fn transfer(from: &Account, to: &Account, amount: i64, pause: impl Fn()) {
    if from.id == to.id {
        return;
    }
    let mut source = from.balance.lock().unwrap();
    pause();
    if let Ok(mut target) = to.balance.try_lock() {
        *source -= amount;
        *target += amount;
        return;
    }
    drop(source);
    let mut target = to.balance.lock().unwrap();
    pause();
    let mut source = from.balance.lock().unwrap();
    *source -= amount;
    *target += amount;
}
