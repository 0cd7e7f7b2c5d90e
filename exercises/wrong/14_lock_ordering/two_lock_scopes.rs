// Never holds both locks: takes the money out under one lock and puts it in under the other, so it is in flight in between.

use parallel_workbook::sync::Mutex;

pub struct Account {
    pub id: u32,
    pub balance: Mutex<i64>,
}

/// Moves `amount` from one account to the other, one lock at a time.
pub fn transfer(from: &Account, to: &Account, amount: i64, pause: impl Fn()) {
    if from.id == to.id {
        return;
    }
    {
        let mut source = from.balance.lock().unwrap();
        *source -= amount;
        pause();
    }
    let mut target = to.balance.lock().unwrap();
    *target += amount;
}
