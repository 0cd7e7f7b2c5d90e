// ANCHOR: statement
//! # 18 · Two flags, one room
//!
//! Two threads share a room that only one may be in at a time, and no lock:
//! each thread has a flag. To go in, a thread raises its own flag, then
//! looks at the other's. If the other's is down, it goes in (`try_enter`
//! returns true); if it is up, the other may be in, so it lowers its own
//! flag again and stays out (false: it may try again later). `leave` lowers
//! the flag of the thread that was in.
//!
//! The protocol is right if the four steps of two threads happen in some
//! interleaving: whichever thread looks second sees the other's flag up. The
//! orderings below do not make them: both threads can read the other's flag
//! as down and go in together, the *store-buffering* outcome of chapter
//! 18.3. Fix `try_enter` so that the two threads are never in the room at
//! once. Keep the protocol: a thread alone gets in, and one that stays out
//! lowers its flag.
//!
//! The check runs two threads under loom, which tries every schedule and
//! models what each ordering allows a load to see (weak memory).
//!
//! Book: Part 4 › SeqCst and fences (book/part4/18-3-seqcst-and-fences.md)
//! Check: `cargo workbook check 12_store_buffering`
// ANCHOR_END: statement

use parallel_workbook::sync::atomic::{
    AtomicBool,
    Ordering::{Acquire, Relaxed, Release},
};

/// Raises `mine`, then looks at `theirs`: true if this thread may go in.
/// TODO: never true in both threads at once.
pub fn try_enter(mine: &AtomicBool, theirs: &AtomicBool) -> bool {
    mine.store(true, Release);
    if theirs.load(Acquire) {
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
