//! Two counters that two threads increment, each losing updates:
//!
//! - [`unsafe_counter`]: a `static mut`, written with no synchronization at
//!   all. A **data race**: undefined behaviour, which Miri and
//!   ThreadSanitizer report.
//! - [`safe_counter`]: an `AtomicU64`, read with one atomic operation and
//!   written back with another. A **race condition**: defined behaviour (a
//!   wrong count), invisible to both tools; a model checker finds it.
//!
//! Run both tools on both: `bash labs/data-race/run.sh` (needs nightly).

use std::sync::Barrier;
use std::thread;

pub mod safe_counter;
pub mod unsafe_counter;

// ANCHOR: two_threads
/// Runs `increment` `increments` times on each of two threads. Both threads
/// first meet at a barrier, so that both are alive while they increment.
/// (ThreadSanitizer judges the run it watches. Without the barrier, a
/// thousand increments take microseconds, the first thread often ended
/// before the second began, and ThreadSanitizer reported nothing in our
/// runs; with it, it reported the race in every run.)
pub fn with_two_threads(increments: u64, increment: impl Fn() + Sync) {
    let start = Barrier::new(2);
    thread::scope(|s| {
        for _ in 0..2 {
            s.spawn(|| {
                start.wait();
                for _ in 0..increments {
                    increment();
                }
            });
        }
    });
}
// ANCHOR_END: two_threads

/// Increments per thread when no count is given on the command line: small,
/// because Miri interprets every step of the program.
pub const DEFAULT_INCREMENTS: u64 = 1000;

/// The count given as the program's first argument, or the default. Bad
/// input is a one-line error and exit code 2.
pub fn increments_from_args() -> u64 {
    match std::env::args().nth(1) {
        None => DEFAULT_INCREMENTS,
        Some(text) => match text.parse::<u64>() {
            Ok(n) if (1..=1_000_000_000).contains(&n) => n,
            _ => {
                eprintln!("error: '{text}': give the increments per thread, 1 to 1000000000");
                std::process::exit(2);
            }
        },
    }
}
