// Right, unusual: Relaxed store and load, with a SeqCst fence between them (a fence orders every store before it against every load after it).

use parallel_workbook::sync::atomic::{
    AtomicBool,
    Ordering::{Relaxed, Release, SeqCst},
    fence,
};

/// Raises `mine`, then looks at `theirs`: true if this thread may go in.
pub fn try_enter(mine: &AtomicBool, theirs: &AtomicBool) -> bool {
    mine.store(true, Relaxed);
    fence(SeqCst);
    if theirs.load(Relaxed) {
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
