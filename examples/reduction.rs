//! Reduction, named: the "reassemble" step of every strategy is a fold of
//! each piece into a partial result, then a reduce of the partial results.
//! rayon's `sum`, `reduce` and `fold`, next to the same thing written by hand.
//!
//!     cargo run --release --example reduction -- --how fold --n 1e9 --compare
//!     cargo run --release --example reduction -- --how by-hand --n 1e9 --compare
//!
//! All four agree to the last few bits; run rayon's twice and its last digits may change.

use parallel_workbook::cli;
use parallel_workbook::{Problem, chunks};
use rayon::prelude::*;
use std::thread;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum How {
    /// rayon: `map` each index to its term, then `sum`
    Sum,
    /// rayon: `map`, then `reduce(|| 0.0, |a, b| a + b)`
    Reduce,
    /// rayon: `fold` indices into per-piece sums, then `reduce` those
    Fold,
    /// scoped threads: each folds its chunk, main reduces the partial sums
    ByHand,
}

// ANCHOR: rayon
/// The three rayon forms, on a pool of exactly `threads` threads.
fn with_rayon(problem: &Problem, threads: usize, how: How) -> f64 {
    let term = |i: u64| Problem::f(problem.x(i));
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .expect("could not start the rayon thread pool");
    pool.install(|| match how {
        How::Sum => (0..problem.n).into_par_iter().map(term).sum::<f64>(),
        // `reduce` combines two items into one; `|| 0.0` makes an identity
        // for each piece rayon splits off (x + 0.0 == x).
        How::Reduce => (0..problem.n)
            .into_par_iter()
            .map(term)
            .reduce(|| 0.0, |a, b| a + b),
        // `fold` runs a sequential loop over each piece, starting from the
        // identity; its results (one per piece) are then reduced.
        How::Fold => (0..problem.n)
            .into_par_iter()
            .fold(|| 0.0, |partial, i| partial + term(i))
            .reduce(|| 0.0, |a, b| a + b),
        How::ByHand => unreachable!("not a rayon form"),
    })
}
// ANCHOR_END: rayon

// ANCHOR: by_hand
/// The same fold and reduce, written out: T pieces fixed in advance (the
/// chunks), each folded from 0.0 by its own thread, then reduced by main in
/// chunk order. The order never changes, so neither do the bits.
fn by_hand(problem: &Problem, threads: usize) -> f64 {
    let term = |i: u64| Problem::f(problem.x(i));
    let partial_sums: Vec<f64> = thread::scope(|scope| {
        let pieces: Vec<_> = chunks(problem.n, threads as u64)
            .map(|chunk| scope.spawn(move || chunk.fold(0.0, |partial, i| partial + term(i))))
            .collect();
        pieces
            .into_iter()
            .map(|piece| piece.join().unwrap())
            .collect()
    });
    partial_sums.into_iter().fold(0.0, |a, b| a + b)
}
// ANCHOR_END: by_hand

pub fn integrate(problem: &Problem, threads: usize, how: How) -> f64 {
    let sum = match how {
        How::ByHand => by_hand(problem, threads),
        rayon_form => with_rayon(problem, threads, rayon_form),
    };
    sum * problem.dx()
}

#[derive(clap::Args)]
struct ReductionFlags {
    /// Which reduction combines the terms
    #[arg(long, value_enum, default_value_t = How::Fold)]
    how: How,
}

fn main() {
    let (args, flags) =
        cli::parse::<ReductionFlags>("One reduction, four ways to write it", 100_000_000);
    let name = match flags.how {
        How::Sum => "reduction/sum",
        How::Reduce => "reduction/reduce",
        How::Fold => "reduction/fold",
        How::ByHand => "reduction/by-hand",
    };
    args.run(name, |problem, threads| {
        integrate(problem, threads, flags.how)
    });
}
