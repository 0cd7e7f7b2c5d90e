// Right, unusual: raises with swap(true, SeqCst) and looks with load(SeqCst); stays out by lowering with SeqCst too.

use parallel_workbook::sync::atomic::{AtomicBool, Ordering::SeqCst};

/// Raises `mine`, then looks at `theirs`: true if this thread may go in.
pub fn try_enter(mine: &AtomicBool, theirs: &AtomicBool) -> bool {
    mine.swap(true, SeqCst);
    if theirs.load(SeqCst) {
        mine.store(false, SeqCst);
        false
    } else {
        true
    }
}

/// Leaves the room: lowers `mine`.
pub fn leave(mine: &AtomicBool) {
    mine.store(false, SeqCst);
}
