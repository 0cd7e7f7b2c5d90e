// Orders the locks by id, but a transfer to the same account locks its Mutex twice.

use parallel_workbook::sync::Mutex;

pub struct Account {
    pub id: u32,
    pub balance: Mutex<i64>,
}

/// Moves `amount` from one account to the other, without deadlock.
pub fn transfer(from: &Account, to: &Account, amount: i64, pause: impl Fn()) {
    if from.id < to.id {
        let mut source = from.balance.lock().unwrap();
        pause();
        let mut target = to.balance.lock().unwrap();
        *source -= amount;
        *target += amount;
    } else {
        let mut target = to.balance.lock().unwrap();
        pause();
        let mut source = from.balance.lock().unwrap();
        *source -= amount;
        *target += amount;
    }
}
