//! Two threads increment an `AtomicU64` with a load, then a store: a race
//! condition, and no data race.
//!
//!     bash labs/data-race/run.sh           # under Miri and ThreadSanitizer
//!     cargo run --release --manifest-path labs/data-race/Cargo.toml --bin safe_counter -- 10000000
#![forbid(unsafe_code)]

use data_race_lab::{increments_from_args, safe_counter, with_two_threads};
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};

fn main() {
    let increments = increments_from_args();
    let count = AtomicU64::new(0);
    with_two_threads(increments, || safe_counter::increment(&count));
    println!(
        "safe_counter: {} of {}",
        count.load(Relaxed),
        2 * increments
    );
}
