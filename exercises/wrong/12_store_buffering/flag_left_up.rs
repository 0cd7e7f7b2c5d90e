// SeqCst raise and look, but a thread that stays out leaves its flag up: after one collision nobody can ever go in.

use parallel_workbook::sync::atomic::{
    AtomicBool,
    Ordering::{Release, SeqCst},
};

/// Raises `mine`, then looks at `theirs`: true if this thread may go in.
pub fn try_enter(mine: &AtomicBool, theirs: &AtomicBool) -> bool {
    mine.store(true, SeqCst);
    // The other thread may be in: stay out (and the flag stays up).
    !theirs.load(SeqCst)
}

/// Leaves the room: lowers `mine`.
pub fn leave(mine: &AtomicBool) {
    mine.store(false, Release);
}
