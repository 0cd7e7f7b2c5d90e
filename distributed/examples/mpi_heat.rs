//! The 1-D heat equation over ranks: each rank owns a stretch of the rod,
//! and before every step it swaps its edge cells with its neighbours (the
//! halo exchange), because the stencil of an edge cell reaches one cell into
//! the neighbour's stretch.
//!
//!     cargo mpi -n 2 mpi_heat --cells 2e5 --steps 5000 --check
//!     cargo mpi -n 2 mpi_heat --cells-per-rank 2e5 --steps 2000     # weak scaling
//!
//! `--check` solves the same rod on one thread on rank 0 and compares every
//! cell: the ranks must give the same bits.

use clap::ValueEnum;
use parallel_workbook::chunk;
use parallel_workbook::cli;
use parallel_workbook::report::format_seconds;
use std::time::Instant;
use workbook_distributed::Ranks;
use workbook_distributed::heat::{self, Rod};
use workbook_distributed::mpi::Count;
use workbook_distributed::mpi::Threading;
use workbook_distributed::mpi::collective::SystemOperation;
use workbook_distributed::mpi::datatype::PartitionMut;
use workbook_distributed::mpi::point_to_point as p2p;
use workbook_distributed::mpi::request;
use workbook_distributed::mpi::topology::{Process, SimpleCommunicator};
use workbook_distributed::mpi::traits::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Exchange {
    /// Swap the halos first (MPI_Sendrecv), then update every cell
    Sendrecv,
    /// Start the swap, update the inner cells meanwhile, then the two edge cells
    Overlap,
}

/// This rank's neighbours: none past the ends of the rod.
pub struct Neighbours<'a> {
    pub left: Option<Process<'a>>,
    pub right: Option<Process<'a>>,
}

