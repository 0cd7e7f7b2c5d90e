//! Fork-join by recursion: `rayon::join` cuts the range in two, runs both
//! halves (at the same time when a thread is free to take one), and adds
//! the two sums. The recursion stops at the grain: a range of at most
//! `--grain` points is summed with the plain loop.
//!
//!     cargo run --release --example fork_join -- --n 1e8 --threads 2 --compare
//!     cargo run --release --example fork_join -- --n 1e8 --threads 2 --grain 100
//!
//! A tiny grain pays for a million joins; a grain of half the range cannot
//! balance `--work uneven`. `--how iter` sets the same knob on a parallel
//! iterator, with `with_min_len`.

use clap::ValueEnum;
use parallel_workbook::Problem;
use parallel_workbook::cli;
use parallel_workbook::timeline::Track;
use rayon::prelude::*;
use std::ops::Range;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum How {
    /// Recursion with rayon::join, down to ranges of at most --grain points
    Join,
    /// A parallel iterator over every index, never split below --grain indices
    Iter,
}

// ANCHOR: recurse
/// Σ f(x_i) over `range`: cut in two until a piece holds at most `grain`
/// points, each piece summed by the plain loop, the halves added back up.
/// `join` runs its second closure on another thread only if one is idle
/// and steals it; otherwise this thread runs both, one after the other.
pub fn sum_range(problem: &Problem, range: Range<u64>, grain: u64) -> f64 {
    let len = range.end - range.start;
    if len <= grain {
        // (`Track` records each leaf with --timeline.)
        return Track::start().chunk(range, |leaf| problem.sum_f(leaf));
    }
    let middle = range.start + len / 2;
    let (left, right) = rayon::join(
        || sum_range(problem, range.start..middle, grain),
        || sum_range(problem, middle..range.end, grain),
    );
    left + right
}
// ANCHOR_END: recurse

// ANCHOR: iter
/// The same knob on a parallel iterator: rayon splits the indices with
/// `join` internally, and `with_min_len` stops it from splitting a piece
/// of fewer than `grain` indices. (Each index is one term here, so this
/// form ignores `--work uneven`, and the command line refuses it.)
pub fn sum_iter(problem: &Problem, grain: u64) -> f64 {
    // usize: rayon splits ranges by position only for indices of that type.
    let n = usize::try_from(problem.n).expect("N fits in usize on a 64-bit machine");
    (0..n)
        .into_par_iter()
        .with_min_len(usize::try_from(grain).unwrap_or(usize::MAX))
        .map(|i| Problem::f(problem.x(i as u64)))
        .sum()
}
// ANCHOR_END: iter

/// The integral on a rayon pool of exactly `threads` threads.
pub fn integrate(problem: &Problem, threads: usize, how: How, grain: u64) -> f64 {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .expect("could not start the rayon thread pool");
    let sum = pool.install(|| match how {
        How::Join => sum_range(problem, 0..problem.n, grain),
        How::Iter => sum_iter(problem, grain),
    });
    sum * problem.dx()
}

/// The default grain: 100,000 points, about 0.1 ms of the plain loop. That
/// is long against one `join` (well under a microsecond) and short against
/// a run, and it does not depend on T: the same N cuts into the same tree,
/// so every T adds the same partial sums in the same order (same bits).
pub const DEFAULT_GRAIN: u64 = 100_000;

#[derive(clap::Args)]
struct ForkJoinFlags {
    /// How the range is cut up
    #[arg(long, value_enum, default_value_t = How::Join)]
    how: How,
    /// The grain: the most points in a piece that is summed without cutting it further
    #[arg(long, value_parser = cli::parse_count, default_value_t = DEFAULT_GRAIN)]
    grain: u64,
}

fn main() {
    let (args, flags) = cli::parse::<ForkJoinFlags>(
        "Recursive fork-join with rayon::join, down to a grain",
        100_000_000,
    );
    let grain = flags.grain;
    let name = match flags.how {
        How::Join => "fork_join/join",
        How::Iter => "fork_join/iter",
    };
    let report = args.measure(name, |problem, threads| {
        integrate(problem, threads, flags.how, grain)
    });
    let leaves = match flags.how {
        How::Join => Some(leaf_count(args.n(), grain)),
        How::Iter => None,
    };
    let report = report.with("grain", grain);
    let report = match leaves {
        Some(leaves) => report.with("leaves", leaves),
        None => report,
    };
    args.print(&report);
}

/// How many leaves the recursion makes for `n` points and this grain. Each
/// level of the recursion holds pieces of at most two sizes (⌊m/2⌋ and
/// ⌈m/2⌉ of the level above), so this counts them level by level.
pub fn leaf_count(n: u64, grain: u64) -> u64 {
    let mut level = std::collections::BTreeMap::from([(n, 1_u64)]);
    let mut leaves = 0;
    while !level.is_empty() {
        let mut next = std::collections::BTreeMap::new();
        for (size, count) in level {
            if size <= grain {
                leaves += count;
            } else {
                *next.entry(size / 2).or_insert(0) += count;
                *next.entry(size - size / 2).or_insert(0) += count;
            }
        }
        level = next;
    }
    leaves
}
