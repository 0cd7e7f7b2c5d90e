//! A data race: two threads add to a `static mut` with no synchronization.
//! Undefined behaviour. Rust makes you write `unsafe` to do it, and both
//! Miri and ThreadSanitizer report it.

// ANCHOR: static_mut
static mut COUNT: u64 = 0;

/// Adds 1 to `COUNT`.
pub fn increment() {
    // SAFETY: none. Two threads run this at once: a data race, on purpose,
    // for the tools to find.
    unsafe { COUNT += 1 };
}
// ANCHOR_END: static_mut

/// `COUNT`, once the threads that increment it have been joined.
pub fn count() -> u64 {
    // SAFETY: called after `with_two_threads` returns: every thread that
    // wrote COUNT has been joined, and nothing else touches it.
    unsafe { COUNT }
}
