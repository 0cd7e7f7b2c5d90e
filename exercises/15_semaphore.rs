// ANCHOR: statement
//! # 08 · Semaphore
//!
//! A semaphore lets at most `permits` threads into a region at once. `std`
//! has none; build one from a `Mutex` and a `Condvar`.
//!
//! - `Semaphore::new(permits)`: that many permits are free.
//! - `acquire`: wait until a permit is free, take it, and return a `Permit`.
//!   While no permit is free, wait on the `Condvar` (no busy loop, no sleep).
//! - `release` (called when a `Permit` is dropped): give the permit back and
//!   wake one waiting thread.
//!
//! A waiting thread can wake up with no permit free (another thread took it
//! first, or a spurious wake-up): check the count again after every wait.
//!
//! Book: Part 4 › Semaphores (book/part4/20-semaphores.md)
//! Check: `cargo workbook check 15_semaphore`
// ANCHOR_END: statement

/// A counting semaphore.
pub struct Semaphore {
    // TODO: the number of free permits in a Mutex, and a Condvar to wait on.
}

impl Semaphore {
    pub fn new(permits: usize) -> Self {
        todo!("a semaphore with {permits} free permits")
    }

    /// Waits for a free permit and takes it. Dropping the `Permit` gives it back.
    pub fn acquire(&self) -> Permit<'_> {
        // TODO: wait while no permit is free, then take one.
        todo!("wait for a permit")
    }

    fn release(&self) {
        // TODO: give the permit back and wake one waiting thread.
        todo!("give a permit back")
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
