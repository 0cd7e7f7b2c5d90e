// Looks at the other flag with fetch_or(false, Relaxed): "a read-modify-write always reads the newest value". It reads the last value in that flag's modification order, which may still be before the other thread's raise.

use parallel_workbook::sync::atomic::{
    AtomicBool,
    Ordering::{Relaxed, Release},
};

/// Raises `mine`, then looks at `theirs`: true if this thread may go in.
pub fn try_enter(mine: &AtomicBool, theirs: &AtomicBool) -> bool {
    mine.store(true, Relaxed);
    if theirs.fetch_or(false, Relaxed) {
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
