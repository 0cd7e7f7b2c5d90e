// Right, unusual: the larger id first (any fixed order will do), by turning a transfer the other way round into a negative one.

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
    if from.id < to.id {
        return transfer(to, from, -amount, pause);
    }
    let mut source = from.balance.lock().unwrap();
    pause();
    let mut target = to.balance.lock().unwrap();
    *source -= amount;
    *target += amount;
}
