//! The integral over MPI ranks: each rank is a process of its own, sums its
//! chunk, and one collective operation adds the partial sums up on rank 0.
//!
//!     cargo mpi -n 2 mpi_reduce --n 1e9 --compare
//!
//! Only rank 0 prints. Try `-n 1`, `2`, `4`: past your core count the ranks
//! take turns on the cores, and `--fail-rank 1` shows a failing rank.

use parallel_workbook::{Problem, chunk};
use workbook_distributed::mpi::Threading;
use workbook_distributed::mpi::collective::SystemOperation;
use workbook_distributed::mpi::topology::SimpleCommunicator;
use workbook_distributed::mpi::traits::*;
use workbook_distributed::{ROOT, Ranks};

// ANCHOR: integrate
/// Runs on every rank. Returns the integral on rank 0, `None` elsewhere.
pub fn integrate(world: &SimpleCommunicator, problem: &Problem) -> Option<f64> {
    let (rank, size) = (world.rank(), world.size());
    // 1. Chunk: the rank's number picks its chunk. No message is needed to
    //    hand out the work: every rank knows the problem and the rule.
    let my_chunk = chunk(problem.n, size as u64, rank as u64);
    // 2. Execute: the same loop as every other example, on this rank's chunk.
    let partial = problem.sum_f(my_chunk);
    // 3. Reassemble: a reduction. Every rank must call it (it is a
    //    collective operation); rank 0 receives the sum of all the partials.
    let root = world.process_at_rank(ROOT);
    if rank == ROOT {
        let mut total = 0.0;
        root.reduce_into_root(&partial, &mut total, SystemOperation::sum());
        Some(total * problem.dx())
    } else {
        root.reduce_into(&partial, SystemOperation::sum());
        None
    }
}
// ANCHOR_END: integrate

#[derive(clap::Args)]
struct OwnFlags {
    /// Make this rank panic before its share, to see the whole job end
    #[arg(long, value_name = "RANK")]
    fail_rank: Option<i32>,
}

fn main() {
    let mut ranks = Ranks::start(Threading::Single, "mpi_reduce");
    let (args, own): (_, OwnFlags) = ranks.parse_args(
        "One chunk per MPI rank, reduced on rank 0 (run it under mpiexec)",
        100_000_000,
    );
    if args.threads.is_some_and(|t| t != 1) {
        ranks.refuse(
            "mpi_reduce runs one thread per rank: choose the ranks with mpiexec -n R \
             (mpi_hybrid adds threads)",
        );
    }
    if own.fail_rank == Some(ranks.rank()) {
        panic!("rank {} fails on purpose (--fail-rank)", ranks.rank());
    }
    let args = args.with_threads(1);
    let report = ranks.measure(&args, "mpi_reduce", 1, |problem| {
        integrate(ranks.world(), problem)
    });
    if let Some(report) = report {
        args.print(&report);
    }
}
