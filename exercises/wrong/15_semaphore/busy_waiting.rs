// Busy-waits: while no permit is free it unlocks, spins and checks again, instead of sleeping on the Condvar.

use parallel_workbook::sync::hint::spin_loop;
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

    pub fn acquire(&self) -> Permit<'_> {
        loop {
            let mut free = self.free.lock().unwrap();
            if *free > 0 {
                *free -= 1;
                return Permit { semaphore: self };
            }
            drop(free);
            spin_loop();
        }
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
