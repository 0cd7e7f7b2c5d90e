// Calls the reduction on rank 0 only: the other ranks return None without sending, and rank 0 waits for them forever.

use parallel_workbook::{Problem, chunk};
use workbook_distributed::mpi::Threading;
use workbook_distributed::mpi::collective::SystemOperation;
use workbook_distributed::mpi::topology::SimpleCommunicator;
use workbook_distributed::mpi::traits::*;
use workbook_distributed::{ROOT, Ranks};

/// Σ f(x_i) over the chunk of rank `rank` of `size`.
pub fn partial_sum(problem: &Problem, rank: u64, size: u64) -> f64 {
    problem.sum_f(chunk(problem.n, size, rank))
}

/// Every rank's `partial`, added up: `Some` on rank 0, `None` elsewhere.
pub fn reduce_to_root(world: &SimpleCommunicator, partial: f64) -> Option<f64> {
    if world.rank() != ROOT {
        return None;
    }
    let root = world.process_at_rank(ROOT);
    let mut total = 0.0;
    root.reduce_into_root(&partial, &mut total, SystemOperation::sum());
    Some(total)
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