impl<'a> Neighbours<'a> {
    pub fn of(world: &'a SimpleCommunicator) -> Neighbours<'a> {
        let (rank, size) = (world.rank(), world.size());
        Neighbours {
            left: (rank > 0).then(|| world.process_at_rank(rank - 1)),
            right: (rank + 1 < size).then(|| world.process_at_rank(rank + 1)),
        }
    }
}

// ANCHOR: halo
/// `u` is this rank's cells with one halo on each side: `u[0]` and
/// `u[len − 1]` are copies of the neighbours' edge cells (or the rod's
/// fixed ends). Sends this rank's edge cells out, receives the neighbours'
/// into the halos. Every rank calls it once per step.
pub fn exchange_halos(neighbours: &Neighbours, u: &mut [f64]) {
    let last = u.len() - 1;
    // Rightwards: my last cell becomes the right neighbour's left halo,
    // and the left neighbour's last cell becomes mine.
    shift(
        neighbours.right.as_ref(),
        u[last - 1],
        neighbours.left.as_ref(),
        &mut u[0],
    );
    // Leftwards: the same, the other way round.
    shift(
        neighbours.left.as_ref(),
        u[1],
        neighbours.right.as_ref(),
        &mut u[last],
    );
}

/// Sends `value` to `to` and receives `halo` from `from`, with one
/// `MPI_Sendrecv` where both exist. At the ends of the rod one of them does
/// not, and a plain send or receive does: the chain of ranks has an end, so
/// no rank waits for one that waits for it.
fn shift(to: Option<&Process>, value: f64, from: Option<&Process>, halo: &mut f64) {
    match (to, from) {
        (Some(to), Some(from)) => {
            p2p::send_receive_into(&value, to, halo, from);
        }
        (Some(to), None) => to.send(&value),
        (None, Some(from)) => {
            from.receive_into(halo);
        }
        (None, None) => {}
    }
}
// ANCHOR_END: halo

// ANCHOR: overlap
/// One step with the exchange overlapped: start sending the edge cells and
/// receiving the halos, update every cell that needs no halo meanwhile,
/// then wait, then update the two edge cells.
pub fn step_overlapped(neighbours: &Neighbours, u: &mut [f64], next: &mut [f64]) {
    let last = u.len() - 1;
    let (mut from_left, mut from_right) = (u[0], u[last]);
    request::scope(|scope| {
        let mut pending = Vec::new();
        if let Some(left) = &neighbours.left {
            pending.push(left.immediate_send(scope, &u[1]));
        }
        if let Some(right) = &neighbours.right {
            pending.push(right.immediate_send(scope, &u[last - 1]));
        }
        let left_halo = neighbours
            .left
            .as_ref()
            .map(|left| left.immediate_receive_into(scope, &mut from_left));
        let right_halo = neighbours
            .right
            .as_ref()
            .map(|right| right.immediate_receive_into(scope, &mut from_right));
        // While the messages travel: every cell whose neighbours are all
        // this rank's own (all but the first and the last).
        heat::step(&u[1..last], &mut next[2..last - 1]);
        for request in pending.into_iter().chain(left_halo).chain(right_halo) {
            request.wait();
        }
    });
    u[0] = from_left;
    u[last] = from_right;
    // Now the halos are in: the two edge cells.
    heat::step(&u[0..3], &mut next[1..2]);
    heat::step(&u[last - 2..=last], &mut next[last - 1..last]);
}
// ANCHOR_END: overlap

#[derive(clap::Args)]
struct Flags {
    /// Cells of the rod, split over the ranks (strong scaling) [default: 200000]
    #[arg(long, value_parser = cli::parse_count, conflicts_with = "cells_per_rank")]
    cells: Option<u64>,
    /// Cells per rank, so that the rod grows with the ranks (weak scaling)
    #[arg(long, value_parser = cli::parse_count)]
    cells_per_rank: Option<u64>,
    /// Time steps
    #[arg(long, default_value_t = 5000, value_parser = clap::value_parser!(u64).range(1..=10_000_000))]
    steps: u64,
    /// How the halos are exchanged
    #[arg(long, value_enum, default_value_t = Exchange::Sendrecv)]
    exchange: Exchange,
    /// Also solve on one thread on rank 0 and compare every cell
    #[arg(long)]
    check: bool,
    /// Print one JSON object instead of a text line
    #[arg(long)]
    json: bool,
}

/// The most cells: 2^31 − 1 per rank at most (MPI counts in `int`), and
/// far fewer in practice (16 bytes of memory per cell).
const MAX_CELLS: u64 = 1 << 30;

fn main() {
    let mut ranks = Ranks::start(Threading::Single, "mpi_heat");
    let flags: Flags = ranks.parse_flags("The 1-D heat equation over ranks, with a halo exchange");
    let size = ranks.size() as u64;
    let cells = match (flags.cells, flags.cells_per_rank) {
        (_, Some(per_rank)) => per_rank.saturating_mul(size),
        (Some(cells), None) => cells,
        (None, None) => 200_000,
    };
    if cells > MAX_CELLS {
        ranks.refuse(&format!("{cells} cells is more than {MAX_CELLS}"));
    }
    if cells < 3 * size {
        ranks.refuse(&format!(
            "{cells} cells over {size} ranks: each rank needs at least 3 cells"
        ));
    }
    let rod = Rod {
        a: 0.0,
        b: 10.0,
        cells,
    };
    let world = ranks.world();
    let rank = ranks.rank() as u64;
    let mine = chunk(cells, size, rank);
    let (left_end, right_end) = rod.ends();
    // This rank's cells, with a halo on each side: a fixed end of the rod,
    // or (after the first exchange) a copy of the neighbour's edge cell.
    let mut u: Vec<f64> = std::iter::once(left_end)
        .chain(mine.clone().map(|i| rod.initial(i)))
        .chain(std::iter::once(right_end))
        .collect();
    let mut next = u.clone();
    let last = u.len() - 1;
    let neighbours = Neighbours::of(world);

    world.barrier();
    let start = Instant::now();
    // ANCHOR: steps
    for _ in 0..flags.steps {
        match flags.exchange {
            Exchange::Sendrecv => {
                exchange_halos(&neighbours, &mut u);
                heat::step(&u, &mut next[1..last]);
            }
            Exchange::Overlap => step_overlapped(&neighbours, &mut u, &mut next),
        }
        // `next` keeps its halos from the last step; the next exchange refreshes them.
        next[0] = u[0];
        next[last] = u[last];
        std::mem::swap(&mut u, &mut next);
    }
    // ANCHOR_END: steps
    let mut seconds = start.elapsed().as_secs_f64();
    let mut slowest = 0.0;
    world.all_reduce_into(&seconds, &mut slowest, SystemOperation::max());
    seconds = slowest;

    // Every rank's cells to rank 0, in order: the whole rod.
    let root = world.process_at_rank(workbook_distributed::ROOT);
    let own = &u[1..last];
    if rank != 0 {
        root.gather_varcount_into(own);
        return;
    }
    let counts: Vec<Count> = (0..size)
        .map(|k| chunk(cells, size, k).count() as Count)
        .collect();
    let displacements: Vec<Count> = (0..size)
        .map(|k| chunk(cells, size, k).start as Count)
        .collect();
    let mut rod_cells = vec![0.0; cells as usize];
    {
        let mut partition = PartitionMut::new(&mut rod_cells[..], &counts[..], &displacements[..]);
        root.gather_varcount_into_root(own, &mut partition);
    }
    let integral = rod.integral(&rod_cells);
    let check = flags.check.then(|| {
        let sequential = heat::solve_sequentially(&rod, flags.steps);
        let same_bits = sequential
            .iter()
            .zip(&rod_cells)
            .all(|(s, r)| s.to_bits() == r.to_bits());
        let largest = sequential
            .iter()
            .zip(&rod_cells)
            .map(|(s, r)| (s - r).abs())
            .fold(0.0, f64::max);
        (same_bits, largest)
    });
    let exchange = match flags.exchange {
        Exchange::Sendrecv => "sendrecv",
        Exchange::Overlap => "overlap",
    };
    if flags.json {
        let report = serde_json::json!({
            "strategy": "mpi_heat", "exchange": exchange, "ranks": size, "cells": cells,
            "cells_per_rank": cells.div_ceil(size), "steps": flags.steps, "seconds": seconds,
            "integral": integral,
            "same_bits_as_sequential": check.map(|c| c.0),
            "largest_difference": check.map(|c| c.1),
        });
        println!("{report}");
        return;
    }
    let verdict = match check {
        None => String::new(),
        Some((true, _)) => "  same bits as the sequential solve: yes".to_owned(),
        Some((false, largest)) => {
            format!("  same bits as the sequential solve: NO (largest difference {largest:e})")
        }
    };
    println!(
        "mpi_heat  ranks={size}  cells={cells} ({} per rank)  steps={}  exchange={exchange}  time={}  ({:.2} 10⁹ cell updates/s)  integral of u={integral:.6}{verdict}",
        cells.div_ceil(size),
        flags.steps,
        format_seconds(seconds),
        (cells * flags.steps) as f64 / seconds / 1e9,
    );
}
