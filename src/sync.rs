//! The synchronization types the examples and the exercises use, from one
//! place, so that a model checker can stand in for `std`.
//!
//! A model checker can only explore interleavings of operations it can see,
//! so code that should be model-checked must use its types. This module is
//! the one place that switches; code imports
//! `parallel_workbook::sync::{Mutex, thread}` and never names a backend.
//! There are three builds:
//!
//! - **Plain** (every `cargo run --example`, the default): `std`'s own types,
//!   re-exported. Nothing heavy is compiled.
//! - **`--cfg loom`** (`tests/loom.rs`): loom's types, re-exported. Every
//!   model in that build is a loom model.
//! - **`--features model`** (only the exercises' checks ask for it): the
//!   facade of `src/sync/facade.rs`, whose types decide *at run time*, per
//!   object, where their operations go. Outside a model run they are
//!   `std`'s; inside `model::Model::check` they are shuttle's or loom's, and
//!   every operation is recorded, so that a failing schedule can be shown
//!   step by step. One check program can so run the learner's code on real
//!   threads and under a model checker. See `exercises/checks/README.md`.

// ANCHOR: switch
#[cfg(all(not(loom), not(feature = "model")))]
pub use std::sync::{
    Arc, Barrier, BarrierWaitResult, Condvar, LockResult, Mutex, MutexGuard, PoisonError, RwLock,
    RwLockReadGuard, RwLockWriteGuard, TryLockError, TryLockResult, WaitTimeoutResult, mpsc,
};
#[cfg(all(not(loom), not(feature = "model")))]
pub use std::{hint, sync::atomic, thread};

#[cfg(loom)]
pub use loom::sync::{Arc, Condvar, Mutex, MutexGuard, RwLock, mpsc};
#[cfg(loom)]
pub use loom::{hint, sync::atomic, thread};
// ANCHOR_END: switch

#[cfg(all(not(loom), feature = "model"))]
mod facade;
#[cfg(all(not(loom), feature = "model"))]
pub use facade::*;

/// For the exercises' checks, which also build without the facade
/// (`distributed/` includes their shared helpers): installs the panic hook
/// of model runs now, before a test's code runs (see
/// `model::install_panic_hook`). Without `--features model` there are no
/// model runs, and this does nothing.
pub fn install_model_panic_hook() {
    #[cfg(all(not(loom), feature = "model"))]
    facade::model::install_panic_hook();
}
