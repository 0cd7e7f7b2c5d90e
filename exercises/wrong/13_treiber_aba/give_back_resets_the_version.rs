// A version in the head, bumped by take, but give_back links its slot with version 0: a head can come back with the version it had.

use parallel_workbook::sync::atomic::{
    AtomicU32, AtomicU64,
    Ordering::{Acquire, Relaxed, Release},
};

/// The `next` of the last slot on the stack, and the head of an empty one.
const END: u32 = u32::MAX;

/// The top slot and a version, in one `u64`: one compare-exchange checks both.
fn pack(top: u32, version: u32) -> u64 {
    (u64::from(version) << 32) | u64::from(top)
}

fn unpack(head: u64) -> (u32, u32) {
    (head as u32, (head >> 32) as u32)
}

/// The free slots of a pool, in a lock-free stack.
pub struct FreeList {
    /// The slot on top of the stack (END if none), and the version: how many
    /// times a slot was taken (it wraps after 2³²).
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
            head: AtomicU64::new(pack(top, 0)),
            next,
        }
    }

    /// Takes a free slot, or None if every slot is in use.
    pub fn take(&self) -> Option<usize> {
        let mut head = self.head.load(Acquire);
        loop {
            let (top, version) = unpack(head);
            if top == END {
                return None;
            }
            let below = self.next[top as usize].load(Relaxed);
            // A new version: the head that comes back to `top` later is not
            // the one read here.
            let new = pack(below, version.wrapping_add(1));
            match self.head.compare_exchange_weak(head, new, Acquire, Acquire) {
                Ok(_) => return Some(top as usize),
                Err(now) => head = now,
            }
        }
    }

    /// Gives back a slot taken from this pool.
    pub fn give_back(&self, slot: usize) {
        let mut head = self.head.load(Relaxed);
        loop {
            let (top, version) = unpack(head);
            self.next[slot].store(top, Relaxed);
            let _ = version;
            let new = pack(slot as u32, 0);
            match self.head.compare_exchange_weak(head, new, Release, Relaxed) {
                Ok(_) => return,
                Err(now) => head = now,
            }
        }
    }
}
