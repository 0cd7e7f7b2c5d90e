// Right, unusual: reads under the lock, pauses unlocked, then writes back only if nobody added meanwhile; otherwise it starts over.

use parallel_workbook::sync::Mutex;

/// The shared running total, and how many terms it holds.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Total {
    pub sum: f64,
    pub updates: u64,
}

/// Adds `term` to the shared total, losing no update.
pub fn add(total: &Mutex<Total>, term: f64, pause: impl Fn()) {
    loop {
        let seen = *total.lock().unwrap();
        pause();
        let mut guard = total.lock().unwrap();
        if guard.updates == seen.updates {
            *guard = Total {
                sum: seen.sum + term,
                updates: seen.updates + 1,
            };
            return;
        }
    }
}
