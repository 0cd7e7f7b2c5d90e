//! Puzzle: a lost wake-up (chapter 21).
//!
//! One thread waits for a signal, another sends it. Sent before the first
//! thread waits, a bare notification reaches nobody, and the waiter sleeps
//! forever. A flag remembers it. `tests/loom.rs` (`lost_wakeup_*`) runs both.

use parallel_workbook::sync::{Condvar, Mutex};

// ANCHOR: broken
/// Broken: a notification and nothing else. `notify_one` wakes a thread
/// that is waiting now; nothing remembers it for a thread that waits later.
#[derive(Debug, Default)]
pub struct NotifyOnly {
    lock: Mutex<()>,
    signal: Condvar,
}

impl NotifyOnly {
    pub fn send(&self) {
        let _guard = self.lock.lock().unwrap();
        self.signal.notify_one();
    }

    pub fn wait(&self) {
        let guard = self.lock.lock().unwrap();
        let _guard = self.signal.wait(guard).unwrap();
    }
}
// ANCHOR_END: broken

// ANCHOR: fixed
/// Fixed: the signal is a flag in the mutex; the `Condvar` only says "look
/// again". A waiter that comes late finds the flag set and does not sleep.
#[derive(Debug, Default)]
pub struct FlagAndNotify {
    sent: Mutex<bool>,
    signal: Condvar,
}

impl FlagAndNotify {
    pub fn send(&self) {
        let mut sent = self.sent.lock().unwrap();
        *sent = true;
        self.signal.notify_one();
    }

    pub fn wait(&self) {
        let mut sent = self.sent.lock().unwrap();
        while !*sent {
            sent = self.signal.wait(sent).unwrap();
        }
    }
}
// ANCHOR_END: fixed
