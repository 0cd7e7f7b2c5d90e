// A compiler_fence(SeqCst) between the raise and the look: it keeps the compiler from swapping them, not the processor.

use parallel_workbook::sync::atomic::{
    AtomicBool,
    Ordering::{Relaxed, Release, SeqCst},
    compiler_fence,
};

/// Raises `mine`, then looks at `theirs`: true if this thread may go in.
pub fn try_enter(mine: &AtomicBool, theirs: &AtomicBool) -> bool {
    mine.store(true, Relaxed);
    compiler_fence(SeqCst);
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
