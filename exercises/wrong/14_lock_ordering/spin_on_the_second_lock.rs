// Keeps the first lock and retries try_lock on the second until it works: the other transfer does the same.

use parallel_workbook::sync::Mutex;
use parallel_workbook::sync::hint::spin_loop;

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
    let mut target = loop {
        if let Ok(guard) = to.balance.try_lock() {
            break guard;
        }
        spin_loop();
    };
    *source -= amount;
    *target += amount;
}
