//! Puzzle: a `Condvar` wait under `if` instead of `while` (chapter 21).
//!
//! A producer pushes two items, one at a time; two consumers take one each.
//! A consumer woken by the first push can find the queue empty again: the
//! other consumer got there first. `tests/loom.rs` (`condvar_*`) runs both.

use parallel_workbook::sync::{Condvar, Mutex};
use std::collections::VecDeque;

/// A queue that consumers can sleep on until it has an item.
#[derive(Debug, Default)]
pub struct Queue {
    items: Mutex<VecDeque<u32>>,
    not_empty: Condvar,
}

impl Queue {
    // ANCHOR: push
    /// Adds an item and wakes one sleeping consumer, if there is one.
    pub fn push(&self, item: u32) {
        let mut items = self.items.lock().unwrap();
        items.push_back(item);
        self.not_empty.notify_one();
    }
    // ANCHOR_END: push

    // ANCHOR: broken
    /// Broken: waits at most once, then assumes the queue has an item.
    pub fn pop_waiting_under_if(&self) -> u32 {
        let mut items = self.items.lock().unwrap();
        if items.is_empty() {
            items = self.not_empty.wait(items).unwrap();
        }
        // Woken up, and the lock is ours again. But another consumer may have
        // taken the item between the notification and now.
        items.pop_front().expect("woke up to an empty queue")
    }
    // ANCHOR_END: broken

    // ANCHOR: fixed
    /// Fixed: checks again after every wake-up, and sleeps again if another
    /// consumer was first. (`Condvar::wait_while` is this loop.)
    pub fn pop_waiting_in_a_loop(&self) -> u32 {
        let mut items = self.items.lock().unwrap();
        while items.is_empty() {
            items = self.not_empty.wait(items).unwrap();
        }
        items
            .pop_front()
            .expect("the loop ends only when an item is there")
    }
    // ANCHOR_END: fixed
}
