// Right, unusual: a hand-written while loop around wait, and release wakes every waiter (each checks again; one gets the permit).

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
        while *free == 0 {
            free = self.released.wait(free).unwrap();
        }
        *free -= 1;
        Permit { semaphore: self }
    }

    fn release(&self) {
        let mut free = self.free.lock().unwrap();
        *free += 1;
        drop(free);
        self.released.notify_all();
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
