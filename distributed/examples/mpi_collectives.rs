//! The collective operations, each once, on the integral: the root
//! broadcasts the problem, scatters each rank its chunk, gathers every
//! partial sum, and an allreduce gives every rank the total.
//!
//!     cargo mpi -n 3 mpi_collectives --n 1000
//!
//! Rank 0 prints each rank's partial sum and the total; every rank checks
//! that the total it got is the one rank 0 got.

use parallel_workbook::{Problem, chunk};
use workbook_distributed::mpi::Threading;
use workbook_distributed::mpi::collective::SystemOperation;
use workbook_distributed::mpi::topology::SimpleCommunicator;
use workbook_distributed::mpi::traits::*;
use workbook_distributed::{ROOT, Ranks};

/// What the root learns: each rank's partial sum, in rank order, and the
/// total every rank got from the allreduce.
pub struct Collected {
    pub partials: Vec<f64>,
    pub total: f64,
}

// ANCHOR: collectives
/// Runs on every rank. Only the root's `problem` counts: the other ranks
/// receive it, as if only the root had read the input.
pub fn integrate(world: &SimpleCommunicator, problem: &Problem) -> (f64, Option<Collected>) {
    let (rank, size) = (world.rank(), world.size());
    let root = world.process_at_rank(ROOT);

    // 1. Broadcast: the root's [a, b, N] to every rank.
    let mut spec = [problem.a, problem.b, problem.n as f64];
    root.broadcast_into(&mut spec[..]);
    let problem = Problem {
        a: spec[0],
        b: spec[1],
        n: spec[2] as u64,
    };

    // 2. Scatter: the root cuts the indices into one chunk per rank and
    //    sends each rank its own [start, end).
    let mut mine = [0_u64; 2];
    if rank == ROOT {
        let bounds: Vec<u64> = (0..size as u64)
            .flat_map(|k| {
                let c = chunk(problem.n, size as u64, k);
                [c.start, c.end]
            })
            .collect();
        root.scatter_into_root(&bounds[..], &mut mine[..]);
    } else {
        root.scatter_into(&mut mine[..]);
    }

    // 3. Each rank sums its chunk: the only step that does no communication.
    let partial = problem.sum_f(mine[0]..mine[1]);

    // 4. Gather: every partial sum to the root, in rank order.
    let mut partials = vec![0.0; if rank == ROOT { size as usize } else { 0 }];
    if rank == ROOT {
        root.gather_into_root(&partial, &mut partials[..]);
    } else {
        root.gather_into(&partial);
    }

    // 5. Allreduce: the sum of the partials, on every rank at once.
    let mut total = 0.0;
    world.all_reduce_into(&partial, &mut total, SystemOperation::sum());
    let total = total * problem.dx();
    (
        total,
        (rank == ROOT).then_some(Collected { partials, total }),
    )
}
// ANCHOR_END: collectives

fn main() {
    let mut ranks = Ranks::start(Threading::Single, "mpi_collectives");
    let args = ranks.args(
        "Broadcast, scatter, gather and allreduce on the integral",
        100_000_000,
    );
    if args.threads.is_some_and(|t| t != 1) {
        ranks
            .refuse("mpi_collectives runs one thread per rank: choose the ranks with mpiexec -n R");
    }
    let args = args.with_threads(1);
    let mut everyone = 0.0;
    let mut collected = None;
    let report = ranks.measure(&args, "mpi_collectives", 1, |problem| {
        let (total, root_view) = integrate(ranks.world(), problem);
        everyone = total;
        collected = root_view;
        collected.as_ref().map(|c| c.total)
    });
    // Every rank got the same total from the allreduce: check it against the root's.
    let world = ranks.world();
    let mut roots_total = everyone;
    world.process_at_rank(ROOT).broadcast_into(&mut roots_total);
    let agrees = i32::from(everyone.to_bits() == roots_total.to_bits());
    let mut all_agree = 0;
    world.all_reduce_into(&agrees, &mut all_agree, SystemOperation::min());
    if let (Some(report), Some(collected)) = (report, collected) {
        args.print(
            &report
                .with("partials", &collected.partials)
                .with("every_rank_has_the_total", all_agree == 1),
        );
    }
}
