//! # 08 · Semaphore (solution)
//!
//! `Condvar::wait_while` releases the lock while it sleeps and re-checks the
//! condition after every wake-up, spurious or not.

use parallel_workbook::sync::{Condvar, Mutex};

/// A counting semaphore.
pub struct Semaphore {
    free: Mutex<usize>,
    released: Condvar,
}

impl Semaphore {
    pub fn new(permits: usize) -> Self {
        Self {
            free: Mutex::new(permits),
            released: Condvar::new(),
        }
    }

    /// Waits for a free permit and takes it. Dropping the `Permit` gives it back.
    pub fn acquire(&self) -> Permit<'_> {
        let free = self.free.lock().unwrap();
        let mut free = self.released.wait_while(free, |free| *free == 0).unwrap();
        *free -= 1;
        Permit { semaphore: self }
    }

    fn release(&self) {
        *self.free.lock().unwrap() += 1;
        self.released.notify_one();
    }
}

/// A taken permit; dropping it releases it.
pub struct Permit<'a> {
    semaphore: &'a Semaphore,
}

impl Drop for Permit<'_> {
    fn drop(&mut self) {
        self.semaphore.release();
    }
}
