// ANCHOR: statement
//! # 19 · An ABA-safe pop
//!
//! `FreeList` holds the free slots of a pool (slot numbers 0, 1, 2, ...) in
//! a Treiber stack: `take` pops a free slot for its caller to use, and
//! `give_back` pushes a slot the caller is done with. Every change of the
//! stack is one `compare_exchange` on `head`, so no thread ever waits for
//! another. The slots link to each other through `next`.
//!
//! `take` falls to the ABA problem (chapter 18.4). It reads the head (slot
//! a) and a's `next` (slot b), then compare-exchanges the head from a to b.
//! In between, another thread can take a, take b and give a back: the head
//! is a again, the compare-exchange succeeds, and b, which that thread still
//! holds, is back on the stack. Two callers then get slot b.
//!
//! Make `take` ABA-safe: a slot is never handed out twice and never lost,
//! whatever the schedule. Keep the stack lock-free. (`head` is a `u64`,
//! although a slot number fits in 32 bits.)
//!
//! The check runs the pool under loom, which tries every schedule of two
//! threads that take and give back slots, with the weak memory of your
//! orderings.
//!
//! Book: Part 4 › A lock-free stack, and the ABA problem (book/part4/18-4-lock-free.md)
//! Check: `cargo workbook check 13_treiber_aba`
// ANCHOR_END: statement

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
        }
    }

    /// Takes a free slot, or None if every slot is in use.
    /// TODO: ABA-safe.
    pub fn take(&self) -> Option<usize> {
        let mut head = self.head.load(Acquire);
        loop {
            let top = head as u32;
            if top == END {
                return None;
            }
            let below = self.next[top as usize].load(Relaxed);
            match self
                .head
                .compare_exchange_weak(head, u64::from(below), Acquire, Acquire)
            {
                Ok(_) => return Some(top as usize),
                Err(now) => head = now,
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
