// Keeps the count in an atomic and checks it with a load before a separate fetch_sub: two threads can both take the last permit.

use parallel_workbook::sync::atomic::{AtomicUsize, Ordering::SeqCst};
use parallel_workbook::sync::{Condvar, Mutex};

/// A counting semaphore.
pub struct Semaphore {
    free: AtomicUsize,
    lock: Mutex<()>,
    released: Condvar,
}

impl Semaphore {
    pub fn new(permits: usize) -> Self {
        Self {
            free: AtomicUsize::new(permits),
            lock: Mutex::new(()),
            released: Condvar::new(),
        }
    }

    pub fn acquire(&self) -> Permit<'_> {
        let mut guard = self.lock.lock().unwrap();
        while self.free.load(SeqCst) == 0 {
            guard = self.released.wait(guard).unwrap();
        }
        drop(guard);
        self.free.fetch_sub(1, SeqCst);
        Permit { semaphore: self }
    }

    fn release(&self) {
        self.free.fetch_add(1, SeqCst);
        let _guard = self.lock.lock().unwrap();
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
