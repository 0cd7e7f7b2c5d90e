// Tries the second lock, and when it is busy simply waits for it while still holding the first.

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
    let mut target = match to.balance.try_lock() {
        Ok(guard) => guard,
        Err(_) => to.balance.lock().unwrap(),
    };
    *source -= amount;
    *target += amount;
}
