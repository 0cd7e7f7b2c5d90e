// ANCHOR: statement
//! # 15 · MPI reduce
//!
//! `mpiexec -n R` starts R copies of this program, the ranks of one job.
//! Each rank learns from MPI its number (0 to R − 1) and R. The ranks share
//! no memory: each sums its own share of the points, and one collective
//! operation adds the shares up on rank 0, which alone prints the result.
//! `main` is written; two functions are yours.
//!
//! 1. `partial_sum(problem, rank, size)`: the sum Σ f(x_i) over this
//!    rank's chunk of the indices 0..N, by the course's chunking rule
//!    (`parallel_workbook::chunk`), so that the chunks of ranks 0..size
//!    cover every index once even when size does not divide N.
//! 2. `reduce_to_root(world, partial)`: add up every rank's partial sum on
//!    rank `ROOT` with one reduction (`SystemOperation::sum()`): rank 0
//!    calls `reduce_into_root` on `world.process_at_rank(ROOT)`, every other
//!    rank `reduce_into`. Return `Some(total)` on rank 0 and `None` on the
//!    others: `main` prints wherever it gets `Some`. Every rank must take
//!    part, or rank 0 waits for the missing one forever.
//!
//! Book: Part 6 › MPI (book/part6/26-mpi.md)
//! Check: `cargo workbook check 22_mpi_reduce` (needs MPI: it runs this
//! program under `mpiexec -n 3`)
// ANCHOR_END: statement

use parallel_workbook::Problem;
use workbook_distributed::mpi::Threading;
use workbook_distributed::mpi::topology::SimpleCommunicator;
use workbook_distributed::{ROOT, Ranks};

/// Σ f(x_i) over the chunk of rank `rank` of `size`.
pub fn partial_sum(problem: &Problem, rank: u64, size: u64) -> f64 {
    // TODO: take this rank's chunk of 0..problem.n and sum it with problem.sum_f.
    todo!(
        "the partial sum of rank {rank} of {size} for N = {}",
        problem.n
    )
}

/// Every rank's `partial`, added up: `Some` on rank 0, `None` elsewhere.
pub fn reduce_to_root(world: &SimpleCommunicator, partial: f64) -> Option<f64> {
    // TODO: one reduction, on every rank: reduce_into_root on rank 0, reduce_into on the others.
    let _ = world;
    todo!("add up the partial sums ({partial} on this rank) on rank {ROOT}")
}

fn main() {
    let mut ranks = Ranks::start(Threading::Single, "22_mpi_reduce");
    let args = ranks
        .args("Exercise 22: the integral over MPI ranks", 1000)
        .with_threads(1);
    let (rank, size) = (ranks.rank() as u64, ranks.size() as u64);
    let report = ranks.measure(&args, "22_mpi_reduce", 1, |problem| {
        let partial = partial_sum(problem, rank, size);
        reduce_to_root(ranks.world(), partial).map(|total| total * problem.dx())
    });
    if let Some(report) = report {
        args.print(&report);
    }
}
