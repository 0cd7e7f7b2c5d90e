//! The synchronization types the examples use: `std`'s, or loom's under `--cfg loom`.
//!
//! loom (a model checker) can only explore interleavings of operations it can
//! see, so code that should be model-checked must use loom's mock types. This
//! module is the one place that switches between the two; an example imports
//! `parallel_workbook::sync::atomic::AtomicU64` and gets `std`'s type in every
//! normal build. See `tests/loom.rs`.

#[cfg(not(loom))]
pub use std::sync::{Arc, Mutex};

#[cfg(loom)]
pub use loom::sync::{Arc, Mutex};

/// Atomic types: `std::sync::atomic`, or loom's mocks under `--cfg loom`.
pub mod atomic {
    #[cfg(not(loom))]
    pub use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

    #[cfg(loom)]
    pub use loom::sync::atomic::{AtomicBool, AtomicU64, Ordering};
}
