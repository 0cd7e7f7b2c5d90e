// Every operation Relaxed: "the flags are atomics, so each thread sees the other's".

use parallel_workbook::sync::atomic::{AtomicBool, Ordering::Relaxed};

/// Raises `mine`, then looks at `theirs`: true if this thread may go in.
pub fn try_enter(mine: &AtomicBool, theirs: &AtomicBool) -> bool {
    mine.store(true, Relaxed);
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
    mine.store(false, Relaxed);
}
