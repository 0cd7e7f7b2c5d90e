// Waits under `if`, not `while`: after a wake-up (spurious, or another thread took the permit first) it takes a permit without checking again.

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
        let mut free = self.free.lock().unwrap();
        if *free == 0 {
            free = self.released.wait(free).unwrap();
        }
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
