//! The facade of `--features model`: `std`'s API, with each object created
//! in the backend that is current on its OS thread when it is made.
//!
//! - Outside a model run, the backend is `std`, with one difference std
//!   allows: [`Condvar::wait`] sometimes returns at once, without a
//!   notification (a *spurious wake-up*), so that code which does not check
//!   its condition again after waking fails under stress too.
//! - Inside [`model::Model::check`], the backend is shuttle or loom. Both run
//!   every model thread on the OS thread that called them, one at a time, so
//!   a thread-local flag tells every operation which backend it is in. Each
//!   operation is recorded (after it happened: both checkers switch threads
//!   only *before* an operation, so the record is in the true order; a wait,
//!   which a checker may interrupt before it starts waiting, is recorded when
//!   it ends) for the failing schedule's steps.
//! - Under loom, each atomic operation and fence also knows where its
//!   ordering was written (`#[track_caller]`), so that a check can list the
//!   orderings the code used and run it again with one of them weakened
//!   ([`model::Model::weakest_orderings_in`]).
//!
//! What differs from `std`: `new` is not `const` (the backend is chosen at
//! run time), so a facade type cannot initialise a `static`; `Mutex<T>`
//! needs `T: Sized`; `thread::scope` leaks one small allocation per call (the
//! scope's handle must live as long as the scope, and only `std` can make
//! one that does); loom has no scoped threads, no `sync_channel` and no
//! sleep (a sleep is a yield there); the 8-byte atomics are exactly 128 bytes
//! longer than `std`'s, so that a check can work out the size a learner's
//! type would have with `std` (`atomics::layout_padding`).

mod atomics;
mod channel;
mod lock;
pub mod model;
mod signal;
mod threads;

pub use lock::{Mutex, MutexGuard, RwLock, RwLockReadGuard, RwLockWriteGuard};
pub use signal::{Barrier, BarrierWaitResult, Condvar, WaitTimeoutResult};
pub use std::sync::{Arc, LockResult, OnceLock, PoisonError, TryLockError, TryLockResult, Weak};

/// Atomic types: `std`'s API, recorded and explored in a model run.
pub mod atomic {
    pub use super::atomics::{
        AtomicBool, AtomicI32, AtomicI64, AtomicIsize, AtomicU32, AtomicU64, AtomicUsize, fence,
    };
    pub use std::sync::atomic::{Ordering, compiler_fence};
}

/// Channels: `std::sync::mpsc`'s API.
pub mod mpsc {
    pub use super::channel::{
        IntoIter, Iter, Receiver, Sender, SyncSender, TryIter, channel, sync_channel,
    };
    pub use std::sync::mpsc::{RecvError, RecvTimeoutError, SendError, TryRecvError, TrySendError};
}

/// Threads: `std::thread`'s API.
pub mod thread {
    pub use super::threads::{
        Builder, JoinHandle, Scope, ScopedJoinHandle, Thread, ThreadId, current, park,
        park_timeout, scope, sleep, spawn, yield_now,
    };
    pub use std::thread::{Result, available_parallelism, panicking};
}

/// `spin_loop`: in a model run, also a hint that lets another thread run, so
/// that a model with a spin loop ends.
pub mod hint {
    use super::model::{Backend, backend};

    pub fn spin_loop() {
        match backend() {
            Backend::Std => std::hint::spin_loop(),
            Backend::Shuttle => shuttle::hint::spin_loop(),
            Backend::Loom => loom::hint::spin_loop(),
        }
    }
}
