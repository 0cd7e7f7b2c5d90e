// Right, unusual: the slot in the high bits and the count of takes in the low ones, and take written with fetch_update (the compare_exchange loop, with the next read again on every try).

use parallel_workbook::sync::atomic::{
    AtomicU32, AtomicU64,
    Ordering::{Acquire, Relaxed, Release},
};

/// The head: the top slot in the high 32 bits, a count of takes in the low.
fn head_of(top: u32, takes: u32) -> u64 {
    (u64::from(top) << 32) | u64::from(takes)
}

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
            head: AtomicU64::new(head_of(top, 0)),
            next,
        }
    }

    /// Takes a free slot, or None if every slot is in use.
    pub fn take(&self) -> Option<usize> {
        // fetch_update is the compare_exchange loop, written for us: the
        // closure runs again with the new head after every failure.
        self.head
            .fetch_update(Acquire, Acquire, |head| {
                let (top, takes) = ((head >> 32) as u32, head as u32);
                (top != END).then(|| {
                    let below = self.next[top as usize].load(Relaxed);
                    head_of(below, takes.wrapping_add(1))
                })
            })
            .ok()
            .map(|head| (head >> 32) as usize)
    }

    /// Gives back a slot taken from this pool.
    pub fn give_back(&self, slot: usize) {
        let mut head = self.head.load(Relaxed);
        loop {
            self.next[slot].store((head >> 32) as u32, Relaxed);
            let linked = head_of(slot as u32, head as u32);
            match self
                .head
                .compare_exchange_weak(head, linked, Release, Relaxed)
            {
                Ok(_) => return,
                Err(now) => head = now,
            }
        }
    }
}
