//! # 18 · Two flags, one room (solution)
//!
//! Each thread *stores* its flag, then *loads a different atomic*, and needs
//! the other thread, which does the same the other way round, to see the two
//! in that order. `Release` and `Acquire` cannot give that: a load that reads
//! the other's starting `false` reads no `Release` store, so nothing
//! synchronizes. `SeqCst` on the store and the load puts all four in one
//! total order, in which whichever load comes last comes after both stores,
//! and reads `true`.

use parallel_workbook::sync::atomic::{
    AtomicBool,
    Ordering::{Relaxed, Release, SeqCst},
};

/// Raises `mine`, then looks at `theirs`: true if this thread may go in.
pub fn try_enter(mine: &AtomicBool, theirs: &AtomicBool) -> bool {
    // SeqCst on both: the raise and the look take part in one total order.
    mine.store(true, SeqCst);
    if theirs.load(SeqCst) {
        // The other thread may be in: stay out, and say so by lowering the flag.
        mine.store(false, Relaxed);
        false
    } else {
        true
    }
}

/// Leaves the room: lowers `mine`.
pub fn leave(mine: &AtomicBool) {
    mine.store(false, Release);
}
