// A version counter next to the head, checked before the compare_exchange: the check and the compare_exchange are two steps, and the ABA fits between them.

use parallel_workbook::sync::atomic::{
    AtomicU32, AtomicU64,
    Ordering::{Acquire, Relaxed, Release},
};

/// The `next` of the last slot on the stack, and the head of an empty one.
const END: u32 = u32::MAX;

/// The free slots of a pool, in a lock-free stack.
pub struct FreeList {
    /// The slot on top of the stack (END if none).
    head: AtomicU64,
    /// Slot k's `next`: the slot below it on the stack.
    next: Box<[AtomicU32]>,
    /// How many times a slot was taken.
    version: AtomicU32,
}

impl FreeList {
    /// A pool of `slots` slots, all free: 0 on top, then 1, 2, ...
    pub fn with_slots(slots: usize) -> FreeList {
        assert!(slots < END as usize, "at most {} slots", END - 1);
        let next = (0..slots)
            .map(|k| AtomicU32::new(if k + 1 < slots { k as u32 + 1 } else { END }))
            .collect();
        let top = if slots > 0 { 0 } else { END };
        FreeList {
            head: AtomicU64::new(u64::from(top)),
            next,
            version: AtomicU32::new(0),
        }
    }

    /// Takes a free slot, or None if every slot is in use.
    pub fn take(&self) -> Option<usize> {
        loop {
            let version = self.version.load(Acquire);
            let head = self.head.load(Acquire);
            let top = head as u32;
            if top == END {
                return None;
            }
            let below = self.next[top as usize].load(Relaxed);
            // Only if nobody took a slot since we read the version.
            if self.version.load(Acquire) != version {
                continue;
            }
            if self
                .head
                .compare_exchange_weak(head, u64::from(below), Acquire, Acquire)
                .is_ok()
            {
                self.version.fetch_add(1, Release);
                return Some(top as usize);
            }
        }
    }

    /// Gives back a slot taken from this pool.
    pub fn give_back(&self, slot: usize) {
        let mut head = self.head.load(Relaxed);
        loop {
            self.next[slot].store(head as u32, Relaxed);
            match self
                .head
                .compare_exchange_weak(head, slot as u64, Release, Relaxed)
            {
                Ok(_) => return,
                Err(now) => head = now,
            }
        }
    }
}
