//! An atomic f64 accumulator: compare-and-swap instead of a lock.
//!
//!     cargo run --release --example atomic -- --granularity item --compare
//!     cargo run --release --example atomic -- --granularity chunk --compare
//!
//! Correct either way; per item, the threads fight over one cache line.

use clap::{Parser, ValueEnum};
use parallel_workbook::cli::{self, Args, HasArgs};
use parallel_workbook::sync::atomic::{AtomicU64, Ordering::Relaxed};
use parallel_workbook::{Problem, chunks};
use std::thread;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Granularity {
    /// One compare-and-swap per term
    Item,
    /// Sum a chunk privately, then one compare-and-swap to add it
    Chunk,
}

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
            scope.spawn(move || match granularity {
                Granularity::Item => {
                    for i in chunk {
                        atomic_add(total, Problem::f(problem.x(i)));
                    }
                }
                Granularity::Chunk => atomic_add(total, problem.sum_f(chunk)),
            });
        }
    });
    f64::from_bits(total.load(Relaxed)) * problem.dx()
}
// ANCHOR_END: integrate

#[derive(Parser)]
struct Cli {
    #[command(flatten)]
    args: Args,
    /// How often to update the shared atomic
    #[arg(long, value_enum, default_value_t = Granularity::Chunk)]
    granularity: Granularity,
}

impl HasArgs for Cli {
    fn args_mut(&mut self) -> &mut Args {
        &mut self.args
    }
}

fn main() {
    let cli: Cli = cli::parse("atomic", "A compare-and-swap f64 accumulator", 10_000_000);
    let name = match cli.granularity {
        Granularity::Item => "atomic/item",
        Granularity::Chunk => "atomic/chunk",
    };
    cli.args.run(name, |problem, threads| {
        integrate(problem, threads, cli.granularity)
    });
}
