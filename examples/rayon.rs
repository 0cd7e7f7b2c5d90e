//! rayon: a work-stealing thread pool and parallel iterators.
//!
//!     cargo run --release --example rayon -- --threads 2 --compare
//!     cargo run --release --example rayon -- --split indices --compare
//!
//! No threads to spawn, no chunks to count: say what to compute, rayon splits it.
//!
//! Also a module of examples/shared/strategies.rs (scaling, compare, benches, tests).

use clap::ValueEnum;
use parallel_workbook::cli;
use parallel_workbook::timeline::Track;
use parallel_workbook::{Problem, chunk};
use rayon::prelude::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Split {
    /// A parallel iterator over T·8 chunks, each summed by the plain loop
    Chunks,
    /// A parallel iterator over every index; rayon decides how to split
    Indices,
}

// ANCHOR: integrate
/// Sums on a pool of exactly `threads` threads (rayon's global pool would
/// use one per core). `install` runs the closure inside that pool.
pub fn integrate(problem: &Problem, threads: usize, split: Split) -> f64 {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .expect("could not start the rayon thread pool");
    pool.install(|| match split {
        Split::Chunks => {
            let parts = (threads as u64 * 8).min(problem.n);
            // `map_init` gives each piece of rayon's work a `Track`, which
            // records its chunks with --timeline (`map` would do without it).
            (0..parts)
                .into_par_iter()
                .map_init(Track::start, |track, k| {
                    track.chunk(chunk(problem.n, parts, k), |c| problem.sum_f(c))
                })
                .sum::<f64>()
                * problem.dx()
        }
        Split::Indices => {
            (0..problem.n)
                .into_par_iter()
                .map(|i| Problem::f(problem.x(i)))
                .sum::<f64>()
                * problem.dx()
        }
    })
}
// ANCHOR_END: integrate

#[derive(clap::Args)]
struct RayonFlags {
    /// What the parallel iterator runs over
    #[arg(long, value_enum, default_value_t = Split::Chunks)]
    split: Split,
}

fn main() {
    let (args, flags) =
        cli::parse::<RayonFlags>("rayon's parallel iterators on a sized pool", 100_000_000);
    let name = match flags.split {
        Split::Chunks => "rayon/chunks",
        Split::Indices => "rayon/indices",
    };
    args.run(name, |problem, threads| {
        integrate(problem, threads, flags.split)
    });
}
