// SeqCst everywhere, but it looks at the other flag before it raises its own: two threads can both look, then both raise.

use parallel_workbook::sync::atomic::{
    AtomicBool,
    Ordering::{Release, SeqCst},
};

/// Raises `mine`, then looks at `theirs`: true if this thread may go in.
pub fn try_enter(mine: &AtomicBool, theirs: &AtomicBool) -> bool {
    if theirs.load(SeqCst) {
        // The other thread may be in: stay out.
        false
    } else {
        mine.store(true, SeqCst);
        true
    }
}

/// Leaves the room: lowers `mine`.
pub fn leave(mine: &AtomicBool) {
    mine.store(false, Release);
}
