//! Ranks × threads, the way clusters are used: one rank per machine (or
//! per socket), a pool of threads inside each rank, MPI only between them.
//!
//!     cargo mpi -n 2 mpi_hybrid --threads 1 --compare
//!
//! T is threads per rank; by default the cores of this machine shared out
//! among the ranks on it. R × T past your core count only takes turns.

use parallel_workbook::machine::default_threads;
use parallel_workbook::{Problem, chunk};
use rayon::prelude::*;
use std::ops::Range;
use workbook_distributed::mpi::Threading;
use workbook_distributed::mpi::collective::SystemOperation;
use workbook_distributed::mpi::topology::SimpleCommunicator;
use workbook_distributed::mpi::traits::*;
use workbook_distributed::{ROOT, Ranks};

// ANCHOR: integrate
/// Runs on every rank: its chunk is split again among `threads` rayon
/// threads; then one reduction across the ranks, as in `mpi_reduce`.
pub fn integrate(world: &SimpleCommunicator, problem: &Problem, threads: usize) -> Option<f64> {
    let my_chunk = chunk(problem.n, world.size() as u64, world.rank() as u64);
    // Inside the rank: shared memory, so threads (rayon's, as in chapter 10).
    let partial = sum_on_threads(problem, my_chunk, threads);
    // Between the ranks: messages. Only this (the main) thread calls MPI,
    // so the rank asks MPI for no more than Threading::Funneled.
    let root = world.process_at_rank(ROOT);
    if world.rank() == ROOT {
        let mut total = 0.0;
        root.reduce_into_root(&partial, &mut total, SystemOperation::sum());
        Some(total * problem.dx())
    } else {
        root.reduce_into(&partial, SystemOperation::sum());
        None
    }
}

/// Σ f(x_i) over `indices`, on a pool of `threads` threads, eight pieces per thread.
fn sum_on_threads(problem: &Problem, indices: Range<u64>, threads: usize) -> f64 {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .expect("could not start the rayon thread pool");
    let len = indices.end - indices.start;
    let pieces = (threads as u64 * 8).min(len).max(1);
    pool.install(|| {
        (0..pieces)
            .into_par_iter()
            .map(|k| {
                let piece = chunk(len, pieces, k);
                problem.sum_f(indices.start + piece.start..indices.start + piece.end)
            })
            .sum()
    })
}
// ANCHOR_END: integrate

#[derive(clap::Args)]
struct OwnFlags {
    /// Make a worker thread of this rank panic, to see the whole job end
    #[arg(long, value_name = "RANK")]
    fail_rank: Option<i32>,
}

fn main() {
    let mut ranks = Ranks::start(Threading::Funneled, "mpi_hybrid");
    let (args, own): (_, OwnFlags) = ranks.parse_args(
        "MPI ranks, each with a pool of T threads (run it under mpiexec)",
        100_000_000,
    );
    // T per rank: the cores of this machine shared out among its ranks.
    let on_this_host = ranks.ranks_on_this_host() as usize;
    let threads = args
        .threads
        .unwrap_or((default_threads() / on_this_host).max(1));
    if own.fail_rank == Some(ranks.rank()) {
        // On one of rayon's threads, not the main thread.
        rayon::scope(|scope| {
            scope.spawn(|_| panic!("a worker thread fails on purpose (--fail-rank)"))
        });
    }
    let args = args.with_threads(threads);
    let report = ranks.measure(&args, "mpi_hybrid", threads, |problem| {
        integrate(ranks.world(), problem, threads)
    });
    if let Some(report) = report {
        args.print(&report.with("workers", ranks.size() as usize * threads));
    }
}
