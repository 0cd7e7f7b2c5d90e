//! A race condition without a data race: every access is atomic, and an
//! update is still lost when both threads load before either stores. No
//! `unsafe`; Miri and ThreadSanitizer see nothing wrong; loom finds the lost
//! update (tests/loom.rs includes this file and builds it with loom's types).
#![forbid(unsafe_code)]

#[cfg(loom)]
use loom::sync::atomic::{AtomicU64, Ordering::Relaxed};
#[cfg(not(loom))]
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};

// ANCHOR: split
/// Adds 1 with two atomic steps: a load, then a store of what it loaded + 1.
pub fn increment(count: &AtomicU64) {
    let seen = count.load(Relaxed);
    count.store(seen + 1, Relaxed);
}
// ANCHOR_END: split
