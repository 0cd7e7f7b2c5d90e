// Check, then act: waits for a free permit under one lock, then takes it under another, so two threads can both see the last permit free.

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
        {
            let free = self.free.lock().unwrap();
            let _free = self.released.wait_while(free, |free| *free == 0).unwrap();
        }
        // A permit is free: take it.
        *self.free.lock().unwrap() -= 1;
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
