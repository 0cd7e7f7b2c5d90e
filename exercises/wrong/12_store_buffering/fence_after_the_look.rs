// A SeqCst fence, but after the look: nothing orders the raise before the load.

use parallel_workbook::sync::atomic::{
    AtomicBool,
    Ordering::{Relaxed, Release, SeqCst},
    fence,
};

/// Raises `mine`, then looks at `theirs`: true if this thread may go in.
pub fn try_enter(mine: &AtomicBool, theirs: &AtomicBool) -> bool {
    mine.store(true, Relaxed);
    let theirs_up = theirs.load(Relaxed);
    fence(SeqCst);
    if theirs_up {
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
