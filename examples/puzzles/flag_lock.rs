//! Puzzle: a flag used as a lock (chapter 18).
//!
//! "Wait until the flag is down, then raise it" is two atomic operations, and
//! two threads can both see it down. `compare_exchange` checks and raises in
//! one. `tests/loom.rs` (`flag_lock_*`) runs both under every schedule.

use parallel_workbook::sync::atomic::AtomicBool;
use parallel_workbook::sync::atomic::Ordering::{Acquire, Relaxed, Release};
use parallel_workbook::sync::hint::spin_loop;

/// A lock made of one `AtomicBool`: `true` while a thread holds it.
#[derive(Debug, Default)]
pub struct FlagLock {
    locked: AtomicBool,
}

impl FlagLock {
    // ANCHOR: broken
    /// Broken: a load, then a store. Both threads can load `false` before
    /// either stores `true`, and both go in.
    pub fn lock_with_load_then_store(&self) {
        while self.locked.load(Acquire) {
            spin_loop(); // someone holds it: try again
        }
        // ... the other thread can load `false` right here ...
        self.locked.store(true, Relaxed);
    }
    // ANCHOR_END: broken

    // ANCHOR: fixed
    /// Fixed: `compare_exchange` stores `true` only if the flag still holds
    /// `false`, in one indivisible step; of two threads, one succeeds.
    pub fn lock_with_compare_exchange(&self) {
        while self
            .locked
            .compare_exchange(false, true, Acquire, Relaxed)
            .is_err()
        {
            spin_loop();
        }
    }

    /// `Release` publishes what the holder wrote to whoever locks next
    /// (with its `Acquire`).
    pub fn unlock(&self) {
        self.locked.store(false, Release);
    }
    // ANCHOR_END: fixed
}
