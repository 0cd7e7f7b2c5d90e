// Right, unusual: no lock order; when the second lock is busy it lets go of the first, yields and starts over, so it never waits while holding a lock.

use parallel_workbook::sync::{Mutex, thread};

pub struct Account {
    pub id: u32,
    pub balance: Mutex<i64>,
}

/// Moves `amount` from one account to the other, backing off instead of waiting.
pub fn transfer(from: &Account, to: &Account, amount: i64, pause: impl Fn()) {
    if from.id == to.id {
        return;
    }
    loop {
        let mut source = from.balance.lock().unwrap();
        pause();
        if let Ok(mut target) = to.balance.try_lock() {
            *source -= amount;
            *target += amount;
            return;
        }
        drop(source);
        thread::yield_now();
    }
}
