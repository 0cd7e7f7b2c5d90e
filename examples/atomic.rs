//! An atomic f64 accumulator: compare-and-swap instead of a lock.
//!
//!     cargo run --release --example atomic -- --granularity item --compare
//!     cargo run --release --example atomic -- --granularity chunk --compare
//!
//! Correct either way; per item, the threads fight over one cache line.
//!
//! Also a module of examples/shared/strategies.rs, tests/race.rs and tests/loom.rs.

use parallel_workbook::cli;
use parallel_workbook::sync::atomic::{AtomicU64, Ordering::Relaxed};
use parallel_workbook::timeline::Track;
use parallel_workbook::{Granularity, GranularityFlag, Problem, chunks};
use std::thread;

// ANCHOR: atomic_add
/// Adds `term` to an f64 stored as bits in an `AtomicU64`.
///
/// There is no `fetch_add` for f64, so we loop: read the current bits,
/// compute the new sum, and store it only if nobody changed the value
/// meanwhile (compare-and-swap). If somebody did, `compare_exchange_weak`
/// fails, hands us the newer value, and we try again: no update is lost.
/// `Relaxed` suffices: only this one value is shared, nothing is published
/// through it.
pub fn atomic_add(total: &AtomicU64, term: f64) {
    let mut seen = total.load(Relaxed);
    loop {
        let new = (f64::from_bits(seen) + term).to_bits();
        match total.compare_exchange_weak(seen, new, Relaxed, Relaxed) {
            Ok(_) => return,
            Err(newer) => seen = newer,
        }
    }
}
// ANCHOR_END: atomic_add

// ANCHOR: integrate
pub fn integrate(problem: &Problem, threads: usize, granularity: Granularity) -> f64 {
    let total = AtomicU64::new(0.0f64.to_bits());
    thread::scope(|scope| {
        for chunk in chunks(problem.n, threads as u64) {
            let total = &total;
            // (`Track` records the chunk's start and end with --timeline; a
            // compare-and-swap never waits, so there is no wait to record.)
            scope.spawn(move || {
                Track::start().chunk(chunk, |chunk| match granularity {
                    Granularity::Item => {
                        for i in chunk {
                            atomic_add(total, Problem::f(problem.x(i)));
                        }
                    }
                    Granularity::Chunk => atomic_add(total, problem.sum_f(chunk)),
                })
            });
        }
    });
    f64::from_bits(total.load(Relaxed)) * problem.dx()
}
// ANCHOR_END: integrate

fn main() {
    let (args, own) =
        cli::parse::<GranularityFlag>("A compare-and-swap f64 accumulator", 10_000_000);
    let how = own.granularity;
    args.run(&format!("atomic/{how}"), |problem, t| {
        integrate(problem, t, how)
    });
}
