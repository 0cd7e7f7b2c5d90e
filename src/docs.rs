//! The book's code snippets that are not examples, tested as doctests.
//!
//! Each snippet lives in its own file under `src/docs/`: one fenced Rust
//! block in a Markdown file. rustdoc tests it here (a `compile_fail,E0xxx`
//! block must fail to compile with that error), and the book shows the same
//! file with `{{#include ../../src/docs/NAME.md}}`, so no snippet is written
//! twice. Run them with `cargo test --doc`.
//!
//! The modules below are empty: they exist to carry the snippets.

/// Part 3, topic 13: a spawned thread may not borrow a local mutably.
#[doc = include_str!("docs/naive_spawn.md")]
pub mod naive_spawn {}

/// Part 3, topic 13: two scoped threads may not both hold `&mut total`.
#[doc = include_str!("docs/naive_scoped.md")]
pub mod naive_scoped {}

/// Part 3, topic 13: `move` hands each thread its own copy of an `f64`.
#[doc = include_str!("docs/move_copies.md")]
pub mod move_copies {}

/// Part 3, topic 13: `Rc` is not `Send`.
#[doc = include_str!("docs/rc_not_send.md")]
pub mod rc_not_send {}

/// Part 3, topic 13: `Cell` is not `Sync`.
#[doc = include_str!("docs/cell_not_sync.md")]
pub mod cell_not_sync {}

/// Part 3, topic 13: a race condition in safe Rust: atomic load, then store.
#[doc = include_str!("docs/split_atomic.md")]
pub mod split_atomic {}

/// Part 3, topic 13: check-then-act, with the bad interleaving forced.
#[doc = include_str!("docs/check_then_act.md")]
pub mod check_then_act {}

/// Part 3, topic 13: check and act in one atomic step.
#[doc = include_str!("docs/check_then_act_fixed.md")]
pub mod check_then_act_fixed {}

/// Part 3, topic 14: a `Barrier` forces the lost update every time.
#[doc = include_str!("docs/forced_lost_update.md")]
pub mod forced_lost_update {}

/// Part 4, topic 16: `Arc<Mutex<T>>` with `thread::spawn`, next to the scoped version.
#[doc = include_str!("docs/arc_mutex_spawn.md")]
pub mod arc_mutex_spawn {}

/// Part 3, topic 15: floating-point addition is not associative.
#[doc = include_str!("docs/not_associative.md")]
pub mod not_associative {}

/// Part 4, topic 32: `OnceLock` computes a value once and publishes it to every thread.
#[doc = include_str!("docs/once_lock.md")]
pub mod once_lock {}

/// Part 4, topic 32: `LazyLock`, the same with the closure in the static.
#[doc = include_str!("docs/lazy_lock.md")]
pub mod lazy_lock {}

/// Part 4, topic 32: `thread_local!`, one copy per thread.
#[doc = include_str!("docs/thread_local.md")]
pub mod thread_local {}
